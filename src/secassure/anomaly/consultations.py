"""The read layer of consultation, notification and review (G6.7(b)-G6.10), used by the pages
and the API alike.

What the SSC is notified of (G6.8) never carries a User ID: a User's threshold is said by its
party, its User Role and its levels, decided here (the feed and the summary have no User ID
field at all), so no page or answer built on them can show one. A User's consultation (G6.9)
is its own people's and the DCC's business; the SSC (and SECAS) see it by party and User Role
only (`shows_user_ids`); anyone else, another party included, does not see it (a 404).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from secassure.code.adt_files import FileFormatError, parse
from secassure.code.classification import USER_PARTY_SIDE, PersonKind
from secassure.code.permissions import Action
from secassure.code.roles import UserRole
from secassure.core.permissions import can
from secassure.core.visibility import person_kind
from secassure.registry.models import UserId

from .models import (
    DccProposal,
    SignedSubmission,
    SscOpinion,
    Threshold,
    ThresholdReview,
    UserConsultation,
)
from .services.review import review_period

#: Who sees a User's consultations: its own people (the query keeps their party's), the DCC;
#: the SSC and SECAS without User IDs.
CONSULTATION_READERS = USER_PARTY_SIDE | {PersonKind.DCC, PersonKind.SSC_MEMBER,
                                          PersonKind.SECAS}


def shows_user_ids(user: Any) -> bool:
    """Whether `user` is shown the User IDs of the consultations it sees: the DCC and the
    party's own people (whose query holds only their own), not the SSC or SECAS (G6.8)."""
    return person_kind(user) in USER_PARTY_SIDE | {PersonKind.DCC}


# --- The DCC's proposals (G6.7(b)) ---------------------------------------------------------

#: Who follows the DCC's proposals: the DCC, the SSC it consults (G6.7(b)), SECAS.
PROPOSAL_READERS = frozenset({PersonKind.DCC, PersonKind.SSC_MEMBER, PersonKind.SECAS})


def proposals(user: Any) -> QuerySet[DccProposal]:
    """The DCC's proposals `user` may see (the DCC, the SSC, SECAS), newest first."""
    if person_kind(user) not in PROPOSAL_READERS:
        return DccProposal.objects.none()
    return (DccProposal.objects.visible_to(user)
            .select_related("srv", "proposed_by", "opinion_by", "closed_by", "threshold"))


# --- Users' consultations (G6.9) -----------------------------------------------------------

def consultations(user: Any) -> QuerySet[UserConsultation]:
    """The consultations `user` may see, newest first: a party's own people theirs, the DCC,
    the SSC and SECAS every party's; no one else any."""
    if person_kind(user) not in CONSULTATION_READERS:
        return UserConsultation.objects.none()
    return (UserConsultation.objects.visible_to(user)
            .select_related("user_id__party_role__party", "srv", "asked_by", "answered_by"))


def consultation_beside(user: Any, rows: list[Threshold]) -> dict[int, UserConsultation]:
    """For each User threshold in `rows`, the newest consultation of its key (User ID, SRV,
    counter) the DCC answered before the level was set, as `user` may see it (one query)."""
    wanted = [t for t in rows if t.user_id_id is not None and t.srv_id is not None]
    if not wanted:
        return {}
    found: dict[tuple[int, int, str], list[UserConsultation]] = {}
    for c in consultations(user).filter(
            state=UserConsultation.State.ANSWERED,
            user_id__in={t.user_id_id for t in wanted}).order_by("-answered_at", "-id"):
        found.setdefault((c.user_id_id, c.srv_id, c.counter), []).append(c)
    beside = {}
    for t in wanted:
        for c in found.get((t.user_id_id, t.srv_id, t.counter), []):
            if c.answered_at is not None and c.answered_at <= t.set_at:
                beside[t.pk] = c
                break
    return beside


def opinions(user: Any, threshold: Threshold) -> QuerySet[SscOpinion]:
    """The SSC's opinions on a threshold (G6.10(b)), newest first."""
    return SscOpinion.objects.visible_to(user).filter(threshold=threshold).select_related(
        "given_by")


