"""The publications' contract (issue 10, "Publications: a contract, checked on cases you have
not seen"): the SSC's headlines of a meeting (seed 000) and the monthly Panel Sub-Committee
report with its Appendix A (seed 001). Lines are compared as the issue compares them: `*`
removed and spaces collapsed."""
import copy
import json
from datetime import date
from pathlib import Path

import pytest

from secassure.code.publications import (
    PublicationError,
    parse_meeting,
    parse_month,
    render_appendix,
    render_headlines,
    render_report,
)
from secassure.code.publications.common import long_date, month_name, number

DATA = Path(__file__).with_name("publications_data")
#: The seeds (shared/seeds/000_cf84624e1dd04f40.txt and 001_2291efcd4604948f.txt), copied into
#: the repository so that the tests run from a clean clone.
SEED_000 = Path(__file__).resolve().parent / "publications_data" / "seed_000_headlines.txt"
SEED_001 = SEED_000.with_name("seed_001_monthly_report.txt")


def plain(lines: list[str]) -> list[str]:
    """The issue's comparison: `*` removed, spaces collapsed, empty lines dropped."""
    return [" ".join(line.replace("*", "").split()) for line in lines if line.strip()]


def headlines(document: dict) -> list[str]:
    return plain(render_headlines(parse_meeting(document)))


def report(document: dict) -> list[str]:
    return plain(render_report(parse_month(document)))


def meeting(**changes) -> dict:
    document = {"number": 106, "date": "2020-08-12", "next_meeting": "2020-08-26",
                "further_information_url": "https://smartenergycodecompany.co.uk/ssc",
                "parties": [{"id": "P1", "name": "Example Energy"},
                            {"id": "P10", "name": "Tenth Power"}],
                "business": [], "matters_arising": [], "agenda": []}
    document.update(changes)
    return document


def month(given: list[dict], **changes) -> dict:
    document = {"month": "2019-04", "date": "2019-05-02",
                "parties": [{"id": "P1", "name": "Example Energy"},
                            {"id": "P2", "name": "Bright Supply"}],
                "decisions": given, "highlights": []}
    document.update(changes)
    return document


def business(*kinds: tuple[str, str | None, int]) -> list[dict]:
    return [{"kind": kind, "party": "P1", **({"category": category} if category else {})}
            for kind, category, n in kinds for _ in range(n)]


def decisions(kind: str, category: str | None, n: int, day: str = "2019-04-10") -> list[dict]:
    return [{"kind": kind, "date": day, "party": "P1", "outcome": "approved",
             **({"category": category} if category else {})} for _ in range(n)]


# --- words ---------------------------------------------------------------------------------

@pytest.mark.parametrize("count, word", [
    (1, "one"), (2, "two"), (3, "three"), (4, "four"), (5, "five"), (6, "six"), (7, "seven"),
    (8, "eight"), (9, "nine"), (10, "ten"), (11, "11"), (12, "12"), (100, "100")])
def test_counts_are_words_from_one_to_ten_and_figures_from_11(count, word):
    assert number(count) == word


@pytest.mark.parametrize("day, words", [
    (date(2020, 8, 26), "Wednesday 26 August 2020"),  # seed 000's next meeting
    (date(2017, 2, 8), "Wednesday 8 February 2017"),  # seed 000's matters arising
    (date(2019, 5, 2), "Thursday 2 May 2019"),
    (date(2024, 2, 29), "Thursday 29 February 2024"),
    (date(2023, 12, 31), "Sunday 31 December 2023")])
def test_a_date_is_weekday_day_month_year(day, words):
    assert long_date(day) == words


@pytest.mark.parametrize("value, words", [((2019, 4), "April 2019"), ((2020, 1), "January 2020"),
                                          ((2021, 12), "December 2021")])
def test_a_month_is_its_name_and_year(value, words):
    assert month_name(value) == words


# --- headlines: the seed -------------------------------------------------------------------

