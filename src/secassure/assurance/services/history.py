"""Importing the register with its assessment history (the interchange format, `secassure
import` and the API): the register's part goes through `registry.services.save_parties`, the
history through `record_history` here, in one transaction: all of it or none of it."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from secassure.code.classification import Classification
from secassure.code.interchange import PartyRecord, RegisterFormatError, parse_register
from secassure.code.permissions import Action
from secassure.code.tracks import Assessment as HistoryItem
from secassure.code.workflow import Stage
from secassure.core.deletion import taken_along
from secassure.core.journal.services import record
from secassure.core.permissions import require
from secassure.core.retry import retried
from secassure.registry.models import Party
from secassure.registry.selectors import known_parties
from secassure.registry.services import ImportResult, save_parties

from ..models import Assessment


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
    parties = {p.party_id: p for p in Party.objects.filter(party_id__in=[r.id for r in records])}
    by_pk = {p.pk: p for p in parties.values()}
    recorded: dict[tuple, Assessment] = {}
    for assessment in Assessment.objects.filter(party__in=parties.values(),
                                                stage=Stage.RECORDED.value).order_by("id"):
        recorded.setdefault(_facts(by_pk[assessment.party_id].party_id, assessment), assessment)
    worked = set(Assessment.objects.filter(party__in=parties.values(), completed__isnull=False)
                 .exclude(stage=Stage.RECORDED.value)
                 .values_list("party_id", "category", "completed"))
    wanted = {(rec.id, *_item(a)): a for rec in records for a in rec.assessments
              if (parties[rec.id].pk, a.type.value, a.completed) not in worked}
    going = [a for key, a in recorded.items() if key not in wanted]
    lost = taken_along(going)
    if lost:
        raise RegisterFormatError(f"removing history that the document no longer carries would "
                                  f"also remove {', '.join(lost)}", None, "assessments")
    Assessment.objects.filter(pk__in=[a.pk for a in going]).delete()
    Assessment.objects.bulk_create(
        Assessment(party=parties[key[0]], category=a.type.value, completed=a.completed,
                   initial=a.initial,
                   assurance_status=a.assurance_status.value if a.assurance_status else "",
                   status_set=a.status_set)
        for key, a in wanted.items() if key not in recorded)
    changed = {by_pk[a.party_id].party_id for a in going} | {key[0] for key in wanted
                                                   if key not in recorded}
    for party_id in sorted(changed):
        record(actor, "assurance.history_recorded", reason=reason, clause="G8.33",
               party=parties[party_id], subject=f"party:{party_id}",
               details={"assessments": sum(1 for key in wanted if key[0] == party_id)},
               classification=Classification.RED)


def _item(a: HistoryItem) -> tuple:
    return (a.type.value, a.completed, a.initial,
            a.assurance_status.value if a.assurance_status else "", a.status_set)


def _facts(party_id: str, assessment: Assessment) -> tuple:
    return (party_id, assessment.category, assessment.completed, assessment.initial,
            assessment.assurance_status, assessment.status_set)
