"""Rules for the content of reports and responses (G8.22, G8.25-G8.26, G9.19, G9.22-G9.23)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .categories import AssessmentType
from .clauses import Catalogue, load, normalise_ref

#: G8.22(b), G8.16: a Full assessment reports non-compliance with Sections G3 to G6;
#: G9.16, G9.19: a Full DCC assessment with Sections G2 and G4 to G6.
FINDING_SECTIONS = {
    AssessmentType.FULL.value: ("G3", "G4", "G5", "G6"),
    "DCC_FULL": ("G2", "G4", "G5", "G6"),
}


#: G9.16, G9.19(c)-(d): a Full DCC assessment also reports non-compliance with DCC Licence
#: Condition 8 and SEC Appendix Z Sections 6 and 7, which are outside Section G. They are cited
#: as `LC8` (or `LC8.3`, a part of it) and `Z6.1`, `Z7` (a section of Appendix Z, or a part).
_LICENCE = re.compile(r"\s*(?:dcc\s+)?(?:licence\s+condition|lc)\s*8((?:\.\d{1,3})*)\s*$", re.I)
_APPENDIX_Z = re.compile(r"\s*(?:(?:sec\s+)?appendix\s+z\s*(?:section\s*)?|z\s*)([67])"
                         r"((?:\.\d{1,3})*)\s*$", re.I)
#: G12.4(i): a Triage Facility Provider complies with G1, G3 to G5, G7 and G8 as a User, and
#: with its own obligations of G12.4, which its assessment may therefore find broken.
TRIAGE_CLAUSE = "G12.4"


def outside_section_g(clause: str) -> str | None:
    """The canonical reference of a DCC obligation outside Section G (G9.16, G9.19(c)-(d)):
    DCC Licence Condition 8 as `LC8[.n]`, Appendix Z Sections 6 and 7 as `Z6[.n]`, `Z7[.n]`;
    None if `clause` names neither."""
    licence = _LICENCE.match(clause)
    if licence:
        return "LC8" + licence.group(1)
    appendix = _APPENDIX_Z.match(clause)
    if appendix:
        return f"Z{appendix.group(1)}{appendix.group(2)}"
    return None


class FindingKind:
    NON_COMPLIANCE = "non_compliance"                  # G8.22(b)(i): actual
    POTENTIAL_NON_COMPLIANCE = "potential_non_compliance"  # G8.22(b)(i): potential
    RISK_INCREASE = "risk_increase"                    # G8.22(c)(i)

    CHOICES = [(NON_COMPLIANCE, "Actual non-compliance"),
               (POTENTIAL_NON_COMPLIANCE, "Potential non-compliance"),
               (RISK_INCREASE, "Material increase in security risk")]


def finding_kinds(category: str) -> list[str]:
    """The kinds of finding a report of this category records (G8.22(b)-(c))."""
    if category in FINDING_SECTIONS:
        return [FindingKind.NON_COMPLIANCE, FindingKind.POTENTIAL_NON_COMPLIANCE]
    if category == AssessmentType.VERIFICATION.value:
        return [FindingKind.RISK_INCREASE]
    return [FindingKind.NON_COMPLIANCE, FindingKind.POTENTIAL_NON_COMPLIANCE,
            FindingKind.RISK_INCREASE]


def check_finding(category: str, kind: str, clause: str,
                  catalogue: Catalogue | None = None, *, triage_provider: bool = False) -> str:
    """The canonical clause of a finding; ValueError saying what is wrong otherwise.

    A Full assessment's finding must name a clause of G3 to G6 that exists (G8.22(b)); a
    Verification's finding is a material increase in risk and may name one (G8.22(c)). A Full
    DCC assessment's may also name DCC Licence Condition 8 or Appendix Z Sections 6 and 7
    (G9.16, G9.19(c)-(d)); a Triage Facility Provider's may also name G12.4 (G12.4, G12.5).
    """
    if kind not in finding_kinds(category):
        raise ValueError(f"a {category} report does not record findings of kind {kind!r}")
    clause = (clause or "").strip()
    sections = FINDING_SECTIONS.get(category)
    if not clause:
        if sections:
            raise ValueError(f"a finding of a {category} must name the clause not complied with "
                             f"(one of {', '.join(_cited(category, triage_provider))})")
        return ""
    if category == "DCC_FULL":
        outside = outside_section_g(clause)
        if outside is not None:
            return outside
    catalogue = catalogue or load()
    try:
        ref = normalise_ref(clause)
    except ValueError:
        raise ValueError(f"{clause!r} is not a clause reference such as G5.14 or G3.2(a)") \
            from None
    if ref not in catalogue:
        raise ValueError(f"Section G has no clause {ref}")
    if triage_provider and (ref == TRIAGE_CLAUSE or ref.startswith(TRIAGE_CLAUSE + "(")):
        return ref
    if sections and catalogue.get(ref).section not in sections:
        raise ValueError(f"{ref} is outside {', '.join(_cited(category, triage_provider))}, "
                         f"the obligations a {category} assesses")
    return ref


def _cited(category: str, triage_provider: bool) -> list[str]:
    """What a finding of `category` may cite, in words."""
    cited = list(FINDING_SECTIONS.get(category, ()))
    if category == "DCC_FULL":
        cited += ["DCC Licence Condition 8 (LC8)", "Appendix Z Sections 6 and 7 (Z6, Z7)"]
    if triage_provider:
        cited.append(TRIAGE_CLAUSE)
    return cited


@dataclass(frozen=True)
class PlannedStep:
    description: str
    taken: bool          # already taken, or proposed
    due: date | None     # the timetable for a proposed step (G8.26(c))


@dataclass(frozen=True)
class Answer:
    accepted: bool | None          # G8.26(a): accepts the finding, or disputes it
    reasons: str = ""
    steps: tuple[PlannedStep, ...] = field(default=())


def response_problems(finding_labels: dict[int, str], answers: dict[int, Answer]) -> list[str]:
    """Everything that stops a response from meeting G8.25-G8.26, one message each."""
    problems = []
    for finding, label in finding_labels.items():
        answer = answers.get(finding)
        if answer is None or answer.accepted is None:
            problems.append(f"{label}: say whether you accept the finding (G8.26(a))")
            continue
        if not answer.accepted and not answer.reasons.strip():
            problems.append(f"{label}: explain why you do not accept it (G8.26(a))")
        for number, step in enumerate(answer.steps, start=1):
            if not step.description.strip():
                problems.append(f"{label}, step {number}: describe the step (G8.26(b))")
            if not step.taken and step.due is None:
                problems.append(f"{label}, step {number}: give the date by which the proposed "
                                "step will be taken (G8.26(c))")
    for finding in answers:
        if finding not in finding_labels:
            problems.append(f"finding {finding} is not in this report")
    return problems


def triage_permitted(assurance_status: str | None, ssc_approved: bool) -> tuple[bool, str, str]:
    """G12.7: may a Triage Facility Provider undertake Triage Activities? (yes/no, clause, why)"""
    if assurance_status == "approved":
        return True, "G12.7(a)", "approved: Triage Activities may start"
    if assurance_status == "approved_subject_to":
        if ssc_approved:
            return True, "G12.7(b)", "approved subject to conditions, and the SSC has approved"
        return (False, "G12.7(b)",
                "approved subject to conditions: needs the SSC's explicit approval")
    if assurance_status in ("deferred", "rejected"):
        return False, "G12.7(c)", f"{assurance_status}: not approved to undertake Triage Activities"
    return False, "G12.6", "no assurance status yet: no Triage Activities before the initial FUSA"
