"""Hostile input at every `secassure` command that reads a file or takes arguments (issue 8):
binary files, deep nesting, huge numbers, lone surrogates, NUL and control characters,
over-long values, an unwritable output, a directory where a file is expected.

Each is answered as the README promises: exit status 2, one line on standard error naming
what is wrong (a quoted value cut short, never echoed whole), never a traceback, and nothing
half-written: no output file left behind, no change to the register.

Run as a user runs it: the real executable, on a copy of the demo register (demo logins act,
as with `serve --demo`); the hostile arguments, refused before anything is read, in this
process on the demo register (`run_here`).
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from secassure.core.cli import LINE_LIMIT

SECASSURE = Path(sys.executable).with_name("secassure")

LONG = "X" * 100_000
NOT_UTF8 = b"\xff\xfe"          # argv bytes that are not UTF-8: lone surrogates to Python
CONTROL = "a\x01b\x1bc"
HUGE = "9" * 30

FILES = {
    "binary.bin": b"\x89PNG\r\n\x1a\n\x00\xff\xfe" * 50,
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "deep-object.json": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "many-digits.json": b'{"answers": [{"finding": 1' + b"0" * 5000 + b', "accepted": true}]}',
    "surrogate.json": b'{"answers": [{"finding": 1, "accepted": false, "reasons": "\\ud800"}]}',
    "raw-surrogate.json": '{"x": "\udcff"}'.encode("utf-8", "surrogatepass"),
    "nul.json": b'{"answers": [{"finding": 1, "accepted": false, "reasons": "a\\u0000b"}]}',
    "big-id.json": b'{"steps": [{"finding": 99999999999999999999999999, "description": "x", '
                   b'"due": "2030-01-01"}], "reason": "r"}',
    "list.json": b"[1, 2]",
    "empty.json": b"",
    "long-line.csv": b"a" * 200_000 + b"\n",
    "nul.csv": b"id,decision\nc1\x00,QUARANTINE\n",
    "thresholds.json": b'{"format": "secassure-thresholds/1", "id": "X", "party": "HEARTH", '
                       b'"thresholds": [{"user_id": "90-B3-D5-1F-30-00-0A-00", "srv": "1.1.1", '
                       b'"counter": "critical", "quarantine": 1' + b"0" * 30 + b"}]}",
    "long-id.json": b'{"format": "secassure-thresholds/1", "id": "' + b"I" * 5000
                    + b'", "party": "HEARTH", "thresholds": []}',
}


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SECASSURE_DATA_DIR=str(data), SECASSURE_DEMO="1")
    return env


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory) -> Path:
    """A data directory with the demo register (its database, keys), made once."""
    data = tmp_path_factory.mktemp("hostile-demo")
    result = subprocess.run([str(SECASSURE), "demo"], capture_output=True, text=True,
                            env=_env(data), timeout=300)
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture(scope="session")
def live(demo_data) -> dict[str, int]:
    """The demo's platform-run assessment of each party, by party id."""
    result = subprocess.run([str(SECASSURE), "assessment", "list", "--as", "secas", "--json"],
                            capture_output=True, text=True, env=_env(demo_data), timeout=120)
    assert result.returncode == 0, result.stderr
    return {row["party"]: row["id"] for row in json.loads(result.stdout)
            if row["stage"] != "recorded"}


@pytest.fixture
def place(tmp_path, demo_data) -> Path:
    """A working directory with the hostile files, an empty directory and a fresh copy of
    the demo register."""
    shutil.copytree(demo_data, tmp_path / "data")
    for name, content in FILES.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "a-directory").mkdir()
    return tmp_path


def run(place: Path, *args: str | bytes, stdin: bytes = b"a password long enough\n"):
    return subprocess.run([str(SECASSURE), *args], capture_output=True, input=stdin,
                          env=_env(place / "data"), cwd=place, timeout=120)


