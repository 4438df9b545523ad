"""The charts' pages: a party sees its own User IDs' traffic, the DCC and SECAS all; the SSC
the desk per day aggregated, without User IDs."""
from datetime import UTC, datetime

import numpy as np
import pytest

from secassure.adt.summary import summarise
from secassure.anomaly.models import DeskNotice, QuarantinedCommunication, TrafficBucket
from secassure.anomaly.quarantine import DecisionRow, record_decisions
from secassure.anomaly.services.desk import load_traffic_summary

HEARTH_ID = "90-B3-D5-1F-30-00-0A-00"
LUMEN_ID = "90-B3-D5-1F-30-00-01-00"
HOUR = 3_600_000_000


@pytest.fixture
def charted(demo):
    TrafficBucket.objects.all().delete()
    QuarantinedCommunication.objects.all().delete()
    DeskNotice.objects.all().delete()
    keys = [(HEARTH_ID, "7.1", "", "critical"), (LUMEN_ID, "7.1", "", "critical")]
    base = int(datetime(2026, 3, 1, tzinfo=UTC).timestamp()) * 1_000_000
    key = np.array([0, 0, 0, 1], np.int64)
    ts = np.array([base, base + 60_000_000, base + HOUR, base + HOUR], np.int64)
    assert load_traffic_summary(demo["dcc"], summarise(key, ts, keys, HOUR, HOUR), 3600,
                                3600) == 3
    record_decisions(demo["dcc"], [
        DecisionRow("p1", datetime.now(UTC), HEARTH_ID, "6.17", "", "DELETE", "limit")])
    return demo


def url(user_id):
    return f"/adt/charts/traffic/?user_id={user_id}&srv=7.1&command=&counter=critical"


def test_a_party_charts_its_own_user_ids_only(charted, client_for):
    hearth = client_for("rep-HEARTH")
    page = hearth.get(url(HEARTH_ID))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'role="img"' in body and "<title" in body and 'id="traffic-table"' in body
    assert "<polyline" in body
    assert hearth.get(url(LUMEN_ID)).status_code == 404
    listing = hearth.get("/adt/charts/").content.decode()
    assert HEARTH_ID in listing and LUMEN_ID not in listing


@pytest.mark.parametrize("who", ["dcc", "secas"])
def test_the_dcc_and_secas_chart_every_key(charted, client_for, who):
    client = client_for(who)
    assert client.get(url(HEARTH_ID)).status_code == 200
    assert client.get(url(LUMEN_ID)).status_code == 200


def test_the_ssc_sees_the_desk_per_day_without_user_ids(charted, client_for):
    client = client_for("ssc-member")
    assert client.get(url(HEARTH_ID)).status_code == 404
    body = client.get("/adt/charts/").content.decode()
    assert 'id="per-day-chart"' in body and "without User IDs" in body
    assert HEARTH_ID not in body and LUMEN_ID not in body and 'id="per-party"' not in body


def test_the_cli_summarises_and_loads(charted, tmp_path, capsys):
    from secassure.anomaly.cli import run_command
    traffic = tmp_path / "t.csv"
    traffic.write_text("id,ts,user_id,srv,critical,encrypted,smets1,value\n"
                       f"a,2026-04-01T10:00:00Z,{HEARTH_ID},7.1,1,0,0,\n"
                       f"b,2026-04-01T10:30:00Z,{HEARTH_ID},7.1,1,0,0,\n")
    assert run_command(["summary", str(traffic), "--window", "3600", "--out",
                        str(tmp_path / "s.csv"), "--load"]) == 0
    assert (tmp_path / "s.csv").read_text().splitlines() == [
        "user_id,srv,command,counter,bucket_start,communications,peak",
        f"{HEARTH_ID},7.1,,critical,2026-04-01T10:00:00Z,2,2"]
    assert "1 traffic bucket loaded" in capsys.readouterr().err
    traffic.write_text("id,ts,user_id,srv,critical,encrypted\nx,2026-04-01T10:00:00Z,U,,1,0\n")
    assert run_command(["summary", str(traffic), "--load"]) == 2
    assert "line 2, field 'srv'" in capsys.readouterr().err


def test_the_dcc_loads_a_summary_on_the_charts_page(charted, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    traffic = ("id,ts,user_id,srv,critical,encrypted,smets1,value\n"
               f"a,2026-05-01T10:00:00Z,{HEARTH_ID},7.2,1,0,0,\n")
    form = {"traffic": SimpleUploadedFile("t.csv", traffic.encode()), "window": 3600,
            "bucket": 3600}
    assert client_for("rep-HEARTH").post("/adt/charts/load/", form).status_code == 403
    form["traffic"].seek(0)
    assert client_for("dcc").post("/adt/charts/load/", form).status_code == 302
    assert TrafficBucket.objects.filter(srv="7.2", starts__month=5).count() == 1
    bad = client_for("dcc").post("/adt/charts/load/", {"traffic": SimpleUploadedFile(
        "t.csv", b"id,ts,user_id,srv,critical,encrypted\nx,2026-05-01T10:00:00Z,U,7.2,5,0\n"),
        "window": 3600, "bucket": 3600})
    assert bad.status_code == 400 and "traffic, line 2, field &#x27;critical&#x27;" in \
        bad.content.decode()
