"""Queries over the thresholds register and the quarantine desk, shared by views, API, CLI."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils import timezone

from secassure.code.roles import UserRole
from secassure.registry.models import UserId
from secassure.code.srv import RequiredThreshold, required_thresholds

from .models import (CriticalTestStatus, QuarantinedCommunication, ServiceReferenceVariant,
                     Threshold)


def thresholds_csv() -> str:
    """Every threshold in the engine's format: user_id,srv,counter,warning,quarantine
    (`*` for the DCC's thresholds across all Users)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["user_id", "srv", "counter", "warning", "quarantine"])
    rows = Threshold.objects.values_list("user_id__value", "srv__srv", "counter", "warning",
                                         "quarantine").order_by("id")
    for user_id, srv, counter, warning, quarantine in rows:
        writer.writerow([user_id or "*", srv, counter, "" if warning is None else warning,
                         quarantine])
    return out.getvalue()


def limits_csv() -> str:
    """The SMETS1 data-value limits in the engine's format: srv,min,max (G6.6(b))."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["srv", "min", "max"])
    for srv, low, high in ServiceReferenceVariant.objects.exclude(
            value_min__isnull=True, value_max__isnull=True).values_list(
            "srv", "value_min", "value_max"):
        writer.writerow([srv, _number(low), _number(high)])
    return out.getvalue()


def _number(value) -> str:
    """A limit as plain digits ("500", "0.25"), empty when there is none."""
    return "" if value is None else format(value.normalize(), "f")


@dataclass(frozen=True)
class Gap:
    user_id: str
    role: UserRole
    required: RequiredThreshold
    problem: str   # "missing", or the G6.4A violation


def coverage(party) -> list[Gap]:
    """The mandatory thresholds each of the party's User IDs lacks (G6.3), and any threshold
    that breaks the zero rule (G6.4A). Four queries."""
    encrypted = frozenset(ServiceReferenceVariant.objects.filter(returns_encrypted=True)
                          .values_list("srv", flat=True))
    user_ids = list(UserId.objects.filter(party_role__party=party).order_by("id")
                    .values_list("pk", "value", "party_role__role"))
    have = {(u, s, c): q for u, s, c, q in Threshold.objects.filter(
        user_id__party_role__party=party).values_list("user_id", "srv__srv", "counter",
                                                      "quarantine")}
    passed = set(CriticalTestStatus.objects.filter(user_id__party_role__party=party,
                                                   passed=True)
                 .values_list("user_id", "srv__srv"))
    gaps = []
    for pk, value, role in user_ids:
        for needed in required_thresholds(UserRole(role), encrypted):
            level = have.get((pk, needed.srv, needed.counter))
            if level is None:
                gaps.append(Gap(value, UserRole(role), needed, "missing"))
            elif needed.counter == "critical" and (pk, needed.srv) not in passed and level:
                gaps.append(Gap(value, UserRole(role), needed,
                                "not tested: must be 0 (G6.4A)"))
    return gaps


def quarantine_queue(user, status: str = QuarantinedCommunication.Status.PENDING):
    """The desk as `user` may see it (the owner its own; the DCC all), oldest first, with age."""
    return (QuarantinedCommunication.objects.visible_to(user).filter(status=status)
            .select_related("user_id__party_role__party")
            .annotate(age=timezone.now() - F("ts")).order_by("ts"))


def queue_ages(user) -> dict[str, int]:
    """How many pending communications per party, for the DCC's overview."""
    counts: dict[str, int] = defaultdict(int)
    for party_id in quarantine_queue(user).values_list("user_id__party_role__party__party_id",
                                                       flat=True):
        counts[party_id or "(unknown User ID)"] += 1
    return dict(counts)


def awaiting_dcc_opinion(user) -> QuerySet[Threshold]:
    """Users' thresholds on which the DCC has given no opinion yet (G6.9), as `user` may see
    them, oldest first (one query per use)."""
    return (Threshold.objects.visible_to(user).filter(user_id__isnull=False, dcc_opinion="")
            .select_related("user_id__party_role__party", "srv").order_by("set_at", "id"))
