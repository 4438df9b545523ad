"""Notices in a real browser (headless Chromium against a live server), through the real forms:

1. The SSC's authorisation gate (G3.9(a)): a User notifies a new system, may not mark it
   operational (refused, 409), the SSC authorises it, then the User marks it operational.
2. The six-monthly count of Smart Metering Systems (G5.27(b)) with its reminder: the count
   due within the reminder period is shown as such; the User notifies the count through the
   form and the next falls due six months later, with no reminder.
3. Every other notice, filed through its form by the party's own person, reviewed by the SSC
   on the notice's page (noted at a meeting, questioned and answered, actioned, refused) and
   closed where it has a close: a Major Security Incident with an update, a material
   vulnerability with its steps completed, a decommissioning, a Shared Resources notice
   (G5.26), a refused arrangement (G10.3), a change of provider (the register's provider link
   moves only when the SSC notes it, G10.2), a provider's list of Users (G10.4), a CPL entry
   with its CPA certificate, and a CPA Certificate Remedial Plan (G8.64) with its review.

One Chromium per module (each test opens its own contexts); the demo is loaded for each test.
"""
import os
from datetime import timedelta

import pytest

from secassure.notices.models import CplEntry, Notice, ProviderList, RemedialPlan, SmsCount
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


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module. Django may be used from the thread where Playwright's sync
    API runs its event loop, for this module only (browser_ready does it per test; the
    fixtures that load and flush the demo run between tests, while the browser is open)."""
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                  args=ARGS)
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


# -- helpers: file through the form, act on the notice's page --------------------------------

def _submit(page, button):
    with page.expect_navigation():
        page.click(button)


def file_notice(page, url, kind, title, **fields):
    """Fill the form of `kind` (its fields by name: text, or a select's value) and file it; the
    notice filed, the page on it."""
    page.goto(f"{url}/notices/new/{kind}/")
    page.fill("#id_title", title)
    page.fill("#id_description", f"{title}: what happened and what was done.")
    for name, value in fields.items():
        field = page.locator(f"#id_{name}")
        if value is True:
            field.check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(str(value))
        else:
            field.fill(str(value))
    _submit(page, "#notice-form button[type=submit]")
    notice = Notice.objects.get(title=title)
    assert page.url.endswith(f"/notices/{notice.pk}/"), page.url
    assert "Filed" in page.locator("#notice-state").inner_text()
    return notice


def act(page, url, notice, action, text=""):
    """One action on the notice's page (a review action, or the party's update), then the
    notice's state as the page says it."""
    page.goto(f"{url}/notices/{notice.pk}/")
    form = f"form[action$='/{action}/']"
    if text:
        page.fill(f"{form} [name=text]", text)
    _submit(page, f"{form} button[type=submit]")
    assert page.url.endswith(f"/notices/{notice.pk}/"), page.url
    return page.locator("#notice-state").inner_text()


def timeline(page):
    return page.locator("ol.timeline").inner_text()


def note_at_a_meeting(page, url, notice):
    """The SSC notes the notice at its latest meeting (the first offered)."""
    page.goto(f"{url}/notices/{notice.pk}/")
    meeting = page.locator("form[action$='/note/'] select[name=meeting_id] option").nth(1)
    page.select_option("form[action$='/note/'] select[name=meeting_id]",
                       meeting.get_attribute("value"))
    _submit(page, "#review-note")
    return page.locator("#notice-state").inner_text()


def days(n):
    return (TODAY + timedelta(days=n)).isoformat()


def test_a_major_security_incident_with_an_update_questioned_answered_noted_closed(
        sign_in, live_server):
    url = live_server.url
    user = sign_in("rep-HEARTH")
    notice = file_notice(user, url, "incident", "Ransomware on a billing server",
                         event_on=days(-1), systems="Billing server 3")
    assert act(user, url, notice, "update", "Server isolated; restored from backup.") \
        == "Filed"
    ssc = sign_in("ssc-member")
    assert act(ssc, url, notice, "question", "Were User IDs exposed?") == "Questioned"
    assert act(user, url, notice, "update", "No: the keys are in the HSM.") == "Filed"
    assert "Answer" in timeline(user)
    assert "Noted (noted at" in note_at_a_meeting(ssc, url, notice)
    assert act(ssc, url, notice, "close", "Contained.").startswith("Closed")
    user.goto(f"{url}/notices/{notice.pk}/")
    assert user.locator("form[action$='/update/']").count() == 0  # nothing more is filed
    assert "Closed" in timeline(user) and "Server isolated" in timeline(user)


