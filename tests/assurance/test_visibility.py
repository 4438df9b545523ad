"""For every kind of person and every kind of record: the query shows exactly what the one
rule allows (classification, the party's own records, G10.8 sharing, unissued drafts)."""
import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from secassure.code.classification import DRAFT_READERS, Relation, may_see
from secassure.core.journal.words import describe, words_for
from secassure.core.visibility import person_kind

PEOPLE = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc", "triage-operator",
          "rep-HEARTH", "rep-CLOUDVAULT", "rep-SOLWAY", "rep-BRAMBLE", None]

CLASSIFIED = [m for m in apps.get_models() if hasattr(m, "VISIBILITY_PARTY_PATH")]


def test_every_confidential_record_type_is_covered():
    names = {m.__name__ for m in CLASSIFIED}
    assert {"Party", "Assessment", "Finding", "EvidenceFile", "FindingAnswer", "Step",
            "ProgressReport", "Decision", "RemediationPlan", "Appeal", "EventOfDefault",
            "JournalEntry"} <= names


def relation(person, party) -> Relation:
    if party is None or person is None or person.party_id is None:
        return Relation.OTHER
    if party.pk == person.party_id:
        return Relation.OWN
    if party.pk == person.party.resource_provider_id:
        return Relation.PROVIDER
    return Relation.OTHER


def follow(record, path: str):
    """Walk an ORM path ("user_id__party_role__party"); None where a link is empty."""
    for name in path.split("__"):
        record = getattr(record, name, None)
    return record


def expected(person, record, model) -> bool:
    path = model.VISIBILITY_PARTY_PATH
    party = record if path == "id" else follow(record, path)
    kind = person_kind(person or AnonymousUser())
    allowed = may_see(kind, record.classification, relation(person, party),
                      getattr(model, "SHARED_WITH_RESOURCE_USERS", False))
    draft = getattr(model, "VISIBILITY_DRAFT_PATH", None)
    if draft and follow(record, draft) is None:
        allowed = allowed and kind in DRAFT_READERS
    return allowed


@pytest.mark.parametrize("model", CLASSIFIED, ids=[m.__name__ for m in CLASSIFIED])
def test_each_person_sees_exactly_what_the_rule_allows(demo, model, django_assert_max_num_queries):
    from secassure.assurance.models import EvidenceFile
    if model is EvidenceFile:
        _add_evidence(demo)
    records = list(model.objects.all())
    assert records, f"the demo has no {model.__name__} to check"
    for username in PEOPLE:
        person = demo[username] if username else None
        with django_assert_max_num_queries(2):
            seen = set(model.objects.visible_to(person or AnonymousUser()).values_list(
                "pk", flat=True))
        wanted = {r.pk for r in records if expected(person, r, model)}
        assert seen == wanted, (model.__name__, username)


