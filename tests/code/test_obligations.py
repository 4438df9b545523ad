"""The schedule's second contract (issue 9): one obligation per cycle a party owes, which
assessments count for which cycle, premises at the time, lesser assessments, entry outcomes,
the SSC's determinations and the DCC. Each case quotes the clause it checks; parties are
written in the interchange format, as `secassure schedule --input` reads them."""
from datetime import date

import pytest

from secassure.code.interchange import RegisterFormatError, parse_register
from secassure.code.schedule import schedule

AS_OF = date(2025, 1, 10)


def fusa(completed, status="approved", status_set=None, **extra):
    entry = {"type": "FUSA", "completed": completed, "initial": True, **extra}
    if status:
        entry |= {"assurance_status": status, "status_set": status_set or completed}
    return entry


def done(kind, completed, **extra):
    return {"type": kind, "completed": completed, **extra}


def party(pid="P1", roles=("import_supplier",), history=(), d=0, n=0, **extra):
    return {"id": pid, "roles": list(roles), "domestic_premises": d, "non_domestic_premises": n,
            "assessments": list(history), **extra}


def run(parties, as_of=AS_OF):
    records = parse_register({"parties": parties})
    return {e.party_id: e for e in schedule([r.facts() for r in records], as_of)}


def owed(entry):
    """Each obligation as (track, next, due, as_provider)."""
    return [(o.track.value, o.next.value, o.due.isoformat() if o.due else None, o.as_provider)
            for o in entry.obligations]


APPROVED = [fusa("2024-03-01")]  # entry complete 2024-03-01: the first periodic due 2025-03-01

CYCLES = [
    ("G8.41-G8.43: a Supplier Party owes one supplier cycle, which covers its Other User role",
     ["import_supplier", "gas_supplier", "other_user"], [("supplier_small", "VUSA", False)]),
    ("G8.44-G8.46, G1.6: a Network Party acting as Registration Data Provider owes one network "
     "cycle", ["electricity_distributor", "registration_data_provider"],
     [("network_small", "VUSA", False)]),
    ("G8.47: an Other User that is neither", ["other_user"], [("other", "VUSA", False)]),
    ("G8.47: a Registration Data Provider alone is an Other User",
     ["registration_data_provider"], [("other", "VUSA", False)]),
    ("G1.5: a Supplier Party that is also a Network Party owes both cycles",
     ["gas_supplier", "gas_transporter"],
     [("supplier_small", "VUSA", False), ("network_small", "VUSA", False)]),
    ("G8.63(c): a Shared Resource Provider serving no User owes the Other User cycle",
     ["shared_resource_provider"], [("other", "VUSA", True)]),
    ("G8.63, G1.5: a Supplier that is a Shared Resource Provider owes both, the provider's "
     "as a provider", ["import_supplier", "shared_resource_provider"],
     [("supplier_small", "VUSA", False), ("other", "VUSA", True)]),
    ("G12.6-G12.8: a Triage Facility Provider owes the triage cycle beside its Other User cycle",
     ["other_user", "triage_facility_provider"],
     [("other", "VUSA", False), ("triage", "SSC_TO_DETERMINE", False)]),
    ("G1.7: only an Export Supplier owes nothing", ["export_supplier"],
     [("exempt", "NONE", False)]),
    ("G1.7: an Export Supplier role adds nothing to a Supplier's cycle",
     ["import_supplier", "export_supplier"], [("supplier_small", "VUSA", False)]),
]


@pytest.mark.parametrize("quote, roles, expected", CYCLES, ids=[c[0][:50] for c in CYCLES])
def test_one_obligation_per_cycle_owed(quote, roles, expected):
    entry = run([party(roles=roles, history=APPROVED)])["P1"]
    assert [(t, n, p) for t, n, _, p in owed(entry)] == expected, quote


