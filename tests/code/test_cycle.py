"""The assessment cycle, case by case from the clauses of G8 and G12 that set it.

Each case quotes the clause it checks. Parties are written in the interchange format.
"""
from datetime import date

import pytest

from secassure.code.interchange import parse_register
from secassure.code.schedule import schedule

AS_OF = date(2025, 1, 10)


def fusa(completed, status="approved", status_set=None):
    entry = {"type": "FUSA", "completed": completed, "initial": True}
    if status:
        entry |= {"assurance_status": status, "status_set": status_set or completed}
    return entry


def done(kind, completed):
    return {"type": kind, "completed": completed}


def run(parties, as_of=AS_OF):
    records = parse_register({"parties": parties})
    return {e.party_id: e for e in schedule([r.facts() for r in records], as_of)}


def party(pid="P1", roles=("import_supplier",), history=(), d=0, n=0, **extra):
    return {"id": pid, "roles": list(roles), "domestic_premises": d, "non_domestic_premises": n,
            "assessments": list(history), **extra}


ENTRY = [
    # (quote, history, next, due, rule)
    ("G8.33: a Party wishing to act as a User ... shall be subject to a Full User Security "
     "Assessment", [], "FUSA", None, "G8.33"),
    ("issue 9: with no initial FUSA recorded but periodic assessments present, the party "
     "entered before the records: the earliest counts, and the cycle goes on from it",
     [done("FUSA", "2023-01-01")], "VUSA", "2024-01-01", "G8.42(c)"),
    ("G8.36(d): rejected ... the Party shall have a second Full User Security Assessment",
     [fusa("2024-01-10", "rejected", "2024-02-01")], "FUSA", None, "G8.36(d)"),
    ("G8.36(d)(ii): upon completion of the second FUSA the Panel will reconsider",
     [fusa("2024-01-10", "rejected", "2024-02-01"),
      {"type": "FUSA", "completed": "2024-06-01", "initial": True}],
     "NONE", None, "G8.36(d)(ii)"),
    ("G8.36(d)(ii): the Panel approves on reconsidering the second FUSA",
     [fusa("2023-01-10", "rejected", "2023-02-01"), fusa("2023-06-01", "approved",
                                                           "2023-07-01")],
     "VUSA", "2024-07-01", "G8.42"),
    ("G8.36(d): the next FUSA after the rejection is the second FUSA, marked initial or not; "
     "the Panel reconsiders it (G8.36(d)(ii))",
     [fusa("2024-01-10", "rejected", "2024-02-01"), done("FUSA", "2024-06-01")],
     "NONE", None, "G8.36(d)(ii)"),
    ("G8.36(c): deferred ... until a Follow-up Security Assessment",
     [fusa("2024-01-10", "deferred", "2024-02-01")], "FOLLOW_UP", None, "G8.36(c)"),
    ("G8.36(c): a Follow-up before the deferral does not count",
     [done("FOLLOW_UP", "2024-01-20"), fusa("2024-01-10", "deferred", "2024-02-01")],
     "FOLLOW_UP", None, "G8.36(c)"),
    ("G8.36(c)(ii): deferred, a Follow-up done: entry waits for the Panel to be satisfied",
     [fusa("2023-01-10", "deferred", "2023-02-01"), done("FOLLOW_UP", "2023-05-15")],
     "NONE", None, "G8.36(c)(ii)"),
    ("G8.36(c), G8.37(a)(ii), G8.40: deferred, then the Panel satisfied on the Follow-up's "
     "evidence: the first periodic assessment is due 12 months after the Follow-up",
     [fusa("2023-01-10", "deferred", "2023-02-01"),
      done("FOLLOW_UP", "2023-05-15") | {"panel_satisfied": "2023-07-01"}],
     "VUSA", "2024-05-15", "G8.42"),
    ("G8.35: after the initial FUSA the Panel sets the assurance status: none yet",
     [{"type": "FUSA", "completed": "2024-12-01", "initial": True}], "NONE", None, "G8.35"),
    ("G8.40: within 12 months after completion of the initial FUSA, deemed complete when the "
     "Panel set 'approved'", [fusa("2024-01-10", "approved", "2024-03-01")],
     "VUSA", "2025-03-01", "G8.42"),
    ("G8.40: '(or after the Follow-up Security Assessment where there was one)'",
     [fusa("2024-01-10", "approved_subject_to", "2024-03-01"), done("FOLLOW_UP", "2024-04-20")],
     "VUSA", "2025-04-20", "G8.42"),
    ("G8.40: a Follow-up before the status was set does not move the clock",
     [fusa("2024-01-10", "approved_subject_to", "2024-03-01"), done("FOLLOW_UP", "2024-02-20")],
     "VUSA", "2025-03-01", "G8.42"),
]