def reviews(user: Any, threshold: Threshold) -> QuerySet[ThresholdReview]:
    return ThresholdReview.objects.visible_to(user).filter(threshold=threshold).select_related(
        "reviewed_by")


# --- Review (G6.10) ------------------------------------------------------------------------

def review_cutoff(now: datetime | None = None) -> datetime:
    """A threshold last reviewed (or, never reviewed, set) before this is overdue."""
    months = review_period().months
    return (now or timezone.now()) - timedelta(days=round(months * 365.25 / 12))


def overdue(user: Any) -> QuerySet[Threshold]:
    """The thresholds `user` owns (the DCC its own; a User's own people their party's) not
    reviewed within the period SECAS set (G6.10(a)); SECAS and the SSC see every one. Oldest
    first."""
    cutoff = review_cutoff()
    late = (Q(reviewed_at__isnull=True, set_at__lt=cutoff) | Q(reviewed_at__lt=cutoff))
    rows = Threshold.objects.visible_to(user).filter(late)
    kind = person_kind(user)
    if kind == PersonKind.DCC:
        rows = rows.filter(user_id__isnull=True)
    elif kind in USER_PARTY_SIDE:
        rows = rows.filter(user_id__party_role__party_id=getattr(user, "party_id", None))
    elif kind not in (PersonKind.SECAS, PersonKind.SSC_MEMBER):
        rows = rows.none()
    return rows.select_related("user_id__party_role__party", "srv").order_by("set_at", "id")


def flagged(user: Any) -> list[Threshold]:
    """Thresholds found no longer appropriate and not yet replaced (G6.10(c))."""
    rows = (Threshold.objects.visible_to(user).filter(review_outcome=Threshold.Review.NO_LONGER)
            .select_related("user_id__party_role__party", "srv"))
    return [t for t in rows if t.flagged]


# --- What the DCC notifies the SSC (G6.8) --------------------------------------------------

@dataclass(frozen=True)
class Notice:
    """One threshold the SSC is notified of: the DCC's (G6.8(a)) or a User's (G6.8(b)). No
    User ID: the party and the User Role say whose it is."""

    at: datetime
    kind: str          # "dcc" or "user"
    party: str         # the User's party id; "DCC" for the DCC's
    role: str          # the User Role's label ("" for the DCC's)
    target: str        # the SRV, or the Critical Command (G6.6(c))
    counter: str
    warning: int | None
    quarantine: int
    source: str        # the proposal, or the signed file's identifier


def notices(user: Any, since: datetime | None = None, until: datetime | None = None,
            newest: int | None = None) -> list[Notice]:
    """Every threshold the DCC set (G6.8(a)) and every User threshold notified to it by an
    applied signed file (G6.8(b)), newest first (only the `newest` if given: then only that
    many proposals and files are read); empty unless `user` may read the feed."""
    if not can(user, Action.VIEW_THRESHOLD_NOTICES):
        return []
    found: list[Notice] = []
    # value limits (G6.6(b)) are listed with the proposals, not here: a notice is a count
    sets = DccProposal.objects.filter(state=DccProposal.State.SET,
                                      quarantine__isnull=False).select_related("srv")
    files = SignedSubmission.objects.filter(kind=SignedSubmission.Kind.THRESHOLDS,
                                            status=SignedSubmission.Status.APPLIED)
    if since is not None:
        sets, files = sets.filter(closed_at__gte=since), files.filter(submitted_at__gte=since)
    if until is not None:
        sets, files = sets.filter(closed_at__lt=until), files.filter(submitted_at__lt=until)
    if newest is not None:
        sets = sets.order_by("-closed_at", "-id")[:newest]
        files = files.order_by("-submitted_at", "-id")[:newest]
    for p in sets:
        found.append(Notice(p.closed_at or p.proposed_at, "dcc", "DCC", "", p.target,
                            p.counter, p.warning, p.quarantine or 0, f"proposal {p.pk}"))
    files = list(files.select_related("party"))
    roles = dict(UserId.objects.filter(party_role__party__in={f.party_id for f in files})
                 .values_list("value", "party_role__role"))
    for f in files:
        try:
            document = parse(f.content.encode("utf-8"))
        except FileFormatError:  # applied once, so it parsed then; a later format cannot
            continue
        for line in document.thresholds:
            role = roles.get(line.user_id)
            found.append(Notice(f.submitted_at, "user", f.party.party_id if f.party else "",
                                UserRole(role).label if role else "", line.srv, line.counter,
                                line.warning, line.quarantine, f.identifier))
    found.sort(key=lambda n: (n.at, n.kind, n.party, n.target, n.counter), reverse=True)
    return found[:newest] if newest is not None else found


