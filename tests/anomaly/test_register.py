"""The thresholds register: signed files (G6.6A), the zero rule (G6.4A), coverage (G6.3),
the DCC's thresholds and limits (G6.6), opinions (G6.8-G6.9), and the quarantine desk."""
import json
import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from secassure.adt.signing import generate_key, sign
from secassure.anomaly import selectors, services
from secassure.anomaly.models import QuarantinedCommunication, SignedSubmission, Threshold
from secassure.anomaly.quarantine import QuarantineFileError, load_quarantine
from secassure.core.journal.models import JournalEntry
from secassure.registry.models import Party, UserId

HEARTH_ID = "90-B3-D5-1F-30-00-0A-00"   # HEARTH's Import Supplier User ID in the demo


@pytest.fixture
def demo(demo):
    """The demo register without the thresholds demo: these tests start from empty."""
    from secassure.anomaly.models import CriticalTestStatus, ServiceReferenceVariant, SigningKey
    for model in (QuarantinedCommunication, Threshold, CriticalTestStatus, SignedSubmission,
                  SigningKey):  # in this order: PROTECT
        model.objects.all().delete()
    ServiceReferenceVariant.objects.update(returns_encrypted=False, guidance_critical=None,
                                           guidance_encrypted=None, value_min=None,
                                           value_max=None)
    return demo


@pytest.fixture
def keys(demo):
    """A registered key pair for HEARTH; the private key stays with the test (the User)."""
    private, public = generate_key()
    services.register_signing_key(demo["rep-HEARTH"], Party.objects.get(party_id="HEARTH"),
                                  public.decode())  # the party's own (G6.4, G6.6A)
    return private


def document(identifier="HEARTH-2026-001", thresholds=None, party="HEARTH"):
    rows = thresholds or [{"user_id": HEARTH_ID, "srv": "7.1", "counter": "critical",
                           "warning": None, "quarantine": 0},
                          {"user_id": HEARTH_ID, "srv": "4.1.1", "counter": "encrypted",
                           "warning": 800, "quarantine": 1000}]
    return json.dumps({"format": "secassure-thresholds/1", "id": identifier, "party": party,
                       "thresholds": rows}, indent=1).encode()


def test_a_signed_file_is_applied(demo, keys):
    content = document()
    submission = services.submit_signed_file(demo["rep-HEARTH"], content, sign(content, keys))
    assert submission.status == "applied"
    rows = set(Threshold.objects.filter(user_id__value=HEARTH_ID).values_list(
        "srv__srv", "counter", "warning", "quarantine"))
    assert rows == {("7.1", "critical", None, 0), ("4.1.1", "encrypted", 800, 1000)}
    assert JournalEntry.objects.filter(action="anomaly.thresholds.applied").exists()


@pytest.mark.parametrize("tamper, reason", [
    (lambda content, signature, other: (content.replace(b"1000", b"9000"), signature),
     "signature: the signature does not match"),
    (lambda content, signature, other: (content, sign(content, other)),
     "signature: the signature does not match"),
    (lambda content, signature, other: (content, b""), "signature: the file is not signed"),
    (lambda content, signature, other: (content, b"bm90IGEgc2lnbmF0dXJl"),
     "signature: the signature does not match"),
])
def test_modified_wrongly_signed_or_unsigned_files_are_refused(demo, keys, tamper, reason):
    """G6.6A: applied 'only after a successful Check Cryptographic Protection'."""
    content = document()
    other, _ = generate_key()
    bad_content, bad_signature = tamper(content, sign(content, keys), other)
    with pytest.raises(services.SubmissionRefused, match=reason):
        services.submit_signed_file(demo["rep-HEARTH"], bad_content, bad_signature)
    assert not Threshold.objects.filter(user_id__value=HEARTH_ID).exists()
    refused = SignedSubmission.objects.get()
    assert (refused.status, refused.reason.startswith(reason.split(":")[0])) == ("refused", True)


def test_a_replayed_file_is_refused(demo, keys):
    """G6.6A: '... and confirmation that it has not been successfully checked before'."""
    content = document()
    signature = sign(content, keys)
    services.submit_signed_file(demo["rep-HEARTH"], content, signature)
    Threshold.objects.all().delete()
    with pytest.raises(services.SubmissionRefused, match="already been applied"):
        services.submit_signed_file(demo["rep-HEARTH"], content, signature)
    assert not Threshold.objects.exists()


