"""The interchange format: strict parsing with errors that name the party and the field."""
import pytest

from secassure.code.interchange import RegisterFormatError, dump_register, parse_register


def doc(*parties):
    return {"parties": list(parties)}


GOOD = {"id": "P1", "name": "Example", "roles": ["import_supplier"],
        "domestic_premises": 5, "non_domestic_premises": 1, "assessments": []}

BAD = [
    # (what, party override, party in message, field in message, words in message)
    ("unknown role", {"roles": ["importer"]}, '"P1"', "roles", "unknown role 'importer'"),
    ("roles missing", {"roles": None}, '"P1"', "roles", "list of User Roles"),
    ("negative count", {"domestic_premises": -1}, '"P1"', "domestic_premises", "negative"),
    ("count not a number", {"non_domestic_premises": "12"}, '"P1"', "non_domestic_premises",
     "whole number"),
    ("count is a boolean", {"non_domestic_premises": True}, '"P1"', "non_domestic_premises",
     "whole number"),
    ("malformed date", {"assessments": [{"type": "VUSA", "completed": "2024-13-01"}]},
     '"P1"', "assessments[0].completed", "not a real calendar date"),
    ("date in another form", {"assessments": [{"type": "VUSA", "completed": "01/02/2024"}]},
     '"P1"', "assessments[0].completed", "YYYY-MM-DD"),
    ("missing date", {"assessments": [{"type": "VUSA"}]}, '"P1"', "assessments[0].completed",
     "required"),
    ("unknown assessment type", {"assessments": [{"type": "AUDIT", "completed": "2024-01-01"}]},
     '"P1"', "assessments[0].type", "unknown assessment type 'AUDIT'"),
    ("unknown assurance status", {"assessments": [
        {"type": "FUSA", "completed": "2024-01-01", "initial": True,
         "assurance_status": "ok"}]}, '"P1"', "assessments[0].assurance_status", "'ok'"),
    ("status on a VUSA", {"assessments": [
        {"type": "VUSA", "completed": "2024-01-01", "assurance_status": "approved"}]},
     '"P1"', "assessments[0]", "only an initial Full assessment"),
    ("dangling sharer", {"shares_resources_with": ["P9"]}, '"P1"', "shares_resources_with",
     "no party has id 'P9'"),
    ("dangling provider", {"resource_provider": "SRP9"}, '"P1"', "resource_provider",
     "no party has id 'SRP9'"),
    ("own provider", {"resource_provider": "P1"}, '"P1"', "resource_provider", "own provider"),
    ("SSC category for triage not a category", {"ssc_next_category": "FOLLOW_UP"}, '"P1"',
     "ssc_next_category", "G12.8(c)"),
    ("unknown key", {"domestic": 5}, '"P1"', "domestic", "unknown key"),
]


@pytest.mark.parametrize("what, override, who, field, words", BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_the_party_and_the_field(what, override, who, field, words):
    party = {**GOOD, **override}
    party = {k: v for k, v in party.items() if v is not None}
    with pytest.raises(RegisterFormatError) as caught:
        parse_register(doc(party))
    error = caught.value
    assert (error.party, error.field) == (who, field)
    assert words in str(error) and who in str(error) and field in str(error)
    assert "\n" not in str(error)


def test_duplicate_party_id():
    with pytest.raises(RegisterFormatError, match=r'party "P1", field \'id\': duplicate'):
        parse_register(doc(GOOD, GOOD))


def test_party_without_id_is_named_by_position():
    with pytest.raises(RegisterFormatError, match=r"party #2, field 'id'"):
        parse_register(doc(GOOD, {"roles": []}))


def test_references_may_point_at_parties_already_known():
    parse_register(doc({**GOOD, "resource_provider": "SRP1"}), known_ids={"SRP1"})


def test_not_a_register_document():
    for bad in ([], {"party": []}, {"parties": {}}, "x"):
        with pytest.raises(RegisterFormatError, match='"parties" list'):
            parse_register(bad)


def test_dump_gives_back_what_was_parsed():
    document = doc(
        {"id": "P1", "name": "Example Energy", "roles": ["import_supplier", "gas_supplier"],
         "domestic_premises": 120000, "non_domestic_premises": 3000,
         "shares_resources_with": ["P7"], "resource_provider": "SRP1",
         "assessments": [{"type": "FUSA", "completed": "2023-02-01", "initial": True,
                          "assurance_status": "approved_subject_to", "status_set": "2023-03-10"},
                         {"type": "VUSA", "completed": "2024-05-20"}],
         "ssc_next_category": "VUSA", "user_ids": {"gas_supplier": ["U1", "U2"]}},
        {"id": "P7", "name": "", "roles": [], "domestic_premises": 0,
         "non_domestic_premises": 0, "assessments": []},
        {"id": "SRP1", "name": "Provider", "roles": ["shared_resource_provider"],
         "domestic_premises": 0, "non_domestic_premises": 0, "assessments": []})
    assert dump_register(parse_register(document)) == document


def test_user_ids_must_belong_to_a_held_role_and_be_unique():
    with pytest.raises(RegisterFormatError, match="does not hold"):
        parse_register(doc({**GOOD, "user_ids": {"gas_supplier": ["U1"]}}))
    with pytest.raises(RegisterFormatError, match="already used by party"):
        parse_register(doc({**GOOD, "user_ids": {"import_supplier": ["U1"]}},
                           {**GOOD, "id": "P2", "user_ids": {"import_supplier": ["U1"]}}))
