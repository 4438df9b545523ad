"""Which assessment a party owes next, and by when (G8.33-G8.47, G8.63, G12.6-G12.8).

Two stages. User entry (G8.33-G8.37): the initial Full assessment and the Panel's assurance
status. Then the periodic cycle: the first periodic assessment within 12 months after entry
was complete (G8.40), each later one within 12 months after the last FUSA, VUSA or SSA.
Follow-ups after entry do not move the clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .categories import PERIODIC_TYPES, AssessmentType, AssuranceStatus
from .dates import twelve_months_after
from .tracks import Assessment, Track

FUSA, VUSA, SSA, FOLLOW_UP = (AssessmentType.FULL, AssessmentType.VERIFICATION,
                              AssessmentType.SELF_ASSESSMENT, AssessmentType.FOLLOW_UP)


class NextStep(StrEnum):
    FUSA = "FUSA"
    VUSA = "VUSA"
    SSA = "SSA"
    FOLLOW_UP = "FOLLOW_UP"
    SSC_TO_DETERMINE = "SSC_TO_DETERMINE"
    NONE = "NONE"


@dataclass(frozen=True)
class NextAssessment:
    next: NextStep
    due: date | None
    rule: str
    reason: str


@dataclass(frozen=True)
class EntryComplete:
    """User entry is complete; the clock for the first periodic assessment runs from `since`."""

    since: date
    reason: str


# The cycle each track follows after entry, and the clause for each step. A step's clause is
# the paragraph that requires it: the key is (previous assessment, next assessment).
_CYCLE_CLAUSES = {
    Track.SUPPLIER_SMALL: ("G8.42", "G8.42(a)", "G8.42(b)", "G8.42(c)"),
    Track.NETWORK_SMALL: ("G8.45", "G8.45(a)", "G8.45(b)", "G8.45(c)"),
    Track.OTHER: ("G8.47", "G8.47(a)", "G8.47(b)", "G8.47(c)"),
}


def entry_state(history: list[Assessment]) -> NextAssessment | EntryComplete:
    """G8.33-G8.37: where a party stands in user entry.

    The entry FUSAs are those marked initial (or carrying an assurance status, as a second
    FUSA after rejection does); the latest of them holds the status that governs.
    """
    entry = [a for a in history if a.type == FUSA and (a.initial or a.assurance_status)]
    if not entry:
        return NextAssessment(NextStep.FUSA, None, "G8.33",
                              "no initial Full User Security Assessment yet: user entry needs one "
                              "in each User Role (G8.33)")
    governing = entry[-1]
    status = governing.assurance_status
    if status is None:
        rule = "G8.36(d)(ii)" if any(a.assurance_status == AssuranceStatus.REJECTED
                                      for a in entry) else "G8.35"
        return NextAssessment(NextStep.NONE, None, rule,
                              f"Full assessment completed {governing.completed}: awaiting the "
                              f"Panel's assurance status ({rule})")
    status_set = governing.status_set or governing.completed
    if status == AssuranceStatus.REJECTED:
        # The second FUSA is an entry FUSA of its own (initial, with the status the Panel
        # sets on reconsidering, G8.36(d)(ii)); until one is recorded a FUSA is owed.
        return NextAssessment(NextStep.FUSA, None, "G8.36(d)",
                              f"assurance status rejected on {status_set}: a second Full "
                              "assessment is required (G8.36(d)(i))")
    follow_ups = [a.completed for a in history
                  if a.type == FOLLOW_UP and a.completed > status_set]
    if status == AssuranceStatus.DEFERRED:
        if not follow_ups:
            return NextAssessment(NextStep.FOLLOW_UP, None, "G8.36(c)",
                                  f"assurance status deferred on {status_set}: a Follow-up must "
                                  "show the steps were taken (G8.36(c)(i))")
        return EntryComplete(max(follow_ups), f"deferred on {status_set}, then the Follow-up "
                                              f"completed {max(follow_ups)} (G8.36(c), G8.40)")
    if follow_ups:
        return EntryComplete(max(follow_ups), f"{status.label.lower()} on {status_set}, then the "
                                              f"Follow-up completed {max(follow_ups)} (G8.40)")
    return EntryComplete(status_set, f"initial Full assessment complete when the Panel set "
                                     f"'{status.label.lower()}' on {status_set} (G8.40)")


def next_assessment(track: Track, assessments: tuple[Assessment, ...],
                    ssc_next_category: AssessmentType | None = None) -> NextAssessment:
    """The next assessment a party on `track` owes, given its history (in any order)."""
    if track == Track.EXEMPT:
        return NextAssessment(NextStep.NONE, None, "G1.7", "no assessment cycle applies")
    history = sorted(assessments, key=lambda a: (a.completed, a.status_set or a.completed))
    state = entry_state(history)
    if isinstance(state, NextAssessment):
        if track == Track.TRIAGE and state.rule == "G8.33":
            return NextAssessment(state.next, None, "G12.6",
                                  "no initial Full assessment yet: none is allowed before any "
                                  "Triage Activities (G12.6)")
        return state
    periodic = [a for a in history if a.type in PERIODIC_TYPES
                and not (a.type == FUSA and (a.initial or a.assurance_status))]
    last = periodic[-1] if periodic else None
    since = last.completed if last else state.since
    due = twelve_months_after(since)
    after = (f"after the {last.type.label} completed {last.completed}" if last
             else f"after entry: {state.reason}")
    if track == Track.TRIAGE:
        step = NextStep(ssc_next_category) if ssc_next_category else NextStep.SSC_TO_DETERMINE
        decided = (f"the category the SSC determined ({step.value})" if ssc_next_category
                   else "a category the SSC has still to determine")
        return NextAssessment(step, due, "G12.8", f"{decided}, within 12 months {after} (G12.8)")
    kind, rule = _cycle_step(track, [a.type for a in periodic])
    return NextAssessment(NextStep(kind.value), due, rule,
                          f"{kind.label} within 12 months {after} ({rule})")


def _cycle_step(track: Track, done: list[AssessmentType]) -> tuple[AssessmentType, str]:
    """The step that follows the periodic assessments `done` on this track, and its clause."""
    last = done[-1] if done else None
    if track == Track.SUPPLIER_LARGE:
        return FUSA, "G8.41"  # every periodic assessment is a FUSA, whatever came before
    if track == Track.NETWORK_LARGE:
        if last is None:
            return VUSA, "G8.44"
        if last == FUSA:
            return VUSA, "G8.44(c)"
        if last == VUSA and (len(done) < 2 or done[-2] != VUSA):
            return VUSA, "G8.44(a)"
        # A second successive VUSA, or an SSA from a smaller cycle: the FUSA follows (G8.44(b)).
        return FUSA, "G8.44(b)"
    first, after_vusa, after_ssa, after_fusa = _CYCLE_CLAUSES[track]
    if last is None:
        return VUSA, first
    return {VUSA: (SSA, after_vusa), SSA: (FUSA, after_ssa), FUSA: (VUSA, after_fusa)}[last]