@pytest.mark.parametrize("rows, reason", [
    ([{"user_id": HEARTH_ID, "srv": "7.1", "counter": "critical", "quarantine": 5}],
     "G6.4A"),
    ([{"user_id": "90-B3-D5-1F-30-00-01-00", "srv": "7.1", "counter": "critical",
       "quarantine": 0}], "is not a User ID of HEARTH"),
    ([{"user_id": HEARTH_ID, "srv": "99.9", "counter": "critical", "quarantine": 0}],
     "is not a Service Reference Variant"),
    ([{"user_id": HEARTH_ID, "srv": "14.1", "counter": "critical", "quarantine": 0}],
     "not an Eligible User"),
    ([{"user_id": HEARTH_ID, "srv": "7.1", "counter": "critical", "quarantine": 0}] * 2,
     "a second threshold"),
    ([{"user_id": HEARTH_ID, "srv": "7.1", "counter": "critical", "quarantine": -1}],
     "0 or more"),
    ([{"user_id": HEARTH_ID, "srv": "7.1", "counter": "sum", "quarantine": 1}],
     "critical' or 'encrypted"),
])
def test_bad_thresholds_refuse_the_whole_file(demo, keys, rows, reason):
    good = {"user_id": HEARTH_ID, "srv": "4.1.1", "counter": "encrypted", "quarantine": 10}
    content = document(thresholds=[good, *rows])
    with pytest.raises(services.SubmissionRefused, match=reason):
        services.submit_signed_file(demo["rep-HEARTH"], content, sign(content, keys))
    assert not Threshold.objects.exists()


def test_the_zero_rule_lifts_once_testing_is_passed(demo, keys):
    """G6.4A: a threshold above zero for a Critical Service Request only after the User has
    passed testing for it."""
    services.record_test_status(demo["dcc"], UserId.objects.get(value=HEARTH_ID), "7.1", True)
    content = document(thresholds=[{"user_id": HEARTH_ID, "srv": "7.1", "counter": "critical",
                                     "quarantine": 25}])
    services.submit_signed_file(demo["rep-HEARTH"], content, sign(content, keys))
    assert Threshold.objects.get(srv__srv="7.1").quarantine == 25


def test_only_the_party_submits_its_files(demo, keys):
    """G6.4, G6.6A: the DCC receives a User's file; it does not submit it in the User's name."""
    content = document()
    for username in ["rep-LUMEN", "ssc-member", "secas", "dcc"]:
        with pytest.raises(PermissionDenied):
            services.submit_signed_file(demo[username], content, sign(content, keys))
    assert services.submit_signed_file(demo["rep-HEARTH"], content,
                                       sign(content, keys)).status == "applied"


def test_coverage_shows_the_mandatory_thresholds_a_user_id_lacks(demo, keys):
    """G6.3(a)(i): for each User ID, each Critical SRV it is eligible for needs an ADT."""
    hearth = Party.objects.get(party_id="HEARTH")
    before = {(g.required.srv, g.required.counter) for g in selectors.coverage(hearth)}
    assert ("7.1", "critical") in before and ("6.15.1", "critical") in before
    assert all(counter == "critical" for _, counter in before)  # no SRV flagged encrypted yet
    content = document()
    services.submit_signed_file(demo["rep-HEARTH"], content, sign(content, keys))
    after = {(g.required.srv, g.required.counter) for g in selectors.coverage(hearth)}
    assert before - after == {("7.1", "critical")}
    services.keep_srv_reference(demo["dcc"], "4.1.1", returns_encrypted=True)
    services.keep_srv_reference(demo["dcc"], "4.8.1", returns_encrypted=True)
    flagged = {(g.required.srv, g.required.counter) for g in selectors.coverage(hearth)}
    assert ("4.8.1", "encrypted") in flagged and ("4.1.1", "encrypted") not in flagged


