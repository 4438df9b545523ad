"""`secassure assessment ...` and `secassure remind`: the workflow on the command line.

The named person's permissions apply exactly as on the web and over the API. Bad input, a
refusal or a record the person may not see: one line on standard error, exit status 2,
nothing written (G8.24-G8.36 as on the API)."""
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from secassure import cli
from secassure.assurance.models import Assessment, Decision
from secassure.core.journal.models import JournalEntry
from tests.assurance.test_workflow_api_permissions import assessment, login
from tests.conftest import TODAY


@pytest.fixture
def secassure(demo, monkeypatch, capsys):
    """Run `secassure ...` in this process, on the test database: (status, stdout, stderr)."""

    def run(*argv):
        try:
            status = cli.main([str(a) for a in argv])
        except SystemExit as exit:  # argparse's own refusals
            status = exit.code
        out, err = capsys.readouterr()
        return status, out, err
    return run


def refused(result, *words):
    """Exit 2 with one line on standard error that says `words`."""
    status, out, err = result
    assert status == 2, result
    assert out == "" and err.endswith("\n") and err.count("\n") == 1, err
    for word in words:
        assert word in err, (word, err)


def test_list_shows_what_the_person_may_see(secassure):
    status, out, err = secassure("assessment", "list", "--as", "rep-HEARTH", "--json")
    assert status == 0, err
    parties = {a["party"] for a in json.loads(out)}
    assert parties == {"HEARTH", "CLOUDVAULT"}  # G10.8: its provider's too
    status, out, _ = secassure("assessment", "list", "--as", "secas", "--party", "PYLON",
                               "--stage", "plan_agreed")
    assert status == 0 and out.splitlines()[0].split() == ["ID", "PARTY", "CATEGORY", "STAGE",
                                                           "DUE"]
    assert [line.split()[1:4] for line in out.splitlines()[1:]] == [["PYLON", "VUSA",
                                                                     "plan_agreed"]]


def test_show_is_the_apis_record(secassure, api_for):
    cloud = assessment("CLOUDVAULT", "response_submitted")
    status, out, _ = secassure("assessment", "show", cloud.pk, "--as", "rep-HEARTH", "--json")
    assert status == 0
    shown = json.loads(out)
    assert shown == api_for("rep-HEARTH").get(f"/api/assurance/assessments/{cloud.pk}/").json()
    status, out, _ = secassure("assessment", "show", cloud.pk, "--as", "ssc-member")
    assert "Finding 1" in out and "Information security policy not reviewed" in out
    assert "Open to you: accept_plan" in out


def test_the_report_response_and_plan_from_the_command_line(secassure, demo, tmp_path):
    """The assessor issues (G8.23), the party responds from a file (G8.24-G8.26), the SSC
    accepts (G8.27(a)) and sets the compliance status."""
    solway = assessment("SOLWAY", "booked")
    status, out, err = secassure("assessment", "issue-report", solway.pk, "--as", "cio-assessor",
                                 "--summary", "All matters in scope were assessed.")
    assert status == 0, err
    assert "Report issued" in out
    finding = solway.findings.get()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"summary": "Accepted.", "answers": [{
        "finding": finding.pk, "accepted": True, "steps": [
            {"description": "Add the servers", "due": str(TODAY + timedelta(days=30))}]}]}))
    login(demo, "rep-SOLWAY")
    status, out, err = secassure("assessment", "respond", solway.pk, "--as", "rep-SOLWAY",
                                 "--file", answers, "--json")
    assert status == 0, err
    assert json.loads(out)["stage"] == "response_submitted"
    status, _, err = secassure("assessment", "accept-plan", solway.pk, "--as", "ssc-member",
                               "--reason", "Appropriate.")
    assert status == 0, err
    status, out, err = secassure("assessment", "set-compliance-status", solway.pk, "compliant",
                                 "--as", "ssc-member", "--reason", "Minor, remedied.", "--json")
    assert status == 0, err
    assert json.loads(out)["compliance_status"] == "compliant"
    assert list(Decision.objects.filter(assessment=solway).values_list("kind", flat=True)) == [
        "plan_accepted", "compliance_status"]


