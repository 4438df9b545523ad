"""Consultation on thresholds: the DCC consults the SSC before it sets one of its own
(G6.7(b)), and Users consult the DCC on a threshold they propose to set (G6.9).

A DCC proposal moves proposed -> opinion given -> set, or is withdrawn; setting it before the
SSC's opinion, setting it twice, or a second opinion on it is a conflict (HTTP 409, naming the
clause), never a second result. Each row is locked (select_for_update) before its state is
read, so two people acting at once queue and the second sees the first's result.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from secassure.code.permissions import Action
from secassure.code.roles import UserRole
from secassure.code.srv import load_srvs
from secassure.core.permissions import require
from secassure.core.retry import retried
from secassure.registry.models import UserId

from ..models import DccProposal, ServiceReferenceVariant, Threshold, UserConsultation
from .base import ThresholdError, check_levels, journal, own_people, person_or_none, srv_named


class ThresholdConflict(ValueError):
    """An action the record's state does not allow (HTTP 409); the message names the clause.
    Nothing is changed."""


#: A Critical Command's name as the DUIS writes it (letters, digits, '.', '_', '-').
COMMAND = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")
OPEN = (DccProposal.State.PROPOSED, DccProposal.State.OPINION_GIVEN)


def _text(value: str, field: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ThresholdError(f"{field}: required")
    return value


def _who(person: Any) -> str:
    return person.get_username() if person is not None else "the console"


# --- The DCC's thresholds after consulting the SSC (G6.7(b)) -------------------------------

@retried
def propose_dcc_threshold(user: Any, counter: str, quarantine: int, warning: int | None = None,
                          srv: str = "", command: str = "", reason: str = "") -> DccProposal:
    """The DCC proposes a threshold of its own, for an SRV and counter (G6.6(a)) or for a
    Critical Command not related to an SRV (G6.6(c), counter `critical`), and so consults the
    SSC on its level (G6.7(b))."""
    require(user, Action.PROPOSE_DCC_THRESHOLD)
    srv, command = (srv or "").strip(), (command or "").strip()
    if bool(srv) == bool(command):
        raise ThresholdError("srv: name an SRV or a Critical Command not related to one "
                             "(G6.6(c)), not both")
    variant = srv_named(srv) if srv else None
    if command and not COMMAND.match(command):
        raise ThresholdError("command: letters, digits, '.', '_' or '-', at most 60")
    if command and counter != "critical":
        raise ThresholdError("counter: a Critical Command's threshold counts 'critical' "
                             "(G6.6(c))")
    check_levels(counter, warning, quarantine)
    with transaction.atomic():
        key = {"srv": variant, "command": command, "counter": counter}
        open_one = (DccProposal.objects.select_for_update().filter(state__in=OPEN, **key)
                    .order_by("pk").first())
        if open_one is not None:
            raise ThresholdConflict(f"G6.7(b): proposal {open_one.pk} for {srv or command} "
                                    f"{counter} is still open; withdraw it or set it first")
        proposal = DccProposal.objects.create(
            **key, warning=warning, quarantine=quarantine, reason=reason.strip(),
            proposed_by=person_or_none(user))
        journal(user, "proposal.made", "G6.7(b)", reason.strip() or
                f"{srv or command} {counter}: {quarantine}", subject=f"proposal:{proposal.pk}",
                quarantine=quarantine, warning=warning)
    return proposal


@retried
def propose_dcc_limits(user: Any, srv: str, value_min: Decimal | None,
                       value_max: Decimal | None, reason: str = "") -> DccProposal:
    """The DCC proposes an SRV's SMETS1 data-value limits, which G6.6(b) requires be "agreed
    with the Security Sub-Committee": set only after the SSC's opinion, as a threshold is."""
    require(user, Action.PROPOSE_DCC_THRESHOLD)
    variant = srv_named((srv or "").strip())
    value_min, value_max = (None if v is None else Decimal(v) for v in (value_min, value_max))
    if value_min is None and value_max is None:
        raise ThresholdError("value_min: give a lower limit, an upper limit or both (G6.6(b))")
    if value_min is not None and value_max is not None and value_min > value_max:
        raise ThresholdError("value_max: below value_min")
    with transaction.atomic():
        open_one = (DccProposal.objects.select_for_update()
                    .filter(state__in=OPEN, srv=variant, quarantine__isnull=True)
                    .order_by("pk").first())
        if open_one is not None:
            raise ThresholdConflict(f"G6.6(b): proposal {open_one.pk} of {variant.srv}'s limits "
                                    "is still open; withdraw it or set it first")
        proposal = DccProposal.objects.create(
            srv=variant, counter="", quarantine=None, value_min=value_min,
            value_max=value_max, reason=(reason or "").strip(), proposed_by=person_or_none(user))
        journal(user, "proposal.made", "G6.6(b)", (reason or "").strip()
                or f"{variant.srv} limits: {proposal.limits_text}",
                subject=f"proposal:{proposal.pk}", value_min=_text_of(value_min),
                value_max=_text_of(value_max))
    return proposal