@dataclass
class SummaryRow:
    """One SRV (or command) and counter in a month: how many User thresholds were set or
    changed, their levels, and the DCC's level (G6.8)."""

    target: str
    counter: str
    user_levels: list[int] = field(default_factory=list)
    dcc_set: list[int] = field(default_factory=list)
    dcc_level: int | None = None

    @property
    def count(self) -> int:
        return len(self.user_levels)

    @property
    def low(self) -> int | None:
        return min(self.user_levels) if self.user_levels else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.user_levels) if self.user_levels else None

    @property
    def high(self) -> int | None:
        return max(self.user_levels) if self.user_levels else None


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime(month.year, month.month, 1))
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, timezone.make_aware(datetime(following.year, following.month, 1))


def monthly_summary(user: Any, month: date) -> list[SummaryRow]:
    """The month's notices (G6.8) per SRV and counter: User thresholds set or changed, their
    lowest, median and highest levels, the DCC's levels set that month and in force now."""
    start, end = month_bounds(month)
    rows: dict[tuple[str, str], SummaryRow] = {}
    for n in notices(user, since=start, until=end):
        row = rows.setdefault((n.target, n.counter), SummaryRow(n.target, n.counter))
        (row.dcc_set if n.kind == "dcc" else row.user_levels).append(n.quarantine)
    if rows:
        for t in Threshold.objects.filter(user_id__isnull=True).select_related("srv"):
            if (t.target, t.counter) in rows:
                rows[(t.target, t.counter)].dcc_level = t.quarantine
    return sorted(rows.values(), key=lambda r: (r.target, r.counter))


@dataclass(frozen=True)
class Waiting:
    """One count of consultation or review work for the home page."""

    label: str
    count: int
    url: str       # a URL name of the anomaly pages
    query: str = ""


def threshold_work(user: Any) -> list[Waiting]:
    """What waits on `user` in consultation and review (G6.7(b), G6.9, G6.10): the DCC its
    proposals to set, its consultations to answer and its own thresholds overdue for review;
    the SSC the proposals awaiting its opinion; a User's own people their party's overdue
    thresholds; SECAS every overdue one. Empty for anyone else."""
    kind = person_kind(user)
    work: list[Waiting] = []
    if kind == PersonKind.DCC:
        work.append(Waiting("DCC proposals with the SSC's opinion, to set (G6.7(b))",
                            proposals(user).filter(
                                state=DccProposal.State.OPINION_GIVEN).count(),
                            "adt-proposals"))
        work.append(Waiting("Users' consultations awaiting the DCC's opinion (G6.9)",
                            consultations(user).filter(
                                state=UserConsultation.State.ASKED).count(),
                            "adt-consultations"))
    if kind == PersonKind.SSC_MEMBER:
        work.append(Waiting("DCC proposals awaiting the SSC's opinion (G6.7(b))",
                            proposals(user).filter(state=DccProposal.State.PROPOSED).count(),
                            "adt-proposals"))
    if kind in USER_PARTY_SIDE | {PersonKind.DCC, PersonKind.SECAS}:
        work.append(Waiting("Thresholds not reviewed within the review period (G6.10)",
                            overdue(user).count(), "adt-reviews"))
    return work
