"""The desk's scan key, kept so that a backup restored on another machine still opens its scans.

The key itself is a 0600 file beside the database (services/scan_files.py). A backup carries the
database and the encrypted scans but never that file, so a copied backup alone opens nothing.
Each administrator's sign-in leaves in the database a copy of the key wrapped (AES-GCM) under a
key derived from that administrator's password (argon2id, its own salt). On a machine where the
key file is missing, the first administrator who signs in unwraps it and puts the file back.
A changed or reset password re-wraps (or drops) that administrator's copy.
"""

from __future__ import annotations

import os

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desk_app.domain.accounts import Officer, Role
from desk_app.services.desk import Desk
from desk_app.services.scan_files import ScanFiles, key_id
from desk_app.store import scans as rows

# RFC 9106's second recommended profile, as the password hashes (services/accounts.py).
_TIME_COST, _MEMORY_KIB, _LANES = 3, 64 * 1024, 4


def scan_files(desk: Desk) -> ScanFiles | None:
    """The scan files of the desk's database (None for an in-memory one)."""
    return ScanFiles.beside(desk.store.path) if desk.store.path is not None else None


def _derive(password: str, salt: bytes) -> bytes:
    return hash_secret_raw(password.encode(), salt, time_cost=_TIME_COST, memory_cost=_MEMORY_KIB,
                           parallelism=_LANES, hash_len=32, type=Type.ID)


def wrap_for(desk: Desk, login: str, password: str, key: bytes) -> None:
    salt, nonce = os.urandom(16), os.urandom(12)
    wrapped = AESGCM(_derive(password, salt)).encrypt(nonce, key, login.encode())
    rows.put_key_wrap(desk.store, login, key_id(key), salt, nonce, wrapped, desk.device_clock())


def unwrap(desk: Desk, login: str, password: str) -> bytes | None:
    found = rows.key_wrap(desk.store, login)
    if found is None:
        return None
    _, salt, nonce, wrapped = found
    try:
        return AESGCM(_derive(password, salt)).decrypt(nonce, wrapped, login.encode())
    except InvalidTag:
        return None


def after_sign_in(desk: Desk, officer: Officer, password: str) -> None:
    """Called once an administrator's password was checked: put back a missing key file from the
    administrator's wrapped copy, or leave a wrapped copy for a key this administrator has none of."""
    files = scan_files(desk)
    if files is None or Role.ADMIN not in officer.roles or desk.store.read_only:
        return
    key = files.key()
    if key is None and (rows.all_hashes(desk.store) or rows.key_wraps(desk.store)):
        recovered = unwrap(desk, officer.username, password)
        if recovered is not None:
            files.put_key(recovered)
            with desk.store.transaction():
                desk.audit("scan.key_recovered", "desk", "scan_key", {"key_id": key_id(recovered)},
                           desk.device_clock())
        return
    if key is None:  # nothing scanned yet: made now, so that it is wrapped before the first scan
        key = files.create_key()
    found = rows.key_wrap(desk.store, officer.username)
    if found is None or found[0] != key_id(key):
        with desk.store.transaction():
            wrap_for(desk, officer.username, password, key)


def after_new_officer(desk: Desk, officer: Officer, password: str) -> None:
    """A new administrator (the first one above all, on a desk that already scanned without
    accounts) gets a wrapped copy at once."""
    files = scan_files(desk)
    key = files.key() if files is not None else None
    if key is not None and Role.ADMIN in officer.roles and not desk.store.read_only:
        with desk.store.transaction():
            wrap_for(desk, officer.username, password, key)


def after_password_change(desk: Desk, login: str, new_password: str | None) -> None:
    """The copy wrapped under the old password is replaced (own change) or dropped (an admin's
    reset: the new password is someone else's to know until that officer signs in)."""
    files = scan_files(desk)
    key = files.key() if files is not None else None
    with desk.store.transaction():
        rows.drop_key_wrap(desk.store, login)
        officer = desk.officer
        if key is not None and new_password is not None and officer is not None and Role.ADMIN in officer.roles:
            wrap_for(desk, login, new_password, key)

