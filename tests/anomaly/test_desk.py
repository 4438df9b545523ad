"""Deletions on the desk and notices to the owner (G6.1(a)(ii), G6.1(d)(i)).

G6.1(a)(ii): the DCC shall "notify the User ... of any communication quarantined";
G6.1(d)(i): the DCC shall delete a SMETS1 Service Request whose data value lies outside the
limits it sets under G6.6(b) "and notify the User". The desk records the engine's DELETE rows
read-only beside its quarantines, and each owner party gets one notice per load, behind the
sign-in, with counts.
"""
import json
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from secassure.adt.signing import generate_key, sign
from secassure.anomaly import selectors, services
from secassure.anomaly.models import DeskNotice, QuarantinedCommunication
from secassure.anomaly.quarantine import (
    DecisionRow,
    QuarantineFileError,
    load_decisions,
    record_decisions,
)
from secassure.core.journal.models import JournalEntry
from secassure.registry.models import Party

HEARTH_ID = "90-B3-D5-1F-30-00-0A-00"
LUMEN_ID = "90-B3-D5-1F-30-00-01-00"
TRAFFIC = ("id,ts,user_id,srv,critical,encrypted,smets1,value,command\n"
           f"h1,2026-03-01T10:00:00Z,{HEARTH_ID},7.1,1,0,0,,\n"
           f"h2,2026-03-01T10:00:01Z,{HEARTH_ID},6.17,1,0,1,99999,\n"
           f"h3,2026-03-01T10:00:02Z,{HEARTH_ID},,1,0,0,,CS02b\n"
           f"h4,2026-03-01T10:00:03Z,{HEARTH_ID},7.1,1,0,0,,\n"
           f"l1,2026-03-01T10:00:04Z,{LUMEN_ID},6.17,1,0,1,-5,\n")
# `adt run` v2: id,decision,warning,reason
DECISIONS = ("id,decision,warning,reason\n"
             f"h1,QUARANTINE,0,{HEARTH_ID}/7.1/critical:quarantine>0\n"
             "h2,DELETE,0,limit\n"
             f"h3,QUARANTINE,0,*/command:CS02b/critical:quarantine>5\n"
             "h4,PROCESS,0,\n"
             "l1,DELETE,0,limit\n")


@pytest.fixture
def demo(demo):
    QuarantinedCommunication.objects.all().delete()
    DeskNotice.objects.all().delete()
    return demo


@pytest.fixture
def run(tmp_path):
    (tmp_path / "t.csv").write_text(TRAFFIC)
    (tmp_path / "d.csv").write_text(DECISIONS)
    return tmp_path / "t.csv", tmp_path / "d.csv"


def test_delete_rows_are_on_the_desk_read_only_with_the_engines_reason(demo, run):
    """G6.1(d)(i): the deletion is recorded as the DCC's, with the v2 reason; a command row
    (srv empty, G6.6(c)) keeps its command."""
    loaded = load_decisions(demo["dcc"], *run)
    assert (loaded.quarantined, loaded.deleted) == (2, 2)
    rows = {c.communication_id: (c.decision, c.status, c.target, c.key)
            for c in QuarantinedCommunication.objects.all()}
    assert rows == {
        "h1": ("quarantine", "pending", "7.1", f"{HEARTH_ID}/7.1/critical:quarantine>0"),
        "h2": ("delete", "dcc_deleted", "6.17", "limit"),
        "h3": ("quarantine", "pending", "CS02b", "*/command:CS02b/critical:quarantine>5"),
        "l1": ("delete", "dcc_deleted", "6.17", "limit")}
    assert [c.communication_id for c in selectors.quarantine_queue(demo["rep-HEARTH"])] == \
        ["h1", "h3"]
    assert [c.communication_id for c in selectors.deletions(demo["rep-HEARTH"])] == ["h2"]
    assert [c.communication_id for c in selectors.deletions(demo["dcc"])] == ["l1", "h2"]


def test_a_deletion_is_never_instructable(demo, run):
    """G6.1(a)(iii) is for quarantined communications only: a signed instruction naming a
    deleted one is refused whole."""
    load_decisions(demo["dcc"], *run)
    private, public = generate_key()
    services.register_signing_key(demo["rep-HEARTH"], Party.objects.get(party_id="HEARTH"),
                                  public.decode())
    content = json.dumps({"format": "secassure-exit-quarantine/1", "id": "exit-del",
                          "party": "HEARTH", "instructions": [
                              {"communication": "h1", "action": "process"},
                              {"communication": "h2", "action": "process"}]}).encode()
    with pytest.raises(services.SubmissionRefused,
                       match=r"instructions\[1\].communication: 'h2' was already deleted by "
                             r"the dcc"):
        services.submit_signed_file(demo["rep-HEARTH"], content, sign(content, private))
    assert QuarantinedCommunication.objects.get(communication_id="h1").status == "pending"


