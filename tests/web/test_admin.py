"""The admin is SECAS's back office, not a second write path (issue 7).

Every admin class stands on the journaled base: what an admin may add, change or delete goes
through the app's services and lands in the journal with who did it; what changes only through
the workflow the admin shows and refuses to change; and a finding of a report not yet issued is
its assessor's only (G8.22-G8.23), so the admin never shows it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from secassure.accounts.models import Person
from secassure.assurance import services as assurance
from secassure.assurance.models import Assessment, ComplianceStatus, Finding, StatusDelegation
from secassure.core.admin import JournaledAdmin
from secassure.core.journal.models import JournalEntry
from secassure.core.journal.services import verify
from secassure.registry.models import Party, PartyRole, UserId

from ..conftest import TODAY

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)
KESTREL_ID = "90-B3-D5-1F-30-00-14-00"   # KESTREL's User ID in the demo; no threshold uses it
DRAFT_TITLE = "Asset inventory incomplete"  # SOLWAY's finding in a report not yet issued


@dataclass(frozen=True)
class Writes:
    """How the test writes a model through its admin: the form data of a new row, a row to
    change and what to change in its form, a row to delete, and the journal action each
    write must leave (None: the admin must refuse that write)."""

    add: Callable[[], dict] | None = None
    added: str | None = None
    change: Callable[[], models.Model] | None = None
    changes: dict = field(default_factory=dict)
    changed: str | None = None
    delete: Callable[[], models.Model] | None = None
    deleted: str | None = None


def _kestrel_role() -> PartyRole:
    return PartyRole.objects.get(party__party_id="KESTREL")


#: Every admin that writes, and how. A new admin that writes must be added here.
WRITES: dict[str, Writes] = {
    "registry.party": Writes(
        add=lambda: {"party_id": "ACME", "name": "Acme Energy Ltd", "roles": ["gas_supplier"],
                     "domestic_premises": "10", "non_domestic_premises": "0",
                     "classification": "AMBER",
                     "user_ids": "gas_supplier: 90-B3-D5-1F-30-0F-00-00"},
        added="registry.party.created",
        change=lambda: Party.objects.get(party_id="KESTREL"),
        changes={"name": "Kestrel Supply (renamed) Ltd", "reason": "renamed at Companies House"},
        changed="registry.party.replaced"),
    "registry.userid": Writes(
        add=lambda: {"party_role": _kestrel_role().pk, "value": "90-B3-D5-1F-30-00-15-00"},
        added="registry.user_id.added",
        change=lambda: UserId.objects.get(value=KESTREL_ID),
        changes={"value": "90-B3-D5-1F-30-00-14-01"},
        changed="registry.user_id.changed",
        delete=lambda: UserId.objects.get(value="90-B3-D5-1F-30-00-15-00"),
        deleted="registry.user_id.removed"),
    "accounts.person": Writes(
        add=lambda: {"username": "new-rep", "password1": "a long demo passphrase 7",
                     "password2": "a long demo passphrase 7", "kind": "party_rep",
                     "party": Party.objects.get(party_id="KESTREL").pk},
        added="accounts.person.added",
        change=lambda: Person.objects.get(username="rep-KESTREL"),
        changes={"kind": "ssc_member", "party": "", "reason": "joined the SSC"},
        changed="accounts.person.changed",
        delete=lambda: Person.objects.get(username="new-rep"),
        deleted="accounts.person.removed"),
    "authtoken.tokenproxy": Writes(
        add=lambda: {"user": Person.objects.get(username="rep-KESTREL").pk},
        added="accounts.token.issued",
        delete=lambda: admin.site._registry[_model("authtoken.tokenproxy")].model.objects.get(
            user__username="rep-KESTREL"),
        deleted="accounts.token.revoked"),
    "assurance.compliancestatus": Writes(
        add=lambda: {"code": "under_review", "label": "Under review", "position": "90",
                     "active": True},
        added="assurance.compliancestatus.added",
        change=lambda: ComplianceStatus.objects.order_by("id").first(),
        changes={"label": "Compliant (renamed)"},
        changed="assurance.compliancestatus.changed"),
    # G8.35: who sets the assurance status, one row; none added while it exists
    "assurance.statusdelegation": Writes(
        change=lambda: StatusDelegation.objects.get(),
        changes={"assurance_status_by": "ssc", "reason": "Panel minute 12/2026"},
        changed="assurance.statusdelegation.changed"),
}


def _model(label: str) -> type[models.Model]:
    return next(model for model, _ in REGISTERED if model._meta.label_lower == label)


def _url(model: type[models.Model], view: str, obj: models.Model | None = None) -> str:
    args = [quote(obj.pk)] if obj is not None else []
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _form_data(model_admin: admin.ModelAdmin, user: Person, obj: models.Model | None) -> dict:
    """What the admin's form posts back unchanged: each field's initial value, as a browser
    sends it."""
    request = RequestFactory().get("/")
    request.user = user
    form = model_admin.get_form(request, obj, change=obj is not None)(instance=obj)
    data = {}
    for name, bound in form.fields.items():
        if bound.disabled:
            continue
        value = form[name].value()
        if value is True:
            data[name] = "on"
        elif value is not None and value is not False:
            data[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) \
                else str(value)
    return data


def _newest(after: int) -> list[JournalEntry]:
    return list(JournalEntry.objects.filter(id__gt=after).order_by("id"))


def _last_id() -> int:
    return JournalEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _assert_journaled(response, before: int, action: str, secas: Person) -> JournalEntry:
    assert response.status_code == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>',
                                                   response.content.decode(), re.S)
    entries = _newest(before)
    assert [e.action for e in entries if e.action == action], \
        f"{action} not journaled; got {[e.action for e in entries]}"
    entry = next(e for e in entries if e.action == action)
    assert entry.actor_id == secas.pk and entry.actor_label == "secas"
    return entry


def test_every_admin_class_stands_on_the_journaled_base():
    assert REGISTERED
    plain = [model._meta.label for model, model_admin in REGISTERED
             if not isinstance(model_admin, JournaledAdmin)]
    assert plain == []


def test_every_admin_that_writes_is_in_the_table_of_writes(demo):
    request = RequestFactory().get("/")
    request.user = demo["secas"]
    writing = {model._meta.label_lower for model, model_admin in REGISTERED
               if model_admin.has_add_permission(request)
               or any(model_admin.has_change_permission(request, obj)
                      or model_admin.has_delete_permission(request, obj)
                      for obj in model_admin.get_queryset(request)[:20])}
    assert writing == set(WRITES)


@pytest.mark.parametrize("label", sorted(WRITES))
def test_each_admin_write_goes_through_a_service_into_the_journal(client_for, demo, label):
    """Add, change and delete through the admin's own pages, as SECAS: each lands in the
    journal with SECAS as the actor; a write the admin does not offer is refused (403)."""
    client, secas, case = client_for("secas"), demo["secas"], WRITES[label]
    model = _model(label)
    model_admin = admin.site._registry[model]

    if case.added is not None:
        before = _last_id()
        data = {**_form_data(model_admin, secas, None), **case.add()}
        entry = _assert_journaled(client.post(_url(model, "add"), data), before, case.added,
                                  secas)
        assert entry.reason
    else:
        assert client.post(_url(model, "add"), {}).status_code == 403

    if case.changed is not None:
        obj = case.change()
        before = _last_id()
        data = {**_form_data(model_admin, secas, obj), **case.changes}
        entry = _assert_journaled(client.post(_url(model, "change", obj), data), before,
                                  case.changed, secas)
        assert entry.reason == case.changes.get("reason", "changed in the admin")
        obj.refresh_from_db()
        for name, value in case.changes.items():
            if name != "reason" and value != "":
                assert str(getattr(obj, name)) == str(value)
    else:
        obj = model_admin.get_queryset(client.get("/").wsgi_request).first()
        if obj is not None:
            assert client.post(_url(model, "change", obj), {}).status_code == 403

    if case.deleted is not None:
        obj = case.delete()
        before = _last_id()
        response = client.post(_url(model, "delete", obj), {"post": "yes"})
        _assert_journaled(response, before, case.deleted, secas)
        assert not type(obj)._default_manager.filter(pk=obj.pk).exists()
    else:
        obj = model_admin.get_queryset(client.get("/").wsgi_request).first()
        assert client.post(_url(model, "delete", obj), {"post": "yes"}).status_code == 403
        assert type(obj)._default_manager.filter(pk=obj.pk).exists()

    assert verify() == []


def test_an_admin_write_records_what_changed_and_which_record(client_for, demo):
    client, secas = client_for("secas"), demo["secas"]
    rep = Person.objects.get(username="rep-KESTREL")
    before = _last_id()
    data = {**_form_data(admin.site._registry[Person], secas, rep), "kind": "ssc_member",
            "party": ""}
    entry = _assert_journaled(client.post(_url(Person, "change", rep), data), before,
                              "accounts.person.changed", secas)
    assert entry.subject == "person:rep-KESTREL"
    assert entry.details["privileges"] == {"kind": ["party_rep", "ssc_member"],
                                           "party": ["KESTREL", None]}

    kestrel = Party.objects.get(party_id="KESTREL")
    before = _last_id()
    data = {**_form_data(admin.site._registry[Party], secas, kestrel), "classification": "RED"}
    entry = _assert_journaled(client.post(_url(Party, "change", kestrel), data), before,
                              "registry.party.classified", secas)
    assert entry.party == kestrel and entry.details["changed"] == {
        "classification": ["AMBER", "RED"]}
    # Nothing else of KESTREL changed, so its roles and User IDs were not rewritten.
    assert [e.action for e in _newest(before)] == ["registry.party.classified"]
    assert UserId.objects.filter(value=KESTREL_ID).exists()


def test_a_list_edit_in_the_admin_is_journaled(client_for, demo):
    client = client_for("secas")
    statuses = list(ComplianceStatus.objects.order_by("position", "id"))
    data = {"form-TOTAL_FORMS": str(len(statuses)), "form-INITIAL_FORMS": str(len(statuses)),
            "_save": "Save"}
    for number, status in enumerate(statuses):
        data |= {f"form-{number}-id": str(status.pk),
                 f"form-{number}-position": str(status.position)}
        if status.active and number != 0:
            data[f"form-{number}-active"] = "on"
    before = _last_id()
    response = client.post(_url(ComplianceStatus, "changelist"), data)
    entry = _assert_journaled(response, before, "assurance.compliancestatus.changed",
                              demo["secas"])
    assert entry.details["changed"] == {"active": [True, False]}
    assert not ComplianceStatus.objects.get(pk=statuses[0].pk).active


def test_a_bulk_delete_in_the_admin_goes_through_the_service_row_by_row(client_for, demo):
    client = client_for("secas")
    role = _kestrel_role()
    extra = [UserId.objects.create(party_role=role, value=f"90-B3-D5-1F-30-00-2{n}-00")
             for n in (1, 2)]
    before = _last_id()
    response = client.post(_url(UserId, "changelist"), {
        "action": "delete_selected", "_selected_action": [u.pk for u in extra], "post": "yes"})
    assert response.status_code == 302
    assert sorted(e.details["user_id"] for e in _newest(before)
                  if e.action == "registry.user_id.removed") == sorted(u.value for u in extra)
    assert not UserId.objects.filter(pk__in=[u.pk for u in extra]).exists()


def test_a_password_set_in_the_admin_is_journaled_without_the_password(client_for, demo):
    client, rep = client_for("secas"), demo["rep-KESTREL"]
    before = _last_id()
    response = client.post(reverse("admin:auth_user_password_change", args=[rep.pk]),
                           {"password1": "another long passphrase 9",
                            "password2": "another long passphrase 9", "usable_password": "true"})
    entry = _assert_journaled(response, before, "accounts.person.password_set", demo["secas"])
    assert "passphrase" not in str(entry.details) + entry.reason
    rep.refresh_from_db()
    assert rep.check_password("another long passphrase 9")


@pytest.mark.parametrize("label, changes, refusal", [
    ("registry.userid", {"value": "90-B3-D5-1F-30-00-0A-00"}, "already used by party HEARTH"),
    ("registry.party", {"user_ids": "import_supplier: 90-B3-D5-1F-30-00-30-00"},
     "a role the party does not hold"),
    ("accounts.person", {"is_staff": "on", "is_superuser": "on"}, "only SECAS uses the admin"),
    ("accounts.person", {"kind": "party_rep", "party": ""}, "acts for a party"),
])
def test_the_admin_refuses_what_the_services_refuse(client_for, demo, label, changes,
                                                    refusal):
    """The checks are the app's: the form says why, and nothing is written or journaled."""
    client, secas = client_for("secas"), demo["secas"]
    model = _model(label)
    obj = {"registry.userid": lambda: UserId.objects.get(value=KESTREL_ID),
           "registry.party": lambda: Party.objects.get(party_id="KESTREL"),
           "accounts.person": lambda: Person.objects.get(username="rep-KESTREL")}[label]()
    before = _last_id()
    response = client.post(_url(model, "change", obj),
                           {**_form_data(admin.site._registry[model], secas, obj), **changes})
    assert response.status_code == 200
    assert refusal in response.content.decode()
    assert _newest(before) == []


