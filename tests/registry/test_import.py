"""Importing the register: what the register itself refuses (issue 9)."""
import pytest

from secassure.assurance.services import import_register
from secassure.code.interchange import RegisterFormatError
from secassure.core.permissions import SYSTEM
from secassure.registry.models import Party


def test_a_second_dcc_is_refused_and_nothing_is_written(demo):
    """There is one DCC (G9; the register's role dcc): an import naming another party as the
    DCC is refused, naming the party and the field, and writes nothing."""
    with pytest.raises(RegisterFormatError) as refused:
        import_register(SYSTEM, {"parties": [{"id": "NEWCO2", "roles": ["other_user"]},
                                             {"id": "FAKEDCC", "roles": ["dcc"]}]})
    assert (refused.value.party, refused.value.field) == ('"FAKEDCC"', "roles")
    assert not Party.objects.filter(party_id__in=["NEWCO2", "FAKEDCC"]).exists()
    assert list(Party.objects.filter(is_dcc=True).values_list("party_id", flat=True)) == ["DCC"]


def test_the_dcc_is_imported_with_its_role(demo):
    """The DCC's record reads back with the role dcc, and re-importing it changes nothing."""
    import_register(SYSTEM, {"parties": [{"id": "DCC", "name": "Smart DCC Ltd",
                                          "roles": ["dcc"]}]})
    assert Party.objects.get(party_id="DCC").is_dcc


def test_the_party_form_refuses_a_second_dcc(client_for):
    """The register's form and the admin check a party as an import does (one DCC)."""
    client = client_for("secas")
    answer = client.post("/register/new/", {
        "party_id": "FAKEDCC", "name": "Fake", "roles": ["dcc"], "domestic_premises": 0,
        "non_domestic_premises": 0, "reason": "test"})
    assert answer.status_code == 200 and b"there is one DCC" in answer.content
    assert not Party.objects.filter(party_id="FAKEDCC").exists()
