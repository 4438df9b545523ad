"""Notices in a real browser (headless Chromium against a live server), through the real forms:

1. The SSC's authorisation gate (G3.9(a)): a User notifies a new system, may not mark it
   operational (refused, 409), the SSC authorises it, then the User marks it operational.
2. The six-monthly count of Smart Metering Systems (G5.27(b)) with its reminder: the count
   due within the reminder period is shown as such; the User notifies the count through the
   form and the next falls due six months later, with no reminder.
"""
import os
from datetime import timedelta

import pytest

from secassure.notices.models import Notice, SmsCount
from secassure.notices.rules import next_count_due
from tests.conftest import TODAY

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium at /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser(browser_ready):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def sign_in(browser, live_server, browser_ready, demo):
    """A fresh browser context signed in through the login form as the named demo login."""
    contexts = []

    def open_as(username):
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "demo")
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        assert "Sign out" in page.content()
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_the_sscs_authorisation_gate_for_a_new_system(sign_in, live_server):
    user = sign_in("rep-NEWCO")
    user.goto(f"{live_server.url}/notices/new/new_system/")
    user.fill("#id_title", "Smart prepayment platform")
    user.fill("#id_description", "A new platform sending Critical Service Requests.")
    user.fill("#id_event_on", (TODAY + timedelta(days=21)).isoformat())
    user.fill("#id_purpose", "Prepayment top-ups")
    user.fill("#id_relationship", "Behind the DCC adapter; reads the CRM")
    user.click("#notice-form button[type=submit]")
    user.wait_for_url(lambda url: "/notices/new/" not in url)
    notice = Notice.objects.get(title="Smart prepayment platform")
    assert notice.clause == "G3.9(a)" and "Filed" in user.locator("#notice-state").inner_text()

    # G3.9(a)(iii): not operational until the SSC authorises it
    user.fill("form[action$='/operational/'] input[name=on]", TODAY.isoformat())
    with user.expect_response(lambda r: r.url.endswith("/operational/")) as answer:
        user.click("#mark-operational")
    assert answer.value.status == 409
    assert "until the SSC has authorised it" in user.content()
    notice.refresh_from_db()
    assert notice.operational_on is None

    ssc = sign_in("ssc-member")
    ssc.goto(f"{live_server.url}/notices/review/")
    ssc.click(f"a[href='/notices/{notice.pk}/']")
    ssc.click("#review-authorise")
    ssc.wait_for_load_state("load")
    assert "Authorised" in ssc.locator("#notice-state").inner_text()

    user.goto(f"{live_server.url}/notices/{notice.pk}/")
    user.fill("form[action$='/operational/'] input[name=on]", TODAY.isoformat())
    user.click("#mark-operational")
    user.wait_for_load_state("load")
    assert "without" not in user.locator("#operational").inner_text()
    notice.refresh_from_db()
    assert (notice.state, notice.operational_on) == ("authorised", TODAY)


def test_the_six_monthly_count_and_its_reminder(sign_in, live_server):
    last = SmsCount.objects.filter(party__party_id="KESTREL").latest("reported_on")
    days = (next_count_due(last.reported_on) - TODAY).days
    ssc = sign_in("ssc-member")
    ssc.goto(f"{live_server.url}/notices/counts/")
    row = ssc.locator("#count-KESTREL")
    assert f"reminder: due in {days} days" in row.inner_text()
    assert "overdue" in ssc.locator("#count-MERIDIAN").inner_text()

    user = sign_in("rep-KESTREL")
    user.goto(f"{live_server.url}/notices/counts/")
    assert "reminder" in user.locator("#count-KESTREL").inner_text()
    user.select_option("#id_party", "KESTREL")
    user.fill("#id_count", "51234")
    user.fill("#id_reported_on", TODAY.isoformat())
    user.click("#count-form button[type=submit]")
    user.wait_for_load_state("load")
    row = user.locator("#count-KESTREL").inner_text()
    assert "51234" in row and "reminder" not in row
    assert f"{next_count_due(TODAY):%-d %b %Y}" in row
