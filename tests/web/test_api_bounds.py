"""Hostile query strings and bodies get a 4xx or a page, never a server error."""
import pytest

HOSTILE_QUERIES = ["limit=99999999999999999999", "offset=99999999999999999999",
                   "limit=-1", "limit=abc", "offset=-5", "limit=0"]


def list_paths(client) -> list[str]:
    """Every GET path of the API without a path parameter (the lists and reports)."""
    schema = client.get("/api/schema/?format=json").json()
    return sorted(path for path, operations in schema["paths"].items()
                  if "get" in operations and "{" not in path and path != "/api/schema/")


def test_the_walk_covers_the_lists(client, demo):
    paths = list_paths(client)
    assert {"/api/parties/", "/api/assurance/assessments/", "/api/adt/thresholds/"} <= set(paths)


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_paging_on_every_list(api_for, client, query):
    api = api_for("secas")
    answers = {path: api.get(f"{path}?{query}").status_code for path in list_paths(client)}
    assert {path: code for path, code in answers.items() if code >= 500} == {}


def test_a_huge_limit_is_capped_and_a_huge_offset_is_past_the_end(api_for):
    api = api_for("secas")
    page = api.get("/api/parties/?limit=99999999999999999999").json()
    assert page["count"] == len(page["results"]) <= 1000
    assert api.get("/api/parties/?offset=99999999999999999999").json()["results"] == []


def test_json_nested_too_deeply_is_bad_input(api_for):
    body = "[" * 50_000 + "]" * 50_000
    response = api_for("secas").post("/api/register/import/", body,
                                     content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