def test_seed_000_is_reproduced_line_by_line_from_its_recorded_business():
    """Seed 000 (meeting 106, 12 August 2020), every line. The seed's text breaks one link
    across a page ("[SECMP0037 'Pairing Local](#)" / "[PPMIDs](#)"): joined here."""
    seed = SEED_000.read_text(encoding="utf-8").replace(
        "[SECMP0037 'Pairing Local](#)\n\n[PPMIDs](#)", "[SECMP0037 'Pairing Local PPMIDs'](#)")
    document = json.loads((DATA / "seed_000_meeting.json").read_text(encoding="utf-8"))
    assert headlines(document) == plain(seed.splitlines())


# --- headlines: the lines ------------------------------------------------------------------

@pytest.mark.parametrize("number_, held, title", [
    (106, "2020-08-12", "Headlines of the Security Sub-Committee (SSC) 106_1208"),
    (7, "2021-01-05", "Headlines of the Security Sub-Committee (SSC) 7_0501"),
    (250, "2024-12-31", "Headlines of the Security Sub-Committee (SSC) 250_3112")])
def test_the_title_is_number_underscore_day_and_month(number_, held, title):
    lines = headlines(meeting(number=number_, date=held))
    assert lines[0].startswith("This document is classified as White in accordance with the "
                               "Panel Information Policy. Information can be shared with")
    assert lines[1] == title
    assert lines[2].startswith("At every meeting, the SSC review the outcome for Users'")


@pytest.mark.parametrize("counts, bullets", [
    # singular wording, one bullet: it ends with "."
    ([("assurance_status", "FUSA", 1)], ["Set an assurance status for one initial FUSA."]),
    ([("assurance_status", None, 1)], ["Set an assurance status for one initial FUSA."]),
    ([("compliance_status", "VUSA", 1)], ["Set a compliance status for one VUSA."]),
    ([("compliance_status", "FUSA", 1)], ["Set a compliance status for one FUSA."]),
    ([("ssa_noted", None, 1)], ["Noted one Security Self-Assessment (SSA)."]),
    ([("remediation_plan_approved", "VUSA", 1)],
     ["Approved one VUSA Remediation Plan and Director's Letter."]),
    ([("remediation_plan_progress", "FUSA", 1)],
     ["Noted a progress update on one FUSA Remediation Plan and Director's Letter."]),
    # plural wording, counts in words to ten, figures from 11
    ([("assurance_status", "FUSA", 2)], ["Set assurance statuses for two initial FUSAs."]),
    ([("compliance_status", "VUSA", 10)], ["Set compliance statuses for ten VUSAs."]),
    ([("compliance_status", "FUSA", 11)], ["Set compliance statuses for 11 FUSAs."]),
    ([("ssa_noted", None, 3)], ["Noted three Security Self-Assessments (SSAs)."]),
    ([("remediation_plan_approved", "FUSA", 4)],
     ["Approved four FUSA Remediation Plans and Directors' Letters."]),
    ([("remediation_plan_progress", "VUSA", 12)],
     ["Noted progress updates on 12 VUSA Remediation Plans and Directors' Letters."]),
    # two bullets: "; and" then "."
    ([("ssa_noted", None, 1), ("compliance_status", "VUSA", 2)],
     ["Set compliance statuses for two VUSAs; and", "Noted one Security Self-Assessment (SSA)."]),
    # the contract's order whatever the input's: FUSA assurance, compliance VUSA then FUSA,
    # SSAs, plans approved VUSA then FUSA, progress VUSA then FUSA
    ([("remediation_plan_progress", "FUSA", 2), ("remediation_plan_progress", "VUSA", 1),
      ("remediation_plan_approved", "FUSA", 1), ("remediation_plan_approved", "VUSA", 5),
      ("ssa_noted", None, 11), ("compliance_status", "FUSA", 1),
      ("compliance_status", "VUSA", 1), ("assurance_status", "FUSA", 3)],
     ["Set assurance statuses for three initial FUSAs;",
      "Set a compliance status for one VUSA;",
      "Set a compliance status for one FUSA;",
      "Noted 11 Security Self-Assessments (SSAs);",
      "Approved five VUSA Remediation Plans and Directors' Letters;",
      "Approved one FUSA Remediation Plan and Director's Letter;",
      "Noted a progress update on one VUSA Remediation Plan and Director's Letter; and",
      "Noted progress updates on two FUSA Remediation Plans and Directors' Letters."]),
])
def test_the_red_business_is_counted_in_the_contracts_order_and_wording(counts, bullets):
    lines = headlines(meeting(business=business(*counts)))
    start = lines.index("The SSC reviewed the following which are classified as RED and "
                        "therefore recorded in the Confidential Meeting Minutes:") + 1
    assert lines[start:start + len(bullets) + 1] == [f"- {b}" for b in bullets] + [
        "The SSC also discussed the following items:"]


