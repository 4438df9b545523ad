"""`secassure publish` (issue 10, "Publications: a contract"), run as a user runs it: the real
executable. Markdown on standard output, or exit 2 with one line naming the file and the
field or item, and nothing printed."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SECASSURE = Path(sys.executable).with_name("secassure")
DATA = Path(__file__).parent / "code" / "publications_data"
SEED_000 = DATA / "seed_000_meeting.json"
SEED_001 = DATA / "seed_001_month.json"


@pytest.fixture
def publish(tmp_path):
    """Run `secassure publish ...` in a temporary directory, with no database of its own (the
    command reads none)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SECASSURE_DATA_DIR"] = str(tmp_path / "no-database")

    def run(*args):
        return subprocess.run([str(SECASSURE), "publish", *map(str, args)], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=120)
    return run


def write(tmp_path: Path, document: object, name: str = "input.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def seed(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_headlines_print_the_markdown_of_seed_000(publish):
    result = publish("headlines", "--input", SEED_000)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("This document is classified as **White**")
    assert "Headlines of the Security Sub-Committee (SSC) 106_1208" in lines[2]
    assert "- Set a compliance status for one VUSA;" in lines
    assert lines[-1] == "Next Meeting: Wednesday 26 August 2020"
    assert result.stderr == ""


def test_the_monthly_report_and_its_appendix(publish):
    body = publish("monthly-report", "--input", SEED_001)
    assert body.returncode == 0, body.stderr
    assert "The Panel is requested to NOTE the content of this paper." in body.stdout
    assert "Example Energy" not in body.stdout and "P1" not in body.stdout
    appendix = publish("monthly-report", "--input", SEED_001, "--appendix")
    assert appendix.returncode == 0, appendix.stderr
    assert appendix.stdout.startswith("This document is classified as **RED**")
    assert "Appendix A: User Security Assessments - Identified Non-Compliances" in appendix.stdout
    assert "| Wednesday 10 April 2019 | Example Energy | compliance_status | VUSA |" \
        in appendix.stdout
    assert "1. Purpose" not in appendix.stdout


def test_output_writes_the_file_instead(publish, tmp_path):
    result = publish("headlines", "--input", SEED_000, "--output", tmp_path / "out.md")
    assert (result.returncode, result.stdout) == (0, "")
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == \
        publish("headlines", "--input", SEED_000).stdout




@pytest.mark.parametrize("command, change, refusal", [
    ("headlines",
     lambda d: d["matters_arising"][3].update(text="The SSC noted a CPL entry from p1."),
     "matters_arising[3]: names party P1"),
    ("headlines",
     lambda d: d["agenda"][1].update(headline="Seven gas presented its plan."),
     "agenda[1]: names party P7"),
    ("monthly-report",
     lambda d: d["highlights"][4].update(text="Dale Power asked the SSC for a deferral."),
     "highlights[4]: names party P4"),
])
def test_naming_a_party_exits_2_with_one_line_naming_the_item_and_prints_nothing(
        publish, tmp_path, command, change, refusal):
    document = seed(SEED_000 if command == "headlines" else SEED_001)
    change(document)
    path = write(tmp_path, document)
    result = publish(command, "--input", path, "--output", tmp_path / "out.md")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"secassure publish: error: {path}: {refusal}\n"
    assert not (tmp_path / "out.md").exists()
    again = publish(command, "--input", path)
    assert (again.returncode, again.stdout) == (2, "")


@pytest.mark.parametrize("content, refusal", [
    ('{"number": 106,', "not valid JSON: Expecting property name enclosed in double quotes"),
    (b"\xff\xfe", "not UTF-8 text"),
    ("[]", "the document: must be a JSON object"),
    ('{"number": 106, "date": "2020-08-12"}', "next_meeting: is required"),
    (json.dumps({**seed(SEED_000), "business": [{"kind": "audit"}]}),
     "business[0].kind: 'audit' is not one of"),
])
def test_bad_input_exits_2_with_one_line_and_no_traceback(publish, tmp_path, content,
                                                          refusal):
    path = tmp_path / "input.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = publish("headlines", "--input", path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"secassure publish: error: {path}: {refusal}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("args, refusal", [
    (["headlines", "--input", "missing.json"],
     "secassure publish: error: missing.json: cannot read: No such file or directory"),
    (["headlines"], "error: the following arguments are required: --input"),
    (["monthly-report", "--input", "."], "secassure publish: error: .: cannot read: Is a "
                                         "directory"),
    (["minutes", "--input", "x.json"], "invalid choice: 'minutes'"),
])
def test_usage_errors_exit_2_with_one_line(publish, args, refusal):
    result = publish(*args)
    assert (result.returncode, result.stdout) == (2, "")
    assert refusal in result.stderr and result.stderr.count("\n") == 1
