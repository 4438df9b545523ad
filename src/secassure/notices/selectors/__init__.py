"""The one read layer of notices, for pages, API, exports, the attention page and the CLI.
Every query starts from `visible_to(user)`: a notice a person may not see is a missing one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, Prefetch, QuerySet

from secassure.core.permissions import SystemActor
from secassure.registry.models import Party

from ..models import CplEntry, Notice, ProviderList, RemedialPlan, SmsCount
from ..rules import FINAL, REMIND_DAYS, Kind, State, next_count_due


def visible(model: Any, user: Any) -> QuerySet:
    """`model`'s records `user` may see (every record for the server's own operator)."""
    if isinstance(user, SystemActor):
        return model.objects.all()
    return model.objects.visible_to(user)


def notices(user: Any, *, kind: str = "", state: str = "", party: str = "") -> QuerySet:
    query = visible(Notice, user).select_related("party", "provider")
    if kind:
        query = query.filter(kind=kind)
    if state:
        query = query.filter(state=state)
    if party:
        query = query.filter(party__party_id=party)
    return query


def notice(user: Any, pk: int) -> Notice | None:
    """The notice `pk` if `user` may see it; None (a 404) whether hidden or missing."""
    return notices(user).filter(pk=pk).first()


def review_queue(user: Any) -> QuerySet:
    """The notices waiting on the SSC, oldest first (the next meeting's business)."""
    return notices(user, state=State.FILED.value).order_by("filed_at", "id")


@dataclass(frozen=True)
class CountDue:
    """G5.27: when a User's next count of Smart Metering Systems is due."""

    party: Party
    last: date | None
    last_count: int | None
    due: date

    def overdue(self, as_of: date) -> bool:
        return self.due < as_of

    def soon(self, as_of: date) -> bool:
        return as_of <= self.due <= as_of + timedelta(days=REMIND_DAYS)


def counts_due(user: Any) -> list[CountDue]:
    """Every User employing Shared Resources that `user` may see and when its next G5.27 count
    is due: six months after its last (G5.27(b)), or, with none yet, at once from its
    Shared Resources notice (G5.27(a): as soon as reasonably practicable)."""
    employing = (notices(user, kind=Kind.SHARED_RESOURCES.value)
                 .exclude(state=State.REFUSED.value).values("party_id")
                 .annotate(first=Max("event_on")))
    started = {row["party_id"]: row["first"] for row in employing}
    latest: dict[int, SmsCount] = {}
    for row in visible(SmsCount, user).order_by("party_id", "-reported_on", "-id"):
        latest.setdefault(row.party_id, row)
    parties = Party.objects.in_bulk(set(started) | set(latest))
    found = []
    for pk, party in parties.items():
        last = latest.get(pk)
        due = next_count_due(last.reported_on) if last else started[pk]
        found.append(CountDue(party, last.reported_on if last else None,
                              last.count if last else None, due))
    return sorted(found, key=lambda c: (c.due, c.party.party_id))


def steps_overdue(user: Any, as_of: date) -> QuerySet:
    """Vulnerabilities whose stated completion time has passed with no completion reported."""
    return notices(user, kind=Kind.VULNERABILITY.value).filter(
        complete_by__lt=as_of, completed_on__isnull=True).exclude(state__in=sorted(FINAL))


def operational_without_authorisation(user: Any) -> QuerySet:
    """New systems a User brought into operation before the SSC authorised them
    (G3.9(a)(iii))."""
    return notices(user, kind=Kind.NEW_SYSTEM.value).filter(
        operational_on__isnull=False).exclude(state=State.AUTHORISED.value)


def incidents_without_assessment(user: Any) -> QuerySet:
    """Major Security Incidents whose vulnerability assessment (G3.8(c)) is not yet linked."""
    return notices(user, kind=Kind.INCIDENT.value).filter(
        follow_on_assessment__isnull=True).exclude(state__in=sorted(FINAL))


def provider_lists(user: Any) -> QuerySet:
    """Providers' lists (G10.4), each list's Users in the order of their party ids."""
    return visible(ProviderList, user).select_related("provider").prefetch_related(
        Prefetch("users", queryset=Party.objects.order_by("party_id")))


def current_provider_lists(user: Any) -> list[ProviderList]:
    """G10.4(c): the SSC's current copy of each provider's list (the newest submitted)."""
    newest: dict[int, ProviderList] = {}
    for row in provider_lists(user).order_by("provider_id", "-submitted_on", "-id"):
        newest.setdefault(row.provider_id, row)
    return list(newest.values())


def cpl_entries(user: Any) -> QuerySet:
    return visible(CplEntry, user).select_related("party")


def remedial_plans(user: Any) -> QuerySet:
    return visible(RemedialPlan, user).select_related("party", "entry")


def plans_waiting(user: Any) -> QuerySet:
    """CPA Certificate Remedial Plans waiting on the SSC's review (G8.64), the earliest review
    date first."""
    return remedial_plans(user).filter(state="filed").order_by("review_by", "id")