@pytest.mark.parametrize("quote, history, expected, due, rule", ENTRY,
                         ids=[c[0][:40] for c in ENTRY])
def test_user_entry(quote, history, expected, due, rule):
    entry = run([party(history=history, d=1000)])["P1"]
    assert (entry.next.value, entry.due.isoformat() if entry.due else None, entry.rule) == (
        expected, due, rule), quote


SUPPLIER_SMALL = [
    ("G8.42: the User Security Assessment required by G8.40 shall be a VUSA", [], "VUSA",
     "2024-03-01", "G8.42"),
    ("G8.42(a): within 12 months after each VUSA schedule a User Security Self-Assessment",
     [done("VUSA", "2024-05-20")], "SSA", "2025-05-20", "G8.42(a)"),
    ("G8.42(b): within 12 months after each User Security Self-Assessment, schedule a FUSA",
     [done("VUSA", "2022-05-20"), done("SSA", "2023-05-01")], "FUSA", "2024-05-01", "G8.42(b)"),
    ("G8.42(c): within 12 months after each FUSA, schedule a VUSA",
     [done("VUSA", "2021-05-20"), done("SSA", "2022-05-01"), done("FUSA", "2023-04-01")],
     "VUSA", "2024-04-01", "G8.42(c)"),
    ("Follow-ups after entry do not move the clock",
     [done("VUSA", "2024-05-20"), done("FOLLOW_UP", "2024-09-01")], "SSA", "2025-05-20",
     "G8.42(a)"),
    ("the history may be in any order",
     [done("SSA", "2023-05-01"), done("VUSA", "2022-05-20")], "FUSA", "2024-05-01", "G8.42(b)"),
]


@pytest.mark.parametrize("quote, periodic, expected, due, rule", SUPPLIER_SMALL,
                         ids=[c[0][:40] for c in SUPPLIER_SMALL])
def test_small_supplier_cycle(quote, periodic, expected, due, rule):
    history = [fusa("2020-01-10", "approved", "2020-03-01")] + periodic
    if not periodic:
        history = [fusa("2023-01-10", "approved", "2023-03-01")]
        due = "2024-03-01"
    entry = run([party(history=history, d=100_000, n=1_000)])["P1"]
    assert entry.track.value == "supplier_small"
    assert (entry.next.value, entry.due.isoformat(), entry.rule) == (expected, due, rule), quote


SIZES = [
    ("G8.41(a): Domestic Premises exceeds 250,000", 250_001, 0, "supplier_large"),
    ("G8.41(a): 250,000 does not exceed 250,000", 250_000, 0, "supplier_small"),
    ("G8.41(b): Non-Domestic Premises exceeds 50,000", 0, 50_001, "supplier_large"),
    ("G8.41(b): 50,000 Non-Domestic Premises is not more", 0, 50_000, "supplier_small"),
    ("G8.41(c): (5N) + D > 250,000", 200_001, 10_000, "supplier_large"),
    ("G8.41(c): (5N) + D = 250,000 is not more", 200_000, 10_000, "supplier_small"),
]


@pytest.mark.parametrize("quote, d, n, track", SIZES, ids=[c[0][:40] for c in SIZES])
def test_supplier_size(quote, d, n, track):
    entry = run([party(d=d, n=n, history=[fusa("2024-01-10")])])["P1"]
    assert entry.track.value == track, quote
    assert (entry.premises.domestic, entry.premises.non_domestic) == (d, n)


