"""What an assessment command prints: JSON exactly as the API answers (`--json`), or a few
lines for a person to read."""
from __future__ import annotations

import json
import sys


def _serializer(result):
    from secassure.assurance.api import serializers as s
    from secassure.assurance.models import (
        Appeal,
        Assessment,
        EventOfDefault,
        EvidenceFile,
        Finding,
        ProgressReport,
        RemediationPlan,
    )
    return {Assessment: s.AssessmentDetailSerializer, Finding: s.FindingSerializer,
            EvidenceFile: s.EvidenceFileSerializer, ProgressReport: s.ProgressReportSerializer,
            RemediationPlan: s.RemediationPlanSerializer, Appeal: s.AppealSerializer,
            EventOfDefault: s.EventOfDefaultSerializer}[type(result)]


def as_data(result, user):
    """The API's JSON for `result`; an assessment re-read through the read layer, as its one
    record (`selectors.assessment_record`), exactly as the API answers."""
    from secassure.assurance import selectors
    from secassure.assurance.api import serializers as s
    from secassure.assurance.models import (
        Appeal,
        Assessment,
        EventOfDefault,
        EvidenceFile,
        Finding,
        ProgressReport,
        RemediationPlan,
    )
    context = {"user": user}
    if isinstance(result, list):  # a list of assessments
        return s.AssessmentSerializer(result, many=True, context=context).data
    serializer = _serializer(result)
    if isinstance(result, Assessment):
        result = selectors.assessment_with_record(user, result.pk)
    else:  # re-read through the read layer, as the API answers (a finding with its files)
        read = {Finding: selectors.findings, EvidenceFile: selectors.evidence,
                ProgressReport: selectors.progress_reports,
                RemediationPlan: selectors.remediation_plans, Appeal: selectors.appeals,
                EventOfDefault: selectors.events_of_default}
        result = read[type(result)](user).get(pk=result.pk)
    return serializer(result, context=context).data


def show(result, user, as_json: bool) -> None:
    if result is None:
        return
    if isinstance(result, bytes):
        sys.stdout.buffer.write(result)
        return
    data = as_data(result, user)
    if as_json:
        json.dump(data, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
        return
    from secassure.assurance.models import Assessment
    if isinstance(result, list):
        _table(data)
    elif isinstance(result, Assessment):
        _assessment(data)
    else:
        kind = type(result)._meta.verbose_name
        print(f"{kind} {result.pk} recorded")


def _table(rows) -> None:
    print(f"{'ID':>5}  {'PARTY':<12} {'CATEGORY':<13} {'STAGE':<21} DUE")
    for row in rows:
        print(f"{row['id']:>5}  {row['party']:<12} {row['category']:<13} {row['stage']:<21} "
              f"{row['due'] or '-'}")


def _assessment(a) -> None:
    print(f"Assessment {a['id']}: {a['category_label']} of {a['party']} ({a['party_name']})")
    for label, key in [("Stage", "stage_label"), ("Roles", "roles"), ("Assessor", "assessor"),
                       ("Due", "due"), ("Fieldwork", "fieldwork_start"),
                       ("Completed", "completed"), ("Report issued", "report_issued_at"),
                       ("Response due", "response_due"),
                       ("Response submitted", "response_submitted_at"),
                       ("Assurance status", "assurance_status"),
                       ("Compliance status", "compliance_status"),
                       ("Follow-ups", "follow_ups")]:
        value = a.get(key)
        if key == "fieldwork_start":
            value = f"{a['fieldwork_start'] or '-'} to {a['fieldwork_end'] or '-'}"
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        if value:
            print(f"  {label}: {value}")
    for f in a["findings"]:
        answer = f["answer"]
        said = "" if not answer else (" [accepted]" if answer["accepted"] else " [disputed]")
        print(f"  Finding {f['number']} (id {f['id']}, {f['clause'] or f['kind']}): "
              f"{f['title']}{said}")
        for step in f["steps"]:
            print(f"    step {step['id']} [{step['status']}] due {step['due'] or '-'}: "
                  f"{step['description']}")
    for d in a["decisions"]:
        print(f"  Decision {d['id']} {d['effective']}: {d['kind_label']} {d['value']} "
              f"({d['clause']})")
    if a["actions"]:
        print(f"  Open to you: {', '.join(a['actions'])}")
