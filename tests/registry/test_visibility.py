"""Classification decides visibility inside the database query: one rule, checked against the
pure table for every kind of person, every classification and every relation."""
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from secassure.assurance.models import Assessment
from secassure.code.classification import Classification, Relation, may_see
from secassure.core.visibility import person_kind
from secassure.registry.models import Party

KINDS = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc", "triage-operator",
         "rep-HEARTH", "rep-FENWAY", None]


def relation(person, party):
    if person is None or person.party_id is None:
        return Relation.OTHER
    if party.pk == person.party_id:
        return Relation.OWN
    if party.pk == person.party.resource_provider_id:
        return Relation.PROVIDER
    return Relation.OTHER


@pytest.mark.parametrize("level", list(Classification))
def test_records_visible_exactly_as_the_rule_says(demo, level):
    """For every person and every party: the query returns a record iff may_see() says so,
    for a record kept only for its party (Party) and one G10.8 shares with Resource Users
    (Assessment)."""
    Party.objects.update(classification=level.value)
    Assessment.objects.update(classification=level.value)
    parties = list(Party.objects.select_related("resource_provider"))
    for username in KINDS:
        person = demo[username] if username else AnonymousUser()
        kind = person_kind(person)
        seen_parties = set(Party.objects.visible_to(person).values_list("pk", flat=True))
        seen_assessed = set(Assessment.objects.visible_to(person).values_list("party_id",
                                                                              flat=True))
        assessed = set(Assessment.objects.values_list("party_id", flat=True))
        for party in parties:
            rel = relation(demo[username] if username else None, party)
            assert (party.pk in seen_parties) == may_see(kind, level, rel), (username, party)
            if party.pk in assessed:
                assert (party.pk in seen_assessed) == may_see(kind, level, rel, True), (
                    username, party, "assessment")


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
        ("cio_assessor", Classification.RED, Relation.OTHER): True,
    }
    from secassure.code.classification import PersonKind
    for (kind, level, rel), expected in cases.items():
        assert may_see(PersonKind(kind) if kind else None, level, rel) is expected
    assert may_see(PersonKind.PARTY_REP, Classification.RED, Relation.PROVIDER, True)
    assert not any(may_see(None, level, rel, shared)
                   for level, rel, shared in itertools.product(
                       [Classification.RED, Classification.AMBER, Classification.GREEN],
                       Relation, [True, False]))
