"""The committee's meeting in a real browser (headless Chromium against a live server), as the
issue's "Done means": the secretariat prepares an agenda (items, a paper), a member declares a
conflict and no longer sees that item's papers, the SSC records a decision through the
workflow (a self-assessment noted, G7.20(b)), the meeting is held and the day's decision
attached, the minutes are drafted and approved at the next meeting, and the headlines are
published with the decision counted."""
import os
from datetime import timedelta

import pytest

from secassure.assurance.models import Assessment
from secassure.committee.models import Minutes
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
        return page

    yield open_as
    for context in contexts:
        context.close()


def submit(page, form: str, fields: dict | None = None):
    section = page.locator(form)
    for selector, value in (fields or {}).items():
        field = section.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        elif field.get_attribute("type") == "checkbox":
            field.check()
        else:
            field.fill(value)
    section.locator("button[type=submit]").first.click()
    page.wait_for_load_state("load")


def test_a_meeting_from_agenda_to_published_headlines(sign_in, live_server, tmp_path):
    secas = sign_in("secas")
    secas.goto(f"{live_server.url}/committee/")
    submit(secas, "#schedule form", {"select[name=body]": "ssc", "input[name=number]": "300",
                                     "input[name=date]": TODAY.isoformat()})
    meeting_url = secas.url
    submit(secas, "#add-item form", {"input[name=title]": "SEC Section G3.20",
                                     "select[name=classification]": "AMBER",
                                     "textarea[name=headline]": "SECAS presented the change.",
                                     "input[name=publish]": True})
    submit(secas, "#add-item form", {"input[name=title]": "Assessment outcomes",
                                     "select[name=classification]": "RED"})
    assert "2. SEC Section G3.20" in secas.content()
    outcomes = secas.locator("li", has_text="3. Assessment outcomes").first
    outcomes.locator("summary", has_text="Add a paper").click()
    paper = tmp_path / "outcomes.txt"
    paper.write_text("the outcomes")
    form = outcomes.locator("form.paper-form")
    form.locator("input[name=title]").fill("Outcomes paper")
    form.locator("input[type=file]").set_input_files(str(paper))
    form.locator("button[type=submit]").click()
    secas.wait_for_load_state("load")
    assert "Outcomes paper" in secas.content()

    member = sign_in("ssc-member")
    member.goto(meeting_url)
    assert "Outcomes paper" in member.content()
    member.get_by_role("button", name="Declare a conflict on item 3").click()
    member.wait_for_load_state("load")
    assert "papers are withheld from you" in member.content()
    assert "Outcomes paper" not in member.content()

    orbit = Assessment.objects.get(party__party_id="ORBIT", stage="ssa_reviewed")
    member.goto(f"{live_server.url}/assurance/{orbit.pk}/")
    member.locator("#act-note-self-assessment button[type=submit]").first.click()
    member.wait_for_load_state("load")
    assert Assessment.objects.get(pk=orbit.pk).decisions.filter(
        kind="self_assessment_noted").exists()

    secas.goto(meeting_url)
    submit(secas, "#attendance-form", {"input[name=name]": "Sasha Committee"})
    submit(secas, "#hold-form")
    submit(secas, "#attach-form")
    assert "ORBIT: Self-assessment noted" in secas.content()
    submit(secas, "#minutes-form")
    assert "Confidential Meeting Minutes" in secas.content()

    secas.goto(f"{live_server.url}/committee/")
    submit(secas, "#schedule form", {"select[name=body]": "ssc", "input[name=number]": "301",
                                     "input[name=date]": (TODAY + timedelta(days=1))
                                     .isoformat()})
    submit(secas, "#approve-form")
    assert Minutes.objects.get(meeting__number=300).approved_at.number == 301

    secas.goto(meeting_url + "headlines/")
    text = secas.locator("#document").inner_text().replace("*", "")
    assert f"Headlines of the Security Sub-Committee (SSC) 300_{TODAY:%d%m}" in text
    assert "Security Self-Assessment" in text
    assert "2. SEC Section G3.20: SECAS presented the change. (AMBER)" in text
    assert "ORBIT" not in text
    with secas.expect_download() as download:
        secas.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
