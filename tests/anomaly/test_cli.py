"""`secassure adt keygen|sign|register-key|submit|export|coverage`, as a User runs them (naming
themselves with --as: the console acts for no party by itself, G6.4, G6.6A)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SECASSURE = Path(sys.executable).with_name("secassure")
USER_ID = "90-B3-D5-1F-30-00-AA-00"


@pytest.fixture
def cli(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SECASSURE_DATA_DIR"] = str(tmp_path / "data")

    def run(*args, stdin=""):
        return subprocess.run([str(SECASSURE), *map(str, args)], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=120, input=stdin)
    assert run("migrate").returncode == 0  # read and write commands never migrate
    return with_acme(run, tmp_path)


@pytest.fixture
def cli_here(secassure_here, tmp_path):
    """The same commands in this process on the test database (1.5 s less each): for the
    tests of what the commands do; the test above runs the real executable."""
    return with_acme(secassure_here, tmp_path)


def with_acme(run, tmp_path):
    """The register holds ACME, and ACME's own representative: only the party registers its
    key and submits its files (G6.4)."""
    register = tmp_path / "register.json"
    register.write_text(json.dumps({"parties": [{
        "id": "ACME", "roles": ["import_supplier"],
        "user_ids": {"import_supplier": [USER_ID]}}]}))
    assert run("import", register).returncode == 0
    assert run("user", "acme-rep", "--kind", "party_rep", "--party", "ACME",
               stdin="a long enough passphrase\n").returncode == 0
    return run


#: Who runs the file commands: ACME's own representative (G6.4, G6.6A).
AS = ("--as", "acme-rep")


def thresholds_file(tmp_path, identifier="ACME-1", quarantine=0):
    path = tmp_path / f"{identifier}.json"
    path.write_text(json.dumps({"format": "secassure-thresholds/1", "id": identifier,
                                "party": "ACME", "thresholds": [
                                    {"user_id": USER_ID, "srv": "7.2", "counter": "critical",
                                     "warning": None, "quarantine": quarantine}]}))
    return path


def one_line_error(result, *words):
    lines = result.stderr.strip().splitlines()
    return (result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr
            and all(w in lines[0] for w in words))


def test_keygen_sign_register_submit_and_export(cli, tmp_path):
    assert cli("adt", "keygen", "--out", tmp_path / "acme.pem").returncode == 0
    assert oct((tmp_path / "acme.pem").stat().st_mode & 0o777) == "0o600"
    assert one_line_error(cli("adt", "keygen", "--out", tmp_path / "acme.pem"),
                          "already exists")
    assert cli("adt", "register-key", "ACME", tmp_path / "acme.pem.pub", *AS).returncode == 0
    document = thresholds_file(tmp_path)
    assert one_line_error(cli("adt", "submit", document, *AS), "refused", "not signed")
    assert cli("adt", "sign", document, "--key", tmp_path / "acme.pem").returncode == 0
    applied = cli("adt", "submit", document, *AS)
    assert applied.returncode == 0, applied.stderr
    assert one_line_error(cli("adt", "submit", document, *AS), "refused", "already been applied")
    out = tmp_path / "T.csv"
    assert cli("adt", "export", "--thresholds", out).returncode == 0
    assert out.read_text().splitlines() == ["user_id,srv,command,counter,warning,quarantine",
                                            f"{USER_ID},7.2,,critical,,0"]
    gaps = cli("adt", "coverage", "ACME").stdout.splitlines()
    assert gaps and not any("\t7.2\t" in g for g in gaps)
    assert any("\t7.1\tcritical\tmissing\tG6.3(a)(i)" in g for g in gaps)


def test_a_changed_file_or_another_key_is_refused(cli_here, tmp_path):
    cli = cli_here
    cli("adt", "keygen", "--out", tmp_path / "acme.pem")
    cli("adt", "keygen", "--out", tmp_path / "other.pem")
    cli("adt", "register-key", "ACME", tmp_path / "acme.pem.pub", *AS)
    document = thresholds_file(tmp_path)
    cli("adt", "sign", document, "--key", tmp_path / "acme.pem")
    document.write_text(document.read_text().replace('"quarantine": 0', '"quarantine": 0 '))
    assert one_line_error(cli("adt", "submit", document, *AS), "refused", "does not match")
    second = thresholds_file(tmp_path, "ACME-2")
    cli("adt", "sign", second, "--key", tmp_path / "other.pem")
    assert one_line_error(cli("adt", "submit", second, *AS), "refused", "does not match")
    third = thresholds_file(tmp_path, "ACME-3", quarantine=5)
    cli("adt", "sign", third, "--key", tmp_path / "acme.pem")
    assert one_line_error(cli("adt", "submit", third, *AS), "refused", "G6.4A")


def test_from_the_register_through_the_engine_to_the_desk(cli_here, tmp_path):
    """Thresholds set by a signed file are exported to the engine; what it quarantines goes on
    the desk, and a signed instruction releases or deletes it (G6.1(a)(ii)-(iii), G6.4A)."""
    cli = cli_here
    cli("adt", "keygen", "--out", tmp_path / "acme.pem")
    cli("adt", "register-key", "ACME", tmp_path / "acme.pem.pub", *AS)
    document = thresholds_file(tmp_path)          # 7.2 critical: 0, not tested (G6.4A)
    cli("adt", "sign", document, "--key", tmp_path / "acme.pem")
    assert cli("adt", "submit", document, *AS).returncode == 0
    assert cli("adt", "export", "--thresholds", tmp_path / "T.csv").returncode == 0
    (tmp_path / "traffic.csv").write_text(
        "id,ts,user_id,srv,critical,encrypted,smets1,value\n"
        f"m1,2026-03-01T10:00:00Z,{USER_ID},7.2,1,0,0,\n"
        f"m2,2026-03-01T10:00:00.5Z,{USER_ID},7.1,1,0,0,\n"
        f"m3,2026-03-01T10:00:01Z,{USER_ID},7.2,1,0,0,\n")
    run = cli("adt", "run", "--thresholds", tmp_path / "T.csv", "--traffic",
              tmp_path / "traffic.csv", "--out", tmp_path / "D.csv")
    assert run.returncode == 0, run.stderr
    decisions = [line.split(",")[:2] for line in
                 (tmp_path / "D.csv").read_text().splitlines()[1:]]
    assert decisions == [["m1", "QUARANTINE"], ["m2", "PROCESS"], ["m3", "QUARANTINE"]]
    refused = cli("adt", "load-quarantine", "--traffic", tmp_path / "traffic.csv",
                  "--decisions", tmp_path / "D.csv")
    assert one_line_error(refused, "no DCC person")
    added = cli("user", "dcc-ops", "--kind", "dcc", stdin="a long enough passphrase\n")
    assert added.returncode == 0, added.stderr
    loaded = cli("adt", "load-quarantine", "--traffic", tmp_path / "traffic.csv",
                 "--decisions", tmp_path / "D.csv")
    assert loaded.returncode == 0 and "2 quarantined" in loaded.stderr
    instruction = tmp_path / "exit.json"
    instruction.write_text(json.dumps({
        "format": "secassure-exit-quarantine/1", "id": "ACME-exit-1", "party": "ACME",
        "instructions": [{"communication": "m1", "action": "process"},
                         {"communication": "m3", "action": "delete"}]}))
    cli("adt", "sign", instruction, "--key", tmp_path / "acme.pem")
    assert cli("adt", "submit", instruction, *AS).returncode == 0
    assert one_line_error(cli("adt", "submit", instruction, *AS), "already been applied")
    verified = cli("journal", "verify")
    assert verified.returncode == 0 and "intact" in verified.stdout
