"""Ed25519 keys for desks and the hub (``cryptography``): generate, store as text, sign, verify.

Keys and signatures travel as base64 of their raw bytes (32-byte keys, 64-byte signatures).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    """An Ed25519 private key (a desk's or the hub's). ``raw`` is its 32-byte seed."""

    raw: bytes = field(repr=False)

    @classmethod
    def generate(cls) -> SigningKey:
        key = Ed25519PrivateKey.generate()
        return cls(key.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw, ser.NoEncryption()))

    @classmethod
    def from_text(cls, text: str) -> SigningKey:
        """Raises ValueError for text that is not a base64 32-byte key."""
        try:
            raw = base64.b64decode(text.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError) as exc:
            raise ValueError(f"not a base64 key: {exc}") from None
        if len(raw) != 32:
            raise ValueError("an Ed25519 private key has 32 bytes")
        return cls(raw)

    def to_text(self) -> str:
        return _b64(self.raw)

    @property
    def public_text(self) -> str:
        """The public key as base64 of its 32 raw bytes: what the other side stores."""
        public = Ed25519PrivateKey.from_private_bytes(self.raw).public_key()
        return _b64(public.public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw))

    def sign(self, data: bytes) -> str:
        return _b64(Ed25519PrivateKey.from_private_bytes(self.raw).sign(data))


def is_public_key(text: str) -> bool:
    try:
        return len(base64.b64decode(text, validate=True)) == 32
    except (binascii.Error, ValueError):
        return False


def signature_ok(public_text: str, data: bytes, signature: str) -> bool:
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_text, validate=True))
        public.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
