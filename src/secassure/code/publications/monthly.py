"""The monthly SEC Panel Sub-Committee report and its confidential Appendix A (issue 10,
"Publications: a contract"; seed 001).

The body counts the SSC's decisions of the month (only those dated in it) in the sentences of
sections 3.1-3.4 without naming anyone, and is refused whole (`highlights[1]: names party
P1`) when a highlight names a party. Appendix A is RED: one row per decision of the month,
naming the party.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from . import common
from .common import Party, PublicationError

TITLE = "SEC Panel Sub-Committee Report"
PURPOSE = ("This paper provides the Panel with an update on recent activities from the Panel "
           "Sub-Committees. It highlights the key issues discussed and details specific points "
           "the Sub-Committees would like to bring to the Panel\u2019s attention. The Panel are "
           "requested to note the updates.")
VERIFICATION = ("As part of their wider obligations, the SSC review the outcomes of "
                "Verification User Security Assessments. If the SSC believe that a User is "
                "non-compliant, or potentially non-compliant, with obligations contained in "
                "SEC Sections G3-G6, then they will notify the Panel.")
RECOMMENDATION = "The Panel is requested to NOTE the content of this paper."
APPENDIX_TITLE = "Appendix A: User Security Assessments - Identified Non-Compliances"
RED_BANNER = ("This document is classified as **RED** in accordance with the Panel "
              "Information Policy. Information must not be shared beyond the Panel and "
              "Sub-Committee members to whom it is addressed.")
#: The categories each kind of decision may carry (None: no category).
CATEGORIES: dict[str, tuple[str | None, ...]] = {
    "assurance_status": ("FUSA", None),
    "compliance_status": ("VUSA", "FUSA"),
    "directors_letter_approved": ("VUSA", "FUSA", None),
    "ssa_reviewed": (None, "SSA"),
}


@dataclass(frozen=True)
class Decision:
    kind: str
    category: str | None
    date: date
    party: Party
    outcome: str


@dataclass(frozen=True)
class Highlight:
    title: str
    text: str


@dataclass(frozen=True)
class Month:
    month: tuple[int, int]
    date: date
    parties: tuple[Party, ...]
    decisions: tuple[Decision, ...]
    highlights: tuple[Highlight, ...]

    def of_the_month(self) -> list[Decision]:
        """The decisions dated in the month, by date then party id (only these count)."""
        return sorted((d for d in self.decisions if (d.date.year, d.date.month) == self.month),
                      key=lambda d: (d.date, d.party.id))

    def count(self, kind: str, category: str | None = None) -> int:
        return sum(1 for d in self.of_the_month()
                   if d.kind == kind and (category is None or d.category == category))


def parse_month(document: object) -> Month:
    """A MONTH.json document, checked field by field."""
    record = common.mapping(document, "the document")
    month = common.field(record, "month", "", common.month)
    issued = common.field(record, "date", "", common.iso_date)
    parties = common.parties(record)
    decisions = tuple(_decision(entry, f"decisions[{index}]", parties)
                      for index, entry in enumerate(common.items(record, "decisions")))
    highlights = tuple(
        Highlight(common.field(entry, "title", f"highlights[{index}]", common.line),
                  common.field(entry, "text", f"highlights[{index}]", common.text))
        for index, entry in enumerate(common.items(record, "highlights")))
    return Month(month, issued, tuple(parties), decisions, highlights)


def render_report(report: Month) -> list[str]:
    """The report's body as Markdown lines; PublicationError naming the first highlight that
    names a party."""
    common.refuse_named([(f"highlights[{index}]", text)
                         for index, h in enumerate(report.highlights)
                         for text in (h.title, h.text)], report.parties)
    lines = [f"**{TITLE}**", "", "**1. Purpose**", "", PURPOSE, "",
             "**3. Security Sub-Committee and SMKI PMA**", "",
             "**3.1 Assurance Status Decisions**", "", assurance_sentence(report), "",
             "**3.2 Verification Assessments**", "", VERIFICATION, "",
             *verification_sentences(report), "",
             "**3.3 Director Letters**", "", directors_letters_sentence(report), "",
             "**3.4 Security Self-Assessments**", "", self_assessment_sentence(report), "",
             "**3.5 SSC Highlights**", ""]
    for highlight in report.highlights:
        lines += [f"**{common.one_line(highlight.title)}**", "", *_paragraphs(highlight.text)]
    lines += ["**5. Recommendations**", "", RECOMMENDATION, "", "SECAS Team", "",
              common.long_date(report.date), "", "Attachments:", "",
              f"- {APPENDIX_TITLE}{common.tag('RED')}"]
    return lines


def render_appendix(report: Month) -> list[str]:
    """Appendix A (RED): one row per decision of the month, by date then party id."""
    lines = [RED_BANNER, "", f"**{APPENDIX_TITLE}**", "",
             f"**{common.month_name(report.month)}**", "",
             "| Date | Party | Kind | Category | Outcome |", "| --- | --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(_cell(value) for value in (
        common.long_date(d.date), d.party.name, d.kind, d.category or "", d.outcome)) + " |"
        for d in report.of_the_month()]
    return lines


def assurance_sentence(report: Month) -> str:
    """3.1: the Assurance statuses set in the month."""
    n, month = report.count("assurance_status"), common.month_name(report.month)
    if not n:
        return f"No Assurance statuses were set by the SSC in {month}."
    statuses = "Assurance status" if n == 1 else "Assurance statuses"
    return (f"The Security Sub-Committee (SSC) set {common.number(n)} {statuses} in {month}. "
            "Details can be found in confidential Appendix A.")


def verification_sentences(report: Month) -> list[str]:
    """3.2: the VUSAs in which a Compliance Status was set; then the FUSAs, if any."""
    month = common.month_name(report.month)
    n = report.count("compliance_status", "VUSA")
    if not n:
        sentences = [f"No Verification User Security Assessments were reviewed by the SSC in "
                     f"{month}."]
    elif n == 1:
        sentences = [f"During {month}, the SSC reviewed one Verification User Security "
                     "Assessment (VUSA) in which a Compliance Status was set. Details of the "
                     "VUSA can be found in confidential Appendix A."]
    else:
        sentences = [f"During {month}, the SSC reviewed {common.number(n)} Verification User "
                     "Security Assessments (VUSAs) in which Compliance Statuses were set. "
                     "Details of the VUSAs can be found in confidential Appendix A."]
    fusas = report.count("compliance_status", "FUSA")
    if fusas == 1:
        sentences += ["", "The SSC also set one Compliance Status for a subsequent Full User "
                      "Security Assessment (FUSA)."]
    elif fusas:
        sentences += ["", f"The SSC also set {common.number(fusas)} Compliance Statuses for "
                      "subsequent Full User Security Assessments (FUSAs)."]
    return sentences


def directors_letters_sentence(report: Month) -> str:
    """3.3: the Directors' Letters approved in the month."""
    n, month = report.count("directors_letter_approved"), common.month_name(report.month)
    if not n:
        return f"No Director's Letters were reviewed by the SSC in {month}."
    if n == 1:
        return (f"The SSC reviewed one Director's Letter in {month} which was approved and "
                "can be found in confidential Appendix A.")
    return (f"The SSC reviewed {common.number(n)} Director's Letters in {month} which were "
            "approved and can be found in confidential Appendix A.")