def test_coverage_names_each_gap_once_for_each_user_id(demo):
    """G6.3: a party with several User IDs in the same role is owed one line per User ID and
    mandatory threshold, not one per other User ID of the role."""
    from secassure.registry.models import PartyRole, UserId
    hearth = Party.objects.get(party_id="HEARTH")
    role = PartyRole.objects.filter(party=hearth, user_ids__isnull=False).first()
    UserId.objects.create(party_role=role, value="90-B3-D5-1F-30-00-AA-99")
    gaps = selectors.coverage(hearth)
    assert len(gaps) == len(set(gaps))
    per_user_id = {}
    for gap in gaps:
        per_user_id.setdefault(gap.user_id, set()).add((gap.required.srv, gap.required.counter))
    assert "90-B3-D5-1F-30-00-AA-99" in per_user_id and len(per_user_id) >= 2


def test_the_dccs_thresholds_limits_and_the_engine_files(demo, keys):
    """G6.6(a): the DCC's thresholds across all Users; G6.6(b): SMETS1 data-value limits."""
    with pytest.raises(PermissionDenied):
        services.set_dcc_threshold(demo["rep-HEARTH"], "7.1", "critical", 100)
    proposal = services.propose_dcc_threshold(demo["dcc"], "critical", 5000, 4000, srv="7.1")
    services.give_ssc_opinion_on_proposal(demo["ssc-member"], proposal, "Appropriate.")
    services.set_dcc_threshold(demo["dcc"], "7.1", "critical", 5000, warning=4000)
    with pytest.raises(services.ThresholdConflict, match=r"G6\.6\(b\)"):  # not agreed yet
        services.keep_srv_reference(demo["dcc"], "1.5", value_min=0, value_max=500)
    limits = services.propose_dcc_limits(demo["dcc"], "1.5", 0, 500)
    services.give_ssc_opinion_on_proposal(demo["ssc-member"], limits, "Agreed.")
    services.keep_srv_reference(demo["dcc"], "1.5", value_min=0, value_max=500)
    content = document()
    services.submit_signed_file(demo["rep-HEARTH"], content, sign(content, keys))
    assert selectors.thresholds_csv().splitlines() == [
        "user_id,srv,command,counter,warning,quarantine", "*,7.1,,critical,4000,5000",
        f"{HEARTH_ID},7.1,,critical,,0", f"{HEARTH_ID},4.1.1,,encrypted,800,1000"]
    assert selectors.limits_csv().splitlines() == ["srv,min,max", "1.5,0,500"]
    with pytest.raises(services.ThresholdError, match="value_max: below"):
        services.keep_srv_reference(demo["dcc"], "1.5", value_max=-1)


def test_opinions_and_review_dates(demo, keys):
    content = document()
    services.submit_signed_file(demo["rep-HEARTH"], content, sign(content, keys))
    threshold = Threshold.objects.get(srv__srv="4.1.1")
    services.give_opinion(demo["dcc"], threshold, "Level is in line with guidance (G6.9).")
    services.give_opinion(demo["ssc-member"], threshold, "Acceptable.")
    with pytest.raises(PermissionDenied):
        services.give_opinion(demo["rep-LUMEN"], threshold, "mine")
    services.set_review_date(demo["rep-HEARTH"], threshold, date(2027, 6, 1))
    threshold.refresh_from_db()
    assert (threshold.dcc_opinion[:5], threshold.ssc_view, threshold.review_by) == (
        "Level", "Acceptable.", date(2027, 6, 1))


def write(path, text):
    path.write_text(text)
    return path


