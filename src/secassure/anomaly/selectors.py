"""The one read layer of the thresholds register and the quarantine desk, used by its pages,
its API and its command line alike.

Every query of confidential records starts from `Model.objects.visible_to(user)` (a record
you may not see is not there: a 404); the SRVs of the DUIS are reference data, read by all.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from secassure.code.classification import PersonKind
from secassure.code.roles import UserRole
from secassure.code.srv import RequiredThreshold, required_thresholds
from secassure.core.visibility import person_kind
from secassure.registry.models import Party, UserId

from . import consultations
from .models import (
    CriticalTestStatus,
    DeskNotice,
    QuarantinedCommunication,
    ServiceReferenceVariant,
    SignedSubmission,
    SigningKey,
    Threshold,
    ThresholdException,
    TrafficBucket,
)

# --- The register: thresholds, SRVs, User IDs -------------------------------------------------

def thresholds(user: Any) -> QuerySet[Threshold]:
    """The thresholds `user` may see (G6.3, G6.6(a)), with their User ID, party, SRV and the
    signed file that set them (one query)."""
    return (Threshold.objects.visible_to(user)
            .select_related("user_id__party_role__party", "srv", "submission"))


def party_thresholds(user: Any, party: Party) -> QuerySet[Threshold]:
    """The thresholds of `party`'s User IDs that `user` may see."""
    return thresholds(user).filter(user_id__party_role__party=party)


def dcc_levels(user: Any, **where: Any) -> dict[tuple[str, str], Threshold]:
    """The DCC's thresholds across all Users that `user` may see (G6.6(a)), by (SRV,
    counter); `where` narrows them (e.g. `srv=variant`). One query."""
    return {(t.srv.srv, t.counter): t
            for t in thresholds(user).filter(user_id__isnull=True, **where)}


def srvs() -> QuerySet[ServiceReferenceVariant]:
    """The SRVs of the DUIS, in their order, with what the DCC keeps about them (reference
    data: G6.4(b), G6.6(b))."""
    return ServiceReferenceVariant.objects.all()


def user_ids(party: Party) -> list[tuple[str, UserRole]]:
    """The party's User IDs and the User Role each is used in, by value (one query)."""
    return [(value, UserRole(role)) for value, role in UserId.objects.filter(
        party_role__party=party).order_by("value").values_list("value", "party_role__role")]


def user_id_of(party: Party, value: str) -> UserId | None:
    """The party's User ID `value`, or None if it is not one of the party's."""
    return UserId.objects.filter(value=value, party_role__party=party).first()


def critical_test_statuses(user: Any, party: Party) -> QuerySet[CriticalTestStatus]:
    """Whether each of the party's User IDs passed testing for a Critical Service Request
    (G6.4A), as `user` may see it, by User ID and SRV."""
    return (CriticalTestStatus.objects.visible_to(user)
            .filter(user_id__party_role__party=party)
            .select_related("user_id", "srv", "recorded_by")
            .order_by("user_id__value", "srv__position"))


def signing_keys(user: Any, party: Party | None = None) -> QuerySet[SigningKey]:
    """Registered public keys for signed files (G6.6A) that `user` may see, newest first."""
    found = SigningKey.objects.visible_to(user).select_related("party", "registered_by")
    return (found.filter(party=party) if party is not None else found).order_by("-id")


def submissions(user: Any, party: Party | None = None) -> QuerySet[SignedSubmission]:
    """Signed files received (G6.6A), applied or refused, that `user` may see, newest first."""
    found = SignedSubmission.objects.visible_to(user).select_related("party", "submitted_by")
    return found.filter(party=party) if party is not None else found


def thresholds_csv() -> str:
    """Every threshold in the engine's format: user_id,srv,command,counter,warning,quarantine
    (`*` for the DCC's thresholds across all Users; a Critical Command not related to an SRV,
    G6.6(c), has `srv` empty and its `command`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["user_id", "srv", "command", "counter", "warning", "quarantine"])
    rows = Threshold.objects.values_list("user_id__value", "srv__srv", "command", "counter",
                                         "warning", "quarantine").order_by("id")
    for user_id, srv, command, counter, warning, quarantine in rows:
        writer.writerow([user_id or "*", srv or "", command, counter,
                         "" if warning is None else warning, quarantine])
    return out.getvalue()


#: The header `secassure adt run --exceptions` reads (G6.1(a)(i)).
EXCEPTIONS_HEADER = ["user_id", "srv", "command", "counter", "from", "to", "warning",
                     "quarantine"]


def utc_text(moment: datetime) -> str:
    """An instant as the engine reads it: ISO 8601 in UTC, `Z`, to the microsecond."""
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f").removesuffix(".000000")
    return text + "Z"


def exceptions_csv() -> str:
    """Every exception held, in the header of `adt run --exceptions` (G6.1(a)(i))."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXCEPTIONS_HEADER)
    rows = ThresholdException.objects.values_list(
        "threshold__user_id__value", "threshold__srv__srv", "threshold__command",
        "threshold__counter", "starts", "ends", "warning", "quarantine").order_by("id")
    for user_id, srv, command, counter, starts, ends, warning, quarantine in rows:
        writer.writerow([user_id or "*", srv or "", command, counter, utc_text(starts),
                         utc_text(ends), "" if warning is None else warning, quarantine])
    return out.getvalue()


