"""`secassure cpl verify-hash` on a real firmware file and a tampered one (seed 000: "a CPL
entry with an incorrect hash value"), and `secassure notices export`: run in-process on the
test database, as `secassure` would."""
from __future__ import annotations

import hashlib
import json

import pytest

from secassure.cli import main
from secassure.core.journal.models import JournalEntry
from secassure.notices import services
from secassure.notices.models import CplEntry
from secassure.registry.models import Party
from tests.conftest import TODAY

FIRMWARE = bytes(range(256)) * 400  # a 100 KiB image


@pytest.fixture
def entry(demo, tmp_path):
    image = tmp_path / "esme-0105.bin"
    image.write_bytes(FIRMWARE)
    row = services.add_cpl_entry(demo["secas"], manufacturer="Acme Meters", model_hex="0x00A1",
                                 firmware_version="0105",
                                 firmware_sha256=hashlib.sha256(FIRMWARE).hexdigest(),
                                 certificate="CPA-2026-001")
    return row, image


def test_the_recorded_hash_matches_the_real_image(entry, capsys):
    row, image = entry
    assert main(["cpl", "verify-hash", "--entry", str(row.pk), "--firmware", str(image)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("match:") and hashlib.sha256(FIRMWARE).hexdigest() in out


def test_a_tampered_image_is_a_mismatch_exit_1(entry, capsys, tmp_path):
    """One byte changed: a clear mismatch line naming both digests, exit status 1."""
    row, _ = entry
    tampered = tmp_path / "tampered.bin"
    tampered.write_bytes(FIRMWARE[:-1] + b"\x00")
    assert main(["cpl", "verify-hash", "--entry", str(row.pk), "--firmware",
                 str(tampered)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("MISMATCH:")
    assert row.firmware_sha256 in out and hashlib.sha256(tampered.read_bytes()).hexdigest() in out


@pytest.mark.parametrize("args, words", [
    (["--entry", "999999", "--firmware", "{image}"], "no such CPL entry"),
    (["--entry", "abc", "--firmware", "{image}"], "not an entry id"),
    (["--entry", "{pk}", "--firmware", "/nonexistent/firmware.bin"], "no such file"),
    (["--entry", "{pk}"], "required"),
])
def test_bad_input_exits_2_with_one_line(entry, capsys, args, words):
    row, image = entry
    filled = [a.format(image=image, pk=row.pk) for a in args]
    assert exit_code(["cpl", "verify-hash", *filled]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1


def exit_code(argv: list[str]) -> int:
    """The command's exit status, whether it returns it or argparse exits with it."""
    try:
        return main(argv)
    except SystemExit as leaving:
        return int(leaving.code or 0)


@pytest.mark.parametrize("change, field", [
    ({"model_hex": "XYZ"}, "model_hex"), ({"firmware_version": "1.2"}, "firmware_version"),
    ({"firmware_sha256": "abc"}, "firmware_sha256")])
def test_a_bad_cpl_entry_is_refused_and_nothing_is_written(demo, change, field):
    arguments = {"manufacturer": "Acme", "model_hex": "A1", "firmware_version": "0105",
                 "firmware_sha256": "0" * 64, **change}
    before = (CplEntry.objects.count(),
              JournalEntry.objects.filter(action="notices.cpl_entry").count())
    with pytest.raises(services.NoticeError, match=field):
        services.add_cpl_entry(demo["secas"], **arguments)
    assert (CplEntry.objects.count(),
            JournalEntry.objects.filter(action="notices.cpl_entry").count()) == before


def test_notices_export_as_json_for_secas(demo, capsys):
    services.file_notice(demo["rep-HEARTH"], party=Party.objects.get(party_id="HEARTH"),
                         kind="incident", title="=cmd()", description="d", event_on=TODAY)
    assert main(["notices", "export", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["party"] == "HEARTH" and r["clause"] == "G3.5" for r in rows)
    assert main(["notices", "export", "--format", "csv"]) == 0
    assert "'=cmd()" in capsys.readouterr().out  # a formula is not run by a spreadsheet


def test_notices_remind_runs_as_of_today_by_default_for_cron(demo, capsys):
    from secassure.accounts.models import Person
    Person.objects.filter(username="rep-KESTREL").update(email="k@example.org")
    assert main(["notices", "remind"]) == 0
    assert "reminders sent to" in capsys.readouterr().err
    entry = JournalEntry.objects.filter(action="notices.reminders.sent").latest("id")
    assert entry.details["as_of"] == TODAY.isoformat()
    with pytest.raises(SystemExit) as bad:
        main(["notices", "remind", "--as-of", "yesterday"])
    assert bad.value.code == 2
