"""A notice's file is served only while it has the SHA-256 recorded at upload; a download
refused by that check is journaled (what was wrong, both digests), never with the file's
content, so SECAS learns of it."""
from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from secassure.core.journal.models import JournalEntry
from secassure.core.journal.words import describe
from secassure.notices.models import Notice, NoticeAttachment

CONTENT = b"09:02 alert raised\n09:40 accounts locked\n"
TAMPERED = b"09:02 nothing happened\n"


def _uploaded(client_for, settings, tmp_path) -> NoticeAttachment:
    settings.MEDIA_ROOT = tmp_path
    notice = Notice.objects.get(party__party_id="HEARTH", kind="incident")
    client = client_for("rep-HEARTH")
    answer = client.post(f"/notices/{notice.pk}/attach/",
                         {"file": SimpleUploadedFile("timeline.txt", CONTENT)})
    assert answer.status_code == 302
    return NoticeAttachment.objects.filter(notice=notice).latest("id")


def test_an_altered_file_is_refused_and_the_refusal_journaled(client_for, settings, tmp_path):
    row = _uploaded(client_for, settings, tmp_path)
    client = client_for("rep-HEARTH")
    intact = client.get(f"/notices/attachments/{row.pk}/")
    assert intact.status_code == 200 and b"".join(intact.streaming_content) == CONTENT
    assert not JournalEntry.objects.filter(action="notices.attachment_failed_check").exists()

    Path(row.file.path).write_bytes(TAMPERED)
    refused = client.get(f"/notices/attachments/{row.pk}/")
    assert refused.status_code == 409 and b"altered" in refused.content
    entry = JournalEntry.objects.get(action="notices.attachment_failed_check")
    assert entry.subject == f"notice:{row.notice_id}" and entry.party.party_id == "HEARTH"
    assert entry.details["problem"] == "altered" and entry.details["attachment"] == row.pk
    assert entry.details["sha256"] == hashlib.sha256(CONTENT).hexdigest()
    assert entry.details["found"] == hashlib.sha256(TAMPERED).hexdigest()
    said = f"{entry.reason} {entry.details}"
    assert "alert raised" not in said and "nothing happened" not in said
    assert describe(entry) == "notice attachment failed its integrity check"


def test_a_missing_file_is_refused_and_journaled(client_for, settings, tmp_path):
    row = _uploaded(client_for, settings, tmp_path)
    Path(row.file.path).unlink()
    client = client_for("secas")
    assert client.get(f"/notices/attachments/{row.pk}/").status_code == 409
    entry = JournalEntry.objects.get(action="notices.attachment_failed_check")
    assert entry.details["problem"] == "missing" and entry.actor.username == "secas"
