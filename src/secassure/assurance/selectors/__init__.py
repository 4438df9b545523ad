"""The one read layer of the assurance app, used by pages, the API, exports and the command
line alike. Every query of confidential records starts from `Model.objects.visible_to(user)`.

- `records`: assessments and their whole record, the attention page, Events of Default;
- `schedule`: the register with its assessment history, the schedule and open bookings;
- `waiting`: what waits on an assessor or a party, for their home page.
"""
from .records import (AFTER_RESPONSE, FOLLOW_UPS, GROUPS, LIMIT, SECTIONS, AssessmentRecord,
                      PartyAssurance, Section, assessment_record, assessments_for, attention,
                      defaults_for, may_book, party_assurance)
from .schedule import (booking_json, open_bookings, party_schedule, register_records,
                       register_schedule, schedule_for)
from .waiting import AssessorWork, PartyWork, assessor_work, party_work

__all__ = ["AFTER_RESPONSE", "FOLLOW_UPS", "GROUPS", "LIMIT", "SECTIONS", "AssessmentRecord",
           "PartyAssurance", "Section", "assessment_record", "assessments_for", "attention",
           "booking_json", "defaults_for", "may_book", "open_bookings", "party_assurance",
           "party_schedule", "register_records", "register_schedule", "schedule_for",
           "AssessorWork", "PartyWork", "assessor_work", "party_work"]
