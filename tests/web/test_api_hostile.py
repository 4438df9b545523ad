"""Hostile input at every API endpoint (issue 8), and answers that keep to the schema.

What schemathesis found against `secassure serve --demo` (benchmarks/hostile_api.sh), as
tests: paging and integer filters out of range are a 400 saying so, never ignored and never a
server error; an id of 100,000 characters is a 400 or a 404 on SQLite and PostgreSQL alike;
texts with control characters are refused; an address naming nothing is a JSON 404; and every
answer, refusals included, is what the OpenAPI schema says it is.
"""
from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from secassure.assurance.models import Assessment
from secassure.registry.models import Party

LONG_ID = "X" * 100_000


@pytest.fixture
def schema(client, demo) -> dict[str, Any]:
    return client.get("/api/schema/?format=json").json()


def lists(schema: dict[str, Any]) -> list[str]:
    """Every GET path of the API that pages (it takes `limit`)."""
    return sorted(path for path, operations in schema["paths"].items()
                  if "{" not in path and any(p["name"] == "limit" for p in
                                             operations.get("get", {}).get("parameters", [])))


# --- Paging and filters -----------------------------------------------------------------------

@pytest.mark.parametrize("query", ["limit=null", "limit=0", "limit=-1", "limit=1.5",
                                   "offset=null", "offset=-1", "offset=abc", "limit=%E2%91%A0"])
def test_paging_that_is_not_a_whole_number_in_range_is_a_400_on_every_list(api_for, schema,
                                                                         query):
    api = api_for("secas")
    answers = {path: api.get(f"{path}?{query}") for path in lists(schema)}
    assert len(answers) >= 15
    assert {path: r.status_code for path, r in answers.items() if r.status_code != 400} == {}
    assert all(r.json()["field"] in query and r.json()["detail"] for r in answers.values())


def test_paging_past_any_database_is_capped_not_refused(api_for):
    api = api_for("secas")
    page = api.get("/api/parties/?limit=" + "9" * 5000).json()
    assert page["count"] == len(page["results"]) > 0
    assert api.get("/api/parties/?offset=" + "9" * 5000).json()["results"] == []


ID_FILTERS = [("/api/assurance/assessments/{a}/findings/", None),
              ("/api/assurance/findings/", "assessment"), ("/api/assurance/steps/", "finding"),
              ("/api/assurance/answers/", "finding"), ("/api/assurance/evidence/", "finding"),
              ("/api/assurance/appeals/", "decision"),
              ("/api/assurance/decisions/", "assessment"),
              ("/api/assurance/progress-reports/", "assessment"),
              ("/api/assurance/remediation-plans/", "assessment"),
              ("/api/assurance/events-of-default/", "assessment")]


@pytest.mark.parametrize("value", ["0", "-3", "abc", "1.5", "9" * 20, "9" * 5000])
@pytest.mark.parametrize("path, name", [f for f in ID_FILTERS if f[1]],
                         ids=[f"{f[0]}?{f[1]}" for f in ID_FILTERS if f[1]])
def test_an_id_filter_out_of_range_is_a_400(api_for, path, name, value):
    response = api_for("secas").get(f"{path}?{name}={value}")
    assert response.status_code == 400, (response.status_code, response.content[:200])
    assert response.json()["field"] == name


@pytest.mark.parametrize("path, name", [f for f in ID_FILTERS if f[1]],
                         ids=[f"{f[0]}?{f[1]}" for f in ID_FILTERS if f[1]])
def test_an_id_filter_naming_nothing_lists_nothing(api_for, path, name):
    """Not a 400 that would tell an id you may not see from one that does not exist."""
    response = api_for("rep-HEARTH").get(f"{path}?{name}={2**62}")
    assert response.status_code == 200 and response.json()["results"] == []


def test_a_yes_or_no_filter_takes_only_yes_or_no(api_for):
    api = api_for("secas")
    assert api.get("/api/assurance/events-of-default/?is_event_of_default=true") \
        .status_code == 200
    assert api.get("/api/assurance/events-of-default/?is_event_of_default=null") \
        .status_code == 400


# --- Ids of 100,000 characters, control characters, dates: the same answer on every database --

def test_an_id_of_100000_characters_is_bad_input_or_nothing_never_a_database_error(api_for):
    api = api_for("secas")
    created = api.post("/api/parties/", {"id": LONG_ID, "roles": []}, format="json")
    assert created.status_code == 400 and created.json()["field"] == "id"
    assert "not a party id" in created.json()["detail"]
    assert api.get(f"/api/parties/{LONG_ID}/").status_code == 404
    assert api.get(f"/api/parties/{LONG_ID}/schedule/").status_code == 404
    listed = api.get(f"/api/assurance/assessments/?party={LONG_ID}")
    assert listed.status_code == 400 and listed.json()["field"] == "party"
    keys = api_for("dcc").post("/api/adt/keys/", {"party": LONG_ID, "public_pem": "x"},
                               format="json")
    assert keys.status_code in (400, 404)
    assert not Party.objects.filter(party_id__startswith="XXXX").exists()


def test_texts_with_control_characters_or_beyond_the_limit_are_refused(api_for, demo):
    newco = Assessment.objects.get(party__party_id="NEWCO", stage="booked")
    api = api_for("secas")
    for reason, words in [("a\x00b", "control character"), ("a\x1bb", "control character"),
                          ("x" * 20_001, "no more than 20000 characters")]:
        response = api.post(f"/api/assurance/assessments/{newco.pk}/cancel/",
                            {"reason": reason}, format="json")
        assert response.status_code == 400 and words in response.json()["detail"], reason
    newco.refresh_from_db()
    assert newco.stage == "booked"


