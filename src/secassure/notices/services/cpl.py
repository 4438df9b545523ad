"""CPL entries with their firmware hashes (G7.20(d), (i)), and CPA Certificate Remedial Plans
(G8.64)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from secassure.code.classification import Classification
from secassure.registry.models import Party

from ..models import CplEntry, RemedialPlan
from .base import (
    SSC_RECORDS,
    NoticeConflict,
    NoticeError,
    is_system,
    journal,
    now,
    require_filer,
    require_ssc,
    required,
    today,
)

_HEX = re.compile(r"^[0-9A-Fa-f]+$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20


def check_entry(manufacturer: str, model_hex: str, firmware_version: str,
                firmware_sha256: str) -> tuple[str, str, str]:
    """The model and firmware version as upper-case hex, the hash as lower-case hex; a
    NoticeError naming the field otherwise (a firmware version in BCD is hex digits 0-9)."""
    required(manufacturer, "manufacturer", "G7.20")
    model = model_hex.strip().removeprefix("0x").removeprefix("0X")
    if not model or not _HEX.match(model) or len(model) > 16:
        raise NoticeError(f"model_hex: {model_hex!r} is not a model in hex (1-16 digits)")
    version = firmware_version.strip().removeprefix("0x").removeprefix("0X")
    if not version or not _HEX.match(version) or len(version) > 16:
        raise NoticeError(f"firmware_version: {firmware_version!r} is not a version in BCD or "
                          "hex (1-16 digits)")
    digest = firmware_sha256.strip().lower()
    if not _SHA256.match(digest):
        raise NoticeError("firmware_sha256: not a SHA-256 (64 hex digits)")
    return model.upper(), version.upper(), digest


def add_cpl_entry(user: Any, *, manufacturer: str, model_hex: str, firmware_version: str,
                  firmware_sha256: str, certificate: str = "",
                  certificate_expires: date | None = None,
                  certificate_renewal: date | None = None, party: Party | None = None,
                  classification: str = Classification.RED.value) -> CplEntry:
    """A CPL entry recorded for the SSC, which monitors the risks to CPA certification. RED
    unless SECAS or the SSC classifies it lower (e.g. GREEN, for every Supplier Party)."""
    require_ssc(user, "CPL entry", "G7.20(d)", SSC_RECORDS)
    model, version, digest = check_entry(manufacturer, model_hex, firmware_version,
                                         firmware_sha256)
    if classification not in {c.value for c in Classification}:
        raise NoticeError(f"classification: one of {', '.join(c.value for c in Classification)}")
    if certificate_expires and certificate_renewal:
        raise NoticeError("certificate_renewal: only for a lifetime certificate (no expiry)")
    with transaction.atomic():
        entry = CplEntry.objects.create(
            manufacturer=manufacturer.strip(), model_hex=model, firmware_version=version,
            firmware_sha256=digest, certificate=certificate.strip(),
            certificate_expires=certificate_expires, certificate_renewal=certificate_renewal,
            party=party, added_by=user, added_at=now(), classification=classification)
        journal(user, "notices.cpl_entry", clause="G7.20(d)", party=party,
                subject=f"cpl:{entry.pk}", model=model, firmware=version, sha256=digest)
    return entry


@dataclass(frozen=True)
class HashCheck:
    entry: CplEntry
    expected: str
    found: str

    @property
    def matches(self) -> bool:
        return self.expected == self.found


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_firmware(entry: CplEntry, path: Path) -> HashCheck:
    """The firmware image at `path` held against the SHA-256 the entry records (seed 000: "a
    CPL entry with an incorrect hash value"). OSError if the file cannot be read."""
    return HashCheck(entry, entry.firmware_sha256, file_sha256(path))


def file_remedial_plan(user: Any, party: Party, entry: CplEntry, plan: str, review_by: date
                       ) -> RemedialPlan:
    """A Supplier Party's CPA Certificate Remedial Plan (G8.64), to be reviewed by a date. A
    revised plan (after the SSC asked for changes) is filed the same way, for the same entry."""
    require_filer(user, party, "CPA Certificate Remedial Plan", "G8.64")
    required(plan, "plan", "G8.64")
    if len(plan) > MAX_PLAN:
        raise NoticeError(f"plan: at most {MAX_PLAN} characters")
    if review_by < today():
        raise NoticeError("review_by: a date that has passed")
    with transaction.atomic():
        row = RemedialPlan.objects.create(party=party, entry=entry, plan=plan.strip(),
                                          review_by=review_by, filed_by=user, filed_at=now(),
                                          classification=Classification.RED.value)
        journal(user, "notices.remedial_plan", clause="G8.64", party=party,
                subject=f"remedial_plan:{row.pk}", review_by=review_by.isoformat(),
                entry=entry.pk)
    return row


#: The SSC's review of a remedial plan: its outcome -> (state, journal action).
PLAN_REVIEWS = {"accept": ("accepted", "notices.remedial_plan_accepted"),
                "changes": ("changes", "notices.remedial_plan_changes_asked")}
MAX_PLAN = 20_000


def review_remedial_plan(user: Any, plan: RemedialPlan, reviewed_on: date | None = None,
                         outcome: str = "accept", reasons: str = "") -> RemedialPlan:
    """The SSC (or SECAS recording it) reviews a plan (G8.64): accepts it, or asks for changes
    with its reasons (the party then files a revised plan). Once per plan (409 after)."""
    require_ssc(user, "Review of a CPA Certificate Remedial Plan", "G8.64", SSC_RECORDS)
    if outcome not in PLAN_REVIEWS:
        raise NoticeError(f"outcome: one of {', '.join(PLAN_REVIEWS)}")
    if outcome == "changes":
        required(reasons, "reasons", "G8.64: the changes the SSC asks for")
    if len(reasons) > MAX_PLAN:
        raise NoticeError(f"reasons: at most {MAX_PLAN} characters")
    reviewed_on = reviewed_on or today()
    state, action = PLAN_REVIEWS[outcome]
    with transaction.atomic():
        plan = RemedialPlan.objects.select_for_update().select_related("party").get(pk=plan.pk)
        if plan.reviewed_on or plan.state != "filed":
            raise NoticeConflict("The plan has been reviewed already.")
        plan.reviewed_on, plan.state = reviewed_on, state
        plan.reasons, plan.reviewed_by = reasons.strip(), user if not is_system(user) else None
        plan.save(update_fields=["reviewed_on", "state", "reasons", "reviewed_by"])
        journal(user, action, clause="G8.64", party=plan.party,
                subject=f"remedial_plan:{plan.pk}", reason=reasons.strip(), outcome=outcome)
    return plan
