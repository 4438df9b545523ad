"""code/permissions.py says what the services do (G6.4, G6.6A): only the party's own people
register its signing key, for their own party; the DCC and SECAS may revoke one, never register
one for a party. The table is checked against the service for every kind of person."""
import pytest
from django.core.exceptions import PermissionDenied

from secassure.adt.signing import generate_key
from secassure.anomaly import services
from secassure.code.classification import PersonKind
from secassure.code.permissions import Action, allowed
from secassure.core.visibility import person_kind
from secassure.registry.models import Party

PEOPLE = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc-assessor", "dcc",
          "triage-operator", "rep-HEARTH"]


def test_the_table_gives_key_registration_to_no_one_outside_a_party():
    """G6.6A: SECAS keeps the register but never registers a party's key; the DCC only its own."""
    assert not allowed(PersonKind.SECAS, Action.REGISTER_SIGNING_KEY)
    assert allowed(PersonKind.PARTY_REP, Action.REGISTER_SIGNING_KEY)
    assert allowed(PersonKind.SECAS, Action.REVOKE_SIGNING_KEY)
    assert allowed(PersonKind.DCC, Action.REVOKE_SIGNING_KEY)
    for kind in (PersonKind.SSC_MEMBER, PersonKind.PANEL_MEMBER, PersonKind.CIO_ASSESSOR,
                 PersonKind.DCC_ASSESSOR):
        assert not allowed(kind, Action.REGISTER_SIGNING_KEY), kind
        assert not allowed(kind, Action.REVOKE_SIGNING_KEY), kind


@pytest.mark.parametrize("username", PEOPLE)
def test_the_service_registers_a_key_exactly_where_the_table_allows(username, demo):
    person = demo[username]
    own = Party.objects.filter(pk=person.party_id).first() if person.party_id else None
    hearth = Party.objects.get(party_id="HEARTH")
    kind = person_kind(person)
    # for the person's own party (where it has one): as the table says
    target = own or hearth
    if allowed(kind, Action.REGISTER_SIGNING_KEY) and own is not None:
        services.register_signing_key(person, target, generate_key()[1].decode())
    else:
        with pytest.raises(PermissionDenied):
            services.register_signing_key(person, target, generate_key()[1].decode())
    # never for another party, whatever the table says of the kind (G6.4)
    other = Party.objects.exclude(pk=target.pk).filter(party_id__in=["HEARTH", "LUMEN"]).first()
    with pytest.raises(PermissionDenied):
        services.register_signing_key(person, other, generate_key()[1].decode())
