"""People's paths through the demo, as each person walks them (issue 7, "People's paths").

The home page is a start, not a dead end: each person sees what waits on them. A party page
links only to pages its reader may open. The assessment page links its PDF and Word exports.
Long journals come a page at a time, in words, and the meeting page's tables name every column.
"""
import html
import re
from urllib.parse import urldefrag

import pytest
from django.test import Client

from secassure.assurance.models import Assessment, Step
from secassure.core.journal.services import record
from secassure.registry.models import Party


@pytest.fixture
def signed_in(demo):
    """A separate client for each person, so a walk can switch between them."""
    def make(username: str) -> Client:
        client = Client()
        client.force_login(demo[username])
        return client
    return make


def live(pid: str, **filters) -> Assessment:
    """The demo's platform-run assessment of party `pid` (not its imported history)."""
    return Assessment.objects.exclude(stage="recorded").get(party__party_id=pid, **filters)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def main(text: str) -> str:
    """The page's own content (without the navigation every page shares)."""
    return text.split("<main>", 1)[1].split("</main>", 1)[0]


def words(text: str) -> str:
    """The text a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def section(text: str, ident: str) -> str:
    """The <section> with id `ident` ('' when the page has none)."""
    found = re.search(rf'<section class="panel" id="{ident}">(.*?)</section>', text, re.S)
    return found.group(1) if found else ""


def hrefs(text: str) -> set[str]:
    return {html.unescape(h) for h in re.findall(r'href="([^"]+)"', text)}


# --- The home page, as every demo kind ---------------------------------------------------------

def test_the_public_home_page_asks_to_sign_in(client, demo):
    text = page(client, "/")
    assert "What waits on you" not in text and 'href="/accounts/login/"' in text


def test_secas_sees_the_committee_and_panel_business_counted(signed_in):
    text = main(page(signed_in("secas"), "/"))
    attention = words(section(text, "waiting-attention"))
    assert "For the SSC to decide" in attention and "For the Panel to decide" in attention
    # the demo: CLOUDVAULT, BRAMBLE and QUARTZ responded, none reviewed yet (G8.27)
    assert re.search(r"Responses awaiting the SSC's review 3 SSC G8.27", attention)
    assert re.search(r"Responses overdue 1 SSC G8.24", attention)          # MERIDIAN
    assert re.search(r"Assurance status to set 1 Panel G8.35", attention)  # BRAMBLE
    assert 'href="/assurance/attention/#review"' in text
    assert 'href="/assurance/attention/#assurance_status"' in text


def test_an_ssc_member_sees_the_ssc_sections_not_the_panels(signed_in):
    attention = words(section(main(page(signed_in("ssc-member"), "/")), "waiting-attention"))
    assert "Responses awaiting the SSC's review" in attention
    assert "Remediation Plans submitted" in attention                       # PYLON's plan
    assert "For the Panel to decide" not in attention
    assert "Assurance status to set" not in attention


def test_a_panel_member_sees_the_panels_decisions_only(signed_in):
    attention = words(section(main(page(signed_in("panel-member"), "/")), "waiting-attention"))
    assert "Assurance status to set" in attention
    assert "Events of Default to decide" in attention                       # BRAMBLE
    assert "DCC appeals to the Panel" in attention                          # the DCC
    assert "For the SSC to decide" not in attention


def test_the_assessor_sees_its_booked_and_draft_assessments(signed_in):
    text = main(page(signed_in("cio-assessor"), "/"))
    mine = section(text, "waiting-assessor")
    solway, newco = live("SOLWAY"), live("NEWCO")
    assert f'href="/assurance/{solway.pk}/"' in mine and f'href="/assurance/{newco.pk}/"' in mine
    seen = words(mine)
    assert "draft: 1 finding" in seen            # SOLWAY: fieldwork done, report a draft
    assert "booked: fieldwork not started" in seen  # NEWCO: fieldwork in two weeks
    reported = live("MERIDIAN")                  # its report is issued: no longer waiting
    assert f'href="/assurance/{reported.pk}/"' not in mine
    hearth = live("HEARTH")                      # a self-assessment to review (G8.18)
    assert "Self-assessments to review" in seen and f'href="/assurance/{hearth.pk}/"' in mine
    assert "waiting-attention" not in text


def test_a_party_sees_the_report_awaiting_its_response_and_the_deadline(signed_in):
    meridian = live("MERIDIAN")
    text = main(page(signed_in("rep-MERIDIAN"), "/"))
    owed = section(text, "waiting-party")
    assert "Reports awaiting your response" in owed
    assert f'href="/assurance/{meridian.pk}/"' in owed
    assert f"{meridian.response_due:%-d %b %Y}" in owed and "overdue" in owed


def test_a_party_sees_its_agreed_steps_and_progress_reports_due(signed_in):
    pylon = live("PYLON")
    owed = section(main(page(signed_in("rep-PYLON"), "/")), "waiting-party")
    steps = Step.objects.filter(finding__assessment=pylon, status="agreed").order_by("due")
    assert "Agreed steps to complete" in owed and "Progress reports due" in owed
    for step in steps:
        assert step.description in owed and f"{step.due:%-d %b %Y}" in owed
    assert "overdue" in owed                                  # the step dated back two weeks
    assert f"{pylon.next_progress_due:%-d %b %Y}" in owed and "30 days" in owed


def test_a_party_sees_the_ssc_s_other_steps_to_agree(signed_in):
    lumen = live("LUMEN")
    owed = section(main(page(signed_in("rep-LUMEN"), "/")), "waiting-party")
    assert "Other steps or dates the SSC proposes, to agree" in owed
    assert f'href="/assurance/{lumen.pk}/"' in owed


def test_a_party_sees_its_next_assessment_and_its_due_date(signed_in):
    owed = words(section(main(page(signed_in("rep-HEARTH"), "/")), "waiting-party"))
    assert "Next assessment" in owed and re.search(r"FUSA , due by \d{1,2} \w{3} \d{4}", owed)
    assert "No report, step or progress report waits on HEARTH" in owed
    booked = section(main(page(signed_in("rep-NEWCO"), "/")), "waiting-party")
    assert f'href="/assurance/{live("NEWCO").pk}/"' in booked and "Booked" in booked


def test_a_shared_resource_user_is_not_asked_to_answer_its_providers_report(signed_in):
    """G10.8: HEARTH reads CLOUDVAULT's report; answering it is CLOUDVAULT's business."""
    owed = section(main(page(signed_in("rep-HEARTH"), "/")), "waiting-party")
    assert f'href="/assurance/{live("CLOUDVAULT").pk}/"' not in owed


def test_a_triage_operator_sees_its_partys_triage_status(signed_in):
    owed = words(section(main(page(signed_in("triage-operator"), "/")), "waiting-party"))
    assert "Triage Activities G12.7(a)" in owed
    assert "permitted : approved: Triage Activities may start" in owed


def test_the_dcc_sees_its_quarantine_queue_and_thresholds_to_give_an_opinion_on(signed_in):
    from secassure.anomaly.models import QuarantinedCommunication, Threshold
    text = main(page(signed_in("dcc"), "/"))
    queue = section(text, "waiting-quarantine")
    pending = QuarantinedCommunication.objects.filter(status="pending").count()
    assert pending and f"{pending} pending" in queue and 'href="/adt/quarantine/"' in queue
    opinions = section(text, "waiting-opinions")
    waiting = Threshold.objects.filter(user_id__isnull=False, dcc_opinion="").order_by(
        "set_at", "id")
    assert f'href="/adt/thresholds/{waiting[0].pk}/"' in opinions
    given = Threshold.objects.exclude(dcc_opinion="").get()   # HEARTH's 7.2 (demo)
    assert f'href="/adt/thresholds/{given.pk}/"' not in opinions


def test_a_representative_sees_only_its_own_quarantine_queue(signed_in):
    queue = words(section(main(page(signed_in("rep-LUMEN"), "/")), "waiting-quarantine"))
    assert "4 pending" in queue and "LUMEN" in queue and "HEARTH" not in queue


@pytest.mark.parametrize("username", ["secas", "ssc-member", "panel-member", "cio-assessor",
                                      "dcc", "triage-operator", "rep-HEARTH", "rep-PYLON",
                                      "rep-MERIDIAN"])
def test_every_link_on_the_home_page_answers_200_for_its_reader(signed_in, username):
    client = signed_in(username)
    links = {urldefrag(h).url for h in hrefs(main(page(client, "/")))}
    assert links
    for link in sorted(links):
        assert client.get(link).status_code == 200, (username, link)


# --- A party page links only to pages its reader may open ---------------------------------------

READERS = [("rep-HEARTH", "HEARTH"), ("rep-MERIDIAN", "MERIDIAN"), ("rep-KESTREL", "KESTREL"),
           ("rep-CLOUDVAULT", "CLOUDVAULT"), ("triage-operator", "TRIAGEWORKS"),
           ("dcc", "DCC"), ("ssc-member", "HEARTH"), ("cio-assessor", "GRIDSHARE")]


@pytest.mark.parametrize("username,pid", READERS)
def test_every_link_on_a_party_page_answers_200_for_its_reader(signed_in, username, pid):
    client = signed_in(username)
    links = {urldefrag(h).url for h in hrefs(page(client, f"/register/{pid}/"))
             if h.startswith("/") and not h.startswith("/static/")}
    assert links
    for link in sorted(links):
        assert client.get(link).status_code == 200, (username, link)


@pytest.mark.parametrize("username,pid", [("rep-HEARTH", "CLOUDVAULT"), ("rep-CLOUDVAULT",
                                                                       "CLOUDVAULT"),
                                          ("rep-PYLON", "PYLON"), ("ssc-member", "PYLON")])
def test_every_link_on_an_assessment_page_answers_200_for_its_reader(signed_in, username, pid):
    """HEARTH reads its provider CLOUDVAULT's assessment (G10.8), not CLOUDVAULT's page."""
    client = signed_in(username)
    text = page(client, f"/assurance/{live(pid).pk}/")
    links = {urldefrag(h).url for h in hrefs(text)
             if h.startswith("/") and not h.startswith("/static/")}
    for link in sorted(links):
        assert client.get(link).status_code == 200, (username, link)
    if username == "rep-HEARTH":
        assert "CLOUDVAULT" in main(text) and 'href="/register/CLOUDVAULT/"' not in text


def test_a_shared_resource_users_page_names_its_provider_and_partner_without_links(signed_in):
    text = main(page(signed_in("rep-HEARTH"), "/register/HEARTH/"))
    assert "CLOUDVAULT CloudVault Managed Services Ltd" in text   # its provider, named
    assert 'href="/register/CLOUDVAULT/"' not in text              # ... but not linked
    assert "KESTREL" in text and 'href="/register/KESTREL/"' not in text
    committee = main(page(signed_in("ssc-member"), "/register/HEARTH/"))
    assert 'href="/register/CLOUDVAULT/"' in committee and 'href="/register/KESTREL/"' in committee


# --- Exports are linked from the page they export -----------------------------------------------

@pytest.mark.parametrize("username", ["ssc-member", "rep-HEARTH", "cio-assessor"])
def test_the_assessment_page_links_its_pdf_and_word_exports(signed_in, username):
    cloud = live("CLOUDVAULT")     # rep-HEARTH reads it as CLOUDVAULT's Shared Resource User
    client = signed_in(username)
    text = page(client, f"/assurance/{cloud.pk}/")
    pdf, docx = f"/assurance/{cloud.pk}/export.pdf", f"/assurance/{cloud.pk}/export.docx"
    assert f'href="{pdf}"' in text and f'href="{docx}"' in text
    response = client.get(docx)
    assert response.status_code == 200 and "wordprocessingml" in response["Content-Type"]


def test_the_pdf_export_link_answers_with_a_pdf(signed_in):
    cloud = live("CLOUDVAULT")
    response = signed_in("ssc-member").get(f"/assurance/{cloud.pk}/export.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


# --- Journals in words, a page at a time -------------------------------------------------------

def test_the_journal_says_what_happened_in_words_with_correct_plurals(signed_in):
    client, text, number = signed_in("secas"), "", 1
    while True:                                  # every page of the register-wide journal
        shown = main(page(client, f"/journal/?page={number}"))
        text += words(shown)
        if 'rel="next"' not in shown:
            break
        number += 1
    assert "response submitted" in text and "assurance.submit_response" not in text
    assert "report issued with 1 finding " in text     # MERIDIAN's, GRIDSHARE's, ...
    assert "report issued with 2 findings" in text     # CLOUDVAULT's, PYLON's
    assert not re.findall(r"\b1 [a-z]+s\b", text)   # "1 findings", "1 changes", "1 steps"...


@pytest.mark.parametrize("url", ["/journal/", "/register/PYLON/", "assessment"])
def test_no_journal_on_a_page_shows_a_code_name(signed_in, url):
    from secassure.core.journal.models import JournalEntry
    if url == "assessment":
        url = f"/assurance/{live('PYLON').pk}/"
    text = main(page(signed_in("secas"), url))
    codes = set(JournalEntry.objects.values_list("action", flat=True))
    assert codes and not [code for code in codes if code in text]


def test_a_party_page_history_is_paginated_with_page_links(signed_in, demo):
    party = Party.objects.get(party_id="SUNNYSIDE")
    for i in range(30):
        record(demo["secas"], "registry.party.replaced", reason=f"edit number {i}", party=party)
    client = signed_in("secas")
    first = main(page(client, "/register/SUNNYSIDE/"))
    assert "edit number 29" in first and "edit number 4 " not in words(first) + " "
    assert 'href="?history=2#history"' in first and "older" in first
    second = main(page(client, "/register/SUNNYSIDE/?history=2"))
    assert "edit number 0" in words(second) and "edit number 29" not in second
    assert 'href="?history=1#history"' in second
    assert "party replaced in the register" in words(second)


def test_the_register_wide_journal_is_paginated(signed_in):
    from secassure.core.journal.models import JournalEntry
    total = JournalEntry.objects.count()
    last = (total + 24) // 25
    assert last >= 2
    client = signed_in("ssc-member")
    first = main(page(client, "/journal/"))
    assert 'href="?page=2"' in first and f"1–25 of {total}" in first
    assert f'href="?page={last}"' in first                    # a link to the oldest page
    final = main(page(client, f"/journal/?page={last}"))
    assert f"{(last - 1) * 25 + 1}–{total} of {total}" in final
    assert 'rel="prev"' in final and 'rel="next"' not in final
    oldest = JournalEntry.objects.order_by("id").first()
    assert f"{oldest.at:%-d %b %Y %H:%M}" in final


def test_an_assessments_journal_is_paginated(signed_in, demo):
    pylon = live("PYLON")
    for i in range(30):
        record(demo["ssc-member"], "assurance.set_progress_interval", party=pylon.party,
               reason=f"interval note {i}", subject=f"assessment:{pylon.pk}",
               classification="RED")
    client = signed_in("ssc-member")
    first = main(page(client, f"/assurance/{pylon.pk}/"))
    assert "interval note 29" in first and 'href="?journal=2#journal"' in first
    second = main(page(client, f"/assurance/{pylon.pk}/?journal=2"))
    assert "interval note 0" in second and "interval note 29" not in second
    assert "progress reporting interval set" in second


# --- The meeting page names every column --------------------------------------------------------

def test_every_column_of_the_meeting_pages_tables_has_a_header(signed_in):
    text = page(signed_in("ssc-member"), "/assurance/attention/")
    tables = re.findall(r"<table>(.*?)</table>", text, re.S)
    assert tables
    for table in tables:
        headers = re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)
        first_row = re.search(r"<tbody>\s*<tr[^>]*>(.*?)</tr>", table, re.S)
        assert all(words(h).strip() for h in headers), headers
        if first_row:
            assert len(re.findall(r"<td", first_row.group(1))) == len(headers)