def test_a_provider_owes_one_cycle_per_limb_of_g8_63_sized_by_whom_it_serves():
    """G8.63: '(a) Supplier Parties, ... G8.41 and G8.42 shall apply ... as if it was a Supplier
    Party ...; (b) Network Parties, ... G8.44 to G8.46 ...; (c) Other Users, ... G8.47'."""
    result = run([party("SRP", roles=["shared_resource_provider"], history=APPROVED),
                  party("S1", d=200_000, n=0, resource_provider="SRP"),
                  party("S2", roles=["gas_supplier"], d=60_000, resource_provider="SRP"),
                  party("N1", roles=["electricity_distributor"], d=100_000,
                        resource_provider="SRP"),
                  party("O1", roles=["other_user"], resource_provider="SRP")])
    srp = result["SRP"]
    assert owed(srp) == [("supplier_large", "FUSA", "2025-03-01", True),
                         ("network_small", "VUSA", "2025-03-01", True),
                         ("other", "VUSA", "2025-03-01", True)]
    assert srp.obligations[0].premises.domestic == 260_000
    assert srp.obligations[1].premises.domestic == 100_000
    assert {o.rule for o in srp.obligations} == {"G8.41", "G8.45", "G8.47"}


def test_the_top_level_is_the_obligation_that_falls_due_first():
    """Issue 9: overdue ones first, then the earliest due date, those without a date last,
    ties in the order of the obligations."""
    history = [fusa("2023-01-10", roles=["import_supplier"]),
               fusa("2024-06-01", roles=["shared_resource_provider"])]
    entry = run([party(roles=["import_supplier", "shared_resource_provider"],
                       history=history)])["P1"]
    assert owed(entry) == [("supplier_small", "VUSA", "2024-01-10", False),
                           ("other", "VUSA", "2025-06-01", True)]
    assert (entry.track.value, entry.next.value, entry.due, entry.overdue, entry.rule) == (
        "supplier_small", "VUSA", date(2024, 1, 10), True, "G8.42")
    # the provider's cycle with no entry yet has no due date: it comes last
    entry = run([party(roles=["import_supplier", "shared_resource_provider"],
                       history=history[:1])], as_of=date(2023, 6, 1))["P1"]
    assert owed(entry)[1] == ("other", "FUSA", None, True)
    assert (entry.track.value, entry.due) == ("supplier_small", date(2024, 1, 10))


ROLES_COVERED = [
    ("G8.30(a)(i), G8.33: entry is per role: a FUSA covering the Supplier roles does not "
     "enter the provider's", [fusa("2024-03-01", roles=["import_supplier"])],
     [("supplier_small", "VUSA", "2025-03-01", False), ("other", "FUSA", None, True)]),
    ("G8.30(a)(i): an assessment without `roles` covers every role the party holds",
     [fusa("2024-03-01")],
     [("supplier_small", "VUSA", "2025-03-01", False), ("other", "VUSA", "2025-03-01", True)]),
    ("G8.30(a)(i): a periodic assessment counts only for the cycles whose roles it covers",
     [fusa("2023-03-01"), done("VUSA", "2024-02-01", roles=["shared_resource_provider"])],
     [("supplier_small", "VUSA", "2024-03-01", False), ("other", "SSA", "2025-02-01", True)]),
]


@pytest.mark.parametrize("quote, history, expected", ROLES_COVERED,
                         ids=[c[0][:50] for c in ROLES_COVERED])
def test_a_cycle_sees_only_the_assessments_covering_its_roles(quote, history, expected):
    entry = run([party(roles=["import_supplier", "shared_resource_provider"],
                       history=history)])["P1"]
    assert owed(entry) == expected, quote


def test_g8_43_counts_only_responsible_suppliers_sharing_resources():
    """G8.43: the number is 'deemed to include any Domestic Premises or Non-Domestic Premises
    ... for which that other User is the Responsible Supplier': a network partner, an export
    supplier or an other user adds nothing."""
    result = run([party("A", d=200_000, shares_resources_with=["NET", "EXP", "OU", "GAS"]),
                  party("NET", roles=["electricity_distributor"], d=500_000),
                  party("EXP", roles=["export_supplier"], d=500_000),
                  party("OU", roles=["other_user"], d=500_000),
                  party("GAS", roles=["gas_supplier"], d=40_000)])
    assert (result["A"].premises.domestic, result["A"].track.value) == (240_000,
                                                                        "supplier_small")
    # G8.46 is unchanged: a Network Party adds only Network Parties' domestic premises
    assert result["NET"].premises.domestic == 500_000


