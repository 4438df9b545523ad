"""Two-step sign-in (issue 8, "A profile fit to deploy": TOTP multi-factor for committee, SECAS,
assessor and DCC people): who is asked for a code, the gate in front of every page, enrolment,
wrong codes and throttling, /api/token/, and SECAS's reset; each refusal journaled."""
from __future__ import annotations

import re
import time
from base64 import b32decode
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from secassure.accounts.models import Person
from secassure.accounts.services import PersonError, reset_second_factor
from secassure.core.journal.models import JournalEntry

MUST = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc"]
PAGES = ["/", "/code/", "/register/", "/register/HEARTH/", "/schedule/", "/assurance/",
         "/journal/", "/adt/", "/admin/", "/admin/accounts/person/"]
ASK = "Enter the 6-digit code from your authenticator app"


@pytest.fixture
def mfa(settings):
    settings.SECASSURE_MFA = True


def _enrolled(person: Person) -> TOTPDevice:
    return TOTPDevice.objects.create(user=person, name="authenticator", confirmed=True)


def _code(key: bytes, steps_ahead: int = 0, drift: int = 0) -> str:
    totp = TOTP(key, drift=drift)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _past_the_throttle(device: TOTPDevice) -> None:
    """As if the throttle's delay had passed (instead of sleeping through it)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - timedelta(hours=1))


def _failures(username: str) -> list[JournalEntry]:
    return list(JournalEntry.objects.filter(action="accounts.mfa.failed",
                                            subject=f"person:{username}").order_by("id"))


@pytest.mark.parametrize("username", MUST)
def test_a_person_who_must_and_has_no_authenticator_is_sent_to_enrol_from_every_page(
        client_for, mfa, username):
    client = client_for(username)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == f"/accounts/mfa/enrol/?next={page}", page
    api = client.get("/api/parties/")
    assert api.status_code == 403 and "Two-step sign-in" in api.json()["detail"]
    # What stays open: the enrolment page itself, static files, signing out.
    page = client.get("/accounts/mfa/enrol/?next=/schedule/")
    assert page.status_code == 200 and b"<svg" in page.content
    assert b'id="totp-secret"' in page.content
    assert client.get("/static/secassure/site.css").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/schedule/").status_code == 302  # now because signed out
    assert client.get("/code/").status_code == 200


def test_only_a_token_passes_the_api_without_a_verified_session(client_for, demo, mfa):
    """An unverified session is refused by the API whatever other header it sends; a token
    (issued by /api/token/ after a code) is checked by the API itself."""
    client = client_for("secas")
    assert client.get("/api/parties/", HTTP_AUTHORIZATION="Basic c2VjYXM6ZGVtbw==",
                      ).status_code == 403
    assert client.get("/api/parties/", HTTP_AUTHORIZATION="Token not-a-token",
                      ).status_code == 401


def test_with_the_second_factor_off_nobody_is_asked(client_for, settings):
    settings.SECASSURE_MFA = False
    client = client_for("secas")
    for page in PAGES:
        assert client.get(page).status_code == 200, page
    assert client.get("/api/parties/").status_code == 200


def test_the_demo_profile_turns_it_off_and_production_keeps_it_on():
    """`secassure serve --demo` works without an authenticator; see tests/code/test_mfa.py
    for the setting's whole table."""
    from secassure.code.mfa import mfa_on
    assert mfa_on(None, demo=True) is False and mfa_on(None, demo=False) is True