def _add_evidence(demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secassure.assurance import services
    from secassure.assurance.models import Finding
    for finding in Finding.objects.filter(assessment__party__party_id__in=["SOLWAY",
                                                                           "CLOUDVAULT"]):
        if finding.assessment.report_issued_at is None:
            services.attach_evidence(demo["cio-assessor"], finding,
                                     SimpleUploadedFile("scan.txt", b"evidence"))
        else:  # issued reports take no more evidence; add it as if before the issue
            from secassure.assurance.models import EvidenceFile
            EvidenceFile.objects.create(finding=finding, file=SimpleUploadedFile("a.txt", b"x"),
                                        name="a.txt", sha256="0" * 64, size=1,
                                        uploaded_by=demo["cio-assessor"])


def test_the_g10_8_and_draft_rules_in_plain_words(demo):
    """The Users of CLOUDVAULT (HEARTH) see its report; SOLWAY's draft findings are the
    assessor's alone, not even SOLWAY's or the SSC's."""
    from secassure.assurance.models import Finding
    def seen_by(username):
        return set(Finding.objects.visible_to(demo[username]).values_list(
            "assessment__party__party_id", flat=True))
    assert seen_by("rep-HEARTH") == {"CLOUDVAULT"}
    assert "SOLWAY" not in seen_by("rep-SOLWAY") | seen_by("ssc-member") | seen_by("secas")
    assert "SOLWAY" in seen_by("cio-assessor")
    assert seen_by("rep-BRAMBLE") == {"BRAMBLE"}  # its own second FUSA, issued
    assert seen_by("rep-LUMEN") == {"LUMEN"}


# --- One record, whatever the door (G8.22-G8.23) --------------------------------------------

DRAFT_JOURNAL = {"assurance.record_finding", "assurance.attach_evidence"}


@pytest.mark.parametrize("username, drafter", [
    ("secas", False), ("ssc-member", False), ("panel-member", False), ("rep-SOLWAY", False),
    ("cio-assessor", True)])
def test_the_page_the_api_and_the_export_show_the_same_journal_of_a_draft(
        username, drafter, demo, client, api_for):
    """While SOLWAY's report is a draft, the journal entries naming its findings are for its
    drafters only, like the findings themselves (G8.22-G8.23): the page, the API and the
    export show each person the same entries, the drafter's with them, everyone else's
    without them."""
    from secassure.assurance import exports
    from secassure.assurance.models import Assessment
    from tests.assurance.test_workflow_api_permissions import login
    solway = Assessment.objects.get(party__party_id="SOLWAY", stage="booked")
    assert solway.report_issued_at is None
    person = login(demo, username)

    client.force_login(person)
    page = client.get(reverse("assessment", args=[solway.pk]))
    assert page.status_code == 200
    entries = page.context["record"].journal
    on_page = [(describe(e), e.reason) for e in entries]
    over_api = [(words_for(e["action"], e.get("details")), e["reason"]) for e in api_for(
        username).get(f"/api/assurance/assessments/{solway.pk}/").json()["journal"]]
    outline = exports.outline(person, solway)
    journal = next(s for s in outline.sections if s.title == "Journal")
    in_export = [(row[2], "" if row[4] == "—" else row[4])  # the export says it in words
                 for row in journal.tables[0].rows][::-1]  # the export reads oldest first

    assert on_page == over_api == in_export
    assert entries[len(entries) - 1].action == "assurance.book"  # newest first: booked first
    drafted = [e.action for e in entries if e.action in DRAFT_JOURNAL]
    assert bool(drafted) is drafter, username
    assert ("recorded in the draft report" in page.content.decode()) is drafter


def test_those_notified_of_an_event_of_default_are_named_as_the_register_shows_them(
        demo, client, api_for):
    """G8.58(a): the Panel notifies the party and those affected. The party reads its own
    referral but another party's AMBER register entry no more through it than elsewhere: the
    page and the API name those notified that the reader may see, and the same ones."""
    from secassure.assurance import services
    from secassure.assurance.models import EventOfDefault
    from secassure.registry.models import Party
    from tests.assurance.test_workflow_api_permissions import login
    eod = EventOfDefault.objects.get(party__party_id="BRAMBLE")
    services.decide_event_of_default(demo["panel-member"], eod, is_event_of_default=True,
                                     reason="Material breach.", steps="Fix within 30 days.",
                                     affected=[Party.objects.get(party_id="LUMEN")])
    for username, named in [("ssc-member", ["LUMEN"]), ("rep-BRAMBLE", [])]:
        person = login(demo, username)
        client.force_login(person)
        page = client.get(reverse("default", args=[eod.pk]))
        assert page.status_code == 200
        assert [p.party_id for p in page.context["affected"]] == named, username
        assert ("LUMEN" in page.content.decode()) is bool(named)
        api = api_for(username).get(f"/api/assurance/events-of-default/{eod.pk}/")
        assert api.status_code == 200 and api.json()["affected"] == named, username
