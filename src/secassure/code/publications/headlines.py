"""The SSC's public headlines of a meeting (issue 10, "Publications: a contract"; seed 000).

The document is WHITE: it counts the meeting's RED assurance business without naming anyone,
lists the matters arising and the published agenda items with their classification, and is
refused whole (`matters_arising[3]: names party P1`) when a published text names a party.
"""
from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from . import common
from .common import Party, PublicationError

WHITE_BANNER = ("This document is classified as **White** in accordance with the Panel "
                "Information Policy. Information can be shared with the public and any "
                "members may publish the information, subject to copyright.")
STANDING = (
    "At every meeting, the SSC review the outcome for Users' Security Assessments and sets an "
    "Assurance status for Initial Full User Security Assessments (FUSAs) or a Compliance "
    "status for Verification User Security Assessments (VUSAs) and subsequent FUSAs. The SSC "
    "also reviews outstanding actions, monitors the risks to the Commercial Product Assurance "
    "(CPA) certification of Devices, considers available updates from the DCC on SMETS1 "
    "enrolment and Anomaly Detection and any reported changes in Shared Resource Providers "
    "by Users and reported Security Incidents and Vulnerabilities.")
RED_BUSINESS = ("The SSC reviewed the following which are classified as **RED** and therefore "
                "recorded in the Confidential Meeting Minutes:")
ALSO_DISCUSSED = "The SSC also discussed the following items:"

#: The business a meeting counts, in the order of its bullets, with the wording for one and
#: for N (`{n}` is the count, in words up to ten).
BULLETS: tuple[tuple[str, str | None, str, str], ...] = (
    ("assurance_status", "FUSA", "Set an assurance status for one initial FUSA",
     "Set assurance statuses for {n} initial FUSAs"),
    ("compliance_status", "VUSA", "Set a compliance status for one VUSA",
     "Set compliance statuses for {n} VUSAs"),
    ("compliance_status", "FUSA", "Set a compliance status for one FUSA",
     "Set compliance statuses for {n} FUSAs"),
    ("ssa_noted", None, "Noted one Security Self-Assessment (SSA)",
     "Noted {n} Security Self-Assessments (SSAs)"),
    *((("remediation_plan_approved", category,
        f"Approved one {category} Remediation Plan and Director's Letter",
        f"Approved {{n}} {category} Remediation Plans and Directors' Letters"))
      for category in ("VUSA", "FUSA")),
    *((("remediation_plan_progress", category,
        f"Noted a progress update on one {category} Remediation Plan and Director's Letter",
        f"Noted progress updates on {{n}} {category} Remediation Plans and Directors' Letters"))
      for category in ("VUSA", "FUSA")),
)
#: The categories each kind of business may carry (None: no category).
CATEGORIES: dict[str, tuple[str | None, ...]] = {
    "assurance_status": ("FUSA", None),
    "compliance_status": ("VUSA", "FUSA"),
    "ssa_noted": (None, "SSA"),
    "remediation_plan_approved": ("VUSA", "FUSA"),
    "remediation_plan_progress": ("VUSA", "FUSA"),
}

#: The category a kind always has, whether or not the input says it: an assurance status is
#: set after an initial FUSA (G8.35); a self-assessment has none.
_CATEGORY_OF: dict[str, str | None] = {"assurance_status": "FUSA", "ssa_noted": None}


@dataclass(frozen=True)
class Business:
    kind: str
    category: str | None
    party: Party | None


@dataclass(frozen=True)
class Item:
    """A matter arising or an agenda item (number, title and publish for the agenda)."""
    text: str
    classification: str
    number: int | str | None = None
    title: str = ""
    publish: bool = True


@dataclass(frozen=True)
class Meeting:
    number: int
    date: datetime.date
    next_meeting: datetime.date
    further_information_url: str
    parties: tuple[Party, ...]
    business: tuple[Business, ...]
    matters_arising: tuple[Item, ...]
    agenda: tuple[Item, ...]


