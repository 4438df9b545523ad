"""Assessments in every state for the demo register, made through the real services (so the
journal, the decisions and the notifications are real too), then dated back where a demo needs
something to be late."""
from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from secassure.code.findings import Answer, FindingKind, PlannedStep

from . import services
from .models import Assessment, Step

NON_COMPLIANCE, RISK = FindingKind.NON_COMPLIANCE, FindingKind.RISK_INCREASE


def load_assurance_demo(people: dict, today: date) -> None:
    """`people`: demo logins by username. Every party named here is in the demo register."""
    from secassure.registry.models import Party
    parties = {p.party_id: p for p in Party.objects.all()}
    cio, ssc, panel, secas = (people[k] for k in ("cio-assessor", "ssc-member", "panel-member",
                                                  "secas"))
    rep = {pid: people[f"rep-{pid}"] for pid in parties if f"rep-{pid}" in people}
    rep["DCC"] = people["dcc"]
    week = timedelta(days=7)

    def book(pid, category, by=None, **extra):
        party = parties[pid]
        return services.book_assessment(
            by or secas, party, category, roles=list(party.roles.all()), assessor=cio,
            fieldwork_start=today - 3 * week, fieldwork_end=today - 2 * week, **extra)

    def report(assessment, findings, assessor=cio):
        for kind, clause, title, evidence in findings:
            services.record_finding(assessor, assessment, kind=kind, clause=clause, title=title,
                                    evidence=evidence)
        return services.issue_report(assessor, assessment, summary="All matters in scope were "
                                     "assessed against the Security Controls Framework.")

    def respond(assessment, pid, due_in_days=(60, 120)):
        answers = {f.pk: Answer(True, "", (PlannedStep(f"Remedy: {f.title.lower()}", False,
                                                       today + timedelta(days=d)),))
                   for f, d in zip(assessment.findings.order_by("number"),
                                   _cycle(due_in_days), strict=False)}
        return services.submit_response(rep[pid], assessment, answers,
                                        summary="We accept the findings and will remedy them.")

    with transaction.atomic():
        # NEWCO: the initial FUSA of user entry is booked (G8.33).
        services.book_assessment(secas, parties["NEWCO"], "FUSA",
                                 roles=list(parties["NEWCO"].roles.all()), assessor=cio,
                                 fieldwork_start=today + 2 * week, fieldwork_end=today + 3 * week)
        # SOLWAY: fieldwork done, the report is still a draft (only the assessor sees it).
        solway = book("SOLWAY", "FUSA")
        services.record_finding(cio, solway, kind=NON_COMPLIANCE, clause="G5.14",
                                title="Asset inventory incomplete",
                                evidence="Two servers in the User Systems were not on the list.")
        # MERIDIAN: report issued, the response is overdue (G8.24).
        meridian = report(book("MERIDIAN", "VUSA"), [
            (RISK, "", "New outsourced service desk", "Access to User Systems from a new "
             "supplier's site since March.")])
        Assessment.objects.filter(pk=meridian.pk).update(response_due=today - week)
        # CLOUDVAULT (a Shared Resource Provider): response in, awaiting the SSC's review; its
        # Shared Resource User HEARTH sees it all (G10.8).
        cloud = report(book("CLOUDVAULT", "FUSA"), [
            (NON_COMPLIANCE, "G5.19", "Information security policy not reviewed",
             "The policy was last reviewed 26 months ago."),
            (NON_COMPLIANCE, "G3.9", "Patching of a shared jump host late",
             "Critical patches were applied 45 days after release.")])
        respond(cloud, "CLOUDVAULT")
        # LUMEN: the SSC proposes other dates (G8.27(b)).
        lumen = report(book("LUMEN", "FUSA"), [
            (NON_COMPLIANCE, "G3.2", "Monitoring gaps", "Alerts from two systems not reviewed.")])
        respond(lumen, "LUMEN", (150,))
        finding = lumen.findings.get()
        services.propose_alternative(ssc, lumen, {finding.pk: [PlannedStep(
            "Review every alert source and connect the two missing systems", False,
            today + timedelta(days=60))]}, "150 days is too long for a monitoring gap.")
        # PYLON: plan agreed, one step overdue, compliance status set, plan awaiting the SSC.
        pylon = report(book("PYLON", "VUSA"), [
            (RISK, "", "Enrolment growth", "SMETS1 enrolment added 400,000 premises."),
            (RISK, "", "New data centre", "User Systems moved to a new data centre.")])
        respond(pylon, "PYLON", (30, 90))
        services.accept_plan(ssc, pylon, "The steps and dates are appropriate.")
        services.set_progress_interval(ssc, pylon, 30)
        Step.objects.filter(finding__assessment=pylon, finding__number=1).update(
            due=today - 2 * week)
        services.set_compliance_status(ssc, pylon, "compliant_subject_to_plan",
                                       "Risks are covered by the agreed steps.")
        services.submit_remediation_plan(
            rep["PYLON"], pylon, plan="1. Capacity review by Q1. 2. Data centre audit by Q2.",
            director_name="Alex Director", director_statement="I commit Pylon Distribution plc "
            "to the actions and timescales of this plan.")
        # GRIDSHARE: every step done and reported; the SSC found it compliant.
        grid = report(book("GRIDSHARE", "VUSA"), [(RISK, "", "New hosting tenant",
                                                   "A new tenant shares the hosting platform.")])
        respond(grid, "GRIDSHARE", (20,))
        services.accept_plan(ssc, grid)
        step = Step.objects.get(finding__assessment=grid, status=Step.Status.AGREED)
        services.report_progress(rep["GRIDSHARE"], grid, kind="completion", step=step,
                                 text="Tenant separation tested by a CHECK provider.")
        services.set_compliance_status(ssc, grid, "compliant", "All steps complete.")
        # HEARTH: a self-assessment submitted, awaiting the assessor (G8.18, G8.50).
        hearth = services.book_assessment(rep["HEARTH"], parties["HEARTH"], "SSA",
                                          roles=list(parties["HEARTH"].roles.all()))
        services.submit_self_assessment(rep["HEARTH"], hearth, "No material change in systems; "
                                        "enrolled premises grew by 8%.")
        # ORBIT: a self-assessment reviewed, for the SSC to note.
        orbit = services.book_assessment(secas, parties["ORBIT"], "SSA",
                                         roles=list(parties["ORBIT"].roles.all()))
        services.submit_self_assessment(rep["ORBIT"], orbit, "One new supplier of printing.")
        services.review_self_assessment(cio, orbit, "Reviewed: no material increase in risk.")
        # QUARTZ: a new entrant whose initial FUSA the Panel approved subject to steps and a
        # Follow-up (G8.36(b)(ii)).
        quartz = _entry_fusa(parties["QUARTZ"], secas, cio, today, week)
        report(quartz, [(NON_COMPLIANCE, "G4.1", "Vetting records incomplete",
                         "Three administrators without vetting records.")])
        respond(quartz, "QUARTZ", (45,))
        services.set_assurance_status(panel, quartz, "approved_subject_to",
                                      "Approved once vetting is complete, checked by a "
                                      "Follow-up.", follow_up_by=today + timedelta(days=90))
        # BRAMBLE: rejected at entry; its second FUSA has reported and been answered, and
        # waits for the Panel to reconsider (G8.36(d)(ii)).
        bramble = services.book_assessment(secas, parties["BRAMBLE"], "FUSA",
                                           roles=list(parties["BRAMBLE"].roles.all()),
                                           assessor=cio, fieldwork_start=today - 3 * week,
                                           fieldwork_end=today - 2 * week)
        report(bramble, [(NON_COMPLIANCE, "G3.2", "Monitoring still partial",
                          "One of three systems is not monitored.")])
        respond(bramble, "BRAMBLE", (30,))
        # DCC: the annual Full DCC assessment; specific non-compliances; the DCC appeals.
        dcc_assessor = people["dcc-assessor"]  # the DCC's own assessor (G9.4)
        dcc = services.book_assessment(secas, parties["DCC"], "DCC_FULL", assessor=dcc_assessor,
                                       dcc_trigger="annual", fieldwork_start=today - 5 * week,
                                       fieldwork_end=today - 4 * week)
        report(dcc, [(NON_COMPLIANCE, "G2.13", "Vulnerability scanning cadence",
                      "Monthly, not weekly, scans of two DCC Live Systems.")], dcc_assessor)
        respond(dcc, "DCC", (40,))
        services.accept_plan(ssc, dcc)
        services.record_dcc_outcome(ssc, dcc, "specific", "Scanning cadence to be fixed.",
                                    findings=list(dcc.findings.values_list("pk", flat=True)))
        services.record_appeal(people["dcc"], dcc.decisions.get(kind="dcc_outcome"),
                               "Monthly scanning meets the SCF for those systems.")
        # BRAMBLE: the SSC refers actual non-compliance to the Panel (G8.57).
        bramble = services.refer_event_of_default(
            ssc, parties["BRAMBLE"], clauses="G3.2, G5.14", referral="Repeated failure to "
            "monitor User Systems after a rejected entry assessment.")
        services.record_default_step(ssc, bramble, step="investigation", text="Monitoring "
                                     "logs for three months reviewed: no alert was triaged.")


def _entry_fusa(party, secas, cio, today, week) -> Assessment:
    """Replace a recorded initial FUSA awaiting status with one run on the platform."""
    party.assessments.filter(category="FUSA", initial=True, assurance_status="").delete()
    return services.book_assessment(secas, party, "FUSA", roles=list(party.roles.all()),
                                    assessor=cio, fieldwork_start=today - 3 * week,
                                    fieldwork_end=today - 2 * week)


def _cycle(values):
    while True:
        yield from values
