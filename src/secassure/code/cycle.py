"""Where a party stands on one of its cycles, and what it owes next by when (G8.33-G8.47,
G8.63, G9.3(b)(i), G12.6-G12.8).

A cycle sees only the assessments that cover one of its roles (G8.30(a)(i)). Two stages. User
entry (G8.33-G8.37): the initial Full assessment and the Panel's assurance status, with the
outcomes of G8.36 (a Follow-up by a date, a deferral until the Panel is satisfied, a second
FUSA after a rejection). Then the periodic cycle: the first periodic assessment within 12
months after entry was complete (G8.40), each later one within 12 months after the last that
counted. An assessment counts if it is of the category owed or a fuller one; a lesser one does
not discharge it, and the owed category and its date stand. Follow-ups after entry do not move
the clock.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .categories import PERIODIC_TYPES, AssessmentType, AssuranceStatus, discharges
from .dates import twelve_months_after
from .obligations import Cycle
from .tracks import Assessment, Track

FUSA, VUSA, SSA, FOLLOW_UP = (AssessmentType.FULL, AssessmentType.VERIFICATION,
                              AssessmentType.SELF_ASSESSMENT, AssessmentType.FOLLOW_UP)


class NextStep(StrEnum):
    FUSA = "FUSA"
    VUSA = "VUSA"
    SSA = "SSA"
    FOLLOW_UP = "FOLLOW_UP"
    SSC_TO_DETERMINE = "SSC_TO_DETERMINE"
    DCC = "DCC"
    NONE = "NONE"


@dataclass(frozen=True)
class NextAssessment:
    next: NextStep
    due: date | None
    rule: str
    reason: str


@dataclass(frozen=True)
class EntryComplete:
    """User entry is complete; the clock for the first periodic assessment runs from `since`.
    `entry`: the positions (in the history) of the assessments of entry, which the periodic
    walk leaves out; `start`: the date from which periodic assessments are walked;
    `determination`: the SSC's determination following entry (G12.8); `before_records`: no
    initial FUSA is recorded, so the earliest periodic assessment counts whatever it is."""

    since: date
    reason: str
    entry: frozenset[int] = frozenset()
    start: date | None = None
    determination: AssessmentType | None = None
    before_records: bool = False


# The cycle each track follows after entry, and the clause for each step. A step's clause is
# the paragraph that requires it: the key is (previous assessment, next assessment).
_CYCLE_CLAUSES = {
    Track.SUPPLIER_SMALL: ("G8.42", "G8.42(a)", "G8.42(b)", "G8.42(c)"),
    Track.NETWORK_SMALL: ("G8.45", "G8.45(a)", "G8.45(b)", "G8.45(c)"),
    Track.OTHER: ("G8.47", "G8.47(a)", "G8.47(b)", "G8.47(c)"),
}


def next_for(cycle: Cycle, assessments: tuple[Assessment, ...],
             ssc_next_category: AssessmentType | None = None) -> NextAssessment:
    """What a party owes next on `cycle`, given its whole history (in any order) and the
    party-level determination of the SSC (which follows the latest assessment, G12.8)."""
    if cycle.track == Track.EXEMPT:
        return NextAssessment(NextStep.NONE, None, "G1.7", "no assessment cycle applies")
    history = sorted((a for a in assessments if a.covers(cycle.roles)), key=_when)
    if cycle.track == Track.DCC:
        return _dcc([a for a in history if a.type == AssessmentType.DCC])
    history = _party_determination([a for a in history if a.type != AssessmentType.DCC],
                                   ssc_next_category)
    state = entry_state(history)
    if isinstance(state, NextAssessment):
        if cycle.track == Track.TRIAGE and state.rule == "G8.33":
            return NextAssessment(state.next, None, "G12.6",
                                  "no initial Full assessment yet: none is allowed before any "
                                  "Triage Activities (G12.6)")
        return state
    return _periodic(cycle, history, state)


def _when(assessment: Assessment) -> tuple[date, date]:
    return assessment.completed, assessment.status_set or assessment.completed


def _party_determination(history: list[Assessment], category: AssessmentType | None
                         ) -> list[Assessment]:
    """The party-level `ssc_next_category` is the determination following the latest
    assessment: attached to it, unless it carries its own."""
    if category is None or not history or history[-1].ssc_next_category is not None:
        return history
    return [*history[:-1], dataclasses.replace(history[-1], ssc_next_category=category)]


def _dcc(done: list[Assessment]) -> NextAssessment:
    if not done:
        return NextAssessment(NextStep.DCC, None, "G9.3(b)(i)",
                              "no DCC security assessment recorded yet: one is owed each year "
                              "(G9.3(b)(i))")
    last = done[-1].completed
    return NextAssessment(NextStep.DCC, twelve_months_after(last), "G9.3(b)(i)",
                          f"the annual DCC security assessment, within 12 months after the one "
                          f"completed {last} (G9.3(b)(i))")


def entry_state(history: list[Assessment]) -> NextAssessment | EntryComplete:
    """G8.33-G8.37: where a cycle stands in user entry, given its history in date order.

    The entry FUSAs are those marked initial or carrying an assurance status, and the first
    FUSA after a rejection (the second FUSA of G8.36(d), whether or not it is marked initial);
    the latest of them holds the status that governs.
    """
    entry: list[int] = []
    for position, item in enumerate(history):
        if item.type != FUSA:
            continue
        after_rejection = bool(entry) and history[entry[-1]].assurance_status == \
            AssuranceStatus.REJECTED and item.completed >= _status_date(history[entry[-1]])
        if item.initial or item.assurance_status is not None or after_rejection:
            entry.append(position)
    if not entry:
        periodic = [a for a in history if a.type in PERIODIC_TYPES]
        if periodic:
            return EntryComplete(periodic[0].completed,
                                 "no initial Full assessment is recorded: the party entered "
                                 "before the records, which start with the "
                                 f"{periodic[0].type.label} completed {periodic[0].completed}",
                                 start=periodic[0].completed, before_records=True)
        return NextAssessment(NextStep.FUSA, None, "G8.33",
                              "no initial Full User Security Assessment yet: user entry needs one "
                              "in each User Role (G8.33)")
    governing = history[entry[-1]]
    status = governing.assurance_status
    if status is None:
        rule = "G8.36(d)(ii)" if any(history[i].assurance_status == AssuranceStatus.REJECTED
                                      for i in entry) else "G8.35"
        return NextAssessment(NextStep.NONE, None, rule,
                              f"Full assessment completed {governing.completed}: awaiting the "
                              f"Panel's assurance status ({rule})")
    status_set = _status_date(governing)
    if status == AssuranceStatus.REJECTED:
        return NextAssessment(NextStep.FUSA, None, "G8.36(d)",
                              f"assurance status rejected on {status_set}: a second Full "
                              "assessment is required (G8.36(d)(i))")
    follow_ups = [i for i, a in enumerate(history)
                  if a.type == FOLLOW_UP and a.completed > status_set]
    done = frozenset(entry) | frozenset(follow_ups)

    def complete(since: date, reason: str, by: Assessment) -> EntryComplete:
        return EntryComplete(since, reason, done, governing.completed,
                             by.ssc_next_category or governing.ssc_next_category)

    if status == AssuranceStatus.DEFERRED:
        if not follow_ups:
            return NextAssessment(NextStep.FOLLOW_UP, None, "G8.36(c)",
                                  f"assurance status deferred on {status_set}: a Follow-up must "
                                  "show the steps were taken (G8.36(c)(i))")
        satisfied = [history[i] for i in follow_ups if history[i].panel_satisfied is not None]
        if not satisfied:
            return NextAssessment(NextStep.NONE, None, "G8.36(c)(ii)",
                                  f"deferred on {status_set}; the Follow-up completed "
                                  f"{history[follow_ups[-1]].completed} awaits the Panel's "
                                  "determination that the steps were taken (G8.36(c)(ii))")
        by = satisfied[-1]
        return complete(by.completed, f"deferred on {status_set}, then the Panel satisfied on "
                                      f"{by.panel_satisfied} by the Follow-up completed "
                                      f"{by.completed} (G8.36(c), G8.37(a)(ii), G8.40)", by)
    if follow_ups:
        by = history[follow_ups[-1]]
        return complete(by.completed, f"{status.label.lower()} on {status_set}, then the "
                                      f"Follow-up completed {by.completed} (G8.40)", by)
    if status == AssuranceStatus.APPROVED_SUBJECT_TO and governing.follow_up_by is not None:
        return NextAssessment(NextStep.FOLLOW_UP, governing.follow_up_by, "G8.36(b)(ii)",
                              f"approved subject to a Follow-up by {governing.follow_up_by}, as "
                              f"the Panel specified on {status_set} (G8.36(b)(ii), G8.40)")
    return complete(status_set, f"initial Full assessment complete when the Panel set "
                                f"'{status.label.lower()}' on {status_set} (G8.40)", governing)


def _status_date(assessment: Assessment) -> date:
    return assessment.status_set or assessment.completed


def _periodic(cycle: Cycle, history: list[Assessment], state: EntryComplete) -> NextAssessment:
    """Walk the periodic assessments after entry in date order: each counts if it discharges
    the category owed when it was done (on the track its premises give); then what is owed
    on today's track, within 12 months after the last that counted."""
    walk = [a for i, a in enumerate(history) if a.type in PERIODIC_TYPES
            and i not in state.entry and (state.start is None or a.completed >= state.start)]
    counted: list[Assessment] = []
    determination = state.determination
    skipped: list[str] = []
    for position, item in enumerate(walk):
        owed = None if state.before_records and position == 0 else _owed(
            cycle.track_for(item), counted, determination)
        if owed is None or discharges(item.type, owed):
            counted.append(item)
            determination = item.ssc_next_category
        else:
            skipped.append(f"the {item.type.value} completed {item.completed} does not "
                           f"discharge the {owed.value} owed")
    since = counted[-1].completed if counted else state.since
    due = twelve_months_after(since)
    after = (f"after the {counted[-1].type.label} completed {since}" if counted
             else f"after entry: {state.reason}")
    lesser = f" ({'; '.join(skipped)}: a lesser assessment)" if skipped else ""
    if cycle.track == Track.TRIAGE:
        step = NextStep(determination) if determination else NextStep.SSC_TO_DETERMINE
        decided = (f"the category the SSC determined ({step.value})" if determination
                   else "a category the SSC has still to determine")
        return NextAssessment(step, due, "G12.8",
                              f"{decided}, within 12 months {after} (G12.8){lesser}")
    kind, rule = _cycle_step(cycle.track, [a.type for a in counted])
    return NextAssessment(NextStep(kind.value), due, rule,
                          f"{kind.label} within 12 months {after} ({rule}){lesser}")


def _owed(track: Track, counted: list[Assessment],
          determination: AssessmentType | None) -> AssessmentType | None:
    """The category owed after the assessments `counted`, on `track` (None: any counts, as
    when the SSC has not determined a Triage Facility Provider's next category)."""
    if track == Track.TRIAGE:
        return determination
    if track in (Track.EXEMPT, Track.DCC):
        return None
    return _cycle_step(track, [a.type for a in counted])[0]


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