def test_one_notice_per_load_per_party_seen_by_its_own_people_only(
        demo, run, django_capture_on_commit_callbacks):
    """G6.1(a)(ii), G6.1(d)(i): the owner is notified securely: a summary with counts per
    party, behind the sign-in; the e-mail says where to look and carries no details."""
    demo["rep-HEARTH"].email = "rep@hearth.example"
    demo["rep-HEARTH"].save(update_fields=["email"])
    before = JournalEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        load_decisions(demo["dcc"], *run)
    notices = {n.party.party_id: (n.quarantined, n.deleted) for n in DeskNotice.objects.all()}
    assert notices == {"HEARTH": (2, 1), "LUMEN": (0, 1)}
    assert [n.party.party_id for n in selectors.desk_notices(demo["rep-HEARTH"])] == ["HEARTH"]
    assert [n.party.party_id for n in selectors.desk_notices(demo["rep-LUMEN"])] == ["LUMEN"]
    assert {n.party.party_id for n in selectors.desk_notices(demo["dcc"])} == {"HEARTH", "LUMEN"}
    assert {n.party.party_id for n in selectors.desk_notices(demo["secas"])} == \
        {"HEARTH", "LUMEN"}
    assert not selectors.desk_notices(demo["ssc-member"]).exists()
    assert [m.to for m in mail.outbox] == [["rep@hearth.example"]]
    assert HEARTH_ID not in mail.outbox[0].body and "h1" not in mail.outbox[0].body
    notified = JournalEntry.objects.filter(action="anomaly.desk.notified", id__gt=before)
    assert sorted(e.party.party_id for e in notified) == ["HEARTH", "LUMEN"]


def test_loading_the_same_file_twice_adds_and_notifies_nothing(
        demo, run, django_capture_on_commit_callbacks):
    load_decisions(demo["dcc"], *run)
    demo["rep-HEARTH"].email = "rep@hearth.example"
    demo["rep-HEARTH"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        again = load_decisions(demo["dcc"], *run)
    assert (again.total, again.notices) == (0, ())
    assert DeskNotice.objects.count() == 2 and QuarantinedCommunication.objects.count() == 4
    assert mail.outbox == []


def test_the_live_sink_records_rows_through_the_same_service(demo):
    """`record_decisions` takes rows (the live engine's sink): PROCESS rows are skipped."""
    at = datetime(2026, 3, 1, 10, tzinfo=UTC)
    rows = [DecisionRow("s1", at, HEARTH_ID, "6.17", "", "DELETE", "limit"),
            DecisionRow("s2", at, HEARTH_ID, "7.1", "", "PROCESS", ""),
            DecisionRow("s3", at, HEARTH_ID, "7.1", "", "QUARANTINE", "k")]
    loaded = record_decisions(demo["dcc"], rows, label="live")
    assert (loaded.quarantined, loaded.deleted, len(loaded.notices)) == (1, 1, 1)
    assert record_decisions(demo["dcc"], rows, label="live").total == 0
    with pytest.raises(PermissionDenied):
        record_decisions(demo["rep-HEARTH"], rows)


BAD = [
    ("decision not one of three", TRAFFIC, DECISIONS.replace("h4,PROCESS", "h4,MAYBE"),
     "decisions, line 5, field 'decision': 'MAYBE' is not PROCESS, QUARANTINE or DELETE"),
    ("traffic row naming neither srv nor command", TRAFFIC.replace(",,1,0,0,,CS02b",
                                                                   ",,1,0,0,,"), DECISIONS,
     "traffic, line 4, field 'srv': empty, and no command"),
    ("a deleted id not in the traffic", TRAFFIC, DECISIONS + "zz,DELETE,0,limit\n",
     "traffic: communication 'zz' is quarantined or deleted in the decisions but not in"),
    ("a time without a zone", TRAFFIC.replace("2026-03-01T10:00:01Z", "2026-03-01T10:00:01"),
     DECISIONS, "traffic, line 3, field 'ts'"),
]


@pytest.mark.parametrize("case, traffic, decisions, message", BAD, ids=[b[0] for b in BAD])
def test_a_bad_run_is_refused_naming_the_line_and_nothing_is_written(demo, tmp_path, case,
                                                                     traffic, decisions,
                                                                     message):
    (tmp_path / "traffic").write_text(traffic)
    (tmp_path / "decisions").write_text(decisions)
    with pytest.raises(QuarantineFileError) as refused:
        load_decisions(demo["dcc"], tmp_path / "traffic", tmp_path / "decisions")
    assert message in str(refused.value).replace(str(tmp_path) + "/", "")
    assert not QuarantinedCommunication.objects.exists() and not DeskNotice.objects.exists()


def test_the_desk_page_shows_deletions_and_the_notice_to_its_owner_only(demo, run, client_for):
    load_decisions(demo["dcc"], *run)
    hearth = client_for("rep-HEARTH").get("/adt/quarantine/").content.decode()
    assert 'data-communication="h2"' in hearth and "deleted by the DCC (G6.1(d)(i))" in hearth
    assert 'value="h2"' not in hearth            # no tick box: not instructable
    notice = DeskNotice.objects.get(party__party_id="HEARTH")
    assert f"?notice={notice.pk}" in hearth
    lumen = client_for("rep-LUMEN").get("/adt/quarantine/").content.decode()
    assert 'data-communication="h2"' not in lumen and f"?notice={notice.pk}" not in lumen
    filtered = client_for("rep-HEARTH").get(f"/adt/quarantine/?notice={notice.pk}")
    assert 'data-communication="h1"' in filtered.content.decode()


def test_the_cli_loads_a_v2_file(demo, run, capsys):
    from secassure.anomaly.cli import run_command
    assert run_command(["load-quarantine", "--traffic", str(run[0]), "--decisions",
                        str(run[1])]) == 0
    err = capsys.readouterr().err
    assert "2 quarantined communications loaded, 2 deletions (G6.1(d)(i)), 2 owners notified" \
        in err