def refused(result, *words: str) -> str:
    """The one line of a refusal: exit status 2, no traceback, nothing on standard output."""
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-2000:]
    assert result.returncode == 2, (result.returncode, err[-500:])
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert len(lines[0]) <= LINE_LIMIT + 60, len(lines[0])
    assert result.stdout == b""
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def snapshot(place: Path) -> list[str]:
    """Every row of the database (the register, the workflow, the journal) as it stands, to
    check that a refusal wrote nothing."""
    with sqlite3.connect(place / "data" / "secassure.sqlite3") as db:
        return list(db.iterdump())


# --- Every argument: bytes that are not text, control characters, over-long values ------------

ARGUMENTS = [
    (["assessment", "show", "1", "--as", NOT_UTF8], ["not UTF-8 text"]),
    (["assessment", "show", "1", "--as", CONTROL], ["--as", "not a username"]),
    (["assessment", "show", "1", "--as", LONG], ["--as", "not a username"]),
    (["assessment", "show", HUGE, "--as", "secas"], ["not an id"]),
    (["assessment", "list", "--as", "secas", "--party", LONG], ["--party", "not a party id"]),
    (["assessment", "list", "--as", "secas", "--party", "A/B"], ["--party", "not a party id"]),
    (["assessment", "list", "--as", "secas", "--stage", NOT_UTF8], ["not UTF-8 text"]),
    (["assessment", "list", "--as", "secas", "--category", CONTROL], ["--category"]),
    (["assessment", "decide-default", HUGE, "--as", "panel-member", "--yes", "--reason", "r"],
     ["not an id"]),
    (["assessment", "refer-default", LONG, "--as", "ssc-member", "--clauses", "G5.14",
      "--referral", "r"], ["party"]),
    (["remind", "--as-of", "9999-12-31"], ["--as-of", "outside"]),
    (["remind", "--as-of", NOT_UTF8], ["not UTF-8 text"]),
    (["remind", "--days", HUGE], ["--days", "not a number of days"]),
    (["remind", "--days", "999999999"], ["--days", "not a number of days"]),
    (["schedule", "--as-of", "9999-12-31"], ["--as-of", "outside"]),
    (["user", LONG, "--kind", "secas"], ["not a username"]),
    (["user", CONTROL, "--kind", "secas"], ["not a username"]),
    (["user", NOT_UTF8, "--kind", "secas"], ["not UTF-8 text"]),
    (["user", "newrep", "--kind", "party_rep", "--party", LONG], ["--party", "not a party id"]),
    (["token", LONG], ["not a username"]),
    (["token", NOT_UTF8], ["not UTF-8 text"]),
    (["adt", "register-key", LONG, "binary.bin"], ["party", "not a party id"]),
    (["adt", "register-key", NOT_UTF8, "binary.bin"], ["not UTF-8 text"]),
    (["adt", "coverage", LONG], ["party", "not a party id"]),
    (["adt", "coverage", CONTROL], ["party", "not a party id"]),
    (["adt", "coverage", NOT_UTF8], ["not UTF-8 text"]),
    (["serve", "--port", HUGE], ["--port"]),
]


@pytest.fixture
def run_here(secassure_here, demo, tmp_path):
    """`run` in this process, on the held demo register (1.5 s less a command): argument bytes
    that are not UTF-8 reach `main` as Python's start-up hands them on (lone surrogates), the
    output comes back as bytes. For the arguments, which are refused before any file or record
    is read; the files below go to the real executable."""
    for name, content in FILES.items():
        (tmp_path / name).write_bytes(content)

    def run(*args: str | bytes, stdin: bytes = b"a password long enough\n"):
        result = secassure_here(*(os.fsdecode(a) if isinstance(a, bytes) else a for a in args),
                                stdin=stdin.decode())
        return subprocess.CompletedProcess(
            result.args, result.returncode, result.stdout.encode("utf-8", "surrogateescape"),
            result.stderr.encode("utf-8", "surrogateescape"))
    return run


@pytest.mark.parametrize("args, words", ARGUMENTS,
                         ids=[f"{i}-{a[0]}-{a[1][:12]!r}" for i, (a, _) in enumerate(ARGUMENTS)])
