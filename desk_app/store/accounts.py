"""The officers table: who may sign in, with which roles, and their lock-out state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desk_app.domain.accounts import Officer, Role
from desk_app.store.store import Store


@dataclass(frozen=True)
class OfficerRow:
    """An officer with what only sign-in needs: the password hash and the lock-out state."""

    officer: Officer
    password_hash: str
    failed_attempts: int
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None


_COLUMNS = "username, full_name, roles, active, password_hash, failed_attempts, locked_until, last_login_at"


def _row(values: tuple[object, ...]) -> OfficerRow:
    username, full_name, roles, active, password_hash, failed, locked_until, last_login = values
    officer = Officer(str(username), str(full_name), frozenset(Role(r) for r in str(roles).split()), bool(active))
    return OfficerRow(
        officer, str(password_hash), int(str(failed)),
        dt.datetime.fromisoformat(str(locked_until)) if locked_until else None,
        dt.datetime.fromisoformat(str(last_login)) if last_login else None,
    )


def _roles(roles: frozenset[Role]) -> str:
    return " ".join(role.value for role in Role if role in roles)


def has_officers(store: Store) -> bool:
    """Whether sign-in is required: any account exists (a disabled one too)."""
    return bool(store.db.execute("SELECT EXISTS (SELECT 1 FROM officers)").fetchone()[0])


def find(store: Store, username: str) -> OfficerRow | None:
    row = store.db.execute(f"SELECT {_COLUMNS} FROM officers WHERE username = ?", [username]).fetchone()
    return None if row is None else _row(tuple(row))


def all_officers(store: Store) -> list[OfficerRow]:
    return [_row(tuple(r)) for r in store.db.execute(f"SELECT {_COLUMNS} FROM officers ORDER BY username")]


def active_admins(store: Store) -> list[str]:
    rows = store.db.execute("SELECT username, roles FROM officers WHERE active = 1 ORDER BY username")
    return [str(u) for u, roles in rows if Role.ADMIN.value in str(roles).split()]


def insert(store: Store, officer: Officer, password_hash: str, *, at: dt.datetime) -> None:
    stamp = at.isoformat(timespec="seconds")
    store.db.execute(
        "INSERT INTO officers(username, full_name, roles, password_hash, active, created_at, password_changed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [officer.username, officer.full_name, _roles(officer.roles), password_hash, int(officer.active), stamp, stamp],
    )


def update(store: Store, officer: Officer) -> None:
    """Name, roles and whether the account is active."""
    store.db.execute(
        "UPDATE officers SET full_name = ?, roles = ?, active = ? WHERE username = ?",
        [officer.full_name, _roles(officer.roles), int(officer.active), officer.username],
    )


def set_password_hash(store: Store, username: str, password_hash: str, *, at: dt.datetime | None) -> None:
    """A new hash; ``at`` (a changed password, not a re-hash) also clears the lock-out."""
    if at is None:
        store.db.execute("UPDATE officers SET password_hash = ? WHERE username = ?", [password_hash, username])
        return
    store.db.execute(
        "UPDATE officers SET password_hash = ?, password_changed_at = ?, failed_attempts = 0, locked_until = NULL "
        "WHERE username = ?",
        [password_hash, at.isoformat(timespec="seconds"), username],
    )


def record_failure(store: Store, username: str, failed_attempts: int, locked_until: dt.datetime | None) -> None:
    store.db.execute(
        "UPDATE officers SET failed_attempts = ?, locked_until = ? WHERE username = ?",
        [failed_attempts, locked_until.isoformat(timespec="seconds") if locked_until else None, username],
    )


def record_login(store: Store, username: str, at: dt.datetime) -> None:
    store.db.execute(
        "UPDATE officers SET failed_attempts = 0, locked_until = NULL, last_login_at = ? WHERE username = ?",
        [at.isoformat(timespec="seconds"), username],
    )
