"""For every kind of person and every kind of record: the query shows exactly what the one
rule allows (classification, the party's own records, G10.8 sharing, unissued drafts)."""
import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from secassure.code.classification import DRAFT_READERS, Relation, may_see
from secassure.core.journal.words import describe, words_for
from secassure.core.visibility import person_kind

PEOPLE = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc-assessor", "dcc",
          "triage-operator",
          "rep-HEARTH", "rep-CLOUDVAULT", "rep-SOLWAY", "rep-BRAMBLE", None]

CLASSIFIED = [m for m in apps.get_models() if hasattr(m, "VISIBILITY_PARTY_PATH")]


def test_every_confidential_record_type_is_covered():
    names = {m.__name__ for m in CLASSIFIED}
    assert {"Party", "Assessment", "Finding", "EvidenceFile", "FindingAnswer", "Step",
            "ProgressReport", "Decision", "RemediationPlan", "Appeal", "EventOfDefault",
            "JournalEntry"} <= names


def follow(record, path: str):
    """Walk an ORM path ("user_id__party_role__party"); None where a link is empty."""
    for name in path.split("__"):
        record = getattr(record, name, None)
    return record


def engaged(person, assessment) -> bool:
    """G8.22: the assessor of it, or a self-assessment awaiting a reviewer (G8.18)."""
    return assessment.assessor_id == person.pk or (
        assessment.assessor_id is None and assessment.stage == "ssa_submitted")


def before_the_panel(assessment) -> bool:
    """G8.34, G8.36: initial Full assessments and their Follow-ups; G9.3(c)(iv), G9.31, G9.33:
    the DCC's assessments."""
    follows = assessment.follows
    return ((assessment.category == "FUSA" and assessment.initial)
            or (follows is not None and follows.category == "FUSA" and follows.initial)
            or assessment.category in ("DCC_FULL", "DCC_FOLLOW_UP"))


def assessment_of(record, model):
    """The assessment a record belongs to ("" path: itself), None for none."""
    from secassure.core.visibility import assessment_path
    path = assessment_path(model)
    if path is None:
        return None
    return record if path == "" else follow(record, path)


def relations(person, record, model, everything) -> set[Relation]:
    """Every relation of `record` to `person`, worked out in Python, slowly, from the
    records themselves (`everything`: every assessment): what the one query must agree with."""
    if person is None:
        return {Relation.OTHER}
    path = model.VISIBILITY_PARTY_PATH
    party = record if path == "id" else follow(record, path)
    found = {Relation.OTHER}
    if party is not None and party.pk == person.party_id:
        found.add(Relation.OWN)
    if party is not None and party.is_dcc:
        found.add(Relation.DCC)
    assessment = assessment_of(record, model)
    if assessment is not None:
        chosen = [assessment]
    elif getattr(model, "VISIBILITY_SUBJECT_FIELD", None):
        chosen = [a for a in everything if record.subject == f"assessment:{a.pk}"]
    elif getattr(model, "VISIBILITY_ASSESSMENT_PATH", None) is not None:
        chosen = []  # a record that may hang on an assessment, and here does not
    else:
        chosen = [a for a in everything if party is not None and a.party_id == party.pk]
    if (assessment is not None and person.party_id is not None
            and assessment.served_users.filter(pk=person.party_id).exists()):
        found.add(Relation.PROVIDER)  # G10.7: served at the time of the assessment
    if any(engaged(person, a) for a in chosen):
        found.add(Relation.ENGAGED)
    if (getattr(model, "PANEL_SEES_ALL", False) or any(before_the_panel(a) for a in chosen)
            or str(getattr(record, "subject", "")).startswith("event_of_default:")):
        found.add(Relation.PANEL)
    return found


