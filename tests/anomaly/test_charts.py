"""The charts' geometry (code/charts.py): series to SVG coordinates, pure and exact."""
import pytest

from secassure.code.charts import BOTTOM, LEFT, RIGHT, TOP, bar_chart, line_chart, nice_top


@pytest.mark.parametrize("value, top", [(0, 2), (1.5, 2), (2.1, 5), (5, 5), (5.5, 10),
                                        (11, 20), (21, 50), (999, 1000), (1001, 2000)])
def test_the_axis_tops_at_a_round_number(value, top):
    assert nice_top(value) == top


def test_a_line_against_its_levels():
    """Peak counts per bucket: first x at the left edge, last at the right; the value axis
    from 0 (bottom of the plot) to the round top above every value and level."""
    chart = line_chart([(0, 0), (3600, 9), (7200, 18)], [("quarantine", 15)], width=448,
                       height=240)
    # top: 18 * 1.1 = 19.8 -> 20; plot 400 wide (448 - 48 - ... ), 200 high (240 - 12 - 28)
    assert chart.top == 20
    plot_w, plot_h = 448 - LEFT - RIGHT, 240 - TOP - BOTTOM
    assert chart.dots == ((LEFT, 240 - BOTTOM, 0),
                          (LEFT + plot_w / 2, 240 - BOTTOM - plot_h * 9 / 20, 9),
                          (LEFT + plot_w, TOP + plot_h * 2 / 20, 18))
    assert chart.points == " ".join(f"{x},{y}" for x, y, _ in chart.dots)
    (level,) = chart.segments
    assert (level.x1, level.x2, level.y) == (LEFT, 448 - RIGHT, 240 - BOTTOM - plot_h * 15 / 20)
    assert [t.label for t in chart.y_ticks] == ["0", "5", "10", "15", "20"]
    assert chart.y_ticks[0].at == 240 - BOTTOM and chart.y_ticks[-1].at == TOP


def test_an_exception_is_drawn_only_while_in_force_and_clipped():
    chart = line_chart([(0, 1), (100, 1)], [("quarantine", 4)],
                       spans=[("exception", 50, 400, 8), ("before", -50, 0, 8),
                              ("after", 101, 200, 8)], width=160)
    labels = [s.label for s in chart.segments]
    assert labels == ["quarantine", "exception"]          # one ended at the start, one after
    exception = chart.segments[1]
    assert (exception.x1, exception.x2) == (LEFT + 50, 160 - RIGHT)   # clipped to the end
    assert chart.top == 10                                  # 8 * 1.1 -> 10: the level shows


def test_no_data_draws_nothing_but_the_axis():
    chart = line_chart([], [("quarantine", 3)])
    assert chart.points == "" and chart.dots == () and chart.top == 5


def test_bars_stack_quarantines_and_deletions_per_day():
    chart = bar_chart([("1 Mar", [("quarantined", 3), ("deleted", 1)]),
                       ("2 Mar", [("quarantined", 0), ("deleted", 0)])], width=460, height=200)
    assert chart.top == 5
    first, second = chart.bars
    plot_h = 200 - TOP - BOTTOM
    (_, q_y, q_h, q), (_, d_y, d_h, d) = first.parts
    assert (q, d) == (3, 1)
    assert q_h == pytest.approx(plot_h * 3 / 5) and d_h == pytest.approx(plot_h * 1 / 5)
    assert q_y == pytest.approx(d_y + d_h)                  # deletions sit on the quarantines
    assert all(h == 0 for _, _, h, _ in second.parts)
    assert second.x - first.x == (460 - LEFT - RIGHT) / 2   # one slot per day


def test_time_labels_near_an_edge_stay_inside_it():
    chart = line_chart([(0, 1), (50, 1), (100, 1)], [],
                       x_labels=[(0, "first"), (50, "middle"), (100, "last")], width=400)
    assert [t.anchor for t in chart.x_ticks] == ["start", "middle", "end"]
