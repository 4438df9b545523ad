"""`secassure adt propose|proposal-opinion|proposal-set|review-period|notices` (G6.7(b)-G6.10),
as the DCC, an SSC member and SECAS run them (naming themselves with --as): the order rule and
refusals as one line and exit status 2, nothing changed."""
import json

import pytest

USER_ID = "90-B3-D5-1F-30-00-AA-00"


@pytest.fixture
def cli(secassure_here, tmp_path):
    """The commands in this process on the test database (tests/anomaly/test_cli.py runs the
    real executable)."""
    run = secassure_here
    register = tmp_path / "register.json"
    register.write_text(json.dumps({"parties": [{
        "id": "ACME", "roles": ["import_supplier"],
        "user_ids": {"import_supplier": [USER_ID]}}]}))
    assert run("import", register).returncode == 0
    for name, kind in (("dcc-op", "dcc"), ("ssc-one", "ssc_member"), ("secas-one", "secas")):
        made = run("user", name, "--kind", kind, stdin="a long enough passphrase\n")
        assert made.returncode == 0, made.stderr
    return run


def refused(result, *words):
    lines = result.stderr.strip().splitlines()
    return (result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr
            and all(w in lines[0] for w in words))


def test_propose_opinion_set_on_the_command_line(cli, tmp_path):
    """G6.7(b): the DCC sets only after the SSC's opinion; the export carries the command row
    (G6.6(c)); the SSC's feed has it (G6.8(a))."""
    assert refused(cli("adt", "propose", "--command", "CS11", "--counter", "critical",
                       "--quarantine", "10", "--as", "ssc-one"), "not allowed")
    assert refused(cli("adt", "propose", "--command", "CS11", "--counter", "encrypted",
                       "--quarantine", "10", "--as", "dcc-op"), "counter:")
    made = cli("adt", "propose", "--command", "CS11", "--counter", "critical",
               "--quarantine", "10", "--warning", "8", "--as", "dcc-op")
    assert made.returncode == 0, made.stderr
    pk = made.stdout.strip()
    assert refused(cli("adt", "proposal-set", pk, "--as", "dcc-op"), "G6.7(b)", "awaits")
    assert cli("adt", "proposal-opinion", pk, "--text", "Fine.", "--level", "12",
               "--as", "ssc-one").returncode == 0
    assert refused(cli("adt", "proposal-opinion", pk, "--text", "Again.", "--as", "ssc-one"),
                   "already given")
    assert refused(cli("adt", "proposal-set", pk, "--as", "dcc-op"), "account:", "departs")
    assert cli("adt", "proposal-set", pk, "--account", "10 is enough",
               "--as", "dcc-op").returncode == 0
    assert refused(cli("adt", "proposal-set", pk, "--account", "x", "--as", "dcc-op"),
                   "already set")
    assert refused(cli("adt", "proposal-set", "999", "--as", "dcc-op"), "proposal:")
    out = tmp_path / "T.csv"
    assert cli("adt", "export", "--thresholds", out).returncode == 0
    assert "*,,CS11,critical,8,10" in out.read_text().splitlines()
    feed = cli("adt", "notices", "--as", "ssc-one")
    assert feed.returncode == 0 and feed.stdout.splitlines()[0].split("\t")[1:5] == [
        "dcc", "DCC", "", "CS11"]
    # G6.6(b): an SRV's value limits, agreed with the SSC the same way
    limits = cli("adt", "propose", "--srv", "1.5", "--value-min", "0", "--value-max", "450",
                 "--as", "dcc-op")
    assert limits.returncode == 0, limits.stderr
    assert refused(cli("adt", "propose", "--srv", "1.5", "--value-min", "9", "--value-max",
                       "1", "--as", "dcc-op"), "value_max:")
    assert cli("adt", "proposal-opinion", limits.stdout.strip(), "--text", "Agreed.",
               "--as", "ssc-one").returncode == 0
    assert cli("adt", "proposal-set", limits.stdout.strip(), "--as", "dcc-op").returncode == 0
    assert cli("adt", "export", "--thresholds", out, "--limits", tmp_path / "L.csv"
               ).returncode == 0
    assert "1.5,0,450" in (tmp_path / "L.csv").read_text().splitlines()
    assert refused(cli("adt", "review-period", "6", "--as", "dcc-op"), "not allowed")
    assert refused(cli("adt", "review-period", "0", "--as", "secas-one"), "months:")
    assert cli("adt", "review-period", "6", "--as", "secas-one").returncode == 0