def expected(person, record, model, everything) -> bool:
    kind = person_kind(person or AnonymousUser())
    allowed = may_see(kind, record.classification,
                      relations(person, record, model, everything),
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
    from secassure.assurance.models import Assessment
    records = list(model.objects.all())
    assert records, f"the demo has no {model.__name__} to check"
    everything = list(Assessment.objects.select_related("follows"))
    from secassure.core.visibility import ClassifiedQuerySet
    narrowed = type(model.objects.all()).visible_to is not ClassifiedQuerySet.visible_to
    for username in PEOPLE:
        person = demo[username] if username else None
        with django_assert_max_num_queries(2):
            seen = set(model.objects.visible_to(person or AnonymousUser()).values_list(
                "pk", flat=True))
        wanted = {r.pk for r in records if expected(person, r, model, everything)}
        if narrowed:  # a model's own rule on top (a declared conflict, what the Panel is sent)
            assert seen <= wanted, (model.__name__, username)
        else:
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
    ("secas", False), ("ssc-member", False), ("rep-SOLWAY", False),
    ("cio-assessor", True)])  # the Panel does not see a later FUSA at all (G8.34)
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


# --- G10.7-G10.8: a provider's papers to the Users it served at the time --------------------

def _provider_records(person):
    from secassure.assurance.models import (
        Appeal,
        Decision,
        Finding,
        FindingAnswer,
        ProgressReport,
        RemediationPlan,
        Step,
    )
    seen = {}
    for model in (Finding, FindingAnswer, Step, ProgressReport, Decision, RemediationPlan,
                  Appeal):
        seen[model.__name__] = model.objects.visible_to(person).filter(
            **{f"{model.VISIBILITY_PARTY_PATH}__party_id": "CLOUDVAULT"}).count()
    return seen


def test_g10_8_sends_a_providers_users_its_papers_but_not_its_decisions(demo):
    """G10.8(a)-(d): the report, the response, the agreed steps and the progress reports of
    CLOUDVAULT's assessments reach HEARTH, a User it serves; its decisions, Remediation Plans
    and Directors' Letters and appeals do not (G10.8 names none of them)."""
    from secassure.assurance import services
    from secassure.assurance.models import Appeal, Assessment, Decision, RemediationPlan
    cloud = Assessment.objects.get(party__party_id="CLOUDVAULT", stage="response_submitted")
    services.accept_plan(demo["ssc-member"], cloud)  # G8.27(a): a decision; steps agreed
    decision = Decision.objects.get(assessment=cloud)
    RemediationPlan.objects.create(assessment=cloud, plan="Patch.", director_name="D. Irector",
                                   director_statement="I commit.",
                                   submitted_by=demo["rep-CLOUDVAULT"])
    Appeal.objects.create(decision=decision, to="authority", grounds="Too slow.",
                          lodged_by=demo["rep-CLOUDVAULT"], lodged_on=cloud.created.date())
    hearth, cloudvault = demo["rep-HEARTH"], demo["rep-CLOUDVAULT"]
    theirs, users = _provider_records(cloudvault), _provider_records(hearth)
    assert theirs["Decision"] == theirs["RemediationPlan"] == theirs["Appeal"] == 1, theirs
    assert users["Finding"] == theirs["Finding"] > 0, users          # G10.8(a): the report
    assert users["FindingAnswer"] == theirs["FindingAnswer"] > 0     # G10.8(b): the response
    assert users["Step"] == theirs["Step"] > 0                       # G10.8(c): agreed steps
    assert users["Decision"] == users["RemediationPlan"] == users["Appeal"] == 0, users


