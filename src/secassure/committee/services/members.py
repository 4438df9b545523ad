"""Members, invitees and elections (G7.3-G7.16)."""
from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from ..models import Election, Invitee, Membership, Nomination
from ..rules import SEATS, SeatKind, referral_deadline, rejection_deadline, term_end
from .base import CommitteeError, journal, require_person


def _in_office(on: date) -> Any:
    return Membership.objects.filter(started__lte=on, left__isnull=True)


def appoint_member(actor: Any, *, seat: str, name: str, started: date, person: Any = None,
                   organisation: Any = None, no_objection_on: date | None = None) -> Membership:
    """Put `name` in `seat` from `started` for the seat's term. Refused when the seat is full
    (G7.3), when the person already holds an office (G7.4), and for a Chair without the
    Secretary of State's written no-objection (G7.5(f)(ii))."""
    require_person(actor, "appoint_member")
    try:
        rule = SEATS[SeatKind(seat)]
    except ValueError:
        raise CommitteeError(f"seat: {seat!r} is not a seat of the SSC (G7.3)") from None
    name = name.strip()
    if not name:
        raise CommitteeError("name: a member is an individual and must be named (G7.4)")
    if rule.kind == SeatKind.CHAIR and no_objection_on is None:
        raise CommitteeError("no_objection_on: the Panel may not appoint the Chair until the "
                             "Secretary of State confirms in writing that they do not object "
                             "(G7.5(f)(ii))")
    with transaction.atomic():
        current = Membership.objects.select_for_update().filter(left__isnull=True)
        if current.filter(name__iexact=name).exists() or (
                person is not None and current.filter(person=person).exists()):
            raise CommitteeError(f"name: {name} already holds an office as a Security "
                                 "Sub-Committee Member; no one person can hold more than one "
                                 "at the same time (G7.4)")
        if current.filter(seat=rule.kind.value).count() >= rule.count:
            raise CommitteeError(f"seat: the {rule.label} seats are all filled "
                                 f"({rule.count}, G7.3)")
        member = Membership.objects.create(
            name=name, person=person, seat=rule.kind.value, organisation=organisation,
            started=started, term_ends=term_end(rule.kind, started),
            no_objection_on=no_objection_on)
        journal(actor, "appoint_member", subject=f"membership:{member.pk}",
                reason=f"{name}: {rule.label}", details={"seat": seat})
    return member


def end_membership(actor: Any, member: Membership, *, left: date) -> Membership:
    """The member leaves office (retirement at the term's end, G7.6(b), or otherwise)."""
    require_person(actor, "end_membership")
    with transaction.atomic():
        member = Membership.objects.select_for_update().get(pk=member.pk)
        if member.left is not None:
            raise CommitteeError(f"left: {member.name} left office on {member.left}")
        if left < member.started:
            raise CommitteeError("left: before the member started")
        member.left = left
        member.save(update_fields=["left"])
        journal(actor, "end_membership", subject=f"membership:{member.pk}",
                reason=member.name)
    return member


def add_invitee(actor: Any, *, name: str, kind: str, person: Any = None) -> Invitee:
    """An invitee of every SSC meeting with the right to its papers (G7.16(a)) or an expert
    (G7.16(b))."""
    require_person(actor, "add_invitee")
    if kind not in Invitee.Kind.values:
        raise CommitteeError(f"kind: {kind!r} is not one of {', '.join(Invitee.Kind.values)}")
    with transaction.atomic():
        invitee = Invitee.objects.create(name=name, kind=kind, person=person)
        journal(actor, "add_invitee", subject=f"invitee:{invitee.pk}", reason=str(invitee))
    return invitee


def open_election(actor: Any, *, seat: str, nominations_close: date) -> Election:
    """An election to an elected seat (not the Chair, G7.5, nor the DCC's nominee, G7.15)."""
    require_person(actor, "open_election")
    if seat not in {s.value for s in SeatKind} or not SEATS[SeatKind(seat)].elected:
        raise CommitteeError(f"seat: {seat!r} is not an elected seat (G7.7, G7.9, G7.11, "
                             "G7.13)")
    with transaction.atomic():
        election = Election.objects.create(seat=seat, nominations_close=nominations_close)
        journal(actor, "open_election", subject=f"election:{election.pk}",
                reason=election.get_seat_display())
    return election


