"""Scan files on disk, encrypted at rest (Luật 91/2025: ID-card images are sensitive data).

Each file is AES-256-GCM under the desk's scan key, named by the sha-256 of its plain content in
the scans folder beside the database (``desk-scans/``); the key is a 0600 file beside the
database (``desk-scans.key``), never in the database in clear (docs/trust.md, "Encryption at
rest"). The file's header and its content hash are the AEAD's associated data, so a file edited,
truncated, or swapped for another scan's file is refused, never shown.

A file is written whole (temp name, fsync, rename, fsync of the folder) before the row that
names it commits, so a committed row never points to a missing file; a file without a row (the
transaction failed or the program died) is an orphan that ``orphans`` finds and the check removes.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desk_app.domain.errors import DomainError
from desk_app.domain.scans import content_hash
from desk_app.services.durable_files import fsync_folder, write_durably

MAGIC = b"DSKSCAN1"
_KEY_ID_BYTES = 8
_NONCE_BYTES = 12
_HEADER = len(MAGIC) + _KEY_ID_BYTES + _NONCE_BYTES
# An orphan younger than this may be a scan whose row is being committed right now: left alone.
ORPHAN_MIN_AGE_S = 3600


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:2 * _KEY_ID_BYTES]


class KeyMissing(DomainError):
    def __init__(self, path: Path) -> None:
        super().__init__("scan_key_missing", f"Không có khoá mã hoá bản quét của quầy ({path}). Nếu cơ sở dữ liệu "
                         "vừa được khôi phục trên máy này, hãy đăng nhập bằng tài khoản quản trị để lấy lại khoá.")


@dataclass(frozen=True)
class ScanFiles:
    """The encrypted scan files of one database."""

    folder: Path
    key_path: Path

    @classmethod
    def beside(cls, database: Path) -> ScanFiles:
        return cls(database.parent / f"{database.stem}-scans", database.parent / f"{database.stem}-scans.key")

    # the key ----------------------------------------------------------------------------------

    def key(self) -> bytes | None:
        try:
            data = self.key_path.read_bytes()
        except FileNotFoundError:
            return None
        if len(data) != 32:
            raise DomainError("scan_key_damaged", f"Tệp khoá mã hoá bản quét {self.key_path} bị hỏng.")
        return data

    def require_key(self) -> bytes:
        key = self.key()
        if key is None:
            raise KeyMissing(self.key_path)
        return key

    def create_key(self) -> bytes:
        """A new random 256-bit key in a file only its owner reads (refused if one exists)."""
        key = AESGCM.generate_key(bit_length=256)
        self.key_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key)
            out.flush()
            os.fsync(out.fileno())
        fsync_folder(self.key_path.parent)
        return key

    def put_key(self, key: bytes) -> None:
        """Put back a key recovered from its wrapped copy (a database restored on another machine)."""
        write_durably(self.key_path, key)

    # the files --------------------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}.scan"

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def write(self, plain: bytes, key: bytes) -> str:
        """Encrypt and store ``plain`` (once per content); returns its sha-256."""
        sha = content_hash(plain)
        if not self.has(sha):
            write_durably(self.path(sha), seal(plain, key, sha))
        return sha

    def read(self, sha256: str, key: bytes | None = None) -> bytes:
        """The plain content of scan ``sha256``, or a Vietnamese refusal (missing, other key, tampered)."""
        try:
            sealed = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise DomainError("scan_file_missing", f"Không tìm thấy tệp bản quét {sha256[:12]}… trong "
                              f"{self.folder}; hãy khôi phục từ bản sao lưu.") from None
        return open_sealed(sealed, key if key is not None else self.require_key(), sha256)

    def hashes(self) -> set[str]:
        if not self.folder.is_dir():
            return set()
        return {p.stem for p in self.folder.glob("??/*.scan")}

    def orphans(self, referenced: set[str], *, now: float | None = None) -> list[Path]:
        """Files no row names, old enough not to be a scan being attached right now, and leftover
        temporary files of a program that died while writing."""
        moment = time.time() if now is None else now
        found = [self.path(sha) for sha in sorted(self.hashes() - referenced)]
        if self.folder.is_dir():
            found += sorted(self.folder.glob("??/.*.tmp"))
        return [p for p in found if moment - p.stat().st_mtime >= ORPHAN_MIN_AGE_S]


def seal(plain: bytes, key: bytes, sha256: str) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    header = MAGIC + bytes.fromhex(key_id(key)) + nonce
    return header + AESGCM(key).encrypt(nonce, plain, header + sha256.encode())


def open_sealed(sealed: bytes, key: bytes, sha256: str) -> bytes:
    tampered = DomainError("scan_tampered", f"Tệp bản quét {sha256[:12]}… đã bị sửa hoặc hỏng: không mở. Hãy "
                           "khôi phục tệp từ bản sao lưu và kiểm tra ai đã truy cập máy.")
    if len(sealed) < _HEADER + 16 or not sealed.startswith(MAGIC):
        raise tampered
    header = sealed[:_HEADER]
    if header[len(MAGIC):len(MAGIC) + _KEY_ID_BYTES].hex() != key_id(key):
        raise DomainError("scan_other_key", f"Tệp bản quét {sha256[:12]}… được mã hoá bằng khoá của quầy khác "
                          "hoặc khoá cũ; khoá hiện có không mở được.")
    try:
        plain = AESGCM(key).decrypt(header[-_NONCE_BYTES:], sealed[_HEADER:], header + sha256.encode())
    except InvalidTag:
        raise tampered from None
    if content_hash(plain) != sha256:  # cannot happen with the hash in the associated data; cheap to say
        raise tampered
    return plain
