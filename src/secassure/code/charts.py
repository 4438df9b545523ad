"""Series to SVG geometry for the server-rendered charts (no JavaScript): a line of counts
over time against horizontal levels, and stacked bars per day. Pure: numbers in, coordinates
out; the templates draw them and give each chart a title and a table alternative."""
from __future__ import annotations

from dataclasses import dataclass

#: The plot area's margins inside the SVG's viewBox: left (for the y labels), right, top,
#: bottom (for the x labels).
LEFT, RIGHT, TOP, BOTTOM = 48.0, 12.0, 12.0, 28.0


@dataclass(frozen=True)
class Tick:
    at: float       # the coordinate (y for the value axis, x for the time axis)
    label: str
    anchor: str = "middle"   # SVG text-anchor: a label near an edge is kept inside it


@dataclass(frozen=True)
class Segment:
    """A horizontal line at a level, from x1 to x2 (a level, or an exception while in force)."""
    label: str
    value: float
    x1: float
    x2: float
    y: float


@dataclass(frozen=True)
class LineGeometry:
    width: float
    height: float
    points: str                     # the polyline's "x,y x,y ..." (empty without data)
    dots: tuple[tuple[float, float, float], ...]   # (x, y, value) of each point
    segments: tuple[Segment, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    top: float                      # the value at the top of the plot


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    label: str
    parts: tuple[tuple[str, float, float, int], ...]   # (series, y, height, value), bottom up


@dataclass(frozen=True)
class BarGeometry:
    width: float
    height: float
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...]
    top: float


def nice_top(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k at or above `value` (at least 2): the axis's top."""
    if value <= 2:
        return 2.0
    scale = 1.0
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


def _y(value: float, top: float, height: float) -> float:
    plot = height - TOP - BOTTOM
    return round(height - BOTTOM - plot * min(max(value, 0.0), top) / top, 2)


def _value_ticks(top: float, height: float) -> tuple[Tick, ...]:
    """Ticks at round steps: 0, 1, 2 for 2; fifths of 1 x 10^k and 5 x 10^k; quarters of 2 x
    10^k (20: 0, 5, 10, 15, 20)."""
    leading = f"{top:g}"[0]
    count = 2 if top == 2 else 4 if leading == "2" else 5
    return tuple(Tick(_y(top * i / count, top, height), f"{top * i / count:g}")
                 for i in range(count + 1))


def line_chart(series: list[tuple[float, float]], levels: list[tuple[str, float]],
               spans: list[tuple[str, float, float, float]] | None = None,
               x_labels: list[tuple[float, str]] | None = None,
               width: float = 640.0, height: float = 240.0) -> LineGeometry:
    """`series`: (x, value) in x order (x e.g. seconds); `levels`: (label, value) drawn across
    the whole width; `spans`: (label, x_from, x_to, value) drawn only over [x_from, x_to)
    clipped to the series' range (an exception in force); `x_labels`: (x, text) ticks.
    The value axis starts at 0 and tops at a round number above every value and level."""
    spans = spans or []
    values = [v for _, v in series] + [v for _, v in levels] + [s[3] for s in spans]
    top = nice_top(max(values, default=1.0) * 1.1)
    xs = [x for x, _ in series]
    lo, hi = (min(xs), max(xs)) if xs else (0.0, 1.0)
    span = (hi - lo) or 1.0
    plot_w = width - LEFT - RIGHT

    def x_at(x: float) -> float:
        return round(LEFT + plot_w * (min(max(x, lo), hi) - lo) / span
                     if hi > lo else LEFT + plot_w / 2, 2)

    dots = tuple((x_at(x), _y(v, top, height), v) for x, v in series)
    segments = [Segment(label, value, LEFT, width - RIGHT, _y(value, top, height))
                for label, value in levels]
    for label, start, end, value in spans:
        if end <= lo or start > hi:
            continue  # not in force within the chart's time
        segments.append(Segment(label, value, x_at(start), x_at(end), _y(value, top, height)))
    return LineGeometry(width, height, " ".join(f"{x},{y}" for x, y, _ in dots), dots,
                        tuple(segments), _value_ticks(top, height),
                        tuple(Tick(x_at(x), text, _anchor(x_at(x), width))
                              for x, text in (x_labels or []) if lo <= x <= hi), top)


def _anchor(x: float, width: float) -> str:
    """A time label's anchor: its end at the right edge, its start at the left one."""
    return "end" if x > width - RIGHT - 40 else "start" if x < LEFT + 40 else "middle"


def bar_chart(days: list[tuple[str, list[tuple[str, int]]]], width: float = 640.0,
              height: float = 200.0) -> BarGeometry:
    """`days`: (label, [(series, count), ...]) in order; each day one bar, its series stacked
    bottom up."""
    top = nice_top(max((sum(c for _, c in parts) for _, parts in days), default=1) * 1.1)
    plot_w = width - LEFT - RIGHT
    slot = plot_w / max(len(days), 1)
    bars = []
    for index, (label, parts) in enumerate(days):
        base, stacked = 0, []
        for name, count in parts:
            y_top, y_base = _y(base + count, top, height), _y(base, top, height)
            stacked.append((name, y_top, round(y_base - y_top, 2), count))
            base += count
        bars.append(Bar(round(LEFT + slot * index + slot * 0.15, 2), round(slot * 0.7, 2),
                        label, tuple(stacked)))
    return BarGeometry(width, height, tuple(bars), _value_ticks(top, height), top)