def test_without_business_there_is_no_red_paragraph():
    lines = headlines(meeting())
    assert not [line for line in lines if "Confidential Meeting Minutes" in line]
    assert lines[3:] == ["The SSC also discussed the following items:", "Matters Arising",
                         "Agenda Items", "For further information regarding the Security "
                         "Sub-Committee, please visit [here](https://smartenergycodecompany"
                         ".co.uk/ssc).", "Next Meeting: Wednesday 26 August 2020"]


@pytest.mark.parametrize("classification, line", [
    ("RED", "- The SSC noted an update. (RED)"), ("AMBER", "- The SSC noted an update. (AMBER)"),
    ("GREEN", "- The SSC noted an update. (GREEN)"), ("WHITE", "- The SSC noted an update.")])
def test_a_matter_arising_is_tagged_with_its_classification_white_has_none(classification,
                                                                           line):
    lines = headlines(meeting(matters_arising=[{"text": "The SSC noted an update.",
                                                "classification": classification}]))
    assert lines[lines.index("Matters Arising") + 1] == line


def test_published_agenda_items_keep_their_numbers_and_order_and_the_others_are_left_out():
    agenda = [
        {"number": 3, "title": "Minutes", "headline": "Approved.", "classification": "RED",
         "publish": False},
        {"number": 6, "title": "SEC Section G3.20", "headline": "SECAS presented proposals.",
         "classification": "AMBER", "publish": True},
        {"number": 7, "title": "Example Energy's VUSA", "classification": "RED",
         "publish": False},
        {"number": 9, "title": "SOC2 Update", "headline": "The DCC presented.",
         "classification": "WHITE", "publish": True},
        {"number": 12, "title": "Risks", "headline": "Noted.", "classification": "GREEN",
         "publish": True}]
    lines = headlines(meeting(agenda=agenda))
    start = lines.index("Agenda Items") + 1
    assert lines[start:start + 4] == [
        "- 6. SEC Section G3.20: SECAS presented proposals. (AMBER)",
        "- 9. SOC2 Update: The DCC presented.",
        "- 12. Risks: Noted. (GREEN)",
        "For further information regarding the Security Sub-Committee, please visit "
        "[here](https://smartenergycodecompany.co.uk/ssc)."]
    assert lines[-1] == "Next Meeting: Wednesday 26 August 2020"


# --- headlines: never a party --------------------------------------------------------------

def _matter(text: str) -> dict:
    return {"text": text, "classification": "RED"}


