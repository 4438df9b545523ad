"""Importing the register with its assessment history (the interchange format, `secassure
import` and the API): the register's part goes through `registry.services.save_parties`, the
history through `record_history` here, in one transaction: all of it or none of it."""
from __future__ import annotations

from django.db import transaction

from secassure.code.classification import Classification
from secassure.code.interchange import PartyRecord, parse_register
from secassure.code.permissions import Action
from secassure.code.workflow import Stage
from secassure.core.journal.services import record
from secassure.core.permissions import require
from secassure.registry.models import Party
from secassure.registry.selectors import known_parties
from secassure.registry.services import ImportResult, save_parties

from ..models import Assessment
from ..selectors.schedule import register_records


def import_register(actor, document: object, reason: str = "register import") -> ImportResult:
    """Load an interchange document: all of it or, on the first problem, none of it.

    Parties already in the register get the document's register facts and assessment history;
    parties not named in it are left as they are."""
    require(actor, Action.EDIT_REGISTER)
    records = parse_register(document, **known_parties())
    with transaction.atomic():
        result = save_parties(actor, records, reason)
        record_history(actor, records, reason)
    return result


def record_history(actor, records: list[PartyRecord], reason: str) -> None:
    """Replace the history brought in from outside (assessments at stage RECORDED) by the
    records' history. Assessments run on the platform, with their reports, responses and
    decisions, are kept, and history that repeats one of them is not added twice. Each party
    whose history changes is journaled (G8.33)."""
    require(actor, Action.EDIT_REGISTER)
    parties = {p.party_id: p for p in Party.objects.filter(party_id__in=[r.id for r in records])}
    before = {r.id: r.assessments for r in register_records([p.pk for p in parties.values()])}
    Assessment.objects.filter(party__in=parties.values(), stage=Stage.RECORDED.value).delete()
    worked = set(Assessment.objects.filter(party__in=parties.values(), completed__isnull=False)
                 .values_list("party_id", "category", "completed"))
    Assessment.objects.bulk_create(
        Assessment(party=parties[rec.id], category=a.type.value, completed=a.completed,
                   initial=a.initial,
                   assurance_status=a.assurance_status.value if a.assurance_status else "",
                   status_set=a.status_set)
        for rec in records for a in rec.assessments
        if (parties[rec.id].pk, a.type.value, a.completed) not in worked)
    for rec in records:
        if sorted(before.get(rec.id, ()), key=repr) != sorted(rec.assessments, key=repr):
            record(actor, "assurance.history_recorded", reason=reason, clause="G8.33",
                   party=parties[rec.id], subject=f"party:{rec.id}",
                   details={"assessments": len(rec.assessments)},
                   classification=Classification.RED)