def test_large_supplier_has_a_full_assessment_every_year():
    """G8.41: '... shall be a FUSA and the User shall schedule a further FUSA within 12 months
    after each FUSA'; a VUSA or SSA done while the party was small (its premises then,
    G8.48-G8.49(a)) counted and is followed by a FUSA; one done while large does not discharge
    the FUSA, which stays owed from the old date."""
    small = {"premises": {"domestic": 1_000, "non_domestic": 0}}
    for periodic, counted in (([], False), ([done("FUSA", "2024-06-01")], True),
                              ([done("VUSA", "2024-06-01") | small], True),
                              ([done("VUSA", "2023-09-01") | small,
                                done("SSA", "2024-06-01") | small], True),
                              ([done("SSA", "2024-06-01") | small], False),  # VUSA owed
                              ([done("VUSA", "2024-06-01")], False),
                              ([done("SSA", "2024-06-01")], False)):
        history = [fusa("2023-01-10", "approved", "2023-06-01")] + periodic
        entry = run([party(d=300_000, history=history)])["P1"]
        assert (entry.track.value, entry.next.value, entry.rule) == (
            "supplier_large", "FUSA", "G8.41")
        assert entry.due == date(2024 + counted, 6, 1), periodic


def test_supplier_counts_include_unprovided_sharers_both_ways():
    """G8.43: the number 'shall, where any Shared Resources which are not provided by a Shared
    Resource Provider form part of both its User Systems and the User Systems of another User,
    be deemed to include' the other User's premises. The relation holds both ways."""
    result = run([party("A", d=200_000, n=0, shares_resources_with=["B"]),
                  party("B", roles=["gas_supplier"], d=40_000, n=3_000),
                  party("C", d=10, n=0, shares_resources_with=["B"])])
    assert result["A"].track.value == "supplier_large"
    assert (result["A"].premises.domestic, result["A"].premises.non_domestic) == (240_000, 3_000)
    # B shares with A and with C: 40,000 + 200,000 + 10 + 5 * 3,000 > 250,000
    assert result["B"].premises.domestic == 240_010
    assert result["B"].track.value == "supplier_large"
    # C shares only with B (not with A: sharing is not transitive)
    assert (result["C"].premises.domestic, result["C"].track.value) == (40_010, "supplier_small")


def test_supplier_counts_ignore_resources_a_provider_supplies():
    """G8.43 counts only Shared Resources 'not provided by a Shared Resource Provider'."""
    result = run([party("A", d=200_000, resource_provider="SRP"),
                  party("B", d=200_000, resource_provider="SRP"),
                  party("SRP", roles=["shared_resource_provider"])])
    assert result["A"].track.value == "supplier_small"
    assert result["A"].premises.domestic == 200_000


NETWORK = [
    ("G8.44: the User Security Assessment required by G8.40 shall be a VUSA", [], "VUSA",
     "G8.44"),
    ("G8.44(a): within 12 months after previous VUSA, schedule a second VUSA",
     [done("VUSA", "2024-01-01")], "VUSA", "G8.44(a)"),
    ("G8.44(b): within 12 months after each second successive VUSA, schedule a FUSA",
     [done("VUSA", "2023-01-01"), done("VUSA", "2024-01-01")], "FUSA", "G8.44(b)"),
    ("G8.44(c): within 12 months after each FUSA, schedule a VUSA",
     [done("VUSA", "2022-01-01"), done("VUSA", "2023-01-01"), done("FUSA", "2024-01-01")],
     "VUSA", "G8.44(c)"),
    ("G8.44(a): the VUSA after a FUSA is the first of a new pair",
     [done("FUSA", "2023-01-01"), done("VUSA", "2024-01-01")], "VUSA", "G8.44(a)"),
    ("changed size: an SSA done on the smaller cycle (its premises then) is followed by the "
     "FUSA (G8.44(b))",
     [done("VUSA", "2023-01-01"),
      done("SSA", "2024-01-01") | {"premises": {"domestic": 9, "non_domestic": 0}}],
     "FUSA", "G8.44(b)"),
]


@pytest.mark.parametrize("quote, periodic, expected, rule", NETWORK,
                         ids=[c[0][:40] for c in NETWORK])
def test_large_network_cycle(quote, periodic, expected, rule):
    history = [fusa("2021-01-10", "approved", "2021-03-01")] + periodic
    entry = run([party(roles=["electricity_distributor"], d=250_001, history=history)])["P1"]
    assert entry.track.value == "network_large"
    assert (entry.next.value, entry.rule) == (expected, rule), quote
    assert entry.due == (date(2022, 3, 1) if not periodic else date(2025, 1, 1))


