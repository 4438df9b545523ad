"""A party's assurance, for its register page: its assessments, its provider's (G10.8), whether
it may triage (G12.7) and whether the reader may book its next assessment (G8.40)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from secassure.code.findings import triage_permitted
from secassure.code.roles import UserRole
from secassure.code.workflow import PARTY_SIDE, RULES, Act, Stage
from secassure.core.visibility import person_kind
from secassure.registry.models import Party

from ..models import Assessment, Category
from .records import FOLLOW_UPS


@dataclass
class PartyAssurance:
    assessments: list[Assessment]
    provider_assessments: list[Assessment]
    triage: tuple | None      # (permitted, clause, why, the assessment it rests on) or None
    can_book: bool

    @property
    def booked(self) -> Assessment | None:
        """The open booking that stands in for the party's next assessment (G8.40)."""
        return next((a for a in self.assessments if a.stage == Stage.BOOKED.value
                     and a.category not in FOLLOW_UPS), None)


def may_book(user: Any, party: Party) -> bool:
    """SECAS books for anyone; a party's own people for their party (G8.40: the User
    schedules its assessment). No query."""
    kind = person_kind(user)
    return kind in RULES[Act.BOOK].who and (kind not in PARTY_SIDE or user.party_id == party.pk)


def party_assurance(user: Any, party: Party) -> PartyAssurance:
    """A party's assessments, its provider's (G10.8) and whether it may triage (G12.7):
    one query, plus one for a Shared Resource User and one for a Triage Facility Provider.
    `party.roles` must be prefetched (registry.selectors.visible_parties does)."""
    visible = (Assessment.objects.visible_to(user)
               .select_related("assessor", "compliance_status").order_by("-id"))
    provider: list[Assessment] = []
    if party.resource_provider_id:
        provider = list(visible.filter(party_id=party.resource_provider_id)
                        .exclude(stage=Stage.CANCELLED.value))
    triage = None
    if any(r.role == UserRole.TRIAGE_FACILITY_PROVIDER.value for r in party.roles.all()):
        entry = (visible.filter(party=party, category=Category.FULL, initial=True)
                 .exclude(assurance_status="").order_by("-status_set", "-id").first())
        triage = (*triage_permitted(entry.assurance_status if entry else None,
                                    bool(entry and entry.triage_approved_on)), entry)
    return PartyAssurance(assessments=list(visible.filter(party=party)),
                          provider_assessments=provider, triage=triage,
                          can_book=may_book(user, party))

