"""The exception and deletion flows in a real headless Chromium (G6.1(a)(i), G6.6A,
G6.1(a)(ii), G6.1(d)(i)): HEARTH's representative submits a signed threshold file carrying an
exception through the submit page and finds it on the threshold's page; the DCC loads a run
whose decisions delete one of HEARTH's SMETS1 Service Requests, the desk shows it read-only,
HEARTH's people find the notice and the deletion, LUMEN's see nothing of them."""
import json
from pathlib import Path

import pytest

from secassure.adt.signing import sign
from secassure.anomaly.demo import demo_private_key, load_anomaly_demo
from secassure.anomaly.models import Threshold, ThresholdException
from tests.conftest import TODAY

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HEARTH_ID = "90-B3-D5-1F-30-00-0A-00"


@pytest.fixture
def browser(browser_ready):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


def sign_in(browser, live_server, username, then="/adt/quarantine/"):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{then}")
    return page


def rows(page, table):
    return page.locator(f"#{table} tbody tr[data-communication]").evaluate_all(
        "rows => rows.map(r => r.dataset.communication)")


def test_an_exception_submitted_in_a_signed_file_shows_on_the_threshold_page(
        browser_ready, live_server, demo, browser, tmp_path):
    if not Threshold.objects.exists():
        load_anomaly_demo(demo, TODAY)
    threshold = Threshold.objects.get(user_id__value=HEARTH_ID, srv__srv="4.1.1",
                                      counter="encrypted")
    document = tmp_path / "HEARTH-exception.json"
    document.write_text(json.dumps({
        "format": "secassure-thresholds/1", "id": "HEARTH-browser-exception", "party": "HEARTH",
        "exceptions": [{"user_id": HEARTH_ID, "srv": "4.1.1", "counter": "encrypted",
                        "from": "2027-01-04T00:00:00Z", "to": "2027-01-06T00:00:00Z",
                        "warning": None, "quarantine": 4321}]}))
    signature = tmp_path / "HEARTH-exception.json.sig"
    signature.write_bytes(sign(document.read_bytes(), demo_private_key("HEARTH")))

    hearth = sign_in(browser, live_server, "rep-HEARTH", then="/adt/submit/")
    hearth.set_input_files("input[name=content]", str(document))
    hearth.set_input_files("input[name=signature]", str(signature))
    hearth.click("#submit-form button[type=submit]")
    hearth.wait_for_url("**/adt/party/HEARTH/")
    assert "4321" in hearth.locator("#exceptions").inner_text()
    hearth.goto(f"{live_server.url}/adt/thresholds/{threshold.pk}/")
    text = hearth.locator("#exceptions").inner_text()
    assert "2027-01-04 00:00" in text and "2027-01-06 00:00" in text and "4321" in text
    assert "HEARTH-browser-exception" in text
    assert ThresholdException.objects.filter(threshold=threshold, quarantine=4321).exists()


def test_a_deletion_loaded_by_the_dcc_reaches_its_owner_only(
        browser_ready, live_server, demo, browser, tmp_path):
    if not Threshold.objects.exists():
        load_anomaly_demo(demo, TODAY)
    traffic = tmp_path / "traffic.csv"
    traffic.write_text("id,ts,user_id,srv,critical,encrypted,smets1,value\n"
                       f"bx-1,2026-03-01T10:00:00Z,{HEARTH_ID},6.17,1,0,1,99999\n"
                       f"bx-2,2026-03-01T10:00:01Z,{HEARTH_ID},7.1,1,0,0,\n")
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("id,decision,warning,reason\nbx-1,DELETE,0,limit\nbx-2,PROCESS,0,\n")

    dcc = sign_in(browser, live_server, "dcc")
    dcc.set_input_files("input[name=traffic]", str(traffic))
    dcc.set_input_files("input[name=decisions]", str(decisions))
    dcc.click("form[action$='/quarantine/load/'] button[type=submit]")
    dcc.wait_for_url("**/adt/quarantine/")
    assert "1 deletion loaded" in dcc.locator(".messages").inner_text()
    assert "bx-1" in rows(dcc, "deleted")
    assert "bx-1" not in rows(dcc, "queue")

    hearth = sign_in(browser, live_server, "rep-HEARTH")
    assert "bx-1" in rows(hearth, "deleted")
    row = hearth.locator("#deleted tr[data-communication=bx-1]")
    assert "deleted by the DCC (G6.1(d)(i))" in row.inner_text() and "limit" in row.inner_text()
    assert row.locator("input, select").count() == 0          # read-only: nothing to tick
    notice = hearth.locator("#notices tbody tr").first
    assert "1" in notice.inner_text()
    notice.locator("a").click()
    hearth.wait_for_url("**/adt/quarantine/?notice=*")
    assert rows(hearth, "deleted") == ["bx-1"]

    lumen = sign_in(browser, live_server, "rep-LUMEN")
    assert "bx-1" not in rows(lumen, "deleted")
    assert "bx-1" not in lumen.content()
