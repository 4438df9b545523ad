"""Exceptions to thresholds set through the signed threshold file (G6.1(a)(i), G6.6A).

G6.1(a)(i): the DCC shall quarantine a communication "where the number of communications ...
exceeds the applicable Anomaly Detection Threshold, unless an exception applies" - the User
sets the exception; G6.6A: "the User shall ... notify the DCC ... of any exceptions to those
thresholds", by the same signed file, applied only after a successful check of its signature,
all or nothing.
"""
import csv
import json

import pytest

from secassure.adt.cli import run_command as adt_run
from secassure.adt.signing import generate_key, sign
from secassure.anomaly import selectors, services
from secassure.anomaly.models import (
    CriticalTestStatus,
    QuarantinedCommunication,
    SignedSubmission,
    SigningKey,
    Threshold,
    ThresholdException,
)
from secassure.registry.models import Party

HEARTH_ID = "90-B3-D5-1F-30-00-0A-00"   # HEARTH's Import Supplier User ID in the demo
THRESHOLDS = [{"user_id": HEARTH_ID, "srv": "7.1", "counter": "critical", "warning": None,
               "quarantine": 0},
              {"user_id": HEARTH_ID, "srv": "4.1.1", "counter": "encrypted", "warning": 2,
               "quarantine": 3}]
CHRISTMAS = {"user_id": HEARTH_ID, "srv": "4.1.1", "counter": "encrypted",
             "from": "2026-12-24T00:00:00Z", "to": "2026-12-27T00:00:00Z",
             "warning": 8, "quarantine": 10}


@pytest.fixture
def demo(demo):
    for model in (QuarantinedCommunication, ThresholdException, Threshold, CriticalTestStatus,
                  SignedSubmission, SigningKey):
        model.objects.all().delete()
    return demo


@pytest.fixture
def keys(demo):
    private, public = generate_key()
    services.register_signing_key(demo["rep-HEARTH"], Party.objects.get(party_id="HEARTH"),
                                  public.decode())
    return private


def submit(demo, keys, identifier, thresholds=None, exceptions=None):
    body = {"format": "secassure-thresholds/1", "id": identifier, "party": "HEARTH"}
    if thresholds is not None:
        body["thresholds"] = thresholds
    if exceptions is not None:
        body["exceptions"] = exceptions
    content = json.dumps(body).encode()
    return services.submit_signed_file(demo["rep-HEARTH"], content, sign(content, keys))


def held():
    return sorted((e.threshold.srv.srv, e.starts.isoformat(), e.ends.isoformat(), e.warning,
                   e.quarantine) for e in ThresholdException.objects.all())


def test_an_exception_in_the_signed_file_is_held_with_its_threshold(demo, keys):
    """G6.1(a)(i), G6.6A: the file's exception is applied with its thresholds, to the key's
    threshold, and visible as the threshold is."""
    submission = submit(demo, keys, "HEARTH-X-1", THRESHOLDS, [CHRISTMAS])
    assert submission.status == "applied"
    exception = ThresholdException.objects.get()
    assert (exception.threshold.srv.srv, exception.threshold.counter) == ("4.1.1", "encrypted")
    assert (exception.warning, exception.quarantine, exception.submission) == (8, 10, submission)
    assert list(selectors.threshold_exceptions(demo["rep-HEARTH"])) == [exception]
    assert list(selectors.threshold_exceptions(demo["dcc"])) == [exception]
    assert list(selectors.threshold_exceptions(demo["rep-LUMEN"])) == []


def test_a_file_of_exceptions_only_applies_to_thresholds_already_held(demo, keys):
    submit(demo, keys, "HEARTH-T-1", THRESHOLDS)
    submit(demo, keys, "HEARTH-X-2", exceptions=[CHRISTMAS])
    assert len(held()) == 1


def shifted(**changes):
    return {**CHRISTMAS, **changes}


REFUSALS = [
    # G6.1(a)(i): an exception is to "the applicable Anomaly Detection Threshold": none, none
    ("no threshold for the key", THRESHOLDS, [shifted(counter="critical")],
     "exceptions[0].srv: 90-B3-D5-1F-30-00-0A-00 4.1.1 critical has no threshold"),
    ("a command: Users have no command thresholds (G6.6(c) is the DCC's)", THRESHOLDS,
     [{**{k: v for k, v in CHRISTMAS.items() if k != "srv"}, "command": "CS02b"}],
     "exceptions[0].command: 90-B3-D5-1F-30-00-0A-00 CS02b encrypted has no threshold"),
    ("from not before to", THRESHOLDS, [shifted(to=CHRISTMAS["from"])],
     "exceptions[0].to: must be after from"),
    ("not UTC", THRESHOLDS, [shifted(**{"from": "2026-12-24T00:00:00+01:00"})],
     "exceptions[0].from: '2026-12-24T00:00:00+01:00' is not in UTC"),
    ("not a time", THRESHOLDS, [shifted(to="Boxing Day")],
     "exceptions[0].to: 'Boxing Day' is not an ISO 8601 time"),
    ("two of one key overlapping in the file", THRESHOLDS,
     [CHRISTMAS, shifted(**{"from": "2026-12-26T23:59:59Z", "to": "2026-12-31T00:00:00Z"})],
     "exceptions[1].from: overlaps exceptions[0] of the same key"),
    # levels as for thresholds (G6.4): warning not above quarantine
    ("warning above quarantine", THRESHOLDS, [shifted(warning=11)],
     "exceptions[0].warning: above the quarantine level"),
    ("negative level", THRESHOLDS, [shifted(quarantine=-1)],
     "exceptions[0].quarantine: a whole number, 0 or more"),
    # G6.4A: untested Critical Service Request: its level must be zero, exceptions included
    ("G6.4A zero rule", THRESHOLDS,
     [shifted(srv="7.1", counter="critical", warning=None, quarantine=5)],
     "exceptions[0].quarantine: G6.4A"),
    ("srv and command both", THRESHOLDS, [shifted(command="CS02b")],
     "exceptions[0].srv: name an SRV or, instead, a command"),
]