def parse_meeting(document: object) -> Meeting:
    """A MEETING.json document, checked field by field in the order of the contract."""
    record = common.mapping(document, "the document")
    number = common.field(record, "number", "", _meeting_number)
    held = common.field(record, "date", "", common.iso_date)
    next_meeting = common.field(record, "next_meeting", "", common.iso_date)
    url = common.field(record, "further_information_url", "", common.line)
    parties = common.parties(record)
    business = []
    for index, entry in enumerate(common.items(record, "business")):
        where = f"business[{index}]"
        kind = common.field(entry, "kind", where, common.one_of(*CATEGORIES))
        category = entry.get("category")
        if category not in CATEGORIES[kind]:
            allowed = " or ".join(c for c in CATEGORIES[kind] if c)
            raise PublicationError(f"{where}.category: {common.shown(category)} is not a "
                                   f"category of {kind} ({allowed})")
        party = common.optional(entry, "party", where, common.party_ref(parties))
        business.append(Business(kind, _CATEGORY_OF.get(kind, category), party))
    matters = tuple(
        Item(common.field(entry, "text", f"matters_arising[{index}]", common.text),
             common.field(entry, "classification", f"matters_arising[{index}]",
                          common.classification))
        for index, entry in enumerate(common.items(record, "matters_arising")))
    agenda = tuple(_agenda_item(entry, f"agenda[{index}]")
                   for index, entry in enumerate(common.items(record, "agenda")))
    return Meeting(number, held, next_meeting, url, tuple(parties), tuple(business), matters,
                   agenda)


def render_headlines(meeting: Meeting) -> list[str]:
    """The headlines as Markdown lines, in the contract's order; PublicationError naming the
    first published item that names a party."""
    agenda = [(index, item) for index, item in enumerate(meeting.agenda) if item.publish]
    common.refuse_named(
        [(f"matters_arising[{index}]", item.text)
         for index, item in enumerate(meeting.matters_arising)]
        + [(f"agenda[{index}]", text) for index, item in agenda
           for text in (item.title, item.text)]
        + [("further_information_url", meeting.further_information_url)],
        meeting.parties)
    lines = [WHITE_BANNER, "",
             f"**Headlines of the Security Sub-Committee (SSC) "
             f"{meeting.number}_{meeting.date:%d%m}**", "", STANDING, ""]
    bullets = business_bullets(meeting.business)
    if bullets:
        lines += [RED_BUSINESS, "", *bullets, ""]
    lines += [ALSO_DISCUSSED, "", "**Matters Arising**", ""]
    lines += [f"- {common.one_line(item.text)}{common.tag(item.classification)}"
              for item in meeting.matters_arising]
    lines += ["", "**Agenda Items**", ""]
    lines += [f"- {item.number}. **{common.one_line(item.title)}:** "
              f"{common.one_line(item.text)}{common.tag(item.classification)}"
              for _, item in agenda]
    lines += ["", "For further information regarding the Security Sub-Committee, please visit "
              f"[here]({meeting.further_information_url}).", "",
              f"Next Meeting: {common.long_date(meeting.next_meeting)}"]
    return lines


def business_bullets(business: tuple[Business, ...]) -> list[str]:
    """One bullet per (kind, category) counted, in the contract's order, ending `;`, the one
    before the last `; and`, the last `.`."""
    counts = Counter((entry.kind, entry.category) for entry in business)
    phrases = [(one if counts[kind, category] == 1 else many.format(
                n=common.number(counts[kind, category])))
               for kind, category, one, many in BULLETS if counts[kind, category]]
    return [f"- {phrase}{_ending(index, len(phrases))}"
            for index, phrase in enumerate(phrases)]


def _ending(index: int, total: int) -> str:
    if index == total - 1:
        return "."
    return "; and" if index == total - 2 else ";"


def _meeting_number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{value!r} is not a meeting number (a whole number from 1)")
    return value


def _agenda_number(value: object) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip() and len(value) <= 20 and value.isprintable():
        return value.strip().rstrip(".")
    raise ValueError(f"{value!r} is not an agenda item number")


def _publish(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _agenda_item(entry: Mapping[str, object], where: str) -> Item:
    """An agenda item; an item not published needs no headline."""
    number = common.field(entry, "number", where, _agenda_number)
    title = common.field(entry, "title", where, common.line)
    classification = common.field(entry, "classification", where, common.classification)
    publish = common.field(entry, "publish", where, _publish)
    if publish:
        headline = common.field(entry, "headline", where, common.text)
    else:
        headline = common.optional(entry, "headline", where, common.text) or ""
    return Item(headline, classification, number, title, publish)
