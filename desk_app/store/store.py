"""The store: the only place that speaks SQL to the desk database.

``Store`` opens and closes the database and makes transactions; what is in it is read and
written through one aggregate per topic: ``store.dossiers``, ``store.catalogue``,
``store.calendar``, ``store.settings``, ``store.guidance``, ``store.outbox``, ``store.audit``,
``store.copies`` (backups) and ``store.tables`` (row counts). Newer topics (accounts, papers,
lifecycle, sync state ...) are modules of functions taking the store.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only annotations: sqlite-utils stays off the start path
    from sqlite_utils import Database

from desk_app.store.audit import AuditTrail
from desk_app.store.calendar import Calendar
from desk_app.store.catalogue import StoredCatalogue
from desk_app.store.connection import (
    BUSY_TIMEOUT_S,
    Tables,
    classify,
    connect,
    connect_read_only,
    immediate,
    tidy_after_read,
)
from desk_app.store.copies import Copies
from desk_app.store.dossiers import Dossiers
from desk_app.store.guidance import GuidanceSlips
from desk_app.store.outbox import Outbox
from desk_app.store.settings import Settings


class Store:
    """One desk database: its connection, its transactions, and its aggregates."""

    def __init__(self, db: Database, *, path: Path | None = None, read_only: bool = False,
                 tidy_on_close: bool = False) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only
        self._tidy_on_close = tidy_on_close
        self.settings = Settings(self)
        self.calendar = Calendar(self)
        self.catalogue = StoredCatalogue(self)
        self.dossiers = Dossiers(self)
        self.guidance = GuidanceSlips(self)
        self.outbox = Outbox(self)
        self.audit = AuditTrail(self)
        self.copies = Copies(self)
        self.tables = Tables(self)

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False, busy_timeout: float = BUSY_TIMEOUT_S) -> Store:
        """Open for reading and writing (creating and migrating), or ``read_only``: nothing written.

        ``busy_timeout``: seconds to wait for another program's write before reporting a lock.
        """
        if read_only:
            db, tidy = connect_read_only(Path(path), busy_timeout=busy_timeout)
            return cls(db, path=Path(path), read_only=True, tidy_on_close=tidy)
        return cls(connect(path, busy_timeout=busy_timeout), path=None if str(path) == ":memory:" else Path(path))

    def close(self) -> None:
        self.db.close()
        if self._tidy_on_close and self.path is not None:
            tidy_after_read(self.path)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit: everything inside commits together or not at all.

        The outermost one takes the write lock at once (BEGIN IMMEDIATE), so programs sharing
        the file queue for up to the busy timeout instead of failing; nested ones are savepoints.
        """
        try:
            if self.db.conn.in_transaction:
                with self.db.atomic():
                    yield
            else:
                with immediate(self.db.conn):
                    yield
        except sqlite3.DatabaseError as exc:
            raise classify(exc, self.path) from exc