def test_book_and_set_the_assurance_status(secassure):
    status, out, err = secassure(
        "assessment", "book", "LUMEN", "FUSA", "--roles", "import_supplier", "gas_supplier",
        "--assessor", "cio-assessor", "--fieldwork-start", TODAY + timedelta(days=7),
        "--fieldwork-end", TODAY + timedelta(days=14), "--as", "secas", "--json")
    assert status == 0, err
    booked = json.loads(out)
    assert (booked["stage"], sorted(booked["roles"])) == ("booked", ["gas_supplier",
                                                                     "import_supplier"])
    bramble = assessment("BRAMBLE", "response_submitted")  # the second FUSA, after rejection
    status, out, err = secassure("assessment", "set-assurance-status", bramble.pk, "approved",
                                 "--as", "panel-member", "--reason", "Vetting complete.",
                                 "--json")
    assert status == 0, err
    assert json.loads(out)["assurance_status"] == "approved"


def test_evidence_is_attached_to_a_draft_finding_from_the_command_line(secassure, tmp_path):
    """G8.22(b)(ii): the assessor sets out the evidence; the file is kept with its SHA-256.
    Anyone else is told there is no such finding: a draft is the assessor's (G8.22-G8.23)."""
    import hashlib
    finding = assessment("SOLWAY", "booked").findings.get()
    evidence = tmp_path / "servers.csv"
    evidence.write_bytes(b"host,listed\nsrv-7,no\n")
    refused(secassure("assessment", "attach-evidence", finding.pk, "--file", evidence,
                      "--as", "ssc-member"), "no finding", "ssc-member")
    status, out, err = secassure("assessment", "attach-evidence", finding.pk, "--file",
                                 evidence, "--as", "cio-assessor", "--json")
    assert status == 0, err
    assert json.loads(out)["sha256"] == hashlib.sha256(evidence.read_bytes()).hexdigest()
    status, out, err = secassure("assessment", "finding", finding.assessment_id, "--kind",
                                 "non_compliance", "--clause", "G5.14", "--title", "Two lists",
                                 "--evidence", "See both.", "--file", evidence, "--file",
                                 evidence, "--as", "cio-assessor", "--json")
    assert status == 0, err
    assert len(json.loads(out)["files"]) == 2


