"""The Anomaly Detection Report the DCC presents to the SSC (RED): the SSC, the DCC and SECAS
read it (page and PDF); anyone else is answered 404, as for a page that does not exist."""
from datetime import UTC, datetime

import pytest

from secassure.anomaly import selectors
from secassure.anomaly.models import DeskNotice, QuarantinedCommunication
from secassure.anomaly.quarantine import DecisionRow, record_decisions

HEARTH_ID = "90-B3-D5-1F-30-00-0A-00"
LUMEN_ID = "90-B3-D5-1F-30-00-01-00"
PERIOD = "?from=2026-03-01&to=2026-03-02"


@pytest.fixture
def desk(demo):
    QuarantinedCommunication.objects.all().delete()
    DeskNotice.objects.all().delete()
    at = datetime(2026, 3, 1, 10, tzinfo=UTC)
    record_decisions(demo["dcc"], [
        DecisionRow("r1", at, HEARTH_ID, "7.1", "", "QUARANTINE", "k"),
        DecisionRow("r2", at, HEARTH_ID, "6.17", "", "DELETE", "limit"),
        DecisionRow("r3", datetime(2026, 3, 2, 9, tzinfo=UTC), LUMEN_ID, "6.17", "", "DELETE",
                    "limit")])
    return demo


@pytest.mark.parametrize("who", ["ssc-member", "dcc", "secas"])
def test_the_ssc_the_dcc_and_secas_read_the_report_marked_red(desk, client_for, who):
    page = client_for(who).get(f"/adt/report/{PERIOD}")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="marking"' in body and "RED" in body
    assert "Quarantines and deletions per day" in body and 'id="report-chart"' in body
    assert HEARTH_ID not in body and LUMEN_ID not in body     # no User IDs
    assert "r1" in body                                        # the oldest pending


@pytest.mark.parametrize("who", ["rep-HEARTH", "rep-LUMEN", "panel-member", "cio-assessor"])
def test_anyone_else_gets_404_for_the_page_and_the_pdf(desk, client_for, who):
    client = client_for(who)
    assert client.get(f"/adt/report/{PERIOD}").status_code == 404
    assert client.get(f"/adt/report/pdf/{PERIOD}").status_code == 404
    assert selectors.anomaly_report(desk[who], datetime(2026, 3, 1, tzinfo=UTC),
                                    datetime(2026, 3, 3, tzinfo=UTC)) is None


def test_the_report_counts_per_day_and_party(desk):
    report = selectors.anomaly_report(desk["ssc-member"], datetime(2026, 3, 1, tzinfo=UTC),
                                      datetime(2026, 3, 3, tzinfo=UTC))
    assert [(r["day"].isoformat(), r["quarantined"], r["deleted"]) for r in report.per_day] == \
        [("2026-03-01", 1, 1), ("2026-03-02", 0, 1)]
    assert [(r["day"].isoformat(), r["party"], r["deleted"]) for r in report.per_day_party] == \
        [("2026-03-01", "HEARTH", 1), ("2026-03-02", "LUMEN", 1)]


def test_the_pdf_is_red_on_every_page(desk, client_for):
    response = client_for("ssc-member").get(f"/adt/report/pdf/{PERIOD}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from secassure.anomaly.exports import report_html
    from secassure.anomaly.views.charts import per_day_chart
    report = selectors.anomaly_report(desk["dcc"], datetime(2026, 3, 1, tzinfo=UTC),
                                      datetime(2026, 3, 3, tzinfo=UTC))
    html = report_html({"report": report, "first": "2026-03-01", "last": "2026-03-02",
                        "per_day": per_day_chart(report.per_day)})
    assert 'content: "RED"' in html and "— RED" in html


def test_a_bad_date_is_400_naming_the_field(desk, client_for):
    page = client_for("dcc").get("/adt/report/?from=yesterday")
    assert page.status_code == 400 and "from: &#x27;yesterday&#x27; is not a date" in \
        page.content.decode()


def test_the_report_of_the_demo_period_counts_without_user_ids(demo, client_for):
    """G6.8: the User thresholds notified, counted per SRV and counter; the DCC's set after
    the SSC's opinion; HEARTH's exception in force (G6.1(a)(i)); no User ID anywhere."""
    from datetime import timedelta

    from secassure.anomaly.demo import load_anomaly_demo
    from secassure.anomaly.models import Threshold
    from tests.conftest import TODAY
    if not Threshold.objects.exists():
        load_anomaly_demo(demo, TODAY)
    now = datetime.now(UTC)
    report = selectors.anomaly_report(demo["dcc"], now - timedelta(days=2),
                                      now + timedelta(days=1))
    notified = {(r["srv"], r["counter"]): r["count"] for r in report.user_notified}
    assert notified[("4.1.1", "encrypted")] >= 2          # HEARTH's and LUMEN's
    assert {(n.target, n.counter) for n in report.dcc_changed} >= {("7.1", "critical")}
    assert [(e["threshold__srv__srv"], e["highest"]) for e in report.exceptions] == \
        [("4.1.1", 2000)]                                 # the one ahead is not in force
    body = client_for("ssc-member").get(
        f"/adt/report/?from={(now - timedelta(days=2)).date()}&to={now.date()}").content.decode()
    assert 'id="dcc-changes"' in body and HEARTH_ID not in body and LUMEN_ID not in body
