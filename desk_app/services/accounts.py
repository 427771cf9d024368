"""Officers' accounts: add, sign in (with lock-out), change and reset passwords, roles, disable.

Passwords are kept as argon2id hashes (argon2-cffi, RFC 9106 low-memory profile: 64 MiB,
3 passes, 4 lanes; the parameters and salt live in the hash string, so stronger ones can come
later and old hashes are upgraded at the next sign-in). Accounts are the desk's own: their
changes are audited, but no outbox event carries a login or a hash to the hub.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, NoReturn

from desk_app.domain import events
from desk_app.domain.accounts import (
    AccountPolicy,
    Officer,
    Permission,
    Role,
    check_full_name,
    check_password,
    check_username,
)
from desk_app.domain.errors import DomainError
from desk_app.domain.text import nfc
from desk_app.services.desk import Desk
from desk_app.store import accounts as rows
from desk_app.store.accounts import OfficerRow

if TYPE_CHECKING:
    from argon2 import PasswordHasher

_HASHER: list[PasswordHasher] = []  # made on first use: argon2-cffi stays off the window's start path
POLICY_KEY = "account_policy"
BAD_CREDENTIALS = "Sai tên đăng nhập hoặc mật khẩu."


class SignInFailed(DomainError):
    """A refused sign-in; ``reason`` (unknown_user, bad_password, locked, disabled) is audited."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__("sign_in_failed", message, field="password")
        self.reason = reason



def _scan_keys() -> ModuleType:
    """services.scan_keys, loaded on first use: it brings argon2 and cryptography, which the
    window's start path must not load (tests/gui/test_start_path.py)."""
    from desk_app.services import scan_keys

    return scan_keys

def policy(desk: Desk) -> AccountPolicy:
    data = desk.store.settings.get(POLICY_KEY) or {}
    defaults = AccountPolicy()
    return AccountPolicy(**{k: int(data.get(k, getattr(defaults, k))) for k in AccountPolicy.__dataclass_fields__})


def set_policy(desk: Desk, **changes: int | None) -> AccountPolicy:
    """Change the lock-out and idle-lock settings (None: unchanged); an admin's setting."""
    desk.require(Permission.SETTINGS)
    current = policy(desk)
    values = {k: (getattr(current, k) if changes.get(k) is None else changes[k])
              for k in AccountPolicy.__dataclass_fields__}
    updated = AccountPolicy(**values)  # type: ignore[arg-type]
    stored = {POLICY_KEY: dict(values)}
    with desk.recorder.change(business_time=desk.clock()) as change:
        desk.store.settings.put(stored)
        change.event(events.Kind.SETTINGS_CHANGED, desk.desk_uuid(), events.settings_changed(stored))
        change.audit("desk.set_account_policy", "desk", POLICY_KEY, dict(values))
    return updated


