"""Scans carried inside a backup file: the encrypted files as rows of ``backup_scan_files`` in
the copy (never in the live database), so that one file, verified before it takes its final
name, holds the dossiers and their scans, and restores on another machine."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from desk_app.store.connection import connect_read_only, tidy_after_read

TABLE = "backup_scan_files"


def referenced(copy: Path) -> set[str]:
    """The content hashes the copy's scan rows name."""
    conn = sqlite3.connect(str(copy))
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'scans'").fetchone():
            return set()
        return {str(sha) for (sha,) in conn.execute("SELECT DISTINCT sha256 FROM scans")}
    finally:
        conn.close()


def add_files(copy: Path, hashes: list[str], read: Callable[[str], bytes | None]) -> list[str]:
    """Put each file ``read(sha)`` gives into the copy (one transaction); returns the hashes it had no file for."""
    missing = []
    conn = sqlite3.connect(str(copy))
    try:
        with conn:
            conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (sha256 TEXT PRIMARY KEY, sealed BLOB NOT NULL)")
            for sha in hashes:
                data = read(sha)
                if data is None:
                    missing.append(sha)
                else:
                    conn.execute(f"INSERT OR REPLACE INTO {TABLE}(sha256, sealed) VALUES (?, ?)", (sha, data))
    finally:
        conn.close()
    return missing


def files_in(copy: Path) -> Iterator[tuple[str, bytes]]:
    """(sha, sealed file) of every scan file a backup carries (read-only; none in an older backup)."""
    db, created = connect_read_only(copy)
    try:
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [TABLE]).fetchone() is None:
            return
        for sha, sealed in db.execute(f"SELECT sha256, sealed FROM {TABLE} ORDER BY sha256"):
            yield str(sha), bytes(sealed)
    finally:
        db.close()
        if created:
            tidy_after_read(copy)


def drop_files(conn: sqlite3.Connection) -> None:
    """After a restore: the files are back in the scans folder; the live database keeps no copy."""
    conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
