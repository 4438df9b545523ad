"""The quarantine desk in a real headless Chromium (G6.1(a)(iii), G6.6A): HEARTH's
representative ticks two of its quarantined communications, downloads the instruction, signs it
offline with HEARTH's key, uploads file and signature, and sees them leave the queue; then the
DCC sees the remaining queue of every party with its age."""
from pathlib import Path

import pytest

from secassure.adt.signing import sign
from secassure.anomaly.demo import demo_private_key, load_anomaly_demo
from secassure.anomaly.models import QuarantinedCommunication, Threshold
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


def sign_in(browser, live_server, username):
    page = browser.new_context(accept_downloads=True).new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/adt/quarantine/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/adt/quarantine/")
    return page


def queue(page) -> list[str]:
    return page.locator("#queue tbody tr[data-communication]").evaluate_all(
        "rows => rows.map(r => r.dataset.communication)")


def test_the_owner_signs_an_exit_instruction_and_the_dcc_sees_the_rest(
        browser_ready, live_server, demo, browser, tmp_path):
    if not Threshold.objects.exists():
        load_anomaly_demo(demo, TODAY)
    hearth = sign_in(browser, live_server, "rep-HEARTH")
    assert queue(hearth) == [f"demo-q{n:02d}" for n in range(6, 0, -1)]  # oldest first
    assert hearth.locator("#queue td.age").first.inner_text().startswith("3")  # 3 days

    hearth.check("input[name=pick][value=demo-q01]")
    hearth.check("input[name=pick][value=demo-q02]")
    hearth.select_option("select[name=action-demo-q02]", "delete")
    hearth.click("#prepare")
    assert "ready to sign" in hearth.locator("#instruction").inner_text()
    with hearth.expect_download() as download:
        hearth.click("#download")
    instruction = tmp_path / download.value.suggested_filename
    download.value.save_as(instruction)
    signature = tmp_path / f"{instruction.name}.sig"
    signature.write_bytes(sign(instruction.read_bytes(), demo_private_key("HEARTH")))

    hearth.goto(f"{live_server.url}/adt/submit/")
    hearth.set_input_files("input[name=content]", str(instruction))
    hearth.set_input_files("input[name=signature]", str(signature))
    hearth.click("#submit-form button[type=submit]")
    hearth.wait_for_url("**/adt/quarantine/")
    assert "Applied HEARTH-exit-" in hearth.locator(".messages").inner_text()
    assert queue(hearth) == ["demo-q06", "demo-q05", "demo-q04", "demo-q03"]
    assert dict(QuarantinedCommunication.objects.filter(
        communication_id__in=["demo-q01", "demo-q02"]).values_list("communication_id",
                                                                   "status")) == {
        "demo-q01": "processed", "demo-q02": "deleted"}

    dcc = sign_in(browser, live_server, "dcc")
    assert sorted(queue(dcc)) == ["demo-q03", "demo-q04", "demo-q05", "demo-q06",
                                  "demo-q07", "demo-q08", "demo-q09", "demo-q10"]
    overview = dcc.locator("#overview tbody tr").all_inner_texts()
    assert [row.split("\t")[:2] for row in overview] == [["HEARTH", "4"], ["LUMEN", "4"]]
    ages = dcc.locator("#queue td.age").all_inner_texts()
    assert len(ages) == 8 and all(age.strip() for age in ages)
    assert dcc.locator("input[name=pick]").count() == 0  # the DCC does not sign for Users
