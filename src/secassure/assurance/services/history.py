"""Importing the register with its assessment history (the interchange format, `secassure
import` and the API): the register's part goes through `registry.services.save_parties`, the
history through `record_history` here, in one transaction: all of it or none of it."""
from __future__ import annotations

import dataclasses
from typing import Any

from django.db import transaction

from secassure.code.categories import AssessmentType
from secassure.code.classification import Classification
from secassure.code.interchange import PartyRecord, RegisterFormatError, parse_register
from secassure.code.permissions import Action
from secassure.code.tracks import Assessment as HistoryItem
from secassure.code.workflow import Stage
from secassure.core.deletion import taken_along
from secassure.core.journal.services import record
from secassure.core.permissions import require
from secassure.core.retry import retried
from secassure.registry.models import Party, PartyRole
from secassure.registry.selectors import known_parties
from secassure.registry.services import ImportResult, save_parties

from ..models import Assessment, Category
from .sharing import record_served_users


@retried
def import_register(actor: Any, document: object,
                    reason: str = "register import") -> ImportResult:
    """Load an interchange document: all of it or, on the first problem, none of it.

    Parties already in the register get the document's register facts and assessment history;
    parties not named in it are left as they are."""
    require(actor, Action.EDIT_REGISTER)
    records = parse_register(document, **known_parties())
    with transaction.atomic():
        result = save_parties(actor, records, reason)
        record_history(actor, records, reason)
    return result


def record_history(actor: Any, records: list[PartyRecord], reason: str) -> None:
    """Make the history brought in from outside (assessments at stage RECORDED) that of the
    records: what the document repeats is kept as it is, what it adds is created, and what it
    no longer carries is removed only when nothing refers to it (otherwise the import is
    refused, naming what would be lost). Assessments run on the platform, with their reports,
    responses and decisions, are kept, and history that repeats one of them is not added
    twice. Each party whose history changes is journaled (G8.33)."""
    require(actor, Action.EDIT_REGISTER)
    records = [_determination_on_latest(r) for r in records]
    parties = {p.party_id: p for p in Party.objects.filter(party_id__in=[r.id for r in records])}
    by_pk = {p.pk: p for p in parties.values()}
    recorded: dict[tuple, Assessment] = {}
    for assessment in Assessment.objects.filter(party__in=parties.values(),
                                                stage=Stage.RECORDED.value).order_by(
            "id").prefetch_related("roles"):
        recorded.setdefault(_facts(by_pk[assessment.party_id].party_id, assessment), assessment)
    worked = set(Assessment.objects.filter(party__in=parties.values(), completed__isnull=False)
                 .exclude(stage=Stage.RECORDED.value)
                 .values_list("party_id", "category", "completed"))
    wanted = {(rec.id, *_item(a)): a for rec in records for a in rec.assessments
              if (parties[rec.id].pk, _category(a), a.completed) not in worked}
    going = [a for key, a in recorded.items() if key not in wanted]
    lost = taken_along(going)
    if lost:
        raise RegisterFormatError(f"removing history that the document no longer carries would "
                                  f"also remove {', '.join(lost)}", None, "assessments")
    Assessment.objects.filter(pk__in=[a.pk for a in going]).delete()
    created = Assessment.objects.bulk_create(
        Assessment(party=parties[key[0]], category=_category(a), completed=a.completed,
                   initial=a.initial,
                   assurance_status=a.assurance_status.value if a.assurance_status else "",
                   status_set=a.status_set, follow_up_by=a.follow_up_by,
                   follow_up_satisfied_on=a.panel_satisfied,
                   premises_domestic=a.premises.domestic if a.premises else None,
                   premises_non_domestic=a.premises.non_domestic if a.premises else None,
                   ssc_next_category=a.ssc_next_category.value if a.ssc_next_category else "")
        for key, a in wanted.items() if key not in recorded)
    _cover_roles(created, [a for key, a in wanted.items() if key not in recorded])
    record_served_users(created)  # G10.7: the provider's Users when it is recorded
    changed = {by_pk[a.party_id].party_id for a in going} | {key[0] for key in wanted
                                                   if key not in recorded}
    for party_id in sorted(changed):
        record(actor, "assurance.history_recorded", reason=reason,
               clause="G9.3(b)(i)" if parties[party_id].is_dcc else "G8.33",
               party=parties[party_id], subject=f"party:{party_id}",
               details={"assessments": sum(1 for key in wanted if key[0] == party_id)},
               classification=Classification.RED)


def _determination_on_latest(rec: PartyRecord) -> PartyRecord:
    """A party-level `ssc_next_category` is the SSC's determination following the party's
    latest assessment (G12.8): the platform keeps it there, never on the party."""
    if rec.ssc_next_category is None or not rec.assessments:
        return dataclasses.replace(rec, ssc_next_category=None)
    latest = max(range(len(rec.assessments)), key=lambda i: rec.assessments[i].completed)
    items = list(rec.assessments)
    if items[latest].ssc_next_category is None:
        items[latest] = dataclasses.replace(items[latest],
                                            ssc_next_category=rec.ssc_next_category)
    return dataclasses.replace(rec, assessments=tuple(items), ssc_next_category=None)


def _category(a: HistoryItem) -> str:
    """The category of the database for an interchange type (the DCC's annual one: G9.3)."""
    return str(Category.DCC_FULL) if a.type == AssessmentType.DCC else a.type.value


def _cover_roles(created: list[Assessment], items: list[HistoryItem]) -> None:
    """The User Roles each created assessment covers (G8.30(a)(i)), where the document says."""
    through = Assessment.roles.through
    held = {(r.party_id, r.role): r.pk for r in PartyRole.objects.filter(
        party_id__in={a.party_id for a in created})}
    through.objects.bulk_create(
        through(assessment_id=assessment.pk, partyrole_id=held[(assessment.party_id, role)])
        for assessment, item in zip(created, items, strict=True)
        for role in sorted(item.roles or ()))


def _item(a: HistoryItem) -> tuple:
    return (_category(a), a.completed, a.initial,
            a.assurance_status.value if a.assurance_status else "", a.status_set,
            tuple(sorted(a.roles)) if a.roles else (),
            (a.premises.domestic, a.premises.non_domestic) if a.premises else None,
            a.follow_up_by, a.panel_satisfied,
            a.ssc_next_category.value if a.ssc_next_category else "")


def _facts(party_id: str, assessment: Assessment) -> tuple:
    premises = None if assessment.premises_domestic is None else (
        assessment.premises_domestic, assessment.premises_non_domestic or 0)
    satisfied = assessment.follow_up_satisfied_on \
        if assessment.category == Category.FOLLOW_UP else None
    return (party_id, assessment.category, assessment.completed, assessment.initial,
            assessment.assurance_status, assessment.status_set,
            tuple(sorted(r.role for r in assessment.roles.all())), premises,
            assessment.follow_up_by, satisfied, assessment.ssc_next_category)