def test_the_dccs_smets1_csp_incident_seen_by_the_panel_noted_and_closed_g2_11(sign_in,
                                                                                live_server):
    url = live_server.url
    dcc = sign_in("dcc")
    notice = file_notice(dcc, url, "incident", "SMETS1 CSP certificates misissued",
                         event_on=days(-2), smets1_csp=True)
    assert notice.clause == "G2.11(b)"
    assert "as soon as reasonably practicable" in dcc.locator("#notice-clock").inner_text()
    panel = sign_in("panel-member")  # G2.11: the Panel is told of the DCC's incidents
    panel.goto(f"{url}/notices/{notice.pk}/")
    assert "SMETS1 CSP certificates misissued" in panel.locator("h1").inner_text()
    assert panel.locator("#review-note").count() == 0  # the SSC reviews, not the Panel
    ssc = sign_in("ssc-member")
    assert "Noted" in note_at_a_meeting(ssc, url, notice)
    assert act(ssc, url, notice, "close", "CSP re-keyed.").startswith("Closed")


def test_a_material_vulnerability_with_its_steps_completed_actioned_closed(sign_in,
                                                                           live_server):
    url = live_server.url
    incident = Notice.objects.get(party__party_id="LUMEN", kind="incident")
    user = sign_in("rep-LUMEN")
    notice = file_notice(user, url, "vulnerability", "Weak signing keys on the adapter",
                         event_on=days(-3), manufacturer="notified", steps="Rotate the keys.",
                         complete_by=days(7), incident=incident.pk)
    assert notice.incident == incident and "To be completed by" in user.content()
    user.fill("form[action$='/complete/'] input[name=on]", TODAY.isoformat())
    _submit(user, "form[action$='/complete/'] button[type=submit]")
    assert "completed" in user.locator("table.facts").inner_text()
    ssc = sign_in("ssc-member")
    assert act(ssc, url, notice, "action", "Ask the CIO to check the rotation.") == "Filed"
    assert "Actioned" in timeline(ssc)
    assert act(ssc, url, notice, "close") == "Closed"
    notice.refresh_from_db()
    assert (notice.completed_on, notice.state) == (TODAY, "closed")


def test_a_decommissioning_noted_and_closed(sign_in, live_server):
    url = live_server.url
    user = sign_in("rep-KESTREL")
    notice = file_notice(user, url, "decommissioning", "Retire the old head-end",
                         event_on=days(30))
    assert notice.clause == "G3.9(c)"
    ssc = sign_in("ssc-member")
    assert "Noted" in note_at_a_meeting(ssc, url, notice)
    assert act(ssc, url, notice, "close").startswith("Closed")


def test_a_shared_resources_notice_noted_and_closed_another_refused_g10_3(sign_in,
                                                                         live_server):
    url = live_server.url
    user = sign_in("rep-KESTREL")
    hosting = file_notice(user, url, "shared_resources", "Hosting with GridShare",
                          event_on=TODAY.isoformat(), provider="GRIDSHARE",
                          provider_contact="ops@gridshare.example", services="Hosting")
    assert hosting.clause == "G5.26" and "GRIDSHARE" in user.content()
    pooled = file_notice(user, url, "shared_resources", "Pooled HSM with GridShare",
                         event_on=TODAY.isoformat(), provider="GRIDSHARE",
                         provider_contact="ops@gridshare.example", services="Key custody")
    ssc = sign_in("ssc-member")
    assert "Noted" in note_at_a_meeting(ssc, url, hosting)
    assert act(ssc, url, hosting, "close").startswith("Closed")
    assert act(ssc, url, pooled, "refuse", "Key custody may not be shared (G10.3).") \
        == "Refused"
    assert ssc.locator("#review-note").count() == 0  # the SSC's review is over
    user.goto(f"{url}/notices/{pooled.pk}/")
    assert "Key custody may not be shared" in timeline(user)


def test_a_change_of_provider_moves_the_register_link_only_when_the_ssc_notes_it(
        sign_in, live_server):
    url = live_server.url

    def provider_on_the_party_page(page):
        page.goto(f"{url}/register/HEARTH/")
        return page.locator("dt:text-is('Shared Resource Provider') + dd").inner_text()

    user = sign_in("rep-HEARTH")
    assert "CLOUDVAULT" in provider_on_the_party_page(user)
    notice = file_notice(user, url, "provider_change", "Moving to GridShare",
                         event_on=TODAY.isoformat(), provider="GRIDSHARE",
                         provider_contact="ops@gridshare.example", services="Hosting")
    assert "CLOUDVAULT" in provider_on_the_party_page(user)  # filed, not yet with the SSC
    ssc = sign_in("ssc-member")
    assert act(ssc, url, notice, "question", "From which date?") == "Questioned"
    assert "CLOUDVAULT" in provider_on_the_party_page(user)
    assert act(user, url, notice, "update", "From today.") == "Filed"
    assert "Noted" in note_at_a_meeting(ssc, url, notice)
    assert "GRIDSHARE" in provider_on_the_party_page(user)
    assert "GRIDSHARE" in provider_on_the_party_page(ssc)
    assert act(ssc, url, notice, "close").startswith("Closed")
    assert "GRIDSHARE" in provider_on_the_party_page(user)  # closing leaves the link as noted