@pytest.mark.parametrize("changes, refusal", [
    ({"matters_arising": [_matter("Fine."), _matter("Fine."), _matter("Fine."),
                          _matter("P1 asked for a deferral.")]},
     "matters_arising[3]: names party P1"),
    ({"matters_arising": [_matter("The SSC noted p1's plan.")]},
     "matters_arising[0]: names party P1"),                     # any case
    ({"matters_arising": [_matter("The SSC noted EXAMPLE ENERGY's plan.")]},
     "matters_arising[0]: names party P1"),                     # the name, any case
    ({"matters_arising": [_matter("The SSC noted Example\n  Energy's plan.")]},
     "matters_arising[0]: names party P1"),                     # however it is spaced
    ({"matters_arising": [_matter("Fine."), _matter("Tenth Power (P10) was noted.")]},
     "matters_arising[1]: names party P10"),
    ({"agenda": [{"number": 4, "title": "Example Energy", "headline": "Noted.",
                  "classification": "RED", "publish": True}]}, "agenda[0]: names party P1"),
    ({"agenda": [{"number": 4, "title": "VUSA", "headline": "SECAS presented P10's plan.",
                  "classification": "RED", "publish": True}]}, "agenda[0]: names party P10"),
    ({"further_information_url": "https://example.org/P1"},
     "further_information_url: names party P1"),
])
def test_a_published_text_naming_a_party_refuses_the_whole_document(changes, refusal):
    with pytest.raises(PublicationError) as refused:
        render_headlines(parse_meeting(meeting(**changes)))
    assert str(refused.value) == refusal


@pytest.mark.parametrize("text", [
    "P11 and P100 are not parties; neither is Example-Energyco or ExampleEnergy.",
    "SP1 asked for a deferral; so did P1a.",
    "Tenth Powerful arguments.",
])
def test_only_a_whole_word_names_a_party(text):
    assert "- " + text + " (RED)" in headlines(meeting(matters_arising=[_matter(text)]))


def test_a_party_name_is_not_made_of_an_agenda_items_title_and_headline_together():
    lines = headlines(meeting(agenda=[{"number": 5, "title": "Tenth", "headline": "Power cuts.",
                                       "classification": "WHITE", "publish": True}]))
    assert "- 5. Tenth: Power cuts." in lines


def test_an_agenda_item_not_published_may_name_a_party_and_business_does_not_show_it():
    lines = headlines(meeting(
        business=business(("compliance_status", "VUSA", 1)),
        agenda=[{"number": 7, "title": "Example Energy's VUSA", "headline": "P1 is compliant.",
                 "classification": "RED", "publish": False}]))
    assert not [line for line in lines if "P1" in line or "Example Energy" in line]


# --- headlines: bad input ------------------------------------------------------------------

def _broken(path: str, value: object) -> dict:
    """meeting() with one field (a dotted path with [index]es) set to value."""
    document = copy.deepcopy(meeting(
        business=business(("compliance_status", "VUSA", 3)),
        matters_arising=[_matter("Noted.")],
        agenda=[{"number": 6, "title": "T", "headline": "H", "classification": "AMBER",
                 "publish": True}]))
    target: object = document
    *parents, last = path.replace("]", "").replace("[", ".").split(".")
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]  # type: ignore[index]
    if value is KeyError:
        del target[last]  # type: ignore[attr-defined]
    else:
        target[int(last) if last.isdigit() else last] = value  # type: ignore[index]
    return document


@pytest.mark.parametrize("path, value, refusal", [
    ("business[2].kind", "status_set", "business[2].kind: 'status_set' is not one of"),
    ("business[1].kind", KeyError, "business[1].kind: is required"),
    ("business[0].category", "SSA", "business[0].category: 'SSA' is not a category of "
                                    "compliance_status (VUSA or FUSA)"),
    ("business[0].category", KeyError, "business[0].category: None is not a category of"),
    ("business[0].party", "P9", "business[0].party: 'P9' is not the id of one of the parties"),
    ("number", "106", "number: '106' is not a meeting number"),
    ("number", True, "number: True is not a meeting number"),
    ("date", "12/08/2020", "date: '12/08/2020' is not a date in the form YYYY-MM-DD"),
    ("next_meeting", "2020-02-30", "next_meeting: '2020-02-30' is not a real calendar date"),
    ("next_meeting", KeyError, "next_meeting: is required"),
    ("matters_arising[0].classification", "PINK", "matters_arising[0].classification: must "
                                                  "be one of RED, AMBER, GREEN, WHITE"),
    ("matters_arising[0].text", "  ", "matters_arising[0].text: must not be empty"),
    ("agenda[0].publish", "yes", "agenda[0].publish: must be true or false"),
    ("agenda[0].headline", KeyError, "agenda[0].headline: is required"),
    ("agenda", {"number": 6}, "agenda: must be a list"),
    ("parties[1].id", "P1", "parties[1].id: 'P1' is given twice"),
    ("parties[0].name", "", "parties[0].name: must not be empty"),
    ("parties[0].id", "P/1", "parties[0].id: 'P/1' is not a party id"),
])
def test_bad_input_is_one_error_naming_the_field(path, value, refusal):
    with pytest.raises(PublicationError) as refused:
        parse_meeting(_broken(path, value))
    assert str(refused.value).startswith(refusal)
    assert "\n" not in str(refused.value)