def test_export_writes_the_documents(secassure, tmp_path):
    cloud = assessment("CLOUDVAULT", "response_submitted")
    for kind, magic in [("pdf", b"%PDF-"), ("docx", b"PK")]:
        target = tmp_path / f"record.{kind}"
        status, out, err = secassure("assessment", "export", cloud.pk, "--format", kind,
                                     "--output", target, "--as", "rep-HEARTH")
        assert status == 0, err
        assert target.read_bytes().startswith(magic)
    refused(secassure("assessment", "export", cloud.pk, "--output", tmp_path / "x.pdf",
                      "--as", "rep-LUMEN"), "no assessment", "rep-LUMEN")
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("argv, words", [
    (["accept-plan", "{CLOUD}", "--as", "rep-CLOUDVAULT"],
     ["refused", "only SSC member may do this (G8.27(a))"]),
    (["accept-plan", "{PYLON}", "--as", "ssc-member"],
     ["not possible while the assessment is plan agreed"]),
    (["accept-plan", "{LUMEN}", "--as", "rep-HEARTH"], ["no assessment", "rep-HEARTH"]),
    (["accept-plan", "{CLOUD}", "--as", "nobody"], ["--as: no active person named 'nobody'"]),
    (["accept-plan", "{CLOUD}"], ["the following arguments are required: --as"]),
    (["accept-plan", "twelve", "--as", "ssc-member"], ["is not an id"]),
    (["set-assurance-status", "{QUARTZ}", "maybe", "--as", "panel-member", "--reason", "x"],
     ["status: 'maybe' is not one of"]),
    (["set-assurance-status", "{QUARTZ}", "approved", "--as", "panel-member", "--reason", "x",
      "--follow-up-by", "someday"], ["follow_up_by: Date has wrong format"]),
    (["respond", "{MERIDIAN}", "--as", "rep-MERIDIAN", "--file", "/no/such/answers.json"],
     ["/no/such/answers.json: cannot read"]),
    (["respond", "{MERIDIAN}", "--as", "rep-MERIDIAN", "--file", "{BADJSON}"],
     ["not valid JSON"]),
    (["respond", "{MERIDIAN}", "--as", "rep-MERIDIAN", "--file", "{NOANSWER}"],
     ["say whether you accept the finding (G8.26(a))"]),
    (["book", "LUMEN", "FUSA", "--roles", "gas_transporter", "--as", "secas"],
     ["roles: LUMEN does not hold gas_transporter"]),
    (["book", "LUMEN", "FUSA", "--roles", "gas_supplier", "--as", "rep-HEARTH"],
     ["refused", "only for your own party"]),
    (["list", "--stage", "pondering", "--as", "secas"], ["--stage:"]),
    (["decide-plan", "{PLAN}", "--as", "ssc-member"], ["say --approve or --send-back"]),
])
def test_refusals_are_one_line_exit_2_and_write_nothing(argv, words, secassure, demo, tmp_path):
    for username in ["rep-CLOUDVAULT", "rep-MERIDIAN"]:
        login(demo, username)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"answers": []}))
    from secassure.assurance.models import RemediationPlan
    names = {"{CLOUD}": assessment("CLOUDVAULT", "response_submitted").pk,
             "{PYLON}": assessment("PYLON", "plan_agreed").pk,
             "{LUMEN}": assessment("LUMEN", "alternative_proposed").pk,
             "{QUARTZ}": assessment("QUARTZ", "response_submitted").pk,
             "{MERIDIAN}": assessment("MERIDIAN", "report_issued").pk,
             "{PLAN}": RemediationPlan.objects.get().pk, "{BADJSON}": bad, "{NOANSWER}": empty}
    argv = [names.get(a, a) for a in argv]
    before = (JournalEntry.objects.count(), list(Assessment.objects.values_list("stage")))
    refused(secassure("assessment", *argv), *words)
    assert (JournalEntry.objects.count(), list(Assessment.objects.values_list("stage"))) == \
        before


def test_demo_logins_act_only_in_demo_mode(secassure, settings):
    settings.SECASSURE_DEMO = False
    refused(secassure("assessment", "list", "--as", "secas"), "demo login")


def test_remind_prints_the_messages_and_a_summary(secassure, demo):
    from secassure.accounts.models import Person
    Person.objects.update(email="person@example.test")
    status, out, err = secassure("remind", "--days", "14", "--as-of", TODAY, "--json")
    assert status == 0, err
    summary = json.loads(out)
    assert set(summary["sent"]) == {"rep-MERIDIAN", "rep-PYLON", "rep-FENWAY", "ssc-member",
                                    "secas"}
    assert "reminded 5 people" in err
    status, out, err = secassure("remind", "--as-of", TODAY)
    assert status == 0 and "5 already reminded today" in err
    refused(secassure("remind", "--as-of", "2026-02-30"), "--as-of")
    refused(secassure("remind", "--days", "-3"), "--days")


SECASSURE = Path(sys.executable).with_name("secassure")


def test_the_real_executable(tmp_path):
    """End to end, as an operator runs it: a demo database, then commands as named people."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SECASSURE_DATA_DIR=str(tmp_path / "data"), SECASSURE_DEMO="1")

    def run(*args):
        return subprocess.run([str(SECASSURE), *map(str, args)], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=180)
    assert run("demo").returncode == 0
    listed = run("assessment", "list", "--as", "rep-HEARTH", "--json")
    assert listed.returncode == 0, listed.stderr
    cloud = next(a for a in json.loads(listed.stdout)
                 if a["party"] == "CLOUDVAULT" and a["stage"] == "response_submitted")
    refusal = run("assessment", "accept-plan", cloud["id"], "--as", "rep-HEARTH")
    assert refusal.returncode == 2 and refusal.stderr.count("\n") == 1
    assert refusal.stderr.startswith("secassure assessment: error: refused:")
    accepted = run("assessment", "accept-plan", cloud["id"], "--as", "ssc-member", "--json")
    assert accepted.returncode == 0, accepted.stderr
    assert json.loads(accepted.stdout)["stage"] == "plan_agreed"