@pytest.mark.parametrize("roles, d, track, rules", [
    (["gas_transporter"], 250_000, "network_small", ("G8.45", "G8.45(a)", "G8.45(b)",
                                                     "G8.45(c)")),
    (["other_user"], 999_999, "other", ("G8.47", "G8.47(a)", "G8.47(b)", "G8.47(c)")),
    (["registration_data_provider"], 0, "other", ("G8.47", "G8.47(a)", "G8.47(b)",
                                                   "G8.47(c)")),
])
def test_verification_self_full_cycles(roles, d, track, rules):
    """G8.45 (Network Party with no more than 250,000 Domestic Premises) and G8.47 (neither a
    Supplier nor a Network Party): VUSA, then (a) SSA, (b) FUSA, (c) VUSA."""
    start = [fusa("2020-01-10", "approved", "2020-03-01")]
    steps = [[], [done("VUSA", "2021-01-01")], [done("SSA", "2022-01-01")],
             [done("FUSA", "2023-01-01")]]
    history = list(start)
    expectations = zip(["VUSA", "SSA", "FUSA", "VUSA"], rules, strict=False)
    for step, (expected, rule) in zip(steps, expectations, strict=False):
        history += step
        entry = run([party(roles=roles, d=d, history=history)])["P1"]
        assert (entry.track.value, entry.next.value, entry.rule) == (track, expected, rule)


def test_network_counts_include_every_network_party_sharing_any_resources():
    """G8.46: D includes the Domestic Premises of another User where 'any Shared Resources form
    part of both its User Systems and the User Systems of' that User, provider or not; parties
    served by the same provider share its resources. Supplier Parties do not count."""
    result = run([
        party("N1", roles=["electricity_distributor"], d=150_000, resource_provider="SRP"),
        party("N2", roles=["gas_transporter"], d=120_000, resource_provider="SRP"),
        party("N3", roles=["gas_transporter"], d=10_000, shares_resources_with=["N1"]),
        party("S1", roles=["import_supplier"], d=900_000, resource_provider="SRP"),
        party("SRP", roles=["shared_resource_provider"])])
    assert (result["N1"].premises.domestic, result["N1"].track.value) == (280_000,
                                                                         "network_large")
    assert (result["N2"].premises.domestic, result["N2"].track.value) == (270_000,
                                                                         "network_large")
    assert (result["N3"].premises.domestic, result["N3"].track.value) == (160_000,
                                                                         "network_small")


def test_shared_resource_provider_is_sized_by_the_users_it_serves():
    """G8.63(a)-(c): a provider to Supplier Parties follows G8.41-G8.42 with their premises;
    to Network Parties, G8.44-G8.46; to Other Users, G8.47."""
    result = run([
        party("S1", d=200_000, n=5_000, resource_provider="SRP-S"),
        party("S2", roles=["gas_supplier"], d=30_000, resource_provider="SRP-S"),
        party("N1", roles=["electricity_distributor"], d=260_000, resource_provider="SRP-N"),
        party("O1", roles=["other_user"], resource_provider="SRP-O"),
        party("SRP-S", roles=["shared_resource_provider"], d=5),
        party("SRP-N", roles=["shared_resource_provider"]),
        party("SRP-O", roles=["shared_resource_provider"], d=7),
        party("SRP-0", roles=["shared_resource_provider"])])
    assert (result["SRP-S"].track.value, result["SRP-S"].premises.domestic,
            result["SRP-S"].premises.non_domestic) == ("supplier_large", 230_000, 5_000)
    assert (result["SRP-N"].track.value, result["SRP-N"].premises.domestic) == (
        "network_large", 260_000)
    assert (result["SRP-O"].track.value, result["SRP-O"].premises.domestic) == ("other", 7)
    assert result["SRP-0"].track.value == "other"


@pytest.mark.parametrize("roles, track", [
    (["import_supplier", "electricity_distributor", "shared_resource_provider"],
     "supplier_small"),
    (["gas_transporter", "shared_resource_provider", "triage_facility_provider"],
     "network_small"),
    (["shared_resource_provider", "triage_facility_provider", "other_user"], "other"),
    # G1.5, issue 9: the Other User cycle and the triage cycle fall due together; the tie
    # goes to the order of the obligations (other user before triage)
    (["triage_facility_provider", "other_user"], "other"),
    (["export_supplier", "other_user"], "other"),
    (["export_supplier"], "exempt"),
    (["registered_supplier_agent", "export_supplier"], "exempt"),
])
def test_the_first_category_that_applies_decides_the_track(roles, track):
    assert run([party(roles=roles, history=[fusa("2024-01-10")])])["P1"].track.value == track


