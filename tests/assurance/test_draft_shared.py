"""G8.22: the assessor may share the draft report with the party before issue. Then the
party's own people see the draft findings, marked DRAFT, at every door, and may comment (on a
finding or on the draft, journaled); nobody else beyond the drafter does: not the SSC, not the
provider's Shared Resource Users, not another party."""
import pytest
from django.core.exceptions import PermissionDenied

from secassure.assurance import exports, selectors, services
from secassure.assurance.models import Assessment, Finding
from secassure.assurance.services import WorkflowError
from secassure.core.journal.models import JournalEntry
from secassure.registry.models import Party

#: Who sees the shared draft of CLOUDVAULT (a Shared Resource Provider HEARTH uses, G10.7).
READERS = {"cio-assessor": True, "rep-CLOUDVAULT": True, "ssc-member": False,
           "secas": False, "panel-member": False, "rep-HEARTH": False, "rep-LUMEN": False}


@pytest.fixture
def draft(demo):
    """A booked Full assessment of CLOUDVAULT with one finding in its draft report."""
    party = Party.objects.get(party_id="CLOUDVAULT")
    a = services.book_assessment(demo["secas"], party, category="FUSA",
                                 roles=list(party.roles.all()), assessor=demo["cio-assessor"])
    services.record_finding(demo["cio-assessor"], a, kind="non_compliance", clause="G5.14",
                            title="Unpatched jump host", evidence="Scan of 1 May")
    return Assessment.objects.get(pk=a.pk)


@pytest.mark.parametrize("username, after", list(READERS.items()))
def test_who_sees_the_draft_before_and_after_it_is_shared(username, after, draft, demo, client,
                                                           api_for):
    person = demo[username]
    before = username == "cio-assessor"
    assert Finding.objects.visible_to(person).filter(assessment=draft).exists() is before
    services.share_draft(demo["cio-assessor"], draft)
    draft.refresh_from_db()
    assert Finding.objects.visible_to(person).filter(assessment=draft).exists() is after
    assert bool(selectors.assessment_record(person, draft).findings) is after
    text = " ".join(f"{label} {value}" for s in exports.outline(person, draft).sections
                    for label, value in s.fields) if after else ""
    if after:
        assert "DRAFT" in text
    client.force_login(person)
    page = client.get(f"/assurance/{draft.pk}/")
    if page.status_code == 200:
        assert ("Unpatched jump host" in page.content.decode()) is after, username
        if after:
            assert "DRAFT" in page.content.decode()
    body = api_for(username).get(f"/api/assurance/assessments/{draft.pk}/")
    if body.status_code == 200:
        assert bool(body.json()["findings"]) is after, username
    listed = api_for(username).get("/api/assurance/findings/", {"assessment": draft.pk}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert bool(rows) is after, username


def test_the_party_comments_journaled_and_only_the_party_and_assessor_read_them(draft, demo):
    with pytest.raises(WorkflowError):  # not shared yet: 409
        services.comment_on_draft(demo["rep-CLOUDVAULT"], draft, comment="too early")
    services.share_draft(demo["cio-assessor"], draft)
    draft.refresh_from_db()
    with pytest.raises(WorkflowError):  # once
        services.share_draft(demo["cio-assessor"], draft)
    services.comment_on_draft(demo["rep-CLOUDVAULT"], draft, comment="Host retired in May",
                              finding="1")
    services.comment_on_draft(demo["rep-CLOUDVAULT"], draft, comment="Fair overall")
    entries = JournalEntry.objects.filter(action="assurance.comment_on_draft",
                                          subject=f"assessment:{draft.pk}")
    assert sorted(entries.values_list("reason", flat=True)) == ["Fair overall",
                                                               "Host retired in May"]
    for username, reads in (("rep-CLOUDVAULT", True), ("cio-assessor", True),
                            ("ssc-member", False), ("rep-HEARTH", False)):
        journal = selectors.journal_entries(demo[username], draft)
        assert journal.filter(action="assurance.comment_on_draft").exists() is reads, username
    for username in ("ssc-member", "rep-HEARTH", "rep-LUMEN", "secas"):
        with pytest.raises(PermissionDenied):  # 403
            services.comment_on_draft(demo[username], draft, comment="not mine")
    with pytest.raises(PermissionDenied):
        services.share_draft(demo["rep-CLOUDVAULT"], draft)


def test_the_api_shares_and_comments_with_refusals(draft, demo, api_for):
    party = api_for("rep-CLOUDVAULT")
    early = party.post(f"/api/assurance/assessments/{draft.pk}/draft-comments/",
                       {"comment": "early"}, format="json")
    assert early.status_code == 409, early.content
    assert api_for("ssc-member").post(f"/api/assurance/assessments/{draft.pk}/share-draft/",
                                      {}, format="json").status_code == 403
    shared = api_for("cio-assessor").post(f"/api/assurance/assessments/{draft.pk}/share-draft/",
                                          {}, format="json")
    assert shared.status_code == 200, shared.content
    assert shared.json()["draft_shared_at"]
    made = party.post(f"/api/assurance/assessments/{draft.pk}/draft-comments/",
                      {"comment": "Host retired", "finding": "1"}, format="json")
    assert made.status_code == 201, made.content
    bad = party.post(f"/api/assurance/assessments/{draft.pk}/draft-comments/",
                     {"comment": "x", "finding": "9"}, format="json")
    assert bad.status_code == 400 and "finding" in bad.content.decode()