@pytest.mark.parametrize("case, thresholds, exceptions, reason", REFUSALS,
                         ids=[r[0] for r in REFUSALS])
def test_a_bad_exception_refuses_the_whole_file(demo, keys, case, thresholds, exceptions,
                                                reason):
    """G6.6A: all or nothing; the refusal names the entry and the field."""
    with pytest.raises(services.SubmissionRefused) as refused:
        submit(demo, keys, "HEARTH-BAD", thresholds, exceptions)
    assert str(refused.value).startswith(reason), str(refused.value)
    assert not Threshold.objects.exists()      # the file's thresholds went with it
    assert not ThresholdException.objects.exists()
    assert SignedSubmission.objects.get().status == "refused"


def test_an_exception_overlapping_one_already_held_is_refused(demo, keys):
    """G6.1(a)(i): one key's exceptions never overlap, across files too."""
    submit(demo, keys, "HEARTH-X-1", THRESHOLDS, [CHRISTMAS])
    with pytest.raises(services.SubmissionRefused,
                       match=r"^exceptions\[0\]\.from: overlaps the exception held from "
                             r"2026-12-24T00:00:00Z to 2026-12-27T00:00:00Z"):
        submit(demo, keys, "HEARTH-X-2",
               exceptions=[shifted(**{"from": "2026-12-26T00:00:00Z",
                                      "to": "2026-12-28T00:00:00Z"})])
    assert len(held()) == 1
    # adjacent (to == from) is not overlapping
    submit(demo, keys, "HEARTH-X-3", exceptions=[shifted(**{"from": "2026-12-27T00:00:00Z",
                                                          "to": "2026-12-28T00:00:00Z"})])
    assert len(held()) == 2


def test_a_replayed_file_with_exceptions_is_refused(demo, keys):
    """G6.6A: an identifier is applied once only."""
    submit(demo, keys, "HEARTH-X-1", THRESHOLDS, [CHRISTMAS])
    with pytest.raises(services.SubmissionRefused, match="already been applied"):
        submit(demo, keys, "HEARTH-X-1", THRESHOLDS, [CHRISTMAS])
    assert len(held()) == 1


def write_traffic(path, times):
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "ts", "user_id", "srv", "critical", "encrypted", "smets1", "value"])
        for n, ts in enumerate(times):
            out.writerow([f"c{n}", ts, HEARTH_ID, "4.1.1", 0, 1, 0, ""])


def test_the_export_is_what_adt_run_reads_and_an_exception_in_force_decides(demo, keys,
                                                                              tmp_path):
    """The export writes exactly `adt run --exceptions`'s header; with it the fourth
    communication within the window is processed during the exception (level 10) and
    quarantined outside it (level 3)."""
    submit(demo, keys, "HEARTH-X-1", THRESHOLDS, [CHRISTMAS])
    text = selectors.exceptions_csv()
    assert text.splitlines() == [
        "user_id,srv,command,counter,from,to,warning,quarantine",
        f"{HEARTH_ID},4.1.1,,encrypted,2026-12-24T00:00:00Z,2026-12-27T00:00:00Z,8,10"]
    from secassure.anomaly.cli import run_command as adt_cli
    assert adt_cli(["export", "--thresholds", str(tmp_path / "T.csv"), "--exceptions",
                    str(tmp_path / "X.csv")]) == 0
    assert (tmp_path / "X.csv").read_text() == text
    inside = [f"2026-12-25T10:00:0{n}Z" for n in range(4)]
    outside = [f"2026-12-28T10:00:0{n}Z" for n in range(4)]
    write_traffic(tmp_path / "F.csv", inside + outside)
    for name, extra in (("with", ["--exceptions", str(tmp_path / "X.csv")]), ("without", [])):
        code = adt_run(["run", "--thresholds", str(tmp_path / "T.csv"), "--traffic",
                        str(tmp_path / "F.csv"), "--out", str(tmp_path / f"{name}.csv"), *extra])
        assert code == 0
    with_ = list(csv.DictReader((tmp_path / "with.csv").read_text().splitlines()))
    without = list(csv.DictReader((tmp_path / "without.csv").read_text().splitlines()))
    assert [r["decision"] for r in with_] == ["PROCESS"] * 4 + ["PROCESS"] * 3 + ["QUARANTINE"]
    assert [r["decision"] for r in without][3] == "QUARANTINE"
    assert with_[3]["decision"] == "PROCESS"


def test_the_threshold_page_and_the_register_show_the_exception(demo, keys, client_for):
    submit(demo, keys, "HEARTH-X-1", THRESHOLDS, [CHRISTMAS])
    threshold = Threshold.objects.get(srv__srv="4.1.1")
    for who in ("rep-HEARTH", "dcc"):
        client = client_for(who)
        for url in (f"/adt/thresholds/{threshold.pk}/", "/adt/party/HEARTH/"):
            page = client.get(url).content.decode()
            assert "2026-12-24 00:00" in page and "HEARTH-X-1" in page, (who, url)
    assert client_for("rep-LUMEN").get(f"/adt/thresholds/{threshold.pk}/").status_code == 404
