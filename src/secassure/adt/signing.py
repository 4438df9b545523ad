"""Signed files for thresholds and exit-quarantine instructions (G6.6A, G6.1(a)).

G6.6A: an amended Anomaly Detection Threshold is applied only after a successful Check
Cryptographic Protection of the notification and confirmation that it has not been checked
successfully before. The algorithms are those of the SMKI: ECDSA on the P-256 curve with
SHA-256. A signature is detached, DER-encoded, and written as base64 text.
"""
from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec


class SignatureError(ValueError):
    """The file's signature does not check against the key, or a key is not usable."""


def generate_key() -> tuple[bytes, bytes]:
    """A new P-256 key pair as (private key PEM, public key PEM)."""
    private = ec.generate_private_key(ec.SECP256R1())
    private_pem = private.private_bytes(serialization.Encoding.PEM,
                                        serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private_pem, public_pem


def load_public_key(public_pem: bytes) -> ec.EllipticCurvePublicKey:
    try:
        key = serialization.load_pem_public_key(public_pem)
    except ValueError:
        raise SignatureError("not a PEM public key") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise SignatureError("the key is not an ECDSA P-256 key (the SMKI algorithm)")
    return key


def sign(data: bytes, private_pem: bytes) -> bytes:
    """The detached signature of `data`, as base64 text (one line)."""
    try:
        key = serialization.load_pem_private_key(private_pem, password=None)
    except (ValueError, TypeError):
        raise SignatureError("not an unencrypted PEM private key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise SignatureError("the key is not an ECDSA P-256 key (the SMKI algorithm)")
    return base64.b64encode(key.sign(data, ec.ECDSA(hashes.SHA256()))) + b"\n"


def verify(data: bytes, signature: bytes, public_pem: bytes) -> None:
    """Check Cryptographic Protection: SignatureError unless `signature` is `data` signed with
    the private key of `public_pem`."""
    key = load_public_key(public_pem)
    if not signature.strip():
        raise SignatureError("the file is not signed (no signature given)")
    try:
        der = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        der = signature  # a raw DER signature is accepted too
    try:
        key.verify(der, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise SignatureError("the signature does not match the file and the registered key "
                             "(the file was changed, or signed with another key)") from None


def fingerprint(public_pem: bytes) -> str:
    """SHA-256 of the key's SubjectPublicKeyInfo, to name a key without showing it."""
    der = load_public_key(public_pem).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()