def test_a_document_that_is_not_an_object_is_refused():
    with pytest.raises(PublicationError, match="the document: must be a JSON object"):
        parse_meeting([1, 2])


# --- the monthly report: the seed ----------------------------------------------------------

#: Where seed 001 (typed by hand, then extracted from PDF) departs from the contract's
#: wording: the contract's sentence -> the seed's.
SEED_001_DEPARTURES = {
    "(VUSAs) in which Compliance Statuses were set. Details of the VUSAs":
        "(VUSAS) in which Compliance Status' were set. Details of the VUSASs",
    "Thursday 2 May 2019": "2 May 2019",  # the contract's date; the seed omits the weekday
    "- Appendix A: User Security Assessments - Identified": "e Appendix A: User Security "
                                                            "Assessments \u2014 Identified",
}


def test_seed_001_is_reproduced_from_its_recorded_business():
    """April 2019: one Assurance status, four VUSAs, two Directors' Letters, no SSA (the one
    of 27 March and the FUSA of 1 May fall outside the month). Every line of the body is in
    the seed, in order, where the contract fixes the wording (the seed's PDF line breaks
    joined; its departures from the contract listed above)."""
    seed = " ".join(SEED_001.read_text(encoding="utf-8").replace("\u2019", "'").split())
    document = json.loads((DATA / "seed_001_month.json").read_text(encoding="utf-8"))
    lines = report(document)
    assert lines[:2] == ["SEC Panel Sub-Committee Report", "1. Purpose"]
    assert "The Security Sub-Committee (SSC) set one Assurance status in April 2019. Details " \
           "can be found in confidential Appendix A." in lines
    assert "No Security Self-Assessments were reviewed by the SSC in April 2019." in lines
    position = 0
    for line in lines:
        expected = line.replace("\u2019", "'")
        for contract, seeds in SEED_001_DEPARTURES.items():
            expected = expected.replace(contract, seeds)
        found = seed.find(expected, position)
        assert found >= 0, f"not in seed 001 after position {position}: {expected!r}"
        position = found + len(expected)


def test_seed_001s_appendix_has_one_row_per_decision_of_april_by_date_then_party_id():
    document = json.loads((DATA / "seed_001_month.json").read_text(encoding="utf-8"))
    lines = plain(render_appendix(parse_month(document)))
    assert lines[0].startswith("This document is classified as RED")
    assert lines[1] == "Appendix A: User Security Assessments - Identified Non-Compliances"
    rows = [line for line in lines if line.startswith("| ") and "---" not in line][1:]
    assert rows == [
        "| Wednesday 10 April 2019 | Example Energy | compliance_status | VUSA | "
        "medium_non_compliance |",
        "| Wednesday 10 April 2019 | Example Energy | directors_letter_approved | VUSA | "
        "approved |",
        "| Wednesday 10 April 2019 | Coastal Gas | compliance_status | VUSA | compliant |",
        "| Wednesday 10 April 2019 | Northern Shared Services | assurance_status | FUSA | "
        "approved_subject_to |",
        "| Wednesday 24 April 2019 | Bright Supply | compliance_status | VUSA | compliant |",
        "| Wednesday 24 April 2019 | Dale Power | compliance_status | VUSA | "
        "high_non_compliance |",
        "| Wednesday 24 April 2019 | Dale Power | directors_letter_approved | VUSA | "
        "approved |"]