def test_a_providers_list_of_users_becomes_the_sscs_current_copy_g10_4(sign_in,
                                                                      live_server):
    url = live_server.url
    provider = sign_in("rep-GRIDSHARE")
    provider.goto(f"{url}/notices/providers/")
    provider.select_option("#id_provider", "GRIDSHARE")
    provider.select_option("#id_users", ["FENWAY", "KESTREL", "MERIDIAN"])
    _submit(provider, "main form[method=post] button[type=submit]")
    newest = ProviderList.objects.filter(provider__party_id="GRIDSHARE").latest("id")
    assert sorted(newest.users.values_list("party_id", flat=True)) == [
        "FENWAY", "KESTREL", "MERIDIAN"]
    ssc = sign_in("ssc-member")
    ssc.goto(f"{url}/notices/providers/")
    row = ssc.locator("tr", has_text="GRIDSHARE").first.inner_text()
    assert "FENWAY, KESTREL, MERIDIAN" in row and f"{TODAY:%-d %b %Y}" in row


def test_a_cpl_entry_its_certificate_and_a_remedial_plan_reviewed_g8_64(sign_in,
                                                                       live_server):
    url = live_server.url
    secas = sign_in("secas")
    secas.goto(f"{url}/notices/cpl/")
    secas.fill("#id_manufacturer", "Gamma Meters")
    secas.fill("#id_model_hex", "0x0C3D")
    secas.fill("#id_firmware_version", "0302")
    secas.fill("#id_firmware_sha256", "ab" * 32)
    secas.fill("#id_certificate", "CPA-2026-042")
    secas.fill("#id_certificate_expires", days(40))
    secas.select_option("#id_classification", "GREEN")
    _submit(secas, "form:has(#id_model_hex) button[type=submit]")
    entry = CplEntry.objects.get(certificate="CPA-2026-042")
    assert (entry.model_hex, entry.firmware_version) == ("0C3D", "0302")
    assert "CPA-2026-042 expires" in secas.locator(f"#cpl-{entry.pk}").inner_text()

    user = sign_in("rep-KESTREL")  # a Supplier Party: the GREEN entry is on its CPL page
    user.goto(f"{url}/notices/cpl/")
    _submit(user, f"#cpl-{entry.pk} a:text('File a remedial plan')")
    user.fill("#id_plan", "Replace the affected meters within 6 months.")
    user.fill("#id_review_by", days(20))
    _submit(user, "#plan-form button[type=submit]")
    plan = RemedialPlan.objects.get(entry=entry)
    assert "Waiting on the SSC" in user.locator("#plan-state").inner_text()

    ssc = sign_in("ssc-member")
    ssc.goto(f"{url}/notices/review/")
    _submit(ssc, f"#plans-waiting a[href='/notices/plans/{plan.pk}/']")
    ssc.check("input[name=outcome][value=changes]")
    ssc.fill("#id_reasons", "Name the meters and the dates.")
    _submit(ssc, "#plan-review button[type=submit]")
    assert "Changes asked" in ssc.locator("#plan-state").inner_text()

    user.goto(f"{url}/notices/plans/{plan.pk}/")
    assert "Name the meters" in user.locator("#plan-reasons").inner_text()
    _submit(user, "#plan-revise")
    user.fill("#id_plan", "Replace meters 1-40 by June and 41-80 by July.")
    user.fill("#id_review_by", days(20))
    _submit(user, "#plan-form button[type=submit]")
    revised = RemedialPlan.objects.filter(entry=entry).latest("id")
    assert revised.pk != plan.pk

    ssc.goto(f"{url}/notices/plans/{revised.pk}/")
    ssc.check("input[name=outcome][value=accept]")
    _submit(ssc, "#plan-review button[type=submit]")
    assert "Accepted" in ssc.locator("#plan-state").inner_text()
    assert ssc.locator("#plan-review").count() == 0
