"""Whole-database copies: checking a backup, telling a sound database from a damaged one, restoring."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from desk_app.store.connection import NewerDatabaseError, StoreError, classify, connect_read_only, tidy_after_read

if TYPE_CHECKING:  # the store builds the Copies aggregate: no import at run time
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


def verify_copy(path: Path) -> int | None:
    """The number of dossiers in a copy that passes SQLite's integrity check, else None.

    Opened read-only; a copy this version cannot read (newer, foreign) raises its StoreError.
    """
    try:
        db, created = connect_read_only(path)
    except StoreError as exc:
        if exc.code in ("corrupt", "not_database"):
            return None
        raise
    try:
        ok = db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = int(db.execute("SELECT count(*) FROM dossiers").fetchone()[0])
    except sqlite3.DatabaseError:
        return None
    finally:
        db.close()
        if created:
            tidy_after_read(path)
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


def set_aside(database: Path, at: dt.datetime) -> Path:
    """Rename the database and its -wal/-shm to ``<name>.damaged-YYYYMMDD-HHMMSS``; never delete them.

    The -wal must go with it: left beside a restored file, SQLite would replay it into the copy.
    """
    kept = database.with_name(f"{database.name}.damaged-{at:%Y%m%d-%H%M%S}")
    for suffix in ("", *SIDE_FILES):
        source = Path(f"{database}{suffix}")
        if source.exists():
            source.replace(Path(f"{kept}{suffix}"))
    return kept


def restore_copy(backup: Path, database: Path) -> None:
    """Write ``backup`` to ``database`` through the backup API; the final name appears only when complete."""
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
