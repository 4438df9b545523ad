"""Consultation and notification of thresholds in a real headless Chromium.

G6.7(b): the DCC proposes a threshold, the SSC gives its opinion, then the DCC sets it (it
cannot before). G6.9: HEARTH's representative consults the DCC on a level, the DCC answers,
HEARTH sets the level by signed file and the register shows the DCC's opinion beside it.
G6.8(b): that signed file appears in the SSC's feed by party and User Role, without its User ID.
"""
import json
from pathlib import Path

import pytest

from secassure.adt.signing import sign
from secassure.anomaly.demo import HEARTH_ID, demo_private_key, load_anomaly_demo
from secassure.anomaly.models import DccProposal, Threshold, UserConsultation
from secassure.registry.models import UserId
from tests.conftest import TODAY

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser(browser_ready):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


def sign_in(browser, live_server, username, landing):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={landing}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{landing}")
    return page


def test_propose_opinion_set_and_consult_then_notify(browser_ready, live_server, demo, browser,
                                                     tmp_path):
    if not Threshold.objects.exists():
        load_anomaly_demo(demo, TODAY)

    # G6.7(b): the DCC proposes ...
    dcc = sign_in(browser, live_server, "dcc", "/adt/proposals/")
    dcc.fill("#propose input[name=srv]", "7.3")
    dcc.select_option("#propose select[name=counter]", "critical")
    dcc.fill("#propose input[name=quarantine]", "900")
    dcc.fill("#propose input[name=warning]", "800")
    dcc.click("#propose button[type=submit]")
    dcc.wait_for_url("**/adt/proposals/*/")
    proposal = DccProposal.objects.get(srv__srv="7.3")
    assert dcc.locator("#state").get_attribute("data-state") == "proposed"
    assert dcc.locator("#set-threshold").count() == 0  # not before the SSC's opinion

    # ... the SSC gives its opinion ...
    ssc = sign_in(browser, live_server, "ssc-member", f"/adt/proposals/{proposal.pk}/")
    ssc.fill("#give-opinion textarea[name=text]", "900 fits the volumes reported.")
    ssc.fill("#give-opinion input[name=level]", "900")
    ssc.click("#give-opinion button[type=submit]")
    ssc.wait_for_load_state()
    assert ssc.locator("#state").get_attribute("data-state") == "opinion_given"
    assert "900 fits the volumes" in ssc.locator("#opinion").inner_text()

    # ... then the DCC sets it.
    dcc.reload()
    dcc.fill("#set-threshold textarea[name=account]", "as the SSC advised")
    dcc.click("#set-threshold button[type=submit]")
    dcc.wait_for_load_state()
    assert dcc.locator("#state").get_attribute("data-state") == "set"
    assert Threshold.objects.get(user_id=None, srv__srv="7.3").quarantine == 900

    # G6.9: HEARTH consults the DCC on 11.3 before setting it ...
    hearth = sign_in(browser, live_server, "rep-HEARTH", "/adt/consultations/")
    hearth.select_option("#consult select[name=user_id]", HEARTH_ID)
    hearth.fill("#consult input[name=srv]", "11.3")
    hearth.select_option("#consult select[name=counter]", "critical")
    hearth.fill("#consult input[name=quarantine]", "25")
    hearth.click("#consult button[type=submit]")
    hearth.wait_for_url("**/adt/consultations/*/")
    consultation = UserConsultation.objects.get(srv__srv="11.3")
    assert hearth.locator("#dcc-opinion").get_attribute("data-state") == "asked"

    # ... the DCC answers ...
    dcc.goto(f"{live_server.url}/adt/consultations/{consultation.pk}/")
    dcc.fill("#answer textarea[name=text]", "20 detects a Compromise of your systems sooner.")
    dcc.fill("#answer input[name=level]", "20")
    dcc.click("#answer button[type=submit]")
    dcc.wait_for_load_state()
    assert dcc.locator("#dcc-opinion").get_attribute("data-state") == "answered"
    hearth.reload()
    assert "Appropriate level: 20" in hearth.locator("#dcc-opinion").inner_text()

    # ... HEARTH sets it by signed file; the register shows the opinion beside the level.
    identifier = "HEARTH-browser-consulted"
    content = json.dumps({"format": "secassure-thresholds/1", "id": identifier,
                          "party": "HEARTH", "thresholds": [
                              {"user_id": HEARTH_ID, "srv": "11.3", "counter": "critical",
                               "warning": None, "quarantine": 20}]}).encode()
    (tmp_path / "t.json").write_bytes(content)
    (tmp_path / "t.json.sig").write_bytes(sign(content, demo_private_key("HEARTH")))
    hearth.goto(f"{live_server.url}/adt/submit/")
    hearth.set_input_files("input[name=content]", str(tmp_path / "t.json"))
    hearth.set_input_files("input[name=signature]", str(tmp_path / "t.json.sig"))
    hearth.click("#submit-form button[type=submit]")
    hearth.wait_for_load_state()
    hearth.goto(f"{live_server.url}/adt/?party=HEARTH&srv=11.3")
    assert "DCC advised 20" in hearth.locator("table.adt tbody").inner_text()
    hearth.goto(f"{live_server.url}/adt/?party=HEARTH&srv=4.8.1")
    assert "not consulted" in hearth.locator("table.adt tbody").inner_text()

    # G6.8(b): the SSC's feed shows the file by party and User Role, not its User ID.
    ssc.goto(f"{live_server.url}/adt/notices/")
    newest = ssc.locator("#feed tbody tr").first.inner_text()
    assert "HEARTH" in newest and "Import Supplier" in newest and identifier in newest
    page = ssc.content()
    for value in UserId.objects.values_list("value", flat=True):
        assert value not in page, value