def _text_of(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _locked(proposal: DccProposal) -> DccProposal:
    return (DccProposal.objects.select_for_update(of=("self",)).select_related("srv")
            .get(pk=proposal.pk))


@retried
def give_ssc_opinion_on_proposal(user: Any, proposal: DccProposal, text: str,
                                 level: int | None = None) -> DccProposal:
    """The SSC's opinion on the level the DCC proposes (G6.7(b)): once per proposal; a second
    (two members at once, or a double submit) is a conflict naming the first."""
    require(user, Action.GIVE_SSC_VIEW)
    text = _text(text, "text")
    if level is not None and level < 0:
        raise ThresholdError("level: a whole number, 0 or more")
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.state != DccProposal.State.PROPOSED:
            raise ThresholdConflict(_not_open(proposal, "the SSC's opinion"))
        proposal.opinion, proposal.opinion_level = text, level
        proposal.opinion_by, proposal.opinion_at = person_or_none(user), timezone.now()
        proposal.state = DccProposal.State.OPINION_GIVEN
        proposal.save(update_fields=["opinion", "opinion_level", "opinion_by", "opinion_at",
                                     "state"])
        journal(user, "proposal.ssc_opinion", "G6.7(b)", text[:200],
                subject=f"proposal:{proposal.pk}", level=level)
    return proposal


def _not_open(proposal: DccProposal, what: str) -> str:
    if proposal.state == DccProposal.State.OPINION_GIVEN:
        return (f"G6.7(b): the SSC's opinion on proposal {proposal.pk} was already given by "
                f"{_who(proposal.opinion_by)} at {proposal.opinion_at:%Y-%m-%d %H:%M}")
    return f"proposal {proposal.pk} is {proposal.get_state_display().lower()}: no {what} now"


@retried
def set_proposed_threshold(user: Any, proposal: DccProposal,
                           account: str = "") -> Threshold | ServiceReferenceVariant:
    """The DCC sets the threshold it proposed, only after the SSC's opinion (G6.7(b)), and
    records how it took that opinion into account: its reasons are required where the level
    departs from the one the SSC found appropriate. The SSC is notified (G6.8(a)): the feed."""
    require(user, Action.SET_DCC_THRESHOLD)
    account = (account or "").strip()
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.state == DccProposal.State.PROPOSED:
            raise ThresholdConflict(
                f"G6.7(b): the DCC sets a threshold only after consulting the SSC and taking "
                f"its opinion into account; proposal {proposal.pk} awaits the SSC's opinion")
        if proposal.state != DccProposal.State.OPINION_GIVEN:
            raise ThresholdConflict(f"proposal {proposal.pk} is already "
                                    f"{proposal.get_state_display().lower()}")
        if proposal.is_limits:
            return _set_limits(user, proposal, account)
        if (proposal.opinion_level is not None and proposal.opinion_level != proposal.quarantine
                and not account):
            raise ThresholdError(f"account: the level {proposal.quarantine} departs from the "
                                 f"SSC's opinion ({proposal.opinion_level}); give the DCC's "
                                 "reasons (G6.7(b))")
        key = ({"srv": proposal.srv, "command": ""} if proposal.srv_id
               else {"srv": None, "command": proposal.command})
        threshold, _ = Threshold.objects.update_or_create(
            user_id=None, counter=proposal.counter, **key,
            defaults={"warning": proposal.warning, "quarantine": proposal.quarantine,
                      "set_by": person_or_none(user)})
        proposal.state, proposal.account = DccProposal.State.SET, account
        proposal.closed_by, proposal.closed_at = person_or_none(user), timezone.now()
        proposal.threshold = threshold
        proposal.save(update_fields=["state", "account", "closed_by", "closed_at",
                                     "threshold"])
        journal(user, "dcc_threshold.set", "G6.6(c)" if proposal.command else "G6.6(a)",
                account or f"{proposal.target} {proposal.counter}: as proposed",
                subject=f"threshold:{threshold.pk}", quarantine=proposal.quarantine,
                warning=proposal.warning, proposal=proposal.pk)
    return threshold


def _set_limits(user: Any, proposal: DccProposal, account: str) -> ServiceReferenceVariant:
    """Inside set_proposed_threshold's transaction: the SRV takes the agreed limits."""
    variant = ServiceReferenceVariant.objects.select_for_update().get(pk=proposal.srv_id)
    variant.value_min, variant.value_max = proposal.value_min, proposal.value_max
    variant.save(update_fields=["value_min", "value_max"])
    proposal.state, proposal.account = DccProposal.State.SET, account
    proposal.closed_by, proposal.closed_at = person_or_none(user), timezone.now()
    proposal.save(update_fields=["state", "account", "closed_by", "closed_at"])
    journal(user, "srv.changed", "G6.6(b)", account or f"{variant.srv} limits: "
            f"{proposal.limits_text}, as agreed with the SSC", subject=f"srv:{variant.srv}",
            value_min=_text_of(proposal.value_min), value_max=_text_of(proposal.value_max),
            proposal=proposal.pk)
    return variant


def limits_proposal_for(srv: str, value_min: Decimal | None,
                        value_max: Decimal | None) -> DccProposal | None:
    """The open proposal of these limits with the SSC's opinion, the newest, or None."""
    found = DccProposal.objects.filter(srv__srv=srv, quarantine__isnull=True,
                                       state=DccProposal.State.OPINION_GIVEN).order_by("-pk")
    return next((p for p in found if (p.value_min, p.value_max) == (value_min, value_max)),
                None)


@retried
def withdraw_proposal(user: Any, proposal: DccProposal, reason: str = "") -> DccProposal:
    """The DCC withdraws a proposal it has not set."""
    require(user, Action.PROPOSE_DCC_THRESHOLD)
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.state not in OPEN:
            raise ThresholdConflict(f"proposal {proposal.pk} is already "
                                    f"{proposal.get_state_display().lower()}")
        proposal.state = DccProposal.State.WITHDRAWN
        proposal.closed_by, proposal.closed_at = person_or_none(user), timezone.now()
        proposal.account = (reason or "").strip()
        proposal.save(update_fields=["state", "closed_by", "closed_at", "account"])
        journal(user, "proposal.withdrawn", "G6.7(b)", reason.strip() or "withdrawn",
                subject=f"proposal:{proposal.pk}")
    return proposal


def proposal_for(srv: str, counter: str, quarantine: int,
                 warning: int | None) -> DccProposal | None:
    """The open proposal with the SSC's opinion for these levels, the newest, or None."""
    return (DccProposal.objects.filter(srv__srv=srv, command="", counter=counter,
                                       quarantine=quarantine, warning=warning,
                                       state=DccProposal.State.OPINION_GIVEN)
            .order_by("-pk").first())


# --- Users consult the DCC (G6.9) ----------------------------------------------------------

@retried
def consult_dcc(user: Any, user_id: UserId, srv: str, counter: str, quarantine: int,
                warning: int | None = None, note: str = "") -> UserConsultation:
    """A User's own people ask the DCC's opinion on a threshold they propose to set (G6.9),
    before they set it by signed file (G6.4(b))."""
    require(user, Action.CONSULT_DCC)
    party = user_id.party_role.party
    if not own_people(user, party):
        raise PermissionDenied(f"Only {party.party_id}'s own people consult the DCC on its "
                               "thresholds (G6.9).")
    variant = srv_named(srv)
    check_levels(counter, warning, quarantine)
    role = UserRole(user_id.party_role.role)
    if role not in load_srvs()[variant.srv].eligible:
        raise ThresholdError(f"srv: the {role.label} role is not an Eligible User for "
                             f"{variant.srv} (G6.3)")
    with transaction.atomic():
        consultation = UserConsultation.objects.create(
            user_id=user_id, srv=variant, counter=counter, warning=warning,
            quarantine=quarantine, note=(note or "").strip(), asked_by=person_or_none(user))
        journal(user, "consultation.asked", "G6.9", f"{variant.srv} {counter}: {quarantine}",
                party, subject=f"consultation:{consultation.pk}")
    return consultation


@retried
def answer_consultation(user: Any, consultation: UserConsultation, text: str,
                        level: int | None) -> UserConsultation:
    """The DCC's opinion on the appropriate level (G6.9(a)), having regard to detecting a
    Compromise of that User's systems (G6.9(b)): once; a second answer is a conflict."""
    require(user, Action.GIVE_DCC_OPINION)
    text = _text(text, "text")
    if level is None or level < 0:
        raise ThresholdError("level: the level the DCC finds appropriate (G6.9(a)), 0 or more")
    with transaction.atomic():
        consultation = (UserConsultation.objects.select_for_update(of=("self",))
                        .select_related("user_id__party_role__party", "srv")
                        .get(pk=consultation.pk))
        if consultation.state != UserConsultation.State.ASKED:
            raise ThresholdConflict(
                f"G6.9: the DCC's opinion on consultation {consultation.pk} was already given "
                f"by {_who(consultation.answered_by)} at "
                f"{consultation.answered_at:%Y-%m-%d %H:%M}")
        consultation.opinion, consultation.opinion_level = text, level
        consultation.answered_by, consultation.answered_at = person_or_none(user), timezone.now()
        consultation.state = UserConsultation.State.ANSWERED
        consultation.save(update_fields=["opinion", "opinion_level", "answered_by",
                                         "answered_at", "state"])
        journal(user, "consultation.answered", "G6.9", f"appropriate level {level}",
                consultation.user_id.party_role.party,
                subject=f"consultation:{consultation.pk}")
    return consultation