def test_g10_7_the_users_served_at_the_time_not_the_users_of_today(demo):
    """G10.7: the Users with which, at the time of the assessment, the provider had an
    arrangement. A User that joins later does not receive earlier papers; one that leaves
    keeps what it was sent; an assessment booked after the change follows the new register."""
    from secassure.assurance import services
    from secassure.assurance.models import Assessment
    from secassure.registry.models import Party
    cloudvault = Party.objects.get(party_id="CLOUDVAULT")
    before = set(Assessment.objects.filter(party=cloudvault).values_list("pk", flat=True))
    assert before
    Party.objects.filter(party_id="HEARTH").update(resource_provider=None)  # HEARTH leaves
    Party.objects.filter(party_id="FENWAY").update(resource_provider=cloudvault)  # FENWAY joins
    hearth, fenway = demo["rep-HEARTH"], demo["rep-FENWAY"]
    assert before <= set(Assessment.objects.visible_to(hearth).values_list("pk", flat=True))
    assert not before & set(Assessment.objects.visible_to(fenway).values_list("pk", flat=True))
    later = services.book_assessment(demo["secas"], cloudvault, "SSA",
                                     roles=list(cloudvault.roles.all()))
    assert Assessment.objects.visible_to(fenway).filter(pk=later.pk).exists()
    assert not Assessment.objects.visible_to(hearth).filter(pk=later.pk).exists()


def test_assessments_already_recorded_take_todays_links_when_migrated(demo):
    """The data migration: assessments in the database before the Users served were recorded
    take their provider's Users as the register links them (the only record there is)."""
    import importlib

    from django.apps import apps as django_apps

    from secassure.assurance.models import Assessment
    migration = importlib.import_module("secassure.assurance.migrations.0004_served_users")
    through = Assessment.served_users.through
    wanted = set(through.objects.values_list("assessment_id", "party_id"))
    assert wanted, "the demo has a provider with Users"
    through.objects.all().delete()
    migration.served_from_todays_links(django_apps, None)
    assert set(through.objects.values_list("assessment_id", "party_id")) == wanted


# --- G8.22-G8.23, G8.34, G9.4: who sees which assessments -----------------------------------

def _parties_seen(person):
    from secassure.assurance.models import Assessment
    return set(Assessment.objects.visible_to(person).values_list("party__party_id", flat=True))


def test_the_panel_sees_the_papers_put_before_it_not_all_red_business(demo):
    """G8.34: the reports and responses of initial Full assessments go to the Panel; later
    assessments (LUMEN's FUSAs after entry, MERIDIAN's VUSA) are the SSC's business."""
    from secassure.assurance.models import Assessment
    panel = demo["panel-member"]
    seen = Assessment.objects.visible_to(panel)
    assert seen.exists()
    assert not seen.exclude(category__in=["DCC_FULL", "DCC_FOLLOW_UP"]).exclude(
        initial=True).exclude(follows__initial=True).exists()
    assert not seen.filter(party__party_id="MERIDIAN", category="VUSA").exists()
    assert seen.filter(party__party_id="LUMEN", initial=True).exists()
    assert not seen.filter(party__party_id="LUMEN", initial=False).exists()
    assert "DCC" in _parties_seen(panel)  # G9.3(c)(iv), G9.31, G9.33


def test_an_assessor_sees_the_assessments_it_is_engaged_on(demo):
    """G8.22-G8.23: the User CIO assessor engaged on an assessment, not every party's; the
    DCC's assessor sees the DCC's business only (G9.4), and the User CIO not the DCC's."""
    from secassure.accounts.models import Person
    from secassure.assurance.models import Assessment
    cio = demo["cio-assessor"]
    other = Person.objects.create(username="cio-two", kind="cio_assessor")
    mine = set(Assessment.objects.filter(assessor=cio).values_list("pk", flat=True))
    assert mine
    assert set(Assessment.objects.visible_to(cio).filter(assessor__isnull=False)
               .values_list("pk", flat=True)) == mine
    assert not Assessment.objects.visible_to(other).filter(assessor__isnull=False).exists()
    assert "DCC" not in _parties_seen(cio)
    assert _parties_seen(demo["dcc-assessor"]) == {"DCC"}
    from secassure.registry.models import Party
    assert set(Party.objects.visible_to(demo["dcc-assessor"]).values_list(
        "party_id", flat=True)) == {"DCC"}
