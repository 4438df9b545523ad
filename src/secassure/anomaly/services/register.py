"""The register's own changes: the DCC's thresholds (G6.6(a)), the SRV reference data (G6.4(b),
G6.6(b)), test status (G6.4A), opinions (G6.9, G6.10(b)) and review dates (G6.10)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from secassure.code.classification import PersonKind
from secassure.code.permissions import Action
from secassure.code.workflow import PARTY_SIDE
from secassure.core.permissions import require
from secassure.core.retry import retried
from secassure.core.visibility import person_kind
from secassure.registry.models import UserId

from ..models import (
    CriticalTestStatus,
    ServiceReferenceVariant,
    SscOpinion,
    Threshold,
)
from .base import (
    ThresholdError,
    check_levels,
    journal,
    party_of,
    person_or_none,
    srv_named,
)
from .consultation import (
    ThresholdConflict,
    limits_proposal_for,
    proposal_for,
    set_proposed_threshold,
)


def set_dcc_threshold(user: Any, srv: str, counter: str, quarantine: int,
                      warning: int | None = None, reason: str = "") -> Threshold:
    """The DCC's threshold across all Users for an SRV (G6.6(a)): set only through a proposal
    on which the SSC has given its opinion (G6.7(b)), the newest with these levels; `reason`
    records how the DCC took the opinion into account. Without one, a conflict (409)."""
    require(user, Action.SET_DCC_THRESHOLD)
    srv_named(srv)
    check_levels(counter, warning, quarantine)
    proposal = proposal_for(srv, counter, quarantine, warning)
    if proposal is None:
        raise ThresholdConflict(
            f"G6.7(b): the DCC sets a threshold only after consulting the SSC: no proposal of "
            f"{srv} {counter} at {quarantine} has the SSC's opinion; propose it first")
    threshold = set_proposed_threshold(user, proposal, reason)
    assert isinstance(threshold, Threshold)  # a proposal of levels sets a threshold
    return threshold


@retried
def keep_srv_reference(user: Any, srv: str, **values: Any) -> ServiceReferenceVariant:
    """The DCC's guidance levels (G6.4(b)), the encrypted-response flag (G6.3(a)(ii)) and the
    SMETS1 data-value limits (G6.6(b))."""
    require(user, Action.KEEP_SRV_REFERENCE)
    allowed = {"returns_encrypted", "guidance_critical", "guidance_encrypted", "value_min",
               "value_max"}
    if set(values) - allowed:
        raise ThresholdError(f"{sorted(set(values) - allowed)[0]}: not a field of an SRV")
    variant = srv_named(srv)
    low = values.get("value_min", variant.value_min)
    high = values.get("value_max", variant.value_max)
    if low is not None and high is not None and low > high:
        raise ThresholdError("value_max: below value_min")
    limits = None
    if (low, high) != (variant.value_min, variant.value_max):
        # G6.6(b): limits "agreed with the Security Sub-Committee": only through a proposal
        # with the SSC's opinion (the newest with exactly these limits)
        limits = limits_proposal_for(srv, _decimal(low), _decimal(high))
        if limits is None:
            raise ThresholdConflict(
                f"G6.6(b): the limits of {srv} are agreed with the SSC: no proposal of "
                f"{low} to {high} has the SSC's opinion; propose them first")
    others = {k: v for k, v in values.items() if k not in ("value_min", "value_max")}
    with transaction.atomic():
        if limits is not None:
            set_proposed_threshold(user, limits)
            variant.refresh_from_db()
        if others:
            for name, value in others.items():
                setattr(variant, name, value)
            variant.save(update_fields=sorted(others))
            journal(user, "srv.changed", "G6.4(b)", f"{srv}: {', '.join(sorted(others))}",
                    None, subject=f"srv:{srv}", **{k: str(v) for k, v in others.items()})
    return variant


def _decimal(value: Any) -> Decimal | None:
    """A limit as the database holds it (six places), for comparing with a proposal's."""
    return None if value is None else Decimal(value).quantize(Decimal("0.000001"))


@retried
def record_test_status(user: Any, user_id: UserId, srv: str,
                       passed: bool) -> CriticalTestStatus:
    """Whether the User ID passed testing for a Critical Service Request (G6.4A)."""
    require(user, Action.RECORD_TEST_STATUS)
    variant = srv_named(srv)
    if not variant.critical:
        raise ThresholdError(f"srv: {srv} is not a Critical Service Request (G6.4A)")
    with transaction.atomic():
        status, _ = CriticalTestStatus.objects.update_or_create(
            user_id=user_id, srv=variant, defaults={"passed": passed, "recorded_by": user})
        journal(user, "test_status.recorded", "G6.4A",
                f"{user_id.value} {srv}: {'passed' if passed else 'not passed'}",
                user_id.party_role.party, subject=f"user_id:{user_id.value}")
    return status


@retried
def give_opinion(user: Any, threshold: Threshold, text: str,
                 level: int | None = None) -> Threshold:
    """The DCC's opinion when consulted (G6.9), or an opinion of the SSC, at any time
    (G6.10(b), G7.21(b)): each SSC opinion is kept (SscOpinion), `ssc_view` the latest."""
    kind = person_kind(user)
    if not text.strip():
        raise ThresholdError("text: the opinion is empty")
    if level is not None and level < 0:
        raise ThresholdError("level: a whole number, 0 or more")
    if kind == PersonKind.DCC:
        field, clause = "dcc_opinion", "G6.9"
    else:
        require(user, Action.GIVE_SSC_VIEW)
        field, clause = "ssc_view", "G6.10(b)"
    with transaction.atomic():
        setattr(threshold, field, text.strip())
        threshold.save(update_fields=[field])
        if field == "ssc_view":
            SscOpinion.objects.create(threshold=threshold, text=text.strip(), level=level,
                                      given_by=person_or_none(user),
                                      classification=threshold.classification)
        journal(user, f"threshold.{field}", clause, text[:200], party_of(threshold),
                subject=f"threshold:{threshold.pk}", level=level)
    return threshold


@retried
def set_review_date(user: Any, threshold: Threshold, review_by: date) -> Threshold:
    """G6.10: each threshold is kept under review."""
    kind = person_kind(user)
    party = party_of(threshold)
    if not (kind == PersonKind.DCC or (kind in PARTY_SIDE and party
                                       and user.party_id == party.pk)):
        raise PermissionDenied("Only the threshold's owner (or the DCC) sets its review date.")
    with transaction.atomic():
        threshold.review_by = review_by
        threshold.save(update_fields=["review_by"])
        journal(user, "threshold.review_date", "G6.10", f"review by {review_by}", party,
                subject=f"threshold:{threshold.pk}")
    return threshold