def test_enrolment_reads_the_secret_off_the_page_and_confirms_with_a_code(client_for, demo,
                                                                         mfa):
    client = client_for("panel-member")
    page = client.get("/accounts/mfa/enrol/?next=/assurance/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    refused = client.post("/accounts/mfa/enrol/", {"otp": _wrong(_code(key)),
                                                   "next": "/assurance/"})
    assert refused.status_code == 400 and b"not right" in refused.content
    assert not TOTPDevice.objects.filter(user=demo["panel-member"], confirmed=True).exists()
    [failure] = _failures("panel-member")
    assert failure.details["where"] == "enrolment"
    _past_the_throttle(TOTPDevice.objects.get(user=demo["panel-member"]))
    done = client.post("/accounts/mfa/enrol/", {"otp": _code(key), "next": "/assurance/"})
    assert done.status_code == 302 and done["Location"] == "/assurance/"
    assert client.get("/assurance/").status_code == 200
    assert TOTPDevice.objects.get(user=demo["panel-member"]).confirmed
    assert JournalEntry.objects.filter(action="accounts.mfa.enrolled",
                                       subject="person:panel-member").count() == 1
    # A second authenticator is not enrolled over the first (only after SECAS resets it).
    assert client.get("/accounts/mfa/enrol/")["Location"] == "/"


def test_a_wrong_code_is_refused_and_journaled_without_the_code(client, demo, mfa):
    device = _enrolled(demo["dcc"])
    signed_in = client.post("/accounts/login/", {"username": "dcc", "password": "demo",
                                                 "next": "/schedule/"})
    assert signed_in.status_code == 302
    asked = client.get(signed_in["Location"])
    assert asked["Location"] == "/accounts/mfa/?next=/schedule/"
    assert ASK in client.get(asked["Location"]).content.decode()
    wrong = _wrong(_code(device.bin_key))
    refused = client.post("/accounts/mfa/", {"otp": wrong, "next": "/schedule/"})
    assert refused.status_code == 400 and ASK in refused.content.decode()
    assert client.get("/schedule/").status_code == 302      # still not in
    [failure] = _failures("dcc")
    assert failure.details["where"] == "sign-in" and failure.details["throttled"] is False
    assert wrong not in str(failure.details) and wrong not in failure.reason
    _past_the_throttle(TOTPDevice.objects.get(pk=device.pk))
    right = client.post("/accounts/mfa/", {"otp": _code(device.bin_key), "next": "/schedule/"})
    assert right.status_code == 302 and right["Location"] == "/schedule/"
    for page in ["/", "/code/", "/register/", "/schedule/", "/assurance/", "/adt/"]:
        assert client.get(page).status_code == 200, page


def test_after_a_wrong_code_even_the_right_one_waits_out_the_throttle(client_for, demo, mfa):
    device = _enrolled(demo["ssc-member"])
    client = client_for("ssc-member")
    code = _code(device.bin_key)
    client.post("/accounts/mfa/", {"otp": _wrong(code)})
    throttled = client.post("/accounts/mfa/", {"otp": code})
    assert throttled.status_code == 400 and b"Too many wrong codes: wait" in throttled.content
    assert client.get("/").status_code == 302
    assert [f.details["throttled"] for f in _failures("ssc-member")] == [False, True]
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    _past_the_throttle(device)
    assert client.post("/accounts/mfa/", {"otp": code})["Location"] == "/"


def test_a_code_is_accepted_once(client, client_for, demo, mfa):
    device = _enrolled(demo["cio-assessor"])
    code = _code(device.bin_key)
    first = client_for("cio-assessor")
    assert first.post("/accounts/mfa/", {"otp": code}).status_code == 302
    second = APIClient()
    second.force_login(demo["cio-assessor"])
    assert second.post("/accounts/mfa/", {"otp": code}).status_code == 400


def test_a_party_representative_without_an_authenticator_signs_in_straight_through(
        client, demo, mfa):
    signed_in = client.post("/accounts/login/", {"username": "rep-HEARTH", "password": "demo"})
    assert signed_in.status_code == 302
    home = client.get(signed_in["Location"])
    assert home.status_code == 200
    assert b"Set up two-step sign-in" in home.content   # offered, not required
    for page in ["/register/HEARTH/", "/schedule/", "/assurance/"]:
        assert client.get(page).status_code == 200
    assert client.get("/api/parties/").status_code == 200


