"""The command-line contract: what each command does, run in this process (`cli`), and the real
`secassure` executable where the test is about it (the schema left alone, `serve --demo`)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SECASSURE = Path(sys.executable).with_name("secassure")

EXAMPLE = {"parties": [
    {"id": "P1", "name": "Example Energy", "roles": ["import_supplier"],
     "domestic_premises": 120000, "non_domestic_premises": 3000,
     "shares_resources_with": ["P7"], "resource_provider": "SRP1",
     "assessments": [
         {"type": "FUSA", "completed": "2023-02-01", "initial": True,
          "assurance_status": "approved_subject_to", "status_set": "2023-03-10"},
         {"type": "FOLLOW_UP", "completed": "2023-06-01"},
         {"type": "VUSA", "completed": "2024-05-20", "roles": ["import_supplier"],
          "premises": {"domestic": 100000, "non_domestic": 2000},
          "ssc_next_category": "VUSA"}],
     "user_ids": {"import_supplier": ["90-B3-D5-1F-30-01-00-00"]}},
    {"id": "P7", "name": "Seven", "roles": ["gas_supplier"], "domestic_premises": 10,
     "non_domestic_premises": 0, "assessments": []},
    {"id": "SRP1", "name": "Provider", "roles": ["shared_resource_provider"],
     "domestic_premises": 0, "non_domestic_premises": 0,
     "assessments": [{"type": "FUSA", "completed": "2023-01-01", "initial": True,
                      "assurance_status": "deferred", "status_set": "2023-02-01"}]}]}


def _env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SECASSURE_DATA_DIR"] = str(data_dir)
    return env


@pytest.fixture
def cli(secassure_here):
    """Run `secassure` on an empty register: in this process, on the test database, its exit
    status and output captured as the executable's would be (1.5 s less a command, and no
    migrated database to make). The tests below of the server and of the schema start the
    real executable."""
    return secassure_here


def write(tmp_path, document, name="register.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return path


def test_schedule_from_a_file(cli, tmp_path):
    result = cli("schedule", "--input", write(tmp_path, EXAMPLE), "--as-of", "2025-01-10")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["as_of"] == "2025-01-10"
    assert [p["id"] for p in output["parties"]] == ["P1", "P7", "SRP1"]
    first = output["parties"][0]
    assert {k: first[k] for k in ("track", "next", "due", "overdue", "premises", "rule")} == {
        "track": "supplier_small", "next": "SSA", "due": "2025-05-20", "overdue": False,
        "premises": {"domestic": 120010, "non_domestic": 3000}, "rule": "G8.42(a)"}
    assert first["reason"]
    assert output["parties"][2]["next"] == "FOLLOW_UP"


BAD_INPUT = [
    ("unknown role", {"roles": ["importer"]}, ["P1", "roles"]),
    ("duplicate id", "duplicate", ["P1", "id"]),
    ("dangling id", {"shares_resources_with": ["P99"]}, ["P1", "shares_resources_with"]),
    ("negative count", {"domestic_premises": -5}, ["P1", "domestic_premises"]),
    ("malformed date", {"assessments": [{"type": "VUSA", "completed": "2024-02-30"}]},
     ["P1", "assessments[0].completed"]),
    ("unknown type", {"assessments": [{"type": "PENTEST", "completed": "2024-02-01"}]},
     ["P1", "assessments[0].type"]),
    ("year 9999", {"assessments": [{"type": "VUSA", "completed": "9999-12-31"}]},
     ["P1", "assessments[0].completed", "outside"]),
    ("status before its assessment", {"assessments": [
        {"type": "FUSA", "completed": "2024-02-01", "initial": True,
         "assurance_status": "approved", "status_set": "2024-01-01"}]},
     ["P1", "assessments[0].status_set", "before"]),
    ("huge number", {"domestic_premises": 10 ** 30}, ["P1", "domestic_premises"]),
    ("a NUL in the name", {"name": "Acme\u0000"}, ["P1", "name", "control"]),
    ("a provider that is its own User's User", {"resource_provider": "P7"}, ["resource_provider",
                                                                              "cycle"]),
    # issue 9: the schedule's second contract
    ("an assessment covering a role not held (G8.30(a)(i))",
     {"assessments": [{"type": "VUSA", "completed": "2024-01-01", "roles": ["gas_transporter"]}]},
     ["P1", "assessments[0].roles", "gas_transporter"]),
    ("the Panel satisfied by anything but a Follow-up (G8.36(c)(ii))",
     {"assessments": [{"type": "VUSA", "completed": "2024-01-01",
                       "panel_satisfied": "2024-02-01"}]},
     ["P1", "assessments[0].panel_satisfied"]),
    ("a DCC assessment of a party without the dcc role (G9.3(b)(i))",
     {"assessments": [{"type": "DCC", "completed": "2024-01-01"}]},
     ["P1", "assessments[0].type", "dcc"]),
]


def bad_document(change):
    party = dict(EXAMPLE["parties"][0])
    if change == "duplicate":
        return {"parties": [party, party]}
    party.update(change)
    others = [dict(p) for p in EXAMPLE["parties"][1:]]
    if change.get("resource_provider") == "P7":  # P7's provider is P1: a cycle
        others[0]["resource_provider"] = "P1"
    return {"parties": [party, *others]}


@pytest.mark.parametrize("what, change, named", BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_schedule_input_exits_2_with_one_line(cli, tmp_path, what, change, named):
    result = cli("schedule", "--input", write(tmp_path, bad_document(change)),
                 "--as-of", "2025-01-10")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert all(word in lines[0] for word in named), lines[0]


@pytest.mark.parametrize("args, words", [
    (["--as-of", "2025-13-01"], ["as-of", "2025-13-01"]),
    (["--as-of", "2025-01-10", "--input", "missing.json"], ["missing.json", "cannot read"]),
])
def test_bad_arguments_exit_2_with_one_line(cli, args, words):
    result = cli("schedule", *args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert all(w in result.stderr for w in words)


def test_not_json_is_refused(cli, tmp_path):
    result = cli("schedule", "--input", write(tmp_path, "{parties: oops"), "--as-of",
                 "2025-01-10")
    assert result.returncode == 2 and "not valid JSON" in result.stderr


HOSTILE_FILES = [
    ("binary", b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "not UTF-8"),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("a lone surrogate", b'{"parties": [{"id": "P\\ud800", "roles": []}]}', "not a party id"),
    ("an id with a slash", b'{"parties": [{"id": "A/B", "roles": []}]}', "not a party id"),
    ("an id of 100,000 characters",
     b'{"parties": [{"id": "' + b"X" * 100_000 + b'", "roles": []}]}', "not a party id"),
    ("an infinite count", b'{"parties": [{"id": "P1", "roles": [], "domestic_premises": 1e400}]}',
     "not a finite number"),
]


@pytest.mark.parametrize("what, content, words", HOSTILE_FILES, ids=[h[0] for h in HOSTILE_FILES])
@pytest.mark.parametrize("command", ["import", "schedule"])
def test_hostile_files_exit_2_with_one_line(cli, tmp_path, what, content, words, command):
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    args = ["import", path] if command == "import" else ["schedule", "--input", path,
                                                         "--as-of", "2025-01-10"]
    result = cli(*args)
    assert result.returncode == 2, result
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    if command == "import":
        assert json.loads(cli("export").stdout) == {"parties": []}


def test_import_then_export_gives_the_same_data_back(cli, tmp_path):
    assert cli("import", write(tmp_path, EXAMPLE)).returncode == 0
    exported = cli("export")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout) == EXAMPLE
    # and the schedule from the database agrees with the schedule from the file
    from_db = cli("schedule", "--as-of", "2025-01-10")
    from_file = cli("schedule", "--input", write(tmp_path, EXAMPLE), "--as-of", "2025-01-10")
    assert json.loads(from_db.stdout) == json.loads(from_file.stdout)


def test_a_party_level_determination_is_kept_on_the_latest_assessment(cli, tmp_path):
    """G12.8 (issue 9): the party-level `ssc_next_category` is still read, as the SSC's
    determination following the latest assessment; the platform keeps it there."""
    older = json.loads(json.dumps(EXAMPLE))
    p1 = older["parties"][0]
    del p1["assessments"][-1]["ssc_next_category"]
    p1["ssc_next_category"] = "VUSA"
    assert cli("import", write(tmp_path, older)).returncode == 0
    assert json.loads(cli("export").stdout) == EXAMPLE


def test_a_failed_import_writes_nothing(cli, tmp_path):
    assert cli("import", write(tmp_path, EXAMPLE)).returncode == 0
    changed = json.loads(json.dumps(EXAMPLE))
    changed["parties"][0]["name"] = "Renamed"
    changed["parties"].append({"id": "P8", "roles": ["martian"]})
    result = cli("import", write(tmp_path, changed, "bad.json"))
    assert result.returncode == 2 and '"P8"' in result.stderr and "roles" in result.stderr
    assert json.loads(cli("export").stdout) == EXAMPLE


def test_journal_verify_after_import(cli, tmp_path):
    cli("import", write(tmp_path, EXAMPLE))
    result = cli("journal", "verify")
    assert result.returncode == 0 and "intact" in result.stdout


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_read_command_never_migrates_the_database(tmp_path):
    """Only `migrate` (and `serve`, `demo`) change the schema: a read on a database without
    one is refused with one line, and leaves it without one."""
    data = tmp_path / "data"
    for command in (["export"], ["journal", "verify"], ["schedule", "--as-of", "2025-01-10"]):
        result = subprocess.run([str(SECASSURE), *command], capture_output=True, text=True,
                                env=_env(data), timeout=120)
        assert result.returncode == 2, result
        assert "run `secassure migrate`" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    import sqlite3
    tables = sqlite3.connect(data / "secassure.sqlite3").execute(
        "select name from sqlite_master where type='table'").fetchall()
    assert tables == []


def test_serve_demo_runs_the_platform(tmp_path):
    """`secassure serve --demo` creates the database, loads the demo and serves the web app
    on which a demo login signs in."""
    import http.cookiejar
    import re
    import time
    import urllib.parse
    import urllib.request
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECASSURE_DEMO"}}
    env["SECASSURE_DATA_DIR"] = str(tmp_path / "data")
    port = free_port()
    server = subprocess.Popen([str(SECASSURE), "serve", "--demo", "--port", str(port)],
                              env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        for _ in range(120):
            try:
                home = opener.open(f"{base}/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("the server did not answer")
        assert "Section G" in home
        login = opener.open(f"{base}/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        form = urllib.parse.urlencode({"username": "rep-HEARTH", "password": "demo",
                                       "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(f"{base}/accounts/login/", data=form,
                                         headers={"Referer": f"{base}/accounts/login/"})
        page = opener.open(request).read().decode()
        assert "HEARTH" in page and "Hearth Gas" in page
        assert "HEARTH" in opener.open(f"{base}/schedule/").read().decode()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "rep-<party id>" in output