def threshold_exceptions(user: Any, threshold: Threshold | None = None,
                         party: Party | None = None) -> QuerySet[ThresholdException]:
    """The exceptions `user` may see (visible as their threshold is), of one threshold or of
    one party's thresholds, by key and time."""
    found = (ThresholdException.objects.visible_to(user)
             .select_related("threshold__user_id", "threshold__srv", "submission"))
    if threshold is not None:
        found = found.filter(threshold=threshold)
    if party is not None:
        found = found.filter(threshold__user_id__party_role__party=party)
    return found.order_by("threshold__user_id__value", "threshold__srv__position",
                          "threshold__counter", "starts", "id")


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


def _number(value: Decimal | None) -> str:
    """A limit as plain digits ("500", "0.25"), empty when there is none."""
    return "" if value is None else format(value.normalize(), "f")


@dataclass(frozen=True)
class Gap:
    user_id: str
    role: UserRole
    required: RequiredThreshold
    problem: str   # "missing", or the G6.4A violation


def coverage(party: Party) -> list[Gap]:
    """The mandatory thresholds each of the party's User IDs lacks (G6.3), and any threshold
    that breaks the zero rule (G6.4A), each once. Four queries."""
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


# --- The quarantine desk --------------------------------------------------------------------

def quarantine_queue(user: Any, status: str = str(QuarantinedCommunication.Status.PENDING)
                     ) -> QuerySet[QuarantinedCommunication]:
    """The desk as `user` may see it (the owner its own; the DCC all), oldest first, with age."""
    return (QuarantinedCommunication.objects.visible_to(user).filter(status=status)
            .select_related("user_id__party_role__party")
            .annotate(age=timezone.now() - F("ts")).order_by("ts", "pk"))


def deletions(user: Any, notice: int | None = None) -> QuerySet[QuarantinedCommunication]:
    """The communications the DCC deleted (G6.1(d)(i)) that `user` may see, newest first:
    read-only on the desk; `notice` narrows them to one notice's."""
    found = (QuarantinedCommunication.objects.visible_to(user)
             .filter(decision=QuarantinedCommunication.Decision.DELETE)
             .select_related("user_id__party_role__party").order_by("-ts", "-pk"))
    return found.filter(notice_id=notice) if notice is not None else found


#: Who reads the owner's notices: the party's own people, the DCC and SECAS
#: (G6.1(a)(ii), G6.1(d)(i)); not the SSC, the Panel or assessors.
NOTICE_READERS = frozenset({PersonKind.PARTY_REP, PersonKind.TRIAGE_OPERATOR, PersonKind.DCC,
                            PersonKind.SECAS})


def desk_notices(user: Any) -> QuerySet[DeskNotice]:
    """The notices of quarantined and deleted communications `user` may read, newest first."""
    if person_kind(user) not in NOTICE_READERS:
        return DeskNotice.objects.none()
    return DeskNotice.objects.visible_to(user).select_related("party")


def queue_overview(user: Any) -> QuerySet:
    """Per party you may see: pending communications and the oldest one's time, oldest first
    (the DCC's view of the desk, G6.1(a)(iii)); `party` is None for an unknown User ID."""
    return (quarantine_queue(user).order_by()
            .values(party=F("user_id__party_role__party__party_id"))
            .annotate(pending=Count("id"), oldest=Min("ts")).order_by("oldest"))


def queue_ages(user: Any) -> dict[str, int]:
    """How many pending communications per party, for the DCC's overview."""
    counts: dict[str, int] = defaultdict(int)
    for party_id in quarantine_queue(user).values_list("user_id__party_role__party__party_id",
                                                       flat=True):
        counts[party_id or "(unknown User ID)"] += 1
    return dict(counts)


def awaiting_dcc_opinion(user: Any) -> QuerySet[Threshold]:
    """Users' thresholds on which the DCC has given no opinion yet (G6.9), as `user` may see
    them, oldest first (one query per use)."""
    return (Threshold.objects.visible_to(user).filter(user_id__isnull=False, dcc_opinion="")
            .select_related("user_id__party_role__party", "srv").order_by("set_at", "id"))


# --- The charts (G6.3, G6.1(a)(ii), G6.1(d)(i)) -----------------------------------------------

#: Who sees the charts per User ID: the party's own people (its own User IDs), the DCC and
#: SECAS; the SSC sees the desk per day aggregated, without User IDs.
TRAFFIC_READERS = NOTICE_READERS