def default_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106, low memory)."""
    if not _HASHER:
        from argon2 import PasswordHasher

        _HASHER.append(PasswordHasher())
    return _HASHER[0]


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def add_officer(desk: Desk, *, username: str, full_name: str, roles: frozenset[Role], password: str,
                hasher: PasswordHasher | None = None) -> Officer:
    """Create an account. The first one, on a desk run by its set-up administrator, must be an
    administrator (otherwise nobody could manage the others); later ones need an admin."""
    hasher = hasher or default_hasher()
    first = not rows.has_officers(desk.store)
    if not first:
        desk.require(Permission.ACCOUNTS)
    elif Role.ADMIN not in roles:
        raise DomainError("first_account_admin", "Tài khoản đầu tiên của quầy phải có vai trò quản trị (admin).",
                          field="roles")
    officer = Officer(check_username(username), check_full_name(full_name), roles)
    secret = hasher.hash(check_password(password, policy(desk)))
    now = desk.device_clock()
    with desk.store.transaction():
        if rows.find(desk.store, officer.username) is not None:
            raise DomainError("username_taken", f"Đã có tài khoản '{officer.username}'.", field="username")
        rows.insert(desk.store, officer, secret, at=now)
        desk.audit("officer.add", "officer", officer.username,
                   {"full_name": officer.full_name, "roles": sorted(r.value for r in roles)}, now)
        _scan_keys().after_new_officer(desk, officer, password)
    return officer


def sign_in(desk: Desk, username: str, password: str, *, via: str, hasher: PasswordHasher | None = None) -> Officer:
    """Check the password; on success ``desk`` acts as the officer from now on.

    Wrong passwords are counted: after ``max_failures`` in a row the account is locked for
    ``lockout_minutes`` (no password is even checked meanwhile). Success and failure are both
    audited. On write-protected media nothing can be recorded: the check alone decides.
    """
    hasher = hasher or default_hasher()
    login = nfc(username).strip().lower()[:64]
    now = desk.device_clock()
    row = rows.find(desk.store, login)
    if row is None:
        _verify(hasher, _DUMMY_HASH, password)  # the same time whether the login exists or not
        _refuse(desk, login, "unknown_user", BAD_CREDENTIALS, now, via)
    if not row.officer.active:
        _refuse(desk, login, "disabled", f"Tài khoản {login} đã bị vô hiệu hoá; hãy liên hệ quản trị viên.", now, via)
    if row.locked_until is not None and now < row.locked_until:
        _refuse(desk, login, "locked", _locked_message(desk, row.locked_until), now, via)
    if not _verify(hasher, row.password_hash, password):
        failed, locked_until = policy(desk).after_failure(row.failed_attempts, now)
        message = _locked_message(desk, locked_until) if locked_until else BAD_CREDENTIALS
        _refuse(desk, login, "bad_password", message, now, via,
                record=lambda: rows.record_failure(desk.store, login, failed, locked_until))
    desk.sign_in(row.officer)
    if not desk.store.read_only:
        with desk.store.transaction():
            rows.record_login(desk.store, login, now)
            if hasher.check_needs_rehash(row.password_hash):
                rows.set_password_hash(desk.store, login, hasher.hash(password), at=None)
            desk.audit("officer.login", "officer", login, {"via": via}, now)
        _scan_keys().after_sign_in(desk, row.officer, password)
    return row.officer


def _locked_message(desk: Desk, until: dt.datetime) -> str:
    return (f"Tài khoản tạm khoá vì nhập sai mật khẩu nhiều lần; thử lại sau "
            f"{desk.localise(until):%H:%M %d/%m/%Y} hoặc nhờ quản trị viên đặt lại mật khẩu.")


def _refuse(desk: Desk, login: str, reason: str, message: str, now: dt.datetime, via: str,
            record: Callable[[], None] | None = None) -> NoReturn:
    """Record the failed sign-in (committed), then refuse."""
    if not desk.store.read_only:
        with desk.store.transaction():
            if record is not None:
                record()
            desk.store.audit.add(actor=login, action="officer.login_failed", entity="officer", entity_id=login,
                                 detail={"reason": reason, "via": via}, at=now)
    raise SignInFailed(reason, message)


# Checked against when the login does not exist, so that answer takes as long as a wrong
# password (a literal: hashing at import time would slow every start).
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$kiFoJDcjz+zyLUgk9FdfnA$TlWbxiwGU6Il1uzJHAB8Cn4jTjkOQQJTpJawygLRqIA"


def change_password(desk: Desk, *, old: str, new: str, hasher: PasswordHasher | None = None) -> None:
    """The signed-in officer changes their own password (the current one is asked again)."""
    hasher = hasher or default_hasher()
    officer = desk.officer
    if officer is None:
        raise DomainError("sign_in_required", "Hãy đăng nhập trước khi đổi mật khẩu.")
    row = rows.find(desk.store, officer.username)
    if row is None or not _verify(hasher, row.password_hash, old):
        raise DomainError("wrong_password", "Mật khẩu hiện tại không đúng.", field="old_password")
    secret = hasher.hash(check_password(new, policy(desk)))
    now = desk.device_clock()
    with desk.store.transaction():
        rows.set_password_hash(desk.store, officer.username, secret, at=now)
        desk.audit("officer.change_password", "officer", officer.username, {}, now)
        _scan_keys().after_password_change(desk, officer.username, new)


def reset_password(desk: Desk, username: str, new: str, *, hasher: PasswordHasher | None = None) -> None:
    """An administrator sets a new password (and lifts a lock-out)."""
    hasher = hasher or default_hasher()
    desk.require(Permission.ACCOUNTS)
    row = _existing(desk, username)
    secret = hasher.hash(check_password(new, policy(desk)))
    now = desk.device_clock()
    with desk.store.transaction():
        rows.set_password_hash(desk.store, row.officer.username, secret, at=now)
        desk.audit("officer.reset_password", "officer", row.officer.username, {}, now)
        _scan_keys().after_password_change(desk, row.officer.username, None)


def update_officer(desk: Desk, username: str, *, full_name: str | None = None, roles: frozenset[Role] | None = None,
                   active: bool | None = None) -> Officer:
    """An administrator changes an account's name, roles or whether it may sign in. The last
    active administrator keeps that role and stays active."""
    desk.require(Permission.ACCOUNTS)
    row = _existing(desk, username)
    current = row.officer
    officer = Officer(
        current.username,
        current.full_name if full_name is None else check_full_name(full_name),
        current.roles if roles is None else roles,
        current.active if active is None else active,
    )
    now = desk.device_clock()
    with desk.store.transaction():
        admins = rows.active_admins(desk.store)
        if admins == [officer.username] and not (officer.active and Role.ADMIN in officer.roles):
            raise DomainError("last_admin", "Đây là tài khoản quản trị cuối cùng còn hoạt động: không thể bỏ vai trò "
                              "quản trị hay vô hiệu hoá nó.", field="roles")
        rows.update(desk.store, officer)
        detail = {"full_name": officer.full_name, "roles": sorted(r.value for r in officer.roles),
                  "active": officer.active}
        desk.audit("officer.update", "officer", officer.username, detail, now)
    if desk.officer is not None and desk.officer.username == officer.username:
        desk.sign_in(officer)  # one's own new name shows on the next paper
    return officer


def list_officers(desk: Desk) -> list[OfficerRow]:
    desk.require(Permission.ACCOUNTS)
    return rows.all_officers(desk.store)


def accounts_exist(desk: Desk) -> bool:
    return rows.has_officers(desk.store)


def _existing(desk: Desk, username: str) -> OfficerRow:
    row = rows.find(desk.store, nfc(username).strip().lower())
    if row is None:
        raise DomainError("unknown_officer", f"Không có tài khoản '{username}'.", field="username")
    return row