def test_hostile_arguments_get_one_line_and_exit_2(run_here, args, words):
    refused(run_here(*args), *words)


# --- Every file a command reads ------------------------------------------------------------

JSON_FILES = [
    ("binary.bin", "not UTF-8 text"),
    ("deep.json", "nested too deeply"),
    ("deep-object.json", "nested too deeply"),
    ("many-digits.json", "too many digits"),
    ("raw-surrogate.json", "not UTF-8 text"),
    ("surrogate.json", "Surrogate characters are not allowed"),
    ("nul.json", "control character"),
    ("list.json", "expected a JSON object"),
    ("empty.json", "not valid JSON"),
    ("a-directory", "Is a directory"),
]


@pytest.mark.parametrize("name, words", JSON_FILES, ids=[f[0] for f in JSON_FILES])
def test_hostile_answer_files_change_nothing(place, live, name, words):
    """The response's answers come from a file (`respond --file`), as the API takes them."""
    before = snapshot(place)
    refused(run(place, "assessment", "respond", str(live["MERIDIAN"]), "--as", "rep-MERIDIAN",
                "--file", name), words)
    assert snapshot(place) == before


@pytest.mark.parametrize("name, words", [("binary.bin", "not UTF-8 text"),
                                         ("deep.json", "nested too deeply"),
                                         ("a-directory", "Is a directory"),
                                         ("raw-surrogate.json", "not UTF-8 text")])
@pytest.mark.parametrize("command", ["import", "schedule"])
def test_hostile_register_files(place, name, words, command):
    args = ["import", name] if command == "import" else ["schedule", "--input", name,
                                                         "--as-of", "2025-01-10"]
    before = snapshot(place)
    refused(run(place, *args), name, words)
    assert snapshot(place) == before


def test_an_id_too_large_for_any_database_is_refused_before_it_is_looked_up(place, live):
    before = snapshot(place)
    refused(run(place, "assessment", "propose-alternative", str(live["CLOUDVAULT"]), "--as",
                "ssc-member", "--file", "big-id.json"), "steps[0].finding")
    assert snapshot(place) == before


ADT_FILES = [
    (["adt", "submit", "binary.bin"], ["binary.bin", "not a JSON document"]),
    (["adt", "submit", "deep.json"], ["deep.json", "nested too deeply"]),
    (["adt", "submit", "thresholds.json"], ["quarantine", "at most"]),
    (["adt", "submit", "long-id.json"], ["id", "at most 100"]),
    (["adt", "submit", "a-directory"], ["Is a directory"]),
    (["adt", "submit", "thresholds.json", "--signature", "a-directory"], ["Is a directory"]),
    (["adt", "sign", "thresholds.json", "--key", "binary.bin"], ["not an unencrypted PEM"]),
    (["adt", "sign", "a-directory", "--key", "binary.bin"], ["Is a directory"]),
    (["adt", "register-key", "HEARTH", "binary.bin"], ["not a PEM public key"]),
    (["adt", "register-key", "HEARTH", "a-directory"], ["Is a directory"]),
    (["adt", "load-quarantine", "--traffic", "binary.bin", "--decisions", "binary.bin"],
     ["binary.bin", "not UTF-8 text"]),
    (["adt", "load-quarantine", "--traffic", "a-directory", "--decisions", "a-directory"],
     ["Is a directory"]),
    (["adt", "load-quarantine", "--traffic", "long-line.csv", "--decisions", "long-line.csv"],
     ["long-line.csv", "field larger than field limit"]),
    (["adt", "load-quarantine", "--traffic", "nul.csv", "--decisions", "nul.csv"],
     ["nul.csv"]),
]


#: What a refused submission leaves, by design: the refused file on record, journaled (G6.6A).
REFUSAL_RECORD = ('INSERT INTO "anomaly_signedsubmission"', 'INSERT INTO "journal_journal',
                  'INSERT INTO "sqlite_sequence"')