def test_the_admin_shows_workflow_records_and_refuses_to_change_them(client_for, demo):
    """Assessments, findings, decisions and the journal change only through the services."""
    client = client_for("secas")
    request = client.get("/").wsgi_request
    read_only = [(model, model_admin) for model, model_admin in REGISTERED
                 if model._meta.label_lower not in WRITES]
    assert {m._meta.label_lower for m, _ in read_only} >= {
        "assurance.assessment", "assurance.finding", "journal.journalentry"}
    before = _last_id()
    for model, model_admin in read_only:
        assert client.get(_url(model, "changelist")).status_code == 200, model
        assert client.post(_url(model, "add"), {}).status_code == 403, model
        obj = model_admin.get_queryset(request).first()
        if obj is None:
            continue
        assert client.get(_url(model, "change", obj)).status_code == 200, model
        assert client.post(_url(model, "change", obj), {}).status_code == 403, model
        assert client.post(_url(model, "delete", obj), {"post": "yes"}).status_code == 403, \
            model
        assert type(obj)._default_manager.filter(pk=obj.pk).exists(), model
    assert _newest(before) == []


def _draft_pages(client, finding: Finding) -> dict[str, str]:
    pages = {
        "list": client.get(_url(Finding, "changelist")),
        "search": client.get(_url(Finding, "changelist"), {"q": "inventory"}),
        "change": client.get(_url(Finding, "change", finding), follow=True),
        "history": client.get(_url(Finding, "history", finding), follow=True),
        "assessment": client.get(_url(Assessment, "change", finding.assessment)),
        "journal search": client.get("/admin/journal/journalentry/", {"q": "inventory"}),
    }
    return {name: response.content.decode() for name, response in pages.items()}


def test_a_draft_finding_is_not_in_the_admin_until_its_report_is_issued(client_for, demo):
    """G8.22-G8.23: until the report is issued its findings are the assessor's only; SECAS
    meets them in the admin no sooner than on the platform's pages."""
    finding = Finding.objects.get(title=DRAFT_TITLE)
    assert finding.assessment.report_issued_at is None
    client = client_for("secas")
    for name, page in _draft_pages(client, finding).items():
        assert DRAFT_TITLE not in page and "Two servers" not in page, name

    assurance.issue_report(demo["cio-assessor"], finding.assessment,
                           summary="All matters in scope were assessed.",
                           fieldwork_end=finding.assessment.fieldwork_end or TODAY)
    pages = _draft_pages(client, finding)
    assert DRAFT_TITLE in pages["list"]
    assert DRAFT_TITLE in pages["search"]
    assert DRAFT_TITLE in pages["change"] and "Two servers" in pages["change"]