def nominate(actor: Any, election: Election, *, candidate: str,
             organisation: Any = None) -> Nomination:
    """A candidate nominated by an organisation (G7.14(a)(i))."""
    require_person(actor, "nominate")
    if election.status != Election.Status.OPEN:
        raise CommitteeError("election: nominations are closed")
    with transaction.atomic():
        nomination = Nomination.objects.create(election=election, candidate=candidate.strip(),
                                               organisation=organisation)
        journal(actor, "nominate", subject=f"election:{election.pk}", reason=candidate)
    return nomination


def reject_candidate(actor: Any, nomination: Nomination, *, on: date,
                     reason: str) -> Nomination:
    """The SSC rejects a candidate who does not satisfy G7.14(a)(i)-(iv), no later than 5
    Working Days after nominations close (G7.14(a))."""
    require_person(actor, "reject_candidate")
    deadline = rejection_deadline(nomination.election.nominations_close)
    if on < nomination.election.nominations_close or on > deadline:
        raise CommitteeError(f"on: the SSC may reject a candidate from the close of nominations "
                             f"until {deadline:%d %B %Y}, 5 Working Days after (G7.14(a))")
    if not reason.strip():
        raise CommitteeError("reason: say which requirement of G7.14(a)(i)-(iv) is not met")
    with transaction.atomic():
        nomination.rejected_on, nomination.rejection_reason = on, reason.strip()
        nomination.save(update_fields=["rejected_on", "rejection_reason"])
        journal(actor, "reject_candidate", subject=f"election:{nomination.election_id}",
                reason=f"{nomination.candidate}: {reason}")
    return nomination


def refer_rejection(actor: Any, nomination: Nomination, *, on: date) -> Nomination:
    """The rejected candidate refers the rejection to the Panel within 3 Working Days of the
    notice (G7.14(c))."""
    require_person(actor, "refer_rejection")
    if nomination.rejected_on is None:
        raise CommitteeError("nomination: the candidate was not rejected")
    deadline = referral_deadline(nomination.rejected_on)
    if on > deadline:
        raise CommitteeError(f"on: the candidate had until {deadline:%d %B %Y}, 3 Working Days "
                             "after the rejection, to refer it to the Panel (G7.14(c))")
    with transaction.atomic():
        nomination.referred_on = on
        nomination.save(update_fields=["referred_on"])
        journal(actor, "refer_rejection", subject=f"election:{nomination.election_id}",
                reason=nomination.candidate)
    return nomination


def determine_referral(actor: Any, nomination: Nomination, *, eligible: bool) -> Nomination:
    """The Panel's final determination of whether the candidate meets G7.14(a) (G7.14(c))."""
    require_person(actor, "determine_referral")
    if nomination.referred_on is None:
        raise CommitteeError("nomination: the rejection was not referred to the Panel")
    with transaction.atomic():
        nomination.panel_found_eligible = eligible
        nomination.save(update_fields=["panel_found_eligible"])
        journal(actor, "determine_referral", subject=f"election:{nomination.election_id}",
                reason=f"{nomination.candidate}: {'eligible' if eligible else 'not eligible'}")
    return nomination


def declare_result(actor: Any, election: Election, *, winner: Nomination, started: date,
                   votes: dict[int, int] | None = None) -> Membership:
    """The elected candidate takes the seat (an eligible one only, G7.14(b))."""
    require_person(actor, "declare_result")
    if winner.election_id != election.pk:
        raise CommitteeError("winner: not a candidate of this election")
    if not winner.eligible:
        raise CommitteeError(f"winner: {winner.candidate} is not an eligible candidate "
                             "(G7.14(b))")
    if winner.referred_on and winner.panel_found_eligible is None:
        raise CommitteeError("winner: the Panel has not determined the referral (G7.14(d))")
    with transaction.atomic():
        for nomination_id, count in (votes or {}).items():
            Nomination.objects.filter(pk=nomination_id, election=election).update(votes=count)
        member = appoint_member(actor, seat=election.seat, name=winner.candidate,
                                started=started, organisation=winner.organisation)
        Nomination.objects.filter(pk=winner.pk).update(elected=True)
        election.status, election.result = Election.Status.DECIDED, member
        election.save(update_fields=["status", "result"])
        journal(actor, "declare_result", subject=f"election:{election.pk}",
                reason=winner.candidate)
    return member
