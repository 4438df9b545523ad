"""The journal's keys and where its checkpoints go, all outside the database.

- The chain key (HMAC-SHA256) makes every entry's hash depend on a secret: whoever can write
  to the database but does not hold the key cannot recompute a chain after rewriting it.
  From `SECASSURE_JOURNAL_KEY` (production: from the secrets store), otherwise generated once
  into the data directory (mode 600).
- The checkpoint key (Ed25519) signs the head of the chain now and then; the signed
  checkpoints are files in `SECASSURE_JOURNAL_CHECKPOINTS` (production: another machine's
  mount or an append-only bucket), so cutting off the newest entries, or recomputing the
  chain with a stolen chain key, is caught by `secassure journal verify`.
  From `SECASSURE_JOURNAL_SIGNING_KEY` (a PEM file's path), otherwise generated once into the
  data directory (mode 600).
"""
from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings


def _data_dir() -> Path:
    return Path(settings.SECASSURE_DATA_DIR)


def _create_once(path: Path, content: bytes) -> None:
    """Create a secret file (mode 600) whole or not at all: it is written under a temporary
    name and linked into place, so a concurrent reader never sees it half-written and a
    concurrent creator's file wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


def chain_key() -> bytes:
    """The HMAC key of the chain."""
    configured = os.environ.get("SECASSURE_JOURNAL_KEY", "")
    if configured:
        return configured.encode()
    path = _data_dir() / "journal_key"
    if not path.exists():
        _create_once(path, base64.urlsafe_b64encode(secrets.token_bytes(32)))
    return path.read_bytes().strip()


def signing_key() -> Ed25519PrivateKey:
    """The Ed25519 key that signs checkpoints."""
    configured = os.environ.get("SECASSURE_JOURNAL_SIGNING_KEY", "")
    path = Path(configured) if configured else _data_dir() / "journal_signing_key.pem"
    if not configured and not path.exists():
        _create_once(path, Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 private key")
    return key


def checkpoint_dir() -> Path:
    """Where signed checkpoints are written and read."""
    configured = getattr(settings, "SECASSURE_JOURNAL_CHECKPOINTS", "") or os.environ.get(
        "SECASSURE_JOURNAL_CHECKPOINTS", "")
    return Path(configured) if configured else _data_dir() / "journal_checkpoints"
