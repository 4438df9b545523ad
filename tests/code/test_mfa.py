"""Who signs in with a second factor (code.mfa): issue 8 asks TOTP of "committee, SECAS,
assessor and DCC people"; the admin's people (staff, superusers) too; party representatives and
triage operators may enrol."""
import pytest

from secassure.code.mfa import SecondFactor, mfa_on, second_factor

REQUIRED, OPTIONAL, NONE = SecondFactor.REQUIRED, SecondFactor.OPTIONAL, SecondFactor.NONE


@pytest.mark.parametrize(("kind", "staff", "expected"), [
    ("secas", False, REQUIRED),            # the secretariat: every party's RED business
    ("ssc_member", False, REQUIRED),       # the committee
    ("panel_member", False, REQUIRED),
    ("cio_assessor", False, REQUIRED),     # the assessor
    ("dcc_assessor", False, REQUIRED),     # the DCC's assessor (G9.4)
    ("dcc", False, REQUIRED),              # the DCC: AMBER of every User
    ("party_rep", False, OPTIONAL),        # its own party only: may enrol
    ("triage_operator", False, OPTIONAL),
    ("party_rep", True, REQUIRED),         # anyone in the admin must
    ("", True, REQUIRED),                  # a superuser made by createsuperuser has no kind
    ("", False, NONE),                     # no kind: the public pages only
    (None, False, NONE),
    ("not-a-kind", False, NONE),
    ("not-a-kind", True, REQUIRED),
])
def test_who_must_use_a_second_factor(kind, staff, expected):
    assert second_factor(kind, staff=staff) is expected


def test_every_kind_of_person_is_placed_and_every_assessor_must():
    """A new kind of person is never left without a rule: every assessor and committee kind
    must use a second factor (common9.md)."""
    from secassure.code.classification import ASSESSORS, PersonKind
    from secassure.code.mfa import OPTIONAL_KINDS, REQUIRED_KINDS
    assert set(PersonKind) == REQUIRED_KINDS | OPTIONAL_KINDS
    assert ASSESSORS | {PersonKind.SSC_MEMBER, PersonKind.PANEL_MEMBER} <= REQUIRED_KINDS


@pytest.mark.parametrize(("setting", "demo", "on"), [
    (None, False, True),    # on by default
    ("", False, True),
    (None, True, False),    # off for the demo logins, which have no authenticator
    ("1", True, True),      # ... unless asked for
    ("0", False, False),    # off when turned off
    ("0", True, False),
    ("false", False, False),
    (" OFF ", False, False),
    ("yes", True, True),
    ("O", False, True),     # a typo never turns it off
])
def test_the_setting(setting, demo, on):
    assert mfa_on(setting, demo=demo) is on
