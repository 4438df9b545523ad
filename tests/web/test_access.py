"""Who sees and may do what, over every URL of the platform (issue 9 section 3).

For every kind of person (each `PersonKind` through its demo login, a Shared Resource User, and
the anonymous public) and every URL pattern Django knows (pages, the API, the exports; the admin
has its own tests), path parameters filled from the demo register with a record the person may
see, one they may not, and one that does not exist:

- nothing answers with a server error;
- a hidden record answers exactly as a missing one (same status, same kind of body, the same
  JSON keys): no page, lookup or filter tells that a record exists (no existence oracle);
- the API's id filters (`?assessment=`, `?finding=`, `?decision=`, `?party=`) list the same for
  a record the person may not see as for none;
- who may see what follows the clauses: G10.8 (a provider's papers, not its decisions), G8.34
  (the Panel's papers), G8.22-G8.23 (an assessor's own assessments), G9.4 (the DCC's assessor).

The demo is built once per process (tests/conftest.py); the walk issues about two thousand
requests in one test per person, all reads.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from docx import Document
from rest_framework.authtoken.models import Token

from secassure.anomaly.models import DccProposal, SignedSubmission, Threshold, UserConsultation
from secassure.assurance import exports
from secassure.assurance.models import (
    Appeal,
    Assessment,
    ComplianceStatus,
    Decision,
    EventOfDefault,
    EvidenceFile,
    Finding,
    FindingAnswer,
    ProgressReport,
    RemediationPlan,
    Step,
)
from secassure.code.classification import PersonKind
from secassure.notices.models import CplEntry, Notice, NoticeAttachment, RemedialPlan
from secassure.registry.models import Party

#: One demo login of each kind of person, a Shared Resource User (G10.7), and the public.
PEOPLE = {"secas": PersonKind.SECAS, "ssc-member": PersonKind.SSC_MEMBER,
          "panel-member": PersonKind.PANEL_MEMBER, "cio-assessor": PersonKind.CIO_ASSESSOR,
          "dcc-assessor": PersonKind.DCC_ASSESSOR, "dcc": PersonKind.DCC,
          "triage-operator": PersonKind.TRIAGE_OPERATOR, "rep-HEARTH": PersonKind.PARTY_REP,
          None: None}

#: The record a path's id names, by the start of the path (longest first wins).
RECORD_OF = {
    "assurance/defaults/": EventOfDefault, "assurance/evidence/": EvidenceFile,
    "assurance/plans/": RemediationPlan, "assurance/": Assessment,
    "adt/thresholds/": Threshold, "adt/proposals/": DccProposal,
    "adt/consultations/": UserConsultation,
    "api/assurance/^assessments/": Assessment, "api/assurance/^findings/": Finding,
    "api/assurance/^evidence/": EvidenceFile, "api/assurance/^answers/": FindingAnswer,
    "api/assurance/^steps/": Step, "api/assurance/^progress-reports/": ProgressReport,
    "api/assurance/^decisions/": Decision, "api/assurance/^appeals/": Appeal,
    "api/assurance/^remediation-plans/": RemediationPlan,
    "api/assurance/^events-of-default/": EventOfDefault,
    "api/adt/^thresholds/": Threshold, "api/adt/^submissions/": SignedSubmission,
    "api/adt/^proposals/": DccProposal, "api/adt/^consultations/": UserConsultation,
    "notices/": Notice, "notices/attachments/": NoticeAttachment,
    "notices/cpl/": CplEntry, "notices/plans/": RemedialPlan,
    "api/notices/^notices/": Notice, "api/notices/^cpl-entries/": CplEntry,
    "api/notices/^remedial-plans/": RemedialPlan,
}
#: Addresses the walk does not read: signing out, the admin (its own tests).
SKIP = re.compile(r"^(admin/|accounts/logout/)")
#: A value for the other path parameters.
FIXED = {"ref": "G8.23", "srv": "1.1", "action": None, "target": None}
MISSING_PARTY = "NOSUCHPARTY"
MISSING_ID = 10**9


def patterns() -> list[str]:
    """Every URL pattern, as one string, without the format-suffix twins."""
    def walk(entries: list[Any], prefix: str = "") -> Iterator[str]:
        for entry in entries:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)
    found = [p for p in walk(get_resolver().url_patterns)
             if "format" not in p and not SKIP.match(p)]
    return list(dict.fromkeys(found))


_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def params(pattern: str) -> list[str]:
    return [a or b for a, b in _PARAM.findall(pattern)]


def fill(pattern: str, values: dict[str, Any]) -> str:
    """The address of `pattern` with `values` in place of its parameters."""
    def put(match: re.Match[str]) -> str:
        return str(values[match.group(1) or match.group(2)])
    return "/" + _PARAM.sub(put, pattern).replace("^", "").replace("$", "")


def record_model(pattern: str) -> type | None:
    starts = sorted((p for p in RECORD_OF if pattern.startswith(p)), key=len, reverse=True)
    return RECORD_OF[starts[0]] if starts else None


@dataclass
class Answer:
    status: int
    kind: str      # json, html, file, redirect
    keys: tuple    # the JSON body's keys (or its type)

    @classmethod
    def of(cls, response: Any) -> Answer:
        content_type = response.get("Content-Type", "")
        if 300 <= response.status_code < 400:
            # to sign in, coming back to the address asked for: where it leads, not the way back
            return cls(response.status_code, "redirect",
                       (response.get("Location", "").split("?")[0],))
        if "json" in content_type:
            body = response.json()
            keys = tuple(sorted(body)) if isinstance(body, dict) else (type(body).__name__,)
            return cls(response.status_code, "json", keys)
        if "html" in content_type:
            return cls(response.status_code, "html", ())
        return cls(response.status_code, "file", ())


def client_of(person: Any, api: bool) -> Client:
    client = Client()
    if person is None:
        return client
    if api:
        token, _ = Token.objects.get_or_create(user=person)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    else:
        client.force_login(person)
    return client


def ids(model: type, person: Any) -> tuple[int | None, int | None]:
    """A record of `model` the person may see and one they may not (None where none)."""
    viewer = person or AnonymousUser()
    seen = set(model.objects.visible_to(viewer).values_list("pk", flat=True))
    every = list(model.objects.order_by("pk").values_list("pk", flat=True))
    visible = next((pk for pk in every if pk in seen), None)
    hidden = next((pk for pk in reversed(every) if pk not in seen), None)
    return visible, hidden


def probes(pattern: str, person: Any,
           known: dict[Any, Any] | None = None) -> Iterator[tuple[str, str, str, str]]:
    """(label, address for a record seen, for a hidden one, for a missing one). `known` keeps
    the ids found per model (and the parties) across the patterns of one walk: all reads."""
    known = {} if known is None else known
    names = params(pattern)
    values: dict[str, Any] = {name: FIXED.get(name) for name in names}
    if "action" in names:
        values["action"] = "decide" if pattern.startswith("assurance/defaults/") else (
            "attach-evidence" if "target" in names else "record-finding")
    if "target" in names:
        values["target"] = Finding.objects.order_by("pk").values_list("pk", flat=True).first()
    model = record_model(pattern) if "pk" in names else None
    if "party_id" in names:
        if Party not in known:
            viewer = person or AnonymousUser()
            seen = set(Party.objects.visible_to(viewer).values_list("party_id", flat=True))
            every = list(Party.objects.order_by("pk").values_list("party_id", flat=True))
            known[Party] = (next((p for p in every if p in seen), None),
                            next((p for p in every if p not in seen), None))
        shown, hidden = known[Party]
        yield ("party", fill(pattern, {**values, "party_id": shown or MISSING_PARTY}),
               fill(pattern, {**values, "party_id": hidden or MISSING_PARTY}),
               fill(pattern, {**values, "party_id": MISSING_PARTY}))
    elif model is not None:
        if model not in known:
            known[model] = ids(model, person)
        shown, hidden = known[model]
        yield (model.__name__, fill(pattern, {**values, "pk": shown or MISSING_ID}),
               fill(pattern, {**values, "pk": hidden or MISSING_ID}),
               fill(pattern, {**values, "pk": MISSING_ID}))
    else:
        address = fill(pattern, values)
        yield ("", address, address, address)


#: The API's id filters, and the record each names.
FILTERS = {"assessment": Assessment, "finding": Finding, "decision": Decision}


@pytest.mark.parametrize("username", list(PEOPLE), ids=[u or "public" for u in PEOPLE])
def test_every_address_answers_and_a_hidden_record_is_a_missing_one(username, demo):
    """No 5xx anywhere; a record the person may not see answers exactly like one that does
    not exist, on every page, API address and export."""
    person = demo[username] if username else None
    errors, oracles = [], []
    clients = {api: client_of(person, api) for api in (False, True)}  # one sign-in per person
    known: dict[Any, Any] = {}
    for pattern in patterns():
        client = clients[pattern.startswith("api/")]
        for label, seen, hidden, missing in probes(pattern, person, known):
            answers = {}
            for which, address in (("seen", seen), ("hidden", hidden), ("missing", missing)):
                if which == "hidden" and address == missing or which == "seen" and (
                        "export" in pattern and address != missing):
                    continue  # nothing hidden to try; exports are rendered by their tests
                response = client.get(address)
                if response.status_code >= 500:
                    errors.append((address, response.status_code))
                answers[which] = Answer.of(response)
            if "hidden" in answers and answers["hidden"] != answers["missing"]:
                oracles.append((pattern, label, answers["hidden"], answers["missing"]))
    assert errors == [], errors
    assert oracles == [], oracles


#: Fields that say how long ago something happened: two requests a moment apart differ in them.
CLOCK_FIELDS = {"age_seconds"}


def timeless(body: object) -> object:
    """`body` without the fields the clock changes between two requests (a quarantined
    communication's age on the desk), so two answers can be compared for what they reveal."""
    if isinstance(body, dict):
        return {k: timeless(v) for k, v in body.items() if k not in CLOCK_FIELDS}
    if isinstance(body, list):
        return [timeless(v) for v in body]
    return body


@pytest.mark.parametrize("username", list(PEOPLE), ids=[u or "public" for u in PEOPLE])
def test_every_id_filter_lists_a_hidden_record_as_a_missing_one(username, demo):
    """`?finding=N` (and every id filter) answers the same for another party's finding as for
    none: the same status, the same (empty) list (issue 9, no existence oracle)."""
    person = demo[username] if username else None
    client = client_of(person, api=True)
    lists = [p for p in patterns() if p.startswith("api/") and p.endswith("/$")
             and "(?P" not in p]
    checked = 0
    party = Party.objects.exclude(pk__in=Party.objects.visible_to(
        person or AnonymousUser()).values("pk")).order_by("pk").first()
    hidden_of = {model: ids(model, person)[1] for model in FILTERS.values()}  # all reads
    for pattern in lists:
        for name, model in FILTERS.items():
            hidden = hidden_of[model]
            if hidden is None:
                continue
            address = fill(pattern, {})
            one = client.get(address, {name: hidden})
            other = client.get(address, {name: MISSING_ID})
            assert one.status_code < 500 and other.status_code < 500, (address, name)
            assert (one.status_code, Answer.of(one)) == (other.status_code, Answer.of(other)), (
                address, name, one.content[:200], other.content[:200])
            if one.status_code == 200:
                body, empty = timeless(one.json()), timeless(other.json())
                assert body == empty, (address, name)  # nothing of the hidden record
            checked += 1
        if party is not None:
            address = fill(pattern, {})
            one = client.get(address, {"party": party.party_id})
            other = client.get(address, {"party": MISSING_PARTY})
            assert (one.status_code, Answer.of(one)) == (other.status_code, Answer.of(other)), (
                address, "party", one.content[:200], other.content[:200])
            if one.status_code == 200:
                assert one.json() == other.json(), (address, "party")
    assert checked or person is None or username == "secas", "no filter was tried"


# --- Who may see what, per the clauses, through the pages and the API ------------------------

def _status(person: Any, address: str) -> int:
    return client_of(person, address.startswith("/api/")).get(address).status_code


@pytest.mark.parametrize("username, party, category, initial, status", [
    # G10.8: HEARTH receives the report of CLOUDVAULT, its provider
    ("rep-HEARTH", "CLOUDVAULT", "FUSA", False, 200),
    # G8.34: the Panel sees the papers of an initial FUSA, not a later one
    ("panel-member", "NEWCO", "FUSA", True, 200),
    ("panel-member", "CLOUDVAULT", "FUSA", False, 404),
    # G8.22-G8.23: the User CIO sees what it assesses, not the DCC's (G9.4)
    ("cio-assessor", "CLOUDVAULT", "FUSA", False, 200),
    ("cio-assessor", "DCC", "DCC_FULL", False, 404),
    ("dcc-assessor", "DCC", "DCC_FULL", False, 200),
    ("dcc-assessor", "CLOUDVAULT", "FUSA", False, 404),
])
def test_the_clauses_decide_who_reads_an_assessment(username, party, category, initial, status,
                                                    demo):
    person = demo[username]
    assessment = Assessment.objects.exclude(stage="recorded").filter(
        party__party_id=party, category=category, initial=initial).first()
    assert assessment is not None
    for address in (f"/assurance/{assessment.pk}/",
                    f"/api/assurance/assessments/{assessment.pk}/"):
        assert _status(person, address) == status, (address, username)


def test_a_providers_users_do_not_receive_its_decisions(demo):
    """G10.8 names the report, the response, the agreed steps and the progress reports: the
    provider's decisions are not listed for its Users, and answer 404 as if none existed."""
    from secassure.assurance import services
    cloud = Assessment.objects.get(party__party_id="CLOUDVAULT", stage="response_submitted")
    services.accept_plan(demo["ssc-member"], cloud)
    decision = Decision.objects.get(assessment=cloud)
    hearth = demo["rep-HEARTH"]
    assert _status(hearth, f"/api/assurance/decisions/{decision.pk}/") == 404
    listed = client_of(hearth, api=True).get("/api/assurance/decisions/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert decision.pk not in {row["id"] for row in rows}
    assert _status(demo["rep-CLOUDVAULT"], f"/api/assurance/decisions/{decision.pk}/") == 200


@pytest.mark.parametrize("address", ["/register/DCC/", "/register/DCC/edit/",
                                     "/api/parties/DCC/", "/api/parties/DCC/obligations/",
                                     "/api/parties/DCC/schedule/"])
def test_the_dccs_own_pages_answer(address, demo):
    """The DCC party's pages and API (issue 9): SECAS and the DCC's own people read them (its
    schedule entry, if it has one, is G9.3(b)(i)'s); nobody gets a server error."""
    for username in ("secas", "dcc", "dcc-assessor", "ssc-member", "rep-HEARTH"):
        status = _status(demo[username], address)
        assert status < 500, (address, username, status)
    assert _status(demo["secas"], address) == 200, address
    if "edit" not in address:
        assert _status(demo["dcc"], address) == 200, address


def test_a_providers_users_read_its_report_but_not_its_statuses_at_any_door(demo):
    """G10.8: HEARTH, a Shared Resource User of CLOUDVAULT, reads CLOUDVAULT's assessments but
    not the assurance status (G8.36) or compliance status (G7.20) set on them: not on the page,
    the list, the API (detail and list), the Word export or its outline (the PDF's); CLOUDVAULT's
    own people do."""
    entry = Assessment.objects.get(party__party_id="CLOUDVAULT", category="FUSA", initial=True,
                                   assurance_status="approved")
    later = Assessment.objects.get(party__party_id="CLOUDVAULT", stage="response_submitted")
    Assessment.objects.filter(pk=later.pk).update(
        compliance_status=ComplianceStatus.objects.get(code="non_compliant"))
    for username, shown in (("rep-HEARTH", False), ("rep-CLOUDVAULT", True)):
        person = demo[username]
        page, api = client_of(person, api=False), client_of(person, api=True)
        for a, words in ((entry, "Assurance status"), (later, "Non-compliant")):
            body = page.get(f"/assurance/{a.pk}/")
            assert body.status_code == 200, (username, a.pk)
            assert (words in body.content.decode()) is shown, (username, a.pk, words)
            record = api.get(f"/api/assurance/assessments/{a.pk}/").json()
            assert bool(record["assurance_status"] or record["compliance_status"]
                        or record["status_set"] or record["compliance_set"]) is shown, record
            text = " ".join(f"{label} {value}" for section in exports.outline(person, a).sections
                            for label, value in section.fields)
            assert ("Assurance status" in text) is shown, (username, text)
            docx = page.get(f"/assurance/{a.pk}/export.docx")
            assert docx.status_code == 200
            assert (b"Approved" in _docx_text(docx.content).encode()
                    or b"Non-compliant" in _docx_text(docx.content).encode()) is shown
        listed = page.get("/assurance/?party=CLOUDVAULT").content.decode()
        assert ("Approved" in listed or "Non-compliant" in listed) is shown, username
        rows = api.get("/api/assurance/assessments/", {"party": "CLOUDVAULT"}).json()
        rows = rows["results"] if isinstance(rows, dict) else rows
        assert rows and any(r["assurance_status"] or r["compliance_status"]
                            for r in rows) is shown, (username, rows)


def _docx_text(content: bytes) -> str:
    document = Document(BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)