# --- the monthly report: the sentences -----------------------------------------------------

M = "April 2019"


@pytest.mark.parametrize("given, sentence", [
    ([], f"No Assurance statuses were set by the SSC in {M}."),
    (decisions("assurance_status", "FUSA", 1), f"The Security Sub-Committee (SSC) set one "
     f"Assurance status in {M}. Details can be found in confidential Appendix A."),
    (decisions("assurance_status", None, 2), f"The Security Sub-Committee (SSC) set two "
     f"Assurance statuses in {M}. Details can be found in confidential Appendix A."),
    (decisions("assurance_status", "FUSA", 11), f"The Security Sub-Committee (SSC) set 11 "
     f"Assurance statuses in {M}. Details can be found in confidential Appendix A."),
    # only decisions dated in the month count
    (decisions("assurance_status", "FUSA", 1, "2019-03-31")
     + decisions("assurance_status", "FUSA", 1, "2019-05-01"),
     f"No Assurance statuses were set by the SSC in {M}."),
])
def test_3_1_counts_the_assurance_statuses_of_the_month(given, sentence):
    lines = report(month(given))
    assert lines[lines.index("3.1 Assurance Status Decisions") + 1] == sentence


VUSA_NONE = f"No Verification User Security Assessments were reviewed by the SSC in {M}."
VUSA_ONE = (f"During {M}, the SSC reviewed one Verification User Security Assessment (VUSA) in "
            "which a Compliance Status was set. Details of the VUSA can be found in "
            "confidential Appendix A.")
FUSA_ONE = ("The SSC also set one Compliance Status for a subsequent Full User Security "
            "Assessment (FUSA).")


@pytest.mark.parametrize("given, sentences", [
    ([], [VUSA_NONE]),
    (decisions("compliance_status", "VUSA", 1), [VUSA_ONE]),
    (decisions("compliance_status", "VUSA", 4), [
        f"During {M}, the SSC reviewed four Verification User Security Assessments (VUSAs) in "
        "which Compliance Statuses were set. Details of the VUSAs can be found in confidential "
        "Appendix A."]),
    (decisions("compliance_status", "VUSA", 1) + decisions("compliance_status", "FUSA", 1),
     [VUSA_ONE, FUSA_ONE]),
    (decisions("compliance_status", "FUSA", 13), [VUSA_NONE, "The SSC also set 13 Compliance "
     "Statuses for subsequent Full User Security Assessments (FUSAs)."]),
    (decisions("compliance_status", "VUSA", 1, "2019-04-30")
     + decisions("compliance_status", "VUSA", 2, "2019-05-01"), [VUSA_ONE]),
])
def test_3_2_counts_the_vusas_and_then_the_fusas_given_a_compliance_status(given, sentences):
    lines = report(month(given))
    start = lines.index("3.2 Verification Assessments") + 2  # after the standing paragraph
    assert lines[start:start + len(sentences) + 1] == [*sentences, "3.3 Director Letters"]


@pytest.mark.parametrize("given, sentence", [
    ([], f"No Director's Letters were reviewed by the SSC in {M}."),
    (decisions("directors_letter_approved", "VUSA", 1), f"The SSC reviewed one Director's "
     f"Letter in {M} which was approved and can be found in confidential Appendix A."),
    (decisions("directors_letter_approved", None, 2), f"The SSC reviewed two Director's "
     f"Letters in {M} which were approved and can be found in confidential Appendix A."),
])
def test_3_3_counts_the_directors_letters_approved(given, sentence):
    lines = report(month(given))
    assert lines[lines.index("3.3 Director Letters") + 1] == sentence