@pytest.mark.parametrize("args, words", ADT_FILES,
                         ids=[f"{a[1]}-{a[-1]}" for a, _ in ADT_FILES])
def test_hostile_files_for_the_thresholds_register(place, args, words):
    before = snapshot(place)
    refused(run(place, *args), *words)
    changed = set(snapshot(place)) ^ set(before)
    if args[1] == "submit" and changed:
        assert all(row.startswith(REFUSAL_RECORD) for row in changed)
        assert any(row.startswith(REFUSAL_RECORD[0]) and "'refused'" in row for row in changed)
    else:
        assert changed == set()


# --- Texts, dates and counts taken by the workflow's commands ---------------------------------

def test_texts_dates_and_numbers_are_held_to_the_platforms_rules(place, live):
    newco, pylon, solway = str(live["NEWCO"]), str(live["PYLON"]), str(live["SOLWAY"])
    before = snapshot(place)
    refused(run(place, "assessment", "cancel", newco, "--as", "secas", "--reason", LONG),
            "reason", "no more than 20000 characters")
    refused(run(place, "assessment", "cancel", newco, "--as", "secas", "--reason", CONTROL),
            "reason", "control character")
    refused(run(place, "assessment", "follow-up", pylon, "--as", "ssc-member", "--by",
                "9999-12-31", "--reason", "x"), "by", "outside 1990-01-01 to 2100-12-31")
    refused(run(place, "assessment", "finding", solway, "--as", "cio-assessor", "--kind",
                "non_compliance", "--clause", "G5.14", "--title", LONG, "--evidence", "e"),
            "title")
    refused(run(place, "assessment", "issue-report", solway, "--as", "cio-assessor",
                "--summary", "s", "--fieldwork-end", "99999-12-31"), "fieldwork_end")
    assert snapshot(place) == before


# --- Outputs that cannot be written: refused, nothing half-written ----------------------------

OUTPUTS = [
    ["export", "--output", "{out}"],
    ["adt", "export", "--thresholds", "{out}"],
    ["adt", "sign", "thresholds.json", "--key", "key.pem", "--out", "{out}"],
    ["assessment", "export", "{meridian}", "--as", "secas", "--output", "{out}"],
    ["assessment", "export", "{meridian}", "--as", "secas", "--format", "docx",
     "--output", "{out}"],
]


@pytest.mark.parametrize("args", OUTPUTS, ids=[" ".join(a[:2]) + f"-{i}"
                                               for i, a in enumerate(OUTPUTS)])
@pytest.mark.parametrize("out, words", [
    ("a-directory", "Is a directory"),
    ("no-such-folder/out.file", "No such file or directory"),
    ("read-only/out.file", "Permission denied"),
], ids=["a directory", "no such folder", "read-only folder"])
def test_an_output_that_cannot_be_written_is_refused_and_nothing_is_left(place, live, args,
                                                                         out, words):
    if out.startswith("read-only") and os.geteuid() == 0:
        pytest.skip("root writes into a read-only folder")
    if "--key" in args:
        key = run(place, "adt", "keygen", "--out", "key.pem")
        assert key.returncode == 0, key.stderr
    (place / "read-only").mkdir(mode=0o555)
    before = sorted(p.name for p in place.rglob("*") if "data" not in p.parts)
    argv = [a.format(out=out, meridian=live["MERIDIAN"]) for a in args]
    refused(run(place, *argv), out, "cannot write", words)
    assert sorted(p.name for p in place.rglob("*") if "data" not in p.parts) == before
    assert list((place / "a-directory").iterdir()) == []


def test_an_output_is_written_whole_in_place_of_the_old_one(place, live):
    """The writes that succeed go through the same path: the file is replaced whole."""
    (place / "register.json").write_text("old and longer than nothing " * 1000)
    assert run(place, "export", "--output", "register.json").returncode == 0
    assert json.loads((place / "register.json").read_text())["parties"]
    assert [p.name for p in place.glob(".register.json.*")] == []