def test_a_party_representative_who_enrols_is_asked_for_the_code_next_time(client, demo, mfa):
    rep = demo["rep-HEARTH"]
    device = _enrolled(rep)
    client.post("/accounts/login/", {"username": "rep-HEARTH", "password": "demo"})
    assert client.get("/")["Location"] == "/accounts/mfa/?next=/"
    assert client.post("/accounts/mfa/", {"otp": _code(device.bin_key)})["Location"] == "/"
    assert b"Set up two-step sign-in" not in client.get("/").content


def test_the_token_endpoint_asks_for_the_code(demo, mfa):
    device = _enrolled(demo["secas"])
    api = APIClient()
    missing = api.post("/api/token/", {"username": "secas", "password": "demo"})
    assert missing.status_code == 400 and missing.json()["field"] == "otp" and "otp" in (
        missing.json())
    bad_password = api.post("/api/token/", {"username": "secas", "password": "nope",
                                            "otp": _code(device.bin_key)})
    wrong = api.post("/api/token/", {"username": "secas", "password": "demo",
                                     "otp": _wrong(_code(device.bin_key))})
    assert wrong.status_code == bad_password.status_code == 400
    assert wrong.json() == bad_password.json()      # no hint which of the two was wrong
    assert [f.details["where"] for f in _failures("secas")] == ["api"]
    _past_the_throttle(TOTPDevice.objects.get(pk=device.pk))
    issued = api.post("/api/token/", {"username": "secas", "password": "demo",
                                      "otp": _code(device.bin_key)})
    assert issued.status_code == 200
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    assert token.get("/api/parties/").status_code == 200     # counts as verified


def test_the_token_endpoint_refuses_a_person_who_must_and_has_not_enrolled(demo, mfa):
    api = APIClient()
    refused = api.post("/api/token/", {"username": "dcc", "password": "demo",
                                       "otp": "123456"})
    assert refused.status_code == 400 and "token" not in refused.json()
    assert [f.details["where"] for f in _failures("dcc")] == ["api"]
    assert api.post("/api/token/", {"username": "dcc",
                                    "password": "demo"}).json()["field"] == "otp"


def test_a_party_representative_without_an_authenticator_gets_a_token_by_password(demo, mfa):
    issued = APIClient().post("/api/token/", {"username": "rep-HEARTH", "password": "demo"})
    assert issued.status_code == 200 and len(issued.json()["token"]) == 40


def test_secas_resets_a_second_factor_in_the_admin(client, client_for, demo, mfa):
    person = demo["ssc-member"]
    device = _enrolled(person)
    member = client_for("ssc-member")
    assert member.post("/accounts/mfa/", {"otp": _code(device.bin_key)}).status_code == 302
    assert member.get("/").status_code == 200

    admin = APIClient()   # a second session, SECAS's own (verified)
    admin.force_login(demo["secas"])
    secas_device = _enrolled(demo["secas"])
    admin.post("/accounts/mfa/", {"otp": _code(secas_device.bin_key)})
    change = admin.get(reverse("admin:accounts_person_change", args=[person.pk]))
    url = reverse("admin:accounts_person_mfa_reset", args=[person.pk])
    assert url in change.content.decode()
    assert b"This field is required" in admin.post(url, {"reason": ""}).content
    done = admin.post(url, {"reason": "phone lost"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    entry = JournalEntry.objects.get(action="accounts.mfa.reset", subject="person:ssc-member")
    assert entry.reason == "phone lost" and entry.actor_id == demo["secas"].pk
    # The member's session is no longer verified: they enrol a new authenticator.
    assert member.get("/")["Location"] == "/accounts/mfa/enrol/?next=/"


def test_only_secas_resets_a_second_factor(demo):
    person = demo["dcc"]
    _enrolled(person)
    with pytest.raises(PermissionDenied):
        reset_second_factor(demo["ssc-member"], person, "not mine to reset")
    with pytest.raises(PersonError):
        reset_second_factor(demo["secas"], person, "  ")
    assert TOTPDevice.objects.filter(user=person).exists()
    assert not JournalEntry.objects.filter(action="accounts.mfa.reset").exists()
    assert reset_second_factor(demo["secas"], person, "new phone") == 1