@pytest.mark.parametrize("given, sentence", [
    ([], f"No Security Self-Assessments were reviewed by the SSC in {M}."),
    (decisions("ssa_reviewed", None, 1), f"The SSC reviewed one Security Self-Assessment in "
     f"{M}. Details can be found in confidential Appendix A."),
    (decisions("ssa_reviewed", None, 10), f"The SSC reviewed ten Security Self-Assessments in "
     f"{M}. Details can be found in confidential Appendix A."),
])
def test_3_4_counts_the_security_self_assessments(given, sentence):
    lines = report(month(given))
    assert lines[lines.index("3.4 Security Self-Assessments") + 1] == sentence


def test_3_5_gives_each_highlight_and_5_the_recommendation():
    lines = report(month([], highlights=[
        {"title": "SMETS1 Update", "text": "An update.\n\nA second paragraph."},
        {"title": "Change Items", "text": "Another update."}]))
    start = lines.index("3.5 SSC Highlights") + 1
    assert lines[start:start + 7] == [
        "SMETS1 Update", "An update.", "A second paragraph.", "Change Items",
        "Another update.", "5. Recommendations",
        "The Panel is requested to NOTE the content of this paper."]


def test_the_body_never_names_a_party_and_a_highlight_that_does_is_refused():
    given = decisions("compliance_status", "VUSA", 2) + decisions("ssa_reviewed", None, 1)
    body = "\n".join(report(month(given)))
    assert "P1" not in body and "Example Energy" not in body
    highlights = [{"title": "Fine", "text": "Fine."},
                  {"title": "Deferral", "text": "The SSC deferred bright supply's plan."}]
    with pytest.raises(PublicationError, match=r"^highlights\[1\]: names party P2$"):
        render_report(parse_month(month(given, highlights=highlights)))


def test_the_appendix_lists_the_months_decisions_by_date_then_party_id_naming_them():
    given = [
        {"kind": "ssa_reviewed", "date": "2019-04-20", "party": "P2", "outcome": "noted"},
        {"kind": "compliance_status", "category": "FUSA", "date": "2019-04-20", "party": "P1",
         "outcome": "compliant"},
        {"kind": "assurance_status", "category": "FUSA", "date": "2019-04-02", "party": "P2",
         "outcome": "approved"},
        {"kind": "assurance_status", "category": "FUSA", "date": "2019-05-02", "party": "P1",
         "outcome": "deferred"}]
    lines = plain(render_appendix(parse_month(month(given))))
    assert lines[-4:] == [
        "| --- | --- | --- | --- | --- |",
        "| Tuesday 2 April 2019 | Bright Supply | assurance_status | FUSA | approved |",
        "| Saturday 20 April 2019 | Example Energy | compliance_status | FUSA | compliant |",
        "| Saturday 20 April 2019 | Bright Supply | ssa_reviewed | | noted |"]


@pytest.mark.parametrize("changes, refusal", [
    ({"month": "2019-4"}, "month: '2019-4' is not a month in the form YYYY-MM"),
    ({"month": "2019-13"}, "month: '2019-13' is not a month in the form YYYY-MM"),
    ({"date": None}, "date: is required"),
    ({"decisions": [{"kind": "ssa_reviewed", "date": "2019-04-02", "party": "P1"},
                    {"kind": "compliance_status", "date": "2019-04-02", "party": "P1"}]},
     "decisions[1].category: None is not a category of compliance_status (VUSA or FUSA)"),
    ({"decisions": [{"kind": "directors_letter", "date": "2019-04-02", "party": "P1"}]},
     "decisions[0].kind: 'directors_letter' is not one of"),
    ({"decisions": [{"kind": "ssa_reviewed", "date": "2019-04-02", "party": "P3"}]},
     "decisions[0].party: 'P3' is not the id of one of the parties"),
    ({"decisions": [{"kind": "ssa_reviewed", "party": "P1"}]}, "decisions[0].date: is required"),
    ({"highlights": [{"title": "T"}]}, "highlights[0].text: is required"),
])
def test_bad_monthly_input_is_one_error_naming_the_field(changes, refusal):
    with pytest.raises(PublicationError) as refused:
        parse_month(month([], **changes))
    assert str(refused.value).startswith(refusal)