PREMISES_AT_THE_TIME = [
    ("G8.48-G8.49(a): the VUSA done while the party was small counted; today's size owes a "
     "FUSA 12 months after it", {"domestic": 100_000, "non_domestic": 0},
     ("supplier_large", "FUSA", "2025-05-01")),
    ("G8.48-G8.49(a): without premises recorded, today's (large) decide: the VUSA does not "
     "discharge the FUSA owed", None, ("supplier_large", "FUSA", "2025-03-01")),
]


@pytest.mark.parametrize("quote, premises, expected", PREMISES_AT_THE_TIME,
                         ids=[c[0][:50] for c in PREMISES_AT_THE_TIME])
def test_the_track_that_applied_to_an_assessment_is_its_premises(quote, premises, expected):
    vusa = done("VUSA", "2024-05-01") | ({"premises": premises} if premises else {})
    entry = run([party(d=300_000, history=[fusa("2024-03-01"), vusa])],
                as_of=date(2025, 2, 1))["P1"]
    assert owed(entry)[0][:3] == expected, quote


LESSER = [
    ("G8.41: a large supplier that did a VUSA still owes its FUSA from the old date",
     ["import_supplier"], 300_000, [done("VUSA", "2025-02-01")],
     ("FUSA", "2025-03-01", "G8.41")),
    ("G8.44(b): a large network's third VUSA does not replace the FUSA",
     ["electricity_distributor"], 300_000,
     [done("VUSA", "2024-12-01"), done("VUSA", "2025-11-01"), done("VUSA", "2026-09-01")],
     ("FUSA", "2026-11-01", "G8.44(b)")),
    ("G8.42: a fuller assessment discharges a lesser one owed, and the cycle goes on from the "
     "category done ('within 12 months after each FUSA, ... a VUSA')",
     ["import_supplier"], 1_000, [done("FUSA", "2025-02-01")],
     ("VUSA", "2026-02-01", "G8.42(c)")),
    ("G8.42(a)-(b): an SSA where a FUSA is owed does not count",
     ["import_supplier"], 1_000,
     [done("VUSA", "2024-12-01"), done("SSA", "2025-11-01"), done("SSA", "2026-10-01")],
     ("FUSA", "2026-11-01", "G8.42(b)")),
]


@pytest.mark.parametrize("quote, roles, d, periodic, expected", LESSER,
                         ids=[c[0][:50] for c in LESSER])
def test_a_lesser_assessment_does_not_discharge(quote, roles, d, periodic, expected):
    entry = run([party(roles=roles, d=d, history=[fusa("2024-03-01"), *periodic])],
                as_of=date(2027, 1, 1))["P1"]
    assert (entry.next.value, entry.due.isoformat(), entry.rule) == expected, quote
    assert entry.overdue


def test_without_an_initial_fusa_the_records_start_with_the_earliest():
    """Issue 9: 'the party entered before the records: the earliest recorded assessment
    counts whatever it is, and the cycle goes on from it' (here an SSA, then a FUSA, G8.42)."""
    entry = run([party(d=1_000, history=[done("SSA", "2023-05-01"), done("FUSA", "2024-04-01")])
                 ])["P1"]
    assert (entry.next.value, entry.due, entry.rule) == ("VUSA", date(2025, 4, 1), "G8.42(c)")


