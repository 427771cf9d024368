"""Checking backup copies of the desk database (the copying itself is Store.backup)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desk_app.store.store import Store


@dataclass(frozen=True)
class BackupCheck:
    intact: bool  # SQLite's integrity_check passed
    dossiers: int


def database_file(store: Store) -> Path | None:
    """The file the store works on (None for an in-memory database)."""
    name = store.db.execute("PRAGMA database_list").fetchone()[2]
    return Path(name) if name else None


def check_backup(path: Path) -> BackupCheck:
    """Open a copy on its own connection: is it intact, and how many dossiers does it hold?"""
    copy = sqlite3.connect(path)
    try:
        intact = copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        found = int(copy.execute("SELECT count(*) FROM dossiers").fetchone()[0])
    except sqlite3.DatabaseError:  # not a database, or one without dossiers: not a backup
        return BackupCheck(False, 0)
    finally:
        copy.close()
    return BackupCheck(intact, found)
