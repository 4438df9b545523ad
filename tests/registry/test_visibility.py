"""Classification decides visibility inside the database query: one rule, checked against the
pure table for every kind of person, every classification and every relation."""
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from secassure.assurance.models import Assessment
from secassure.code.classification import Classification, Relation, may_see
from secassure.core.visibility import person_kind
from secassure.registry.models import Party
from tests.assurance.test_visibility import relations

KINDS = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc-assessor", "dcc",
         "triage-operator", "rep-HEARTH", "rep-FENWAY", None]


@pytest.mark.parametrize("level", list(Classification))
def test_records_visible_exactly_as_the_rule_says(demo, level):
    """For every person and every party: the query returns a record iff may_see() says so,
    for a record kept only for its party (Party) and one G10.8 shares with Resource Users
    (Assessment)."""
    Party.objects.update(classification=level.value)
    Assessment.objects.update(classification=level.value)
    parties = list(Party.objects.select_related("resource_provider"))
    everything = list(Assessment.objects.select_related("party", "follows"))
    for username in KINDS:
        person = demo[username] if username else None
        kind = person_kind(person or AnonymousUser())
        seen_parties = set(Party.objects.visible_to(person or AnonymousUser()).values_list(
            "pk", flat=True))
        seen_assessed = set(Assessment.objects.visible_to(person or AnonymousUser())
                            .values_list("pk", flat=True))
        for party in parties:
            rel = relations(person, party, Party, everything)
            assert (party.pk in seen_parties) == may_see(kind, level, rel), (username, party)
        for assessment in everything:
            rel = relations(person, assessment, Assessment, everything)
            assert (assessment.pk in seen_assessed) == may_see(kind, level, rel, True), (
                username, assessment, "assessment")


def test_a_resource_user_sees_its_providers_assessments_but_not_its_register_entry(demo):
    """G10.8: the reports and outcomes of a provider's assessments reach its Users."""
    rep = demo["rep-HEARTH"]  # HEARTH uses CLOUDVAULT's Shared Resources
    visible = set(Assessment.objects.visible_to(rep).values_list("party__party_id", flat=True))
    assert visible == {"HEARTH", "CLOUDVAULT"}
    assert set(Party.objects.visible_to(rep).values_list("party_id", flat=True)) == {"HEARTH"}


def test_the_pure_rule_table():
    cases = {
        (None, Classification.WHITE, Relation.OTHER): True,
        (None, Classification.GREEN, Relation.OTHER): False,
        ("party_rep", Classification.GREEN, Relation.OTHER): True,
        ("party_rep", Classification.AMBER, Relation.OTHER): False,
        ("party_rep", Classification.RED, Relation.OWN): True,
        ("party_rep", Classification.RED, Relation.PROVIDER): False,
        ("dcc", Classification.AMBER, Relation.OTHER): True,
        ("dcc", Classification.RED, Relation.OTHER): False,
        ("ssc_member", Classification.RED, Relation.OTHER): True,
        # G8.22-G8.23: a User CIO assessor, the assessments it is engaged on
        ("cio_assessor", Classification.RED, Relation.OTHER): False,
        ("cio_assessor", Classification.RED, Relation.ENGAGED): True,
        ("cio_assessor", Classification.AMBER, Relation.OTHER): False,
        ("cio_assessor", Classification.GREEN, Relation.OTHER): True,
        # G9.4: the DCC's assessor, DCC business only
        ("dcc_assessor", Classification.RED, Relation.DCC): True,
        ("dcc_assessor", Classification.RED, Relation.OTHER): False,
        ("dcc_assessor", Classification.AMBER, Relation.OTHER): False,
        ("dcc_assessor", Classification.RED, Relation.ENGAGED): False,
        # G8.34: the Panel, of RED business, the papers put before it
        ("panel_member", Classification.RED, Relation.PANEL): True,
        ("panel_member", Classification.RED, Relation.OTHER): False,
        ("panel_member", Classification.AMBER, Relation.OTHER): True,
    }
    from secassure.code.classification import PersonKind
    for (kind, level, rel), expected in cases.items():
        assert may_see(PersonKind(kind) if kind else None, level, rel) is expected
    assert may_see(PersonKind.PARTY_REP, Classification.RED, Relation.PROVIDER, True)
    assert not any(may_see(None, level, rel, shared)
                   for level, rel, shared in itertools.product(
                       [Classification.RED, Classification.AMBER, Classification.GREEN],
                       Relation, [True, False]))