def test_the_quarantine_desk_and_signed_exit_instructions(demo, keys, tmp_path):
    """G6.1(a)(iii): the User tells the DCC whether a quarantined communication is processed
    or deleted; each release and deletion is journaled."""
    traffic = write(tmp_path / "t.csv", "id,ts,user_id,srv,critical,encrypted,smets1,value\n"
                    f"c1,2026-03-01T10:00:00Z,{HEARTH_ID},7.1,1,0,0,\n"
                    f"c2,2026-03-01T10:00:01.5Z,{HEARTH_ID},7.1,1,0,0,\n"
                    "c3,2026-03-01T10:00:02Z,90-B3-D5-1F-30-00-01-00,7.1,1,0,0,\n"
                    f"c4,2026-03-01T10:00:03Z,{HEARTH_ID},4.1.1,0,1,0,\n")
    decisions = write(tmp_path / "d.csv", "id,decision,warning,key\nc1,QUARANTINE,0,k\n"
                      "c2,QUARANTINE,0,k\nc3,QUARANTINE,0,k\nc4,PROCESS,0,\n")
    with pytest.raises(PermissionDenied):
        load_quarantine(demo["rep-HEARTH"], traffic, decisions)
    assert load_quarantine(demo["dcc"], traffic, decisions) == 3
    assert load_quarantine(demo["dcc"], traffic, decisions) == 0  # already on the desk
    assert {c.communication_id for c in selectors.quarantine_queue(demo["rep-HEARTH"])} == \
        {"c1", "c2"}
    assert len(selectors.quarantine_queue(demo["dcc"])) == 3
    assert selectors.quarantine_queue(demo["rep-LUMEN"]).count() == 1  # c3 is LUMEN's
    instruction = json.dumps({"format": "secassure-exit-quarantine/1", "id": "exit-1",
                              "party": "HEARTH", "instructions": [
                                  {"communication": "c1", "action": "process"},
                                  {"communication": "c2", "action": "delete"}]}).encode()
    services.submit_signed_file(demo["rep-HEARTH"], instruction, sign(instruction, keys))
    assert dict(QuarantinedCommunication.objects.values_list("communication_id", "status")) == {
        "c1": "processed", "c2": "deleted", "c3": "pending"}
    assert set(JournalEntry.objects.filter(action__startswith="anomaly.quarantine.")
               .values_list("action", "subject")) >= {
        ("anomaly.quarantine.released", "communication:c1"),
        ("anomaly.quarantine.deleted", "communication:c2")}
    other = json.dumps({"format": "secassure-exit-quarantine/1", "id": "exit-2",
                        "party": "HEARTH", "instructions": [
                            {"communication": "c3", "action": "process"}]}).encode()
    with pytest.raises(services.SubmissionRefused, match="not a quarantined communication of"):
        services.submit_signed_file(demo["rep-HEARTH"], other, sign(other, keys))


def test_a_bad_decisions_file_is_refused_naming_the_line(demo, tmp_path):
    traffic = write(tmp_path / "t.csv", "id,ts,user_id,srv\nc1,yesterday,U,7.1\n")
    decisions = write(tmp_path / "d.csv", "id,decision\nc1,QUARANTINE\n")
    with pytest.raises(QuarantineFileError, match="line 2, field 'ts'"):
        load_quarantine(demo["dcc"], traffic, decisions)
    with pytest.raises(QuarantineFileError, match="missing column 'decision'"):
        load_quarantine(demo["dcc"], traffic, write(tmp_path / "x.csv", "id\nc1\n"))


@pytest.mark.django_db(transaction=True)
def test_the_same_run_loaded_twice_at_once_is_on_the_desk_once(reseeded, demo, tmp_path):
    """Two operators (or a retry) load the same run's quarantine at the same moment
    (G6.1(a)(ii)): each communication is on the desk once, neither load fails, and the two
    journal entries together count each communication once."""
    from django.db import connection
    rows = "".join(f"c{i},2026-03-01T10:00:00Z,{HEARTH_ID},7.1,1,0,0,\n" for i in range(50))
    traffic = write(tmp_path / "t.csv", "id,ts,user_id,srv,critical,encrypted,smets1,value\n"
                    + rows)
    decisions = write(tmp_path / "d.csv", "id,decision,warning,key\n" + "".join(
        f"c{i},QUARANTINE,0,k\n" for i in range(50)))
    before = set(QuarantinedCommunication.objects.values_list("pk", flat=True))
    last_entry = JournalEntry.objects.order_by("-id").values_list("id", flat=True).first()
    barrier = threading.Barrier(4)
    loaded: list[int] = []
    failures: list[BaseException] = []

    def load() -> None:
        try:
            barrier.wait()
            loaded.append(load_quarantine(demo["dcc"], traffic, decisions))
        except BaseException as error:  # noqa: BLE001 (the test reports every failure)
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(loaded) == [0, 0, 0, 50]
    assert QuarantinedCommunication.objects.exclude(pk__in=before).count() == 50
    entries = JournalEntry.objects.filter(action="anomaly.quarantine.loaded", id__gt=last_entry)
    assert sorted(e.details["loaded"] for e in entries) == [0, 0, 0, 50]
