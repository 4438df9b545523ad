"""The minutes drafted from the record: attendance, conflicts, items, decisions (the meeting's
and the workflow's), actions; in the shape of the working-group seeds."""
from __future__ import annotations

from ..models import Action, Meeting


def minutes_text(meeting: Meeting) -> str:
    """The draft of the confidential minutes, in Markdown."""
    lines = [f"# {meeting} - Confidential Meeting Minutes", "",
             "Classification: RED", "", "## Attendees", ""]
    for row in meeting.attendance.all():
        state = "" if row.present else " (apologies)"
        lines.append(f"- {row.name}, {row.get_role_display()}{state}")
    if meeting.quorate is not None:
        lines += ["", f"The meeting was {'quorate' if meeting.quorate else 'not quorate'}."]
    conflicts = [c for item in meeting.items.all() for c in item.conflicts.all()]
    if conflicts:
        lines += ["", "## Conflicts of interest", ""]
        lines += [f"- {c.person} declared a conflict on item {c.item.display_number}"
                  for c in conflicts]
    lines += ["", "## Discussion", ""]
    for item in sorted(meeting.items.all(), key=lambda i: (i.parent.number if i.parent_id
                                                           else i.number, i.parent_id or 0,
                                                           i.number)):
        lines.append(f"### {item.display_number}. {item.title} ({item.classification})")
        for decision in item.decisions.all():
            lines.append(f"- Decision: {decision.text}")
        lines.append("")
    business = list(meeting.business.select_related(
        "decision__assessment__party", "plan__assessment__party",
        "progress__assessment__party"))
    if business:
        lines += ["## Decisions taken through the workflow", ""]
        for link in business:
            if link.decision is not None:
                d = link.decision
                lines.append(f"- {d.assessment.party.party_id}: {d.get_kind_display()}"
                             f"{': ' + d.value if d.value else ''} ({d.clause})")
            elif link.plan is not None:
                lines.append(f"- {link.plan.assessment.party.party_id}: Remediation Plan and "
                             "Director's Letter approved")
            else:
                lines.append(f"- {link.progress.assessment.party.party_id}: progress update "
                             "on the Remediation Plan noted")
        lines.append("")
    loose = meeting.decisions.filter(item__isnull=True)
    if loose:
        lines += ["## Other decisions", ""] + [f"- {d.text}" for d in loose] + [""]
    actions = Action.objects.filter(meeting=meeting).order_by("number")
    lines += ["## Actions", ""]
    lines += [f"- {a.reference} {a.text} (owner: {a.owner_name}; due {a.due:%d %B %Y})"
              for a in actions] or ["- None."]
    return "\n".join(lines) + "\n"