def test_export_supplier_and_agent_owe_no_assessment():
    """G1.7: an Export Supplier or Registered Supplier Agent is not subject to the User
    obligations of G8."""
    entry = run([party(roles=["export_supplier"])])["P1"]
    assert (entry.next.value, entry.due, entry.overdue, entry.rule) == ("NONE", None, False,
                                                                        "G1.7")


TRIAGE = [
    ("G12.6: prior to undertaking any Triage Activities ... an initial Full User Security "
     "Assessment", [], None, "FUSA", None, "G12.6"),
    ("G12.7(c) / G8.36(c): deferred, no triage until a Follow-up",
     [fusa("2024-01-10", "deferred", "2024-02-01")], None, "FOLLOW_UP", None, "G8.36(c)"),
    ("G12.8: the Security Sub-Committee shall determine the category",
     [fusa("2024-01-10", "approved", "2024-02-01")], "SSA", "SSA", "2025-02-01", "G12.8"),
    ("G12.8: none recorded yet",
     [fusa("2024-01-10", "approved", "2024-02-01")], None, "SSC_TO_DETERMINE", "2025-02-01",
     "G12.8"),
    ("G12.8: within 12 months following completion of ... each subsequent assessment",
     [fusa("2022-01-10", "approved", "2022-02-01"), done("VUSA", "2023-07-01")], "FUSA",
     "FUSA", "2024-07-01", "G12.8"),
]


@pytest.mark.parametrize("quote, history, category, expected, due, rule", TRIAGE,
                         ids=[c[0][:40] for c in TRIAGE])
def test_triage_facility_provider(quote, history, category, expected, due, rule):
    extra = {"ssc_next_category": category} if category else {}
    entry = run([party(roles=["triage_facility_provider"], history=history, **extra)])["P1"]
    assert entry.track.value == "triage"
    assert (entry.next.value, entry.due.isoformat() if entry.due else None, entry.rule) == (
        expected, due, rule), quote


@pytest.mark.parametrize("as_of, overdue", [
    (date(2025, 5, 19), False), (date(2025, 5, 20), False), (date(2025, 5, 21), True)])
def test_overdue_only_when_as_of_is_after_due(as_of, overdue):
    history = [fusa("2023-01-10", "approved", "2023-03-10"), done("VUSA", "2024-05-20")]
    assert run([party(d=10, history=history)], as_of)["P1"].overdue is overdue


def test_twelve_months_after_29_february_is_28_february():
    history = [fusa("2023-01-10", "approved", "2023-03-10"), done("VUSA", "2024-02-29")]
    assert run([party(d=10, history=history)])["P1"].due == date(2025, 2, 28)


def test_issue_example():
    """The worked example of the contract: P1 small supplier after a VUSA owes an SSA."""
    result = run([{
        "id": "P1", "name": "Example Energy", "roles": ["import_supplier"],
        "domestic_premises": 120000, "non_domestic_premises": 3000,
        "shares_resources_with": ["P7"], "resource_provider": "SRP1",
        "assessments": [fusa("2023-02-01", "approved_subject_to", "2023-03-10"),
                        done("FOLLOW_UP", "2023-06-01"), done("VUSA", "2024-05-20")],
        "ssc_next_category": "VUSA"},
        party("P7", d=0), party("SRP1", roles=["shared_resource_provider"])])
    entry = result["P1"].as_json()
    assert {k: entry[k] for k in ("track", "next", "due", "overdue", "premises", "rule")} == {
        "track": "supplier_small", "next": "SSA", "due": "2025-05-20", "overdue": False,
        "premises": {"domestic": 120000, "non_domestic": 3000}, "rule": "G8.42(a)"}


def test_every_rule_cites_a_clause_of_the_catalogue():
    """Every clause a schedule answer rests on exists in the parsed legal text."""
    from secassure.code.clauses import load
    from secassure.demo import demo_document
    catalogue = load()
    records = parse_register(demo_document(date(2026, 1, 1)))
    cases = [c for table in (ENTRY, SUPPLIER_SMALL) for c in table]
    entries = schedule([r.facts() for r in records], AS_OF)
    for history in [c[1] for c in cases]:
        entries += list(run([party(history=history)]).values())
    cited = {c for e in entries for c in e.clauses}
    assert cited and all(c in catalogue for c in cited), sorted(c for c in cited
                                                                 if c not in catalogue)