ENTRY = [
    ("G8.36(b)(ii): approved subject to a Follow-up by the date the Panel specifies",
     [fusa("2024-03-01", "approved_subject_to", follow_up_by="2024-09-01")],
     ("FOLLOW_UP", "2024-09-01", True, "G8.36(b)(ii)")),
    ("G8.40: once the Follow-up is done, the clock runs from it",
     [fusa("2024-03-01", "approved_subject_to", follow_up_by="2024-09-01"),
      done("FOLLOW_UP", "2024-08-15")], ("VUSA", "2025-08-15", False, "G8.42")),
    ("G8.36(c)(i): deferred, no Follow-up yet", [fusa("2024-03-01", "deferred")],
     ("FOLLOW_UP", None, False, "G8.36(c)")),
    ("G8.36(c)(ii): deferred, the Follow-up done, the Panel not yet satisfied",
     [fusa("2024-03-01", "deferred"), done("FOLLOW_UP", "2024-06-01")],
     ("NONE", None, False, "G8.36(c)(ii)")),
    ("G8.36(c)(ii), G8.37(a)(ii): the Panel satisfied: the clock runs from the Follow-up",
     [fusa("2024-03-01", "deferred"),
      done("FOLLOW_UP", "2024-06-01", panel_satisfied="2024-07-20")],
     ("VUSA", "2025-06-01", False, "G8.42")),
    ("G8.36(d)(i): rejected: a second FUSA", [fusa("2024-03-01", "rejected")],
     ("FUSA", None, False, "G8.36(d)")),
    ("G8.36(d)(ii): the next FUSA, not marked initial, is the second FUSA: awaiting the "
     "Panel's reconsideration", [fusa("2024-03-01", "rejected"), done("FUSA", "2024-07-01")],
     ("NONE", None, False, "G8.36(d)(ii)")),
    ("G8.36(d)(ii), G8.35: its status, once set, completes entry as an initial one",
     [fusa("2024-03-01", "rejected"),
      done("FUSA", "2024-07-01", assurance_status="approved", status_set="2024-08-01")],
     ("VUSA", "2025-08-01", False, "G8.42")),
]


@pytest.mark.parametrize("quote, history, expected", ENTRY, ids=[c[0][:50] for c in ENTRY])
def test_entry_outcomes(quote, history, expected):
    entry = run([party(d=1_000, history=history)])["P1"]
    assert (entry.next.value, entry.due.isoformat() if entry.due else None, entry.overdue,
            entry.rule) == expected, quote


TRIAGE_HISTORY = [fusa("2023-03-01", ssc_next_category="SSA")]
DETERMINATIONS = [
    ("G12.8: the SSC's determination following the initial FUSA",
     TRIAGE_HISTORY, {}, ("SSA", "2024-03-01")),
    ("G12.8: a determination belongs to the assessment it follows: a later assessment "
     "without one leaves the next category for the SSC to determine",
     [*TRIAGE_HISTORY, done("SSA", "2024-02-01")], {}, ("SSC_TO_DETERMINE", "2025-02-01")),
    ("G12.8: the determination on the latest assessment",
     [*TRIAGE_HISTORY, done("SSA", "2024-02-01", ssc_next_category="FUSA")], {},
     ("FUSA", "2025-02-01")),
    ("G12.8: the party-level determination follows the latest assessment",
     [*TRIAGE_HISTORY, done("SSA", "2024-02-01")], {"ssc_next_category": "VUSA"},
     ("VUSA", "2025-02-01")),
    ("G12.8(c): an assessment lesser than the category the SSC determined does not count",
     [fusa("2023-03-01", ssc_next_category="FUSA"), done("SSA", "2024-02-01")], {},
     ("FUSA", "2024-03-01")),
]


@pytest.mark.parametrize("quote, history, extra, expected", DETERMINATIONS,
                         ids=[c[0][:50] for c in DETERMINATIONS])
def test_the_sscs_determination_belongs_to_an_assessment(quote, history, extra, expected):
    entry = run([party(roles=["triage_facility_provider"], history=history, **extra)])["P1"]
    assert (entry.next.value, entry.due.isoformat(), entry.rule) == (*expected, "G12.8"), quote


def test_the_dcc_owes_its_annual_assessment():
    """G9.3(b)(i): the DCC's security assessment each year: due 12 months after the latest."""
    dcc = party("DCC", roles=["dcc"], history=[done("DCC", "2023-11-01"),
                                               done("DCC", "2024-10-15")])
    entry = run([dcc])["DCC"]
    assert owed(entry) == [("dcc", "DCC", "2025-10-15", False)]
    assert (entry.track.value, entry.next.value, entry.rule) == ("dcc", "DCC", "G9.3(b)(i)")
    none_yet = run([party("DCC", roles=["dcc"])])["DCC"]
    assert (none_yet.next.value, none_yet.due) == ("DCC", None)


