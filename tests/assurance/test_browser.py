"""The whole flow in a real browser (headless Chromium against a live server), through the real
forms, each person signing in with the demo password in turn.

1. An initial Full assessment (G8.33) from its report (G8.22-G8.23) through the response
   (G8.24-G8.26) and the SSC's acceptance (G8.27(a)) to the Panel's 'approved, subject to'
   with a Follow-up by a date (G8.36(b)(ii)).
2. A Verification (G8.17) booked from the party's page, answered, varied by the SSC
   (G8.27(b)) and agreed by the party (G8.28), then a compliance status and a Remediation
   Plan with a Director's Letter approved by the SSC.
"""
import os
from datetime import timedelta

import pytest

from secassure.assurance.models import Assessment, RemediationPlan, Step
from tests.conftest import TODAY

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium at /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]


def day(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


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


def act(page, anchor: str, fields: dict | None = None, button: str | None = None):
    """Fill the form of one action (its section `#act-...`) and press its button."""
    section = page.locator(f"#{anchor}")
    for selector, value in (fields or {}).items():
        field = section.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        elif field.get_attribute("type") in ("radio", "checkbox"):
            field.check()
        else:
            field.fill(value)
    (section.get_by_role("button", name=button) if button
     else section.locator("p.act-button button")).click()
    page.wait_for_load_state("load")


def expect_text(page, text: str):
    from playwright.sync_api import expect
    expect(page.locator("main")).to_contain_text(text)


def test_an_initial_full_assessment_from_report_to_approved_subject_to(sign_in, live_server,
                                                                        tmp_path):
    newco = Assessment.objects.get(party__party_id="NEWCO", stage="booked")
    # The demo books NEWCO's fieldwork in two weeks; a report cannot end fieldwork before it
    # started (G8.22): here the fieldwork began a week ago.
    Assessment.objects.filter(pk=newco.pk).update(fieldwork_start=TODAY - timedelta(days=7))
    url = f"{live_server.url}/assurance/{newco.pk}/"

    # The assessor drafts the report (G8.22), with evidence, and issues it (G8.23).
    cio = sign_in("cio-assessor")
    cio.goto(url)
    act(cio, "act-record-finding", {"select[name=kind]": "non_compliance",
                                    "input[name=clause]": "G8.1", "input[name=title]": "Vetting",
                                    "textarea[name=evidence]": "No vetting records."})
    expect_text(cio, "G8.1 is outside G3, G4, G5, G6")  # G8.22(b)(i)
    act(cio, "act-record-finding", {"input[name=clause]": "G4.1"})
    expect_text(cio, "Finding 1 recorded in the draft report (G8.22)")
    finding = newco.findings.get()
    evidence = tmp_path / "vetting.txt"
    evidence.write_text("three administrators without records")
    cio.locator(f"#act-attach-evidence-{finding.pk} input[type=file]").set_input_files(
        str(evidence))
    act(cio, f"act-attach-evidence-{finding.pk}")
    expect_text(cio, "Evidence vetting.txt attached")
    act(cio, "act-issue-report", {"textarea[name=summary]": "Entry assessment of Newco.",
                                  "input[name=fieldwork_end]": TODAY.isoformat()})
    expect_text(cio, "Report issued to the SSC and the party (G8.23)")

    # The SSC sets the date for the response (G8.24).
    ssc = sign_in("ssc-member")
    ssc.goto(url)
    act(ssc, "act-set-response-due", {"input[name=due]": day(14)})
    expect_text(ssc, "Response due by")

    # The party answers; a proposed step without a date is refused, naming it (G8.26(c)).
    rep = sign_in("rep-NEWCO")
    rep.goto(url)
    expect_text(rep, "vetting.txt")
    form = rep.locator("#act-respond")
    form.locator(f"input[name=f{finding.pk}-accepted][value=accept]").check()
    form.locator("textarea[name$=-description]").first.fill("Vet the three administrators")
    form.get_by_role("button", name="Submit the response").click()
    rep.wait_for_load_state("load")
    expect_text(rep, "finding 1 (Vetting), step 1: give the date by which the proposed step "
                     "will be taken (G8.26(c))")
    form = rep.locator("#act-respond")
    form.locator("input[type=date]").first.fill(day(45))
    form.get_by_role("button", name="Add another step").click()  # htmx: in place
    from playwright.sync_api import expect
    expect(form.locator("tr.step-row")).to_have_count(2)
    form.locator("textarea[name$=-description]").nth(1).fill("Annual re-vetting policy")
    form.locator("select[name$=-when]").nth(1).select_option("taken")
    form.locator("textarea[name=summary]").fill("We accept the finding.")
    form.get_by_role("button", name="Submit the response").click()
    rep.wait_for_load_state("load")
    expect_text(rep, "Response submitted to the SSC and the assessor")

    # The SSC accepts the steps and timetable (G8.27(a)); the Panel sees the decision to take.
    ssc.goto(url)
    act(ssc, "act-accept-plan")
    expect_text(ssc, "Steps and timetable accepted")
    panel = sign_in("panel-member")
    panel.goto(f"{live_server.url}/assurance/attention/")
    expect(panel.locator("#assurance_status")).to_contain_text("NEWCO")
    panel.locator("#assurance_status tr", has_text="NEWCO").get_by_role("link").click()
    act(panel, "act-set-assurance-status", {
        "input[value=approved_subject_to]": "", "textarea[name=reason]":
        "Approved subject to the vetting steps, checked by a Follow-up.",
        "input[name=follow_up_by]": day(90)})
    expect_text(panel, "Assurance status set: Approved, subject to (G8.36(b))")
    expect_text(panel, "Follow-up Security Assessment")

    newco.refresh_from_db()
    assert newco.assurance_status == "approved_subject_to" and newco.status_set == TODAY
    assert newco.follow_ups.get().due.isoformat() == day(90)
    assert list(Step.objects.filter(finding=finding).values_list("status", flat=True)) == [
        "agreed", "taken"]


def test_a_verification_to_a_compliance_status_with_a_remediation_plan(sign_in, live_server,
                                                                       demo, tmp_path):
    # SECAS books it from the party's page (the schedule proposes the category, G8.40).
    secas = sign_in("secas")
    secas.goto(f"{live_server.url}/register/FENWAY/")
    secas.get_by_role("link", name="Book an assessment").click()
    secas.select_option("select[name=category]", "VUSA")
    secas.select_option("select[name=assessor]", str(demo["cio-assessor"].pk))
    secas.fill("input[name=fieldwork_start]", day(-10))
    secas.fill("input[name=fieldwork_end]", day(-3))
    secas.get_by_role("button", name="Book the assessment").click()
    secas.wait_for_load_state("load")
    expect_text(secas, "Booked: Verification User Security Assessment of FENWAY")
    vusa = Assessment.objects.get(party__party_id="FENWAY", stage="booked")
    url = f"{live_server.url}/assurance/{vusa.pk}/"

    cio = sign_in("cio-assessor")
    cio.goto(url)
    act(cio, "act-record-finding", {"select[name=kind]": "risk_increase",
                                    "input[name=title]": "New control room",
                                    "textarea[name=evidence]": "A second site since June."})
    act(cio, "act-issue-report", {"textarea[name=summary]": "Verification of Fenway."})
    expect_text(cio, "Report issued")
    ssc = sign_in("ssc-member")
    ssc.goto(url)
    act(ssc, "act-set-response-due", {"input[name=due]": day(21)})

    rep = sign_in("rep-FENWAY")
    rep.goto(url)
    form = rep.locator("#act-respond")
    form.locator("input[value=accept]").check()
    form.locator("textarea[name$=-description]").first.fill("Badge access at the new site")
    form.locator("input[type=date]").first.fill(day(120))
    form.get_by_role("button", name="Submit the response").click()
    rep.wait_for_load_state("load")
    expect_text(rep, "Response submitted")

    # The SSC finds 120 days too long and proposes a date (G8.27(b)); the party agrees (G8.28).
    ssc.goto(url)
    form = ssc.locator("#act-propose-alternative")
    form.locator("input[type=checkbox]").check()
    form.locator("input[type=date]").first.fill(day(60))
    form.locator("textarea[name=reason]").fill("Sixty days is enough for badge access.")
    form.get_by_role("button", name="Propose other steps or dates").click()
    ssc.wait_for_load_state("load")
    expect_text(ssc, "Other steps or dates proposed")
    rep.goto(url)
    act(rep, "act-agree-alternative")
    expect_text(rep, "the plan now binds you (G8.28)")

    # The SSC sets the compliance status; the party submits a Remediation Plan with its
    # Director's Letter; the SSC approves it.
    ssc.goto(url)
    act(ssc, "act-set-compliance-status", {
        "input[value=compliant_subject_to_plan]": "",
        "textarea[name=reason]": "Covered by the agreed steps and a plan."})
    expect_text(ssc, "Compliance status set: Compliant subject to an agreed remediation plan")
    letter = tmp_path / "directors-letter.pdf"
    letter.write_bytes(b"%PDF-1.4 signed")
    rep.goto(url)
    rep.locator("#act-submit-remediation-plan input[type=file]").set_input_files(str(letter))
    act(rep, "act-submit-remediation-plan", {
        "textarea[name=plan]": "Badge readers by February.",
        "input[name=director_name]": "Jo Director",
        "textarea[name=director_statement]": "I commit Fenway to this plan."})
    expect_text(rep, "Remediation Plan and Director's Letter submitted to the SSC")
    plan = RemediationPlan.objects.get(assessment=vusa)
    ssc.goto(f"{live_server.url}/assurance/attention/")
    from playwright.sync_api import expect
    expect(ssc.locator("#plans")).to_contain_text("FENWAY")
    ssc.goto(url)
    act(ssc, f"act-decide-plan-{plan.pk}", {"input[value=approve]": "",
                                            "textarea[name=comment]": "Approved."})
    expect_text(ssc, "Remediation Plan approved.")
    expect_text(ssc, "Director's Letter")

    vusa.refresh_from_db()
    plan.refresh_from_db()
    assert vusa.stage == "plan_agreed" and vusa.compliance_status.code == \
        "compliant_subject_to_plan"
    assert plan.status == "approved" and plan.director_letter
    assert Step.objects.get(finding__assessment=vusa, status="agreed").due.isoformat() == day(60)
