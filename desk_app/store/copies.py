"""Whole-database copies: checking a backup, telling a sound database from a damaged one, restoring."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desk_app.store.connection import NewerDatabaseError, StoreError, classify, connect_read_only, tidy_after_read

if TYPE_CHECKING:  # the store builds the Copies aggregate: no import at run time
    from sqlite_utils import Database

    from desk_app.store.store import Store

SIDE_FILES = ("-wal", "-shm")


class Copies:
    """Copies of the open database (``store.copies``); checking and restoring them: the functions below."""

    def __init__(self, store: Store) -> None:
        self.db = store.db

    def backup(self, destination: Path) -> None:
        """A consistent copy through SQLite's backup API (never a file copy of a WAL database)."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(str(destination))
        try:
            self.db.conn.backup(target)
        finally:
            target.close()


@contextlib.contextmanager
def _reading(path: Path, unreadable: tuple[str, ...]) -> Iterator[Database | None]:
    """A copy opened read-only, closed afterwards with the side files the read made tidied away;
    None when opening fails with one of the ``unreadable`` codes (other StoreErrors go up)."""
    try:
        db, created = connect_read_only(path)
    except StoreError as exc:
        if exc.code not in unreadable:
            raise
        yield None
        return
    try:
        yield db
    finally:
        db.close()
        if created:
            tidy_after_read(path)


def verify_copy(path: Path) -> int | None:
    """The number of dossiers in a copy that passes SQLite's integrity check, else None.

    Opened read-only; a copy this version cannot read (newer, foreign) raises its StoreError.
    """
    with _reading(path, ("corrupt", "not_database")) as db:
        if db is None:
            return None
        try:
            ok = db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = int(db.execute("SELECT count(*) FROM dossiers").fetchone()[0])
        except sqlite3.DatabaseError:
            return None
    return count if ok else None


def is_sound(path: Path) -> bool:
    """Whether the database opens and passes a quick check (a newer one counts as sound: it is not ours to judge)."""
    try:
        db, created = connect_read_only(path)
    except NewerDatabaseError:
        return True
    except StoreError as exc:
        if exc.code in ("corrupt", "not_database"):
            return False
        raise
    try:
        return bool(db.execute("PRAGMA quick_check").fetchone()[0] == "ok")
    except sqlite3.DatabaseError:
        return False
    finally:
        db.close()
        if created:
            tidy_after_read(path)


def set_aside(database: Path, at: dt.datetime, *, label: str = "damaged") -> Path:
    """Rename the database and its -wal/-shm to ``<name>.<label>-YYYYMMDD-HHMMSS``; never delete them.

    ``label`` says why: ``damaged``, or ``replaced`` for a sound database a restore replaced.

    The -wal must go with it: left beside a restored file, SQLite would replay it into the copy.
    """
    kept = database.with_name(f"{database.name}.{label}-{at:%Y%m%d-%H%M%S}")
    n = 1
    while any(Path(f"{kept}{suffix}").exists() for suffix in ("", *SIDE_FILES)):  # two restores in one second
        n += 1
        kept = database.with_name(f"{database.name}.{label}-{at:%Y%m%d-%H%M%S}-{n}")
    for suffix in ("", *SIDE_FILES):
        source = Path(f"{database}{suffix}")
        if source.exists():
            source.replace(Path(f"{kept}{suffix}"))
    return kept


def restore_copy(backup: Path, database: Path) -> None:
    """Write ``backup`` to ``database`` through the backup API; the final name appears only when complete."""
    database.parent.mkdir(parents=True, exist_ok=True)  # a new PC: the data folder may not exist yet
    partial = database.with_name(database.name + ".restoring")
    partial.unlink(missing_ok=True)
    source, created = connect_read_only(backup)
    try:
        target = sqlite3.connect(str(partial))
        try:
            source.conn.backup(target)
        finally:
            target.close()
        os.replace(partial, database)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise classify(exc, database) from exc
    finally:
        source.close()
        if created:
            tidy_after_read(backup)


@dataclass(frozen=True)
class DeskCard:
    """Which desk a database file belongs to, as an officer recognises it, and what it holds."""

    desk_uuid: str
    set_up_at: str  # when the database (and so the desk's identity) was made, ISO 8601
    unit_code: str  # from the profile; empty when the desk was never set up
    desk_no: int | None
    commune: str
    dossiers: int | None  # None: the dossiers table cannot be read (a damaged file)
    last_received_at: str | None
    officers: int = 0  # accounts: restoring it needs one of its administrators


def read_card(path: Path) -> DeskCard | None:
    """The desk card of a database file, read-only; None when the file cannot be read as a desk."""
    count: int | None = None
    last: str | None = None
    with _reading(path, ("corrupt", "not_database", "missing_database")) as db:
        if db is None:
            return None
        try:
            identity = db.execute("SELECT desk_uuid, created_at FROM desk_identity WHERE id = 1").fetchone()
            profile_row = db.execute("SELECT value FROM settings WHERE key = 'profile'").fetchone()
            officers = int(db.execute("SELECT count(*) FROM officers").fetchone()[0])
            try:  # a damaged dossiers table still leaves whose desk the file is
                count, last = db.execute("SELECT count(*), max(received_at) FROM dossiers").fetchone()
            except sqlite3.DatabaseError:
                pass
        except sqlite3.DatabaseError:
            return None
    if identity is None:
        return None
    profile = json.loads(profile_row[0]) if profile_row else {}
    desk_no = profile.get("desk_no")
    return DeskCard(str(identity[0]), str(identity[1]), str(profile.get("unit_code", "")),
                    int(desk_no) if desk_no is not None else None, str(profile.get("commune", "")),
                    None if count is None else int(count), None if last is None else str(last), officers)