def test_the_output_carries_the_obligations():
    document = run([party(roles=["import_supplier", "shared_resource_provider"],
                          history=APPROVED)])["P1"].as_json()
    assert {"id", "track", "next", "due", "overdue", "premises", "rule", "reason",
            "obligations"} <= set(document)
    assert [o["as_provider"] for o in document["obligations"]] == [False, True]
    assert {"track", "next", "due", "overdue", "premises", "rule", "as_provider"} <= set(
        document["obligations"][0])


BAD = [
    ("roles naming a role the party does not hold",
     party(history=[fusa("2024-03-01", roles=["gas_transporter"])]),
     "assessments[0].roles"),
    ("an empty roles list", party(history=[fusa("2024-03-01", roles=[])]),
     "assessments[0].roles"),
    ("panel_satisfied on anything but a Follow-up",
     party(history=[fusa("2024-03-01", panel_satisfied="2024-04-01")]),
     "assessments[0].panel_satisfied"),
    ("panel_satisfied before the Follow-up was completed",
     party(history=[fusa("2024-03-01", "deferred"),
                    done("FOLLOW_UP", "2024-06-01", panel_satisfied="2024-05-01")]),
     "assessments[1].panel_satisfied"),
    ("a DCC assessment on a party without the dcc role",
     party(history=[done("DCC", "2024-03-01")]), "assessments[0].type"),
    ("follow_up_by on a Verification", party(history=[done("VUSA", "2024-03-01",
                                                           follow_up_by="2024-05-01")]),
     "assessments[0].follow_up_by"),
    ("premises without both figures",
     party(history=[done("VUSA", "2024-03-01", premises={"domestic": 1})]),
     "assessments[0].premises"),
    ("negative premises",
     party(history=[done("VUSA", "2024-03-01", premises={"domestic": -1, "non_domestic": 0})]),
     "assessments[0].premises"),
    ("an assessment's determination that is not FUSA, VUSA or SSA (G12.8(c))",
     party(history=[done("VUSA", "2024-03-01", ssc_next_category="FOLLOW_UP")]),
     "assessments[0].ssc_next_category"),
]


@pytest.mark.parametrize("quote, raw, field", BAD, ids=[c[0][:50] for c in BAD])
def test_bad_input_names_the_party_and_the_field(quote, raw, field):
    with pytest.raises(RegisterFormatError) as refused:
        parse_register({"parties": [raw]})
    assert (refused.value.party, refused.value.field) == ('"P1"', field), quote


def test_the_new_fields_round_trip():
    from secassure.code.interchange import dump_register
    document = {"parties": [party(roles=["import_supplier", "triage_facility_provider"], history=[
        fusa("2024-03-01", "approved_subject_to", follow_up_by="2024-09-01",
             roles=["import_supplier"], premises={"domestic": 5, "non_domestic": 1},
             ssc_next_category="SSA"),
        done("FOLLOW_UP", "2024-08-01")])]}
    records = parse_register(document)
    assert parse_register(dump_register(records)) == records


def test_a_partys_people_see_their_aggregated_figure_not_whose_premises_it_includes():
    """Issue 9 (G8.43): the figure and the clause, but of the parties whose premises it
    includes only those the party declared sharing with itself are named."""
    from secassure.code.schedule import as_seen_by
    result = run([party("A", d=200_000, shares_resources_with=["B"]),
                  party("B", roles=["gas_supplier"], d=40_000, n=3_000),
                  party("C", d=10, shares_resources_with=["B"])])
    b = result["B"]
    assert "A, C" in b.reason
    seen = as_seen_by(b, known={"B", "C"})  # B declared nothing; C declared B
    assert (seen.premises, seen.track, seen.due) == (b.premises, b.track, b.due)
    assert "G8.43" in seen.reason and "C and others" in seen.reason
    assert "A" not in seen.reason.replace("Assessment", "").split("sharing resources")[1]
    alone = as_seen_by(b, known={"B"})
    assert ": A" not in alone.reason and ", C" not in alone.reason
    assert as_seen_by(b, known={"A", "B", "C"}) == b  # nothing hidden, nothing changed


def test_there_is_one_dcc():
    with pytest.raises(RegisterFormatError) as refused:
        parse_register({"parties": [party("DCC", roles=["dcc"]), party("DCC2", roles=["dcc"])]})
    assert (refused.value.party, refused.value.field) == ('"DCC2"', "roles")
