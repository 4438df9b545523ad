"""Which clauses bind a party in each role (G1.5-G1.7, G10.5, G12.5)."""
import pytest

from secassure.code.applicability import obligations
from secassure.code.clauses import load
from secassure.code.roles import UserRole

CATALOGUE = load()


def refs(role):
    return [o.ref for o in obligations(role, CATALOGUE)]


def in_ranges(ref, ranges):
    return any(ref in CATALOGUE.between(first, last) for first, last in ranges)


G1_7 = [("G3.2", "G3.3"), ("G3.8", "G3.9"), ("G5.14", "G5.18"), ("G5.25", "G5.26")]


@pytest.mark.parametrize("role", [UserRole.EXPORT_SUPPLIER, UserRole.REGISTERED_SUPPLIER_AGENT])
def test_export_supplier_and_agent_have_only_the_g1_7_obligations(role):
    """G1.7: 'it is not to be subject to any of the obligations expressed to be placed on Users
    except for those obligations set out at: (a) Sections G3.2 to G3.3 ... (b) Sections G3.8 to
    G3.9 ... (c) Sections G5.14 to G5.18 ... (d) Sections G5.25 and G5.26 ... (e) G6'."""
    found = refs(role)
    assert all(in_ranges(r, G1_7) or r.startswith("G6.") for r in found), found
    for expected in ["G3.2", "G3.3", "G3.8", "G3.9", "G5.14", "G5.18", "G5.26", "G6.3"]:
        assert expected in found
    reading = next(o for o in obligations(role, CATALOGUE) if o.ref == "G5.18")
    assert "G1.7(c)" in reading.basis and "G5.19(d)" in reading.note


def test_other_user_roles_are_bound_beyond_g1_7():
    found = refs(UserRole.IMPORT_SUPPLIER)
    assert {"G3.1", "G4.1", "G5.19", "G8.13", "G8.24"} <= set(found)


@pytest.mark.parametrize("role, has, lacks", [
    (UserRole.IMPORT_SUPPLIER, ["G8.41", "G8.42", "G8.64"], ["G8.44", "G8.47", "G10.4"]),
    (UserRole.GAS_SUPPLIER, ["G8.41", "G8.64"], ["G8.45"]),
    (UserRole.ELECTRICITY_DISTRIBUTOR, ["G8.44", "G8.45"], ["G8.41", "G8.64"]),
    (UserRole.GAS_TRANSPORTER, ["G8.44", "G8.45"], ["G8.42"]),
    (UserRole.OTHER_USER, ["G8.47"], ["G8.41", "G8.44"]),
    (UserRole.SHARED_RESOURCE_PROVIDER, ["G10.4", "G3.2", "G8.24"], ["G8.41", "G12.4"]),
    (UserRole.TRIAGE_FACILITY_PROVIDER, ["G12.4", "G12.6", "G3.2", "G8.24"], ["G10.4"]),
])
def test_category_obligations_follow_the_role(role, has, lacks):
    """G8.41-G8.43 bind Supplier Parties, G8.44-G8.46 Network Parties, G8.47 Other Users,
    G10.4 Shared Resource Providers, G12.4 Triage Facility Providers."""
    found = set(refs(role))
    assert set(has) <= found and not (set(lacks) & found)


def test_a_shared_resource_provider_is_a_user_only_for_g1_to_g5_and_g7_to_g9():
    """G10.5: 'For the purposes of Sections G1 to G5 and G7 to G9 ... treated as if it were a
    User'; G6 is not among them."""
    as_user = [o for o in obligations(UserRole.SHARED_RESOURCE_PROVIDER, CATALOGUE)
               if o.as_ in {"User", "Party"}]
    assert as_user and all(o.section in {"G1", "G2", "G3", "G4", "G5", "G7", "G8", "G9"}
                           and o.basis == "G10.5" for o in as_user)


def test_a_triage_facility_provider_is_a_user_only_for_g1_g3_to_g5_g7_g8():
    """G12.5: 'For the purposes of Sections G1, G3 to G5, G7 and G8 ... treated as if it is a
    User'."""
    as_user = [o for o in obligations(UserRole.TRIAGE_FACILITY_PROVIDER, CATALOGUE)
               if o.as_ in {"User", "Party"}]
    assert as_user and all(o.section in {"G1", "G3", "G4", "G5", "G7", "G8"}
                           and o.basis == "G12.5" for o in as_user)


@pytest.mark.parametrize("role", list(UserRole))
def test_every_obligation_is_a_clause_that_binds_in_that_capacity(role):
    for obligation in obligations(role, CATALOGUE):
        clause = CATALOGUE.get(obligation.ref)
        assert obligation.as_ in clause.binds
        assert obligation.basis in CATALOGUE
