"""The publications from the database are the contract's documents: seed 000 (SSC meeting 106,
12 August 2020) recorded through the committee's services, its business taken through the
workflow on the day, renders exactly as the same meeting from its file does."""
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import timezone

from secassure.assurance.models import Assessment, Decision, ProgressReport, RemediationPlan
from secassure.code import publications as contract
from secassure.committee import publications, services
from secassure.committee.models import Meeting

pytestmark = pytest.mark.django_db

SEED_000 = (Path(__file__).resolve().parents[1] / "code" / "publications_data"
            / "seed_000_meeting.json")
HELD = date(2020, 8, 12)


def _on_the_day(model, **fields):
    """A record of the workflow, dated on the meeting's day (as the services would have)."""
    row = model.objects.create(**fields)
    stamp = timezone.make_aware(datetime(2020, 8, 12, 11, 0))
    stamp_field = {Decision: "decided_at", RemediationPlan: "decided_at",
                   ProgressReport: "reported_at"}[model]
    model.objects.filter(pk=row.pk).update(**{stamp_field: stamp})
    return row


def _record_business(secas):
    def assessment(category):
        return Assessment.objects.filter(category=category).order_by("pk").first()
    vusa, fusa, ssa = assessment("VUSA"), assessment("FUSA"), assessment("SSA")
    _on_the_day(Decision, assessment=vusa, kind="compliance_status", body="ssc",
                value="compliant", clause="G7.20", effective=HELD, decided_by=secas)
    _on_the_day(Decision, assessment=ssa, kind="self_assessment_noted", body="ssc",
                value="noted", clause="G7.20", effective=HELD, decided_by=secas)
    for target in (vusa, fusa):
        _on_the_day(RemediationPlan, assessment=target, plan="Plan", director_name="D",
                    director_statement="I commit.", status="approved", submitted_by=secas)
    _on_the_day(ProgressReport, assessment=fusa, kind="progress", text="On track.",
                reported_by=secas)


def _record_meeting(secas, document):
    meeting = services.schedule_meeting(secas, body="ssc", number=document["number"],
                                        date=HELD,
                                        further_information_url=document[
                                            "further_information_url"])
    services.schedule_meeting(secas, body="ssc", number=107, date=date(2020, 8, 26))
    agenda = {entry["number"]: entry for entry in document["agenda"]}
    for number in range(2, max(agenda) + 1):
        entry = agenda.get(number, {"title": f"Item {number}", "headline": "",
                                    "classification": "RED", "publish": False})
        item = services.add_item(secas, meeting, title=entry["title"],
                                 classification=entry["classification"],
                                 headline=entry["headline"], publish=entry["publish"])
        assert item.number == number
    for matter in document["matters_arising"]:
        services.record_decision(secas, meeting, text=matter["text"],
                                 classification=matter["classification"])
    return meeting


def test_seed_000_from_the_database_is_the_seed_from_its_file(demo):
    document = json.loads(SEED_000.read_text(encoding="utf-8"))
    secas = demo["secas"]
    _record_business(secas)
    meeting = _record_meeting(secas, document)
    links = services.attach_business(secas, meeting)
    assert len(links) == 5
    expected = contract.render_headlines(contract.parse_meeting(document))
    assert publications.headlines(Meeting.objects.get(pk=meeting.pk)) == expected


def test_a_matter_arising_naming_a_user_refuses_the_headlines(demo):
    secas = demo["secas"]
    meeting = services.schedule_meeting(secas, body="ssc", number=500, date=HELD)
    services.record_decision(secas, meeting, text="The SSC noted HEARTH's update.",
                             classification="RED")
    with pytest.raises(contract.PublicationError, match=r"matters_arising\[0\]: names party"):
        publications.headlines(meeting)