def self_assessment_sentence(report: Month) -> str:
    """3.4: the Security Self-Assessments reviewed in the month."""
    n, month = report.count("ssa_reviewed"), common.month_name(report.month)
    if not n:
        return f"No Security Self-Assessments were reviewed by the SSC in {month}."
    assessments = "Security Self-Assessment" if n == 1 else "Security Self-Assessments"
    return (f"The SSC reviewed {common.number(n)} {assessments} in {month}. Details can be "
            "found in confidential Appendix A.")


def _decision(entry: Mapping[str, object], where: str, parties: list[Party]) -> Decision:
    kind = common.field(entry, "kind", where, common.one_of(*CATEGORIES))
    category = entry.get("category")
    if category not in CATEGORIES[kind]:
        allowed = " or ".join(c for c in CATEGORIES[kind] if c)
        raise PublicationError(f"{where}.category: {common.shown(category)} is not a category "
                               f"of {kind} ({allowed})")
    return Decision(kind=kind, category=None if category == "SSA" else category,
                    date=common.field(entry, "date", where, common.iso_date),
                    party=common.field(entry, "party", where, common.party_ref(parties)),
                    outcome=common.optional(entry, "outcome", where, common.line) or "")


def _paragraphs(text: str) -> list[str]:
    """A highlight's text: its paragraphs (split on blank lines), each one line."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        if paragraph.strip():
            lines += [common.one_line(paragraph), ""]
    return lines


def _cell(value: str) -> str:
    """A table cell: one line, a `|` escaped."""
    return common.one_line(value).replace("|", "\\|")
