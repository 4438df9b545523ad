"""G6.3-G6.4, G6.6A: a User's thresholds are the User's. Only the party's own people register
its signing key or submit its signed files (thresholds, exit instructions); the DCC and SECAS
may revoke a key, never register one for a party or submit in its name. Every door: the
services, the pages, the API and the command line. Every registration and revocation is
journaled under the party and shown to its people."""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from secassure.adt.signing import generate_key, sign
from secassure.anomaly import services
from secassure.anomaly.demo import HEARTH_ID, _file, demo_private_key
from secassure.anomaly.models import SignedSubmission, SigningKey, Threshold
from secassure.cli import main
from secassure.core.journal.models import JournalEntry
from secassure.registry.models import Party

#: Every kind of person but HEARTH's own, and another party's representative.
OTHERS = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc-assessor", "dcc",
          "triage-operator", "rep-LUMEN"]


def hearths_thresholds():
    return sorted(Threshold.objects.filter(user_id__party_role__party__party_id="HEARTH")
                  .values_list("user_id__value", "srv__srv", "counter", "warning", "quarantine"))


def a_file(identifier: str) -> tuple[bytes, bytes]:
    """A new HEARTH threshold file, signed with HEARTH's registered key."""
    content = _file(identifier, "HEARTH", [(HEARTH_ID, "7.2", "critical", 10, 11)])
    return content, sign(content, demo_private_key("HEARTH"))


def a_new_key() -> str:
    return generate_key()[1].decode()


@pytest.mark.parametrize("username", OTHERS)
def test_no_one_but_the_party_changes_its_thresholds_by_any_door(username, demo, client,
                                                                 api_for, capsys):
    person, hearth = demo[username], Party.objects.get(party_id="HEARTH")
    before, keys = hearths_thresholds(), SigningKey.objects.filter(party=hearth).count()
    submissions = SignedSubmission.objects.filter(status="applied").count()
    content, signature = a_file(f"HEARTH-{date.today():%Y%m%d}-{username}")
    # the services
    with pytest.raises(PermissionDenied):
        services.register_signing_key(person, hearth, a_new_key())
    with pytest.raises((PermissionDenied, services.SubmissionRefused)):
        services.submit_signed_file(person, content, signature)
    # the pages
    client.force_login(person)
    page = client.post("/adt/party/HEARTH/keys/", {"public_pem": a_new_key()})
    assert page.status_code in (403, 404), page.status_code
    page = client.post("/adt/submit/", {"content": SimpleUploadedFile("t.json", content),
                                        "signature": SimpleUploadedFile("t.sig", signature)})
    assert page.status_code in (400, 403), page.status_code
    # the API
    api = api_for(username)
    answer = api.post("/api/adt/keys/", {"party": "HEARTH", "public_pem": a_new_key()},
                      format="json")
    assert answer.status_code in (400, 403), answer.content
    answer = api.post("/api/adt/submissions/", {
        "content": SimpleUploadedFile("t.json", content),
        "signature": SimpleUploadedFile("t.sig", signature)}, format="multipart")
    assert answer.status_code in (400, 403), answer.content
    # nothing changed
    assert hearths_thresholds() == before
    assert SigningKey.objects.filter(party=hearth).count() == keys
    assert SignedSubmission.objects.filter(status="applied").count() == submissions


def test_the_console_acts_as_a_named_person_never_in_the_partys_name(demo, tmp_path, capsys):
    """`secassure adt submit` / `register-key` act as the person named by --as: the DCC's
    operator or none at all is refused; the party's own representative is not."""
    content, signature = a_file(f"HEARTH-{date.today():%Y%m%d}-console")
    (tmp_path / "t.json").write_bytes(content)
    (tmp_path / "t.json.sig").write_bytes(signature)
    (tmp_path / "key.pem").write_text(a_new_key())
    before = hearths_thresholds()
    for extra in ([], ["--as", "dcc"], ["--as", "secas"]):
        assert main(["adt", "submit", str(tmp_path / "t.json"), *extra]) != 0
        assert main(["adt", "register-key", "HEARTH", str(tmp_path / "key.pem"), *extra]) != 0
    assert hearths_thresholds() == before
    assert main(["adt", "submit", str(tmp_path / "t.json"), "--as", "rep-HEARTH"]) == 0
    assert hearths_thresholds() != before
    assert main(["adt", "register-key", "HEARTH", str(tmp_path / "key.pem"),
                 "--as", "rep-HEARTH"]) == 0


def test_the_party_registers_its_key_and_the_dcc_or_secas_may_revoke_it(demo, client, api_for):
    """G6.6A: HEARTH's representative registers a key; the DCC revokes it over the API, SECAS
    another on the page; each is journaled under HEARTH and shown on HEARTH's ADT page to its
    people; a file signed with a revoked key is refused."""
    hearth = Party.objects.get(party_id="HEARTH")
    key = services.register_signing_key(demo["rep-HEARTH"], hearth, a_new_key())
    answer = api_for("dcc").post(f"/api/adt/keys/{key.pk}/revoke/",
                                 {"reason": "compromised laptop"}, format="json")
    assert answer.status_code == 200 and answer.json()["active"] is False, answer.content
    old = SigningKey.objects.filter(party=hearth, active=True).exclude(pk=key.pk).get()
    client.force_login(demo["secas"])
    response = client.post(f"/adt/party/HEARTH/keys/{old.pk}/revoke/", {"reason": "rotated"})
    assert response.status_code == 302
    assert not SigningKey.objects.filter(party=hearth, active=True).exists()
    journaled = list(JournalEntry.objects.filter(party=hearth, action__startswith="anomaly.key.")
                     .values_list("action", flat=True))
    assert journaled.count("anomaly.key.revoked") == 2 and "anomaly.key.registered" in journaled
    client.force_login(demo["rep-HEARTH"])
    text = client.get("/adt/party/HEARTH/").content.decode()
    assert "key revoked by" in text and "compromised laptop" in text and "rotated" in text
    content, signature = a_file(f"HEARTH-{date.today():%Y%m%d}-revoked")
    with pytest.raises(services.SubmissionRefused):
        services.submit_signed_file(demo["rep-HEARTH"], content, signature)
    # another party's people cannot revoke HEARTH's key: it is not theirs to see
    other = services.register_signing_key(demo["rep-HEARTH"], hearth, a_new_key())
    answer = api_for("rep-LUMEN").post(f"/api/adt/keys/{other.pk}/revoke/",
                                       {"reason": "x"}, format="json")
    assert answer.status_code == 404