def traffic_keys(user: Any) -> QuerySet:
    """The keys with a traffic summary `user` may chart, with their party, buckets and last
    bucket (one query); none for a person who does not read charts per User ID."""
    if person_kind(user) not in TRAFFIC_READERS:
        return TrafficBucket.objects.none().values()
    return (TrafficBucket.objects.visible_to(user).order_by()
            .values("user_id_value", "srv", "command", "counter",
                    party=F("user_id__party_role__party__party_id"))
            .annotate(buckets=Count("id"), last=Max("starts"), peak=Max("peak"))
            .order_by("user_id_value", "srv", "command", "counter"))


def traffic_series(user: Any, user_id: str, srv: str, command: str,
                   counter: str) -> list[TrafficBucket]:
    """One key's buckets `user` may see, oldest first, of the window and bucket size loaded
    last for it (one setting per chart)."""
    if person_kind(user) not in TRAFFIC_READERS:
        return []
    found = TrafficBucket.objects.visible_to(user).filter(
        user_id_value=user_id, srv=srv, command=command, counter=counter)
    latest = found.order_by("-loaded_at", "-id").values_list("window_seconds",
                                                             "bucket_seconds").first()
    if latest is None:
        return []
    return list(found.filter(window_seconds=latest[0], bucket_seconds=latest[1])
                .order_by("starts"))


def key_threshold(user: Any, user_id: str, srv: str, counter: str) -> Threshold | None:
    """The User's threshold of a key, as `user` may see it (None if there is none)."""
    return thresholds(user).filter(user_id__value=user_id, srv__srv=srv,
                                   counter=counter).first()


def desk_per_day(user: Any, since: datetime | None = None, until: datetime | None = None,
                 by_party: bool = False) -> list[dict[str, Any]]:
    """Quarantines and deletions per day (UTC) of what `user` may see on the desk, oldest
    first; per party when `by_party` (for the DCC, SECAS and the report). One query."""
    found = QuarantinedCommunication.objects.visible_to(user)
    if since is not None:
        found = found.filter(ts__gte=since)
    if until is not None:
        found = found.filter(ts__lt=until)
    fields = ["day", "party"] if by_party else ["day"]
    rows = (found.order_by().annotate(day=TruncDate("ts", tzinfo=UTC),
                                      party=F("user_id__party_role__party__party_id"))
            .values(*fields).annotate(
                quarantined=Count("id", filter=Q(decision="quarantine")),
                deleted=Count("id", filter=Q(decision="delete")))
            .order_by(*fields))
    return list(rows)


# --- The Anomaly Detection Report the DCC presents to the SSC (RED) ------------------------

#: Who reads the report: the SSC, the DCC and SECAS; anyone else is answered 404.
REPORT_READERS = frozenset({PersonKind.SSC_MEMBER, PersonKind.DCC, PersonKind.SECAS})


@dataclass(frozen=True)
class Report:
    start: datetime
    end: datetime
    dcc_thresholds: list[Threshold]
    dcc_changed: list[consultations.Notice]
    user_notified: list[dict[str, Any]]
    exceptions: list[dict[str, Any]]
    per_day: list[dict[str, Any]]
    per_day_party: list[dict[str, Any]]
    oldest_pending: list[QuarantinedCommunication]
    overdue: list[dict[str, Any]]


def anomaly_report(user: Any, start: datetime, end: datetime) -> Report | None:
    """The DCC's Anomaly Detection Report to the SSC for [start, end) (RED): the DCC's
    thresholds and those it set in the period, the Users' thresholds notified in it (G6.8(b):
    counts per SRV and counter, no User IDs), exceptions in force (no User IDs), quarantines
    and deletions per day and party, the oldest pending quarantines, thresholds overdue for
    review (G6.10(a), by the period SECAS sets). None for a person who may not read it (the
    page answers 404)."""
    if person_kind(user) not in REPORT_READERS:
        return None
    visible = thresholds(user)
    dcc = list(visible.filter(user_id__isnull=True).order_by("srv__position", "command",
                                                             "counter"))
    fed = consultations.notices(user, since=start, until=end)
    counted_keys: dict[tuple[str, str], int] = defaultdict(int)
    for notice in fed:
        if notice.kind == "user":
            counted_keys[notice.target, notice.counter] += 1
    notified = [{"srv": target, "counter": counter, "count": n}
                for (target, counter), n in sorted(counted_keys.items())]
    exceptions = list(ThresholdException.objects.visible_to(user)
                      .filter(starts__lt=end, ends__gt=start).order_by()
                      .values("threshold__srv__srv", "threshold__counter", "starts", "ends")
                      .annotate(count=Count("id"), highest=Max("quarantine"))
                      .order_by("starts", "threshold__srv__srv"))
    cutoff = consultations.review_cutoff(end)
    overdue = list(visible.filter(Q(reviewed_at__isnull=True, set_at__lt=cutoff)
                                  | Q(reviewed_at__lt=cutoff)).order_by()
                   .values(party=F("user_id__party_role__party__party_id"))
                   .annotate(count=Count("id")).order_by("party"))
    return Report(start, end, dcc, [n for n in fed if n.kind == "dcc"], notified,
                  exceptions, desk_per_day(user, start, end),
                  desk_per_day(user, start, end, by_party=True),
                  list(quarantine_queue(user)[:10]), overdue)