def test_dates_outside_the_registers_range_are_refused(api_for):
    api = api_for("secas")
    for as_of in ["0753-02-10", "9999-12-31"]:
        response = api.get(f"/api/schedule/?as_of={as_of}")
        assert response.status_code == 400 and "outside 1990-01-01 to 2100-12-31" in \
            response.json()["detail"]
    assert api.get("/api/schedule/?as_of=").status_code == 400


# --- Addresses, bodies and methods ----------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/adt/srvs/%C2%84/", "/api/assurance/assessments/null/",
                                  "/api/assurance/evidence/1,2/download/", "/api/nothing/"])
def test_an_address_naming_nothing_is_a_json_404(api_for, path):
    response = api_for("secas").get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_a_party_is_patched_not_replaced(api_for):
    api = api_for("secas")
    before = api.get("/api/parties/LUMEN/").json()
    patched = api.patch("/api/parties/LUMEN/", {"name": "Lumen Energy (renamed)"},
                        format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json() == {**before, "name": "Lumen Energy (renamed)"}


def test_a_party_is_a_json_document(api_for):
    response = api_for("secas").post("/api/parties/", {"id": "FORM", "roles": []},
                                     format="multipart")
    assert response.status_code == 415


def test_every_refusal_says_why_in_detail(api_for):
    """Field errors keep DRF's shape and gain `detail` and `field`, as the schema says."""
    response = api_for("rep-HEARTH").post("/api/adt/submissions/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["field"] == "content" and "content" in response.json()
    assert response.json()["detail"].startswith("content: ")


# --- Answers as the schema says ---------------------------------------------------------------

def test_every_operation_documents_its_refusals(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                assert {"400", "401", "403", "404"} <= set(operation["responses"]), \
                    (method, path)


def _json_schema(openapi: dict[str, Any], node: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: `nullable` as a null type, refs inlined."""
    if isinstance(node, list):
        return [_json_schema(openapi, item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _json_schema(openapi, openapi["components"]["schemas"][name])
    converted = {key: _json_schema(openapi, value) for key, value in node.items()
                 if key not in ("nullable", "readOnly", "writeOnly", "format")}
    if node.get("nullable"):
        converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def answers_as_documented(openapi: dict[str, Any], path: str, method: str, response) -> None:
    documented = openapi["paths"][path][method]["responses"][str(response.status_code)]
    media = documented["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), _json_schema(openapi, copy.deepcopy(media)))


@pytest.mark.parametrize("username", ["secas", "rep-HEARTH", "dcc"])
def test_every_list_answers_as_its_schema_says(api_for, schema, username):
    api = api_for(username)
    checked = 0
    for path, operations in schema["paths"].items():
        if "get" not in operations or "{" in path or path in ("/api/schema/",
                                                              "/api/register/export/"):
            continue
        response = api.get(path)
        if response.status_code == 200:
            answers_as_documented(schema, path, "get", response)
            checked += 1
    assert checked >= 15


def test_records_with_nothing_set_yet_answer_as_documented(api_for, schema):
    """The fields a record may not have yet (an assessor, a compliance status, who decided a
    plan, a threshold's party) are documented as nullable and answered as null."""
    api = api_for("secas")
    for assessment in Assessment.objects.exclude(stage="recorded")[:8]:
        response = api.get(f"/api/assurance/assessments/{assessment.pk}/")
        answers_as_documented(schema, "/api/assurance/assessments/{id}/", "get", response)
        listed = api.get(f"/api/assurance/assessments/{assessment.pk}/findings/")
        answers_as_documented(schema, "/api/assurance/assessments/{id}/findings/", "get",
                              listed)
    obligations = api.get("/api/parties/LUMEN/obligations/")
    answers_as_documented(schema, "/api/parties/{party_id}/obligations/", "get", obligations)
    refused = api.get("/api/parties/?limit=0")
    answers_as_documented(schema, "/api/parties/", "get", refused)


# --- The pages' forms follow the same rules ----------------------------------------------------

def test_the_party_form_refuses_what_the_api_refuses(client_for):
    secas = client_for("secas")
    for party_id in [LONG_ID, "A/B", "tab\there"]:
        response = secas.post("/register/new/", {"party_id": party_id, "name": "N",
                                                  "domestic_premises": 0,
                                                  "non_domestic_premises": 0})
        assert response.status_code == 200  # the form again, with the reason
        assert "not a party id" in response.content.decode() or \
            "at most 64 characters" in response.content.decode(), party_id[:10]
    response = secas.post("/register/new/", {"party_id": "OK1", "name": "N\x07",
                                              "domestic_premises": 10**30,
                                              "non_domestic_premises": 0})
    text = response.content.decode()
    assert response.status_code == 200 and "control character" in text
    assert not Party.objects.filter(party_id__in=["OK1", "A/B"]).exists()


@pytest.mark.parametrize("hostile", ["null,null", "abc", "1e3", "99999999999999999999", "-1"])
@pytest.mark.parametrize("route", ["notices", "sms-counts", "provider-lists", "cpl-entries",
                                   "remedial-plans"])
def test_an_id_that_is_not_a_whole_number_names_no_notice(api_for, route, hostile):
    """Found by schemathesis: /api/notices/remedial-plans/null,null/reviewed/ answered 500. Any
    address whose id is not a whole number names nothing: a JSON 404, on every verb."""
    api = api_for("secas")
    for answer in (api.get(f"/api/notices/{route}/{hostile}/"),
                   api.post(f"/api/notices/{route}/{hostile}/reviewed/", {}, format="json")):
        assert answer.status_code == 404, (route, hostile, answer.status_code)
        assert answer["Content-Type"].startswith("application/json")
