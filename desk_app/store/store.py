"""The store façade: the only place that speaks SQL to the desk database."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only annotations: sqlite-utils stays off the start path
    from sqlite_utils import Database

from desk_app.domain.catalogue import Catalogue, Procedure
from desk_app.domain.catalogue_changes import CatalogueChanges
from desk_app.domain.catalogue_io import procedure_from_dict, procedure_to_dict
from desk_app.domain.dossier import Dossier
from desk_app.domain.guidance import SupplementGuidance
from desk_app.domain.holidays import DayEntry, DayKind
from desk_app.store import audit
from desk_app.store.connection import (
    BUSY_TIMEOUT_S,
    classify,
    connect,
    connect_read_only,
    immediate,
    tidy_after_read,
)
from desk_app.store import search
from desk_app.store.rows import dossier_from_row, dossier_row


def _procedure(body: str, retired_at: str | None) -> Procedure:
    procedure = procedure_from_dict(json.loads(body))
    return procedure if retired_at is None else replace(procedure, retired=True)


class Store:
    """Intention-revealing reads and writes over one desk database."""

    def __init__(self, db: Database, *, path: Path | None = None, read_only: bool = False,
                 tidy_on_close: bool = False) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only
        self._tidy_on_close = tidy_on_close

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

    # settings -------------------------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return default if row is None else json.loads(row[0])

    def settings(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM settings")}

    def put_settings(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            self.db.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False)],
            )

    # calendar -------------------------------------------------------------------------------

    def replace_calendar_year(self, year: int, entries: Iterable[DayEntry], source: str) -> None:
        """An imported schedule replaces whatever the year held (derived or older import)."""
        self.db.execute("DELETE FROM calendar_days WHERE year = ?", [year])
        self.db.table("calendar_days").insert_all(
            {
                "date": e.date.isoformat(),
                "year": year,
                "name": e.name,
                "kind": e.kind.value,
                "provisional": int(e.provisional),
                "source": source,
            }
            for e in entries
        )

    def calendar_schedules(self) -> dict[int, list[DayEntry]]:
        years: dict[int, list[DayEntry]] = {}
        rows = self.db.execute("SELECT date, year, name, kind, provisional FROM calendar_days ORDER BY date")
        for day, year, name, kind, provisional in rows:
            entry = DayEntry(dt.date.fromisoformat(day), name, DayKind(kind), bool(provisional))
            years.setdefault(year, []).append(entry)
        return years

    # catalogue ------------------------------------------------------------------------------

    def apply_catalogue(self, catalogue: Catalogue, changes: CatalogueChanges, *, at: dt.datetime) -> None:
        """Write an import planned by ``plan_import``: upsert every incoming procedure by code
        (use counts survive), retire and delete what the plan removes. A code that dossiers
        refer to is retired, never deleted, whatever the plan says: the check is repeated here."""
        stamp = at.isoformat(timespec="seconds")
        self.db.table("catalogue_versions").upsert(
            {
                "version": catalogue.version,
                "imported_at": stamp,
                "source": catalogue.source,
                "procedure_count": len(catalogue.procedures),
            },
            pk="version",
        )
        self.db.conn.executemany(
            "INSERT INTO procedures(code, name, field, catalogue_version, body, search_key, use_count, retired_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 0, NULL) ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
            "field = excluded.field, catalogue_version = excluded.catalogue_version, body = excluded.body, "
            "search_key = excluded.search_key, retired_at = NULL",
            [
                (p.code, p.name, p.field, catalogue.version, json.dumps(procedure_to_dict(p), ensure_ascii=False),
                 p.search_key)
                for p in catalogue.procedures
            ],
        )
        in_use = self.procedure_codes_in_use()
        retire = [c.code for c in changes.retired] + [c.code for c in changes.deleted if c.code in in_use]
        self.db.conn.executemany("UPDATE procedures SET retired_at = ? WHERE code = ?", [(stamp, c) for c in retire])
        self.db.conn.executemany(
            "DELETE FROM procedures WHERE code = ?", [(c.code,) for c in changes.deleted if c.code not in in_use]
        )

    def procedure_codes_in_use(self) -> set[str]:
        """Codes that dossiers or guidance slips refer to: such a procedure is never deleted."""
        rows = self.db.execute(
            "SELECT DISTINCT procedure_code FROM dossiers UNION SELECT DISTINCT procedure_code FROM guidance_slips"
        )
        return {code for (code,) in rows}

    def catalogue_version(self) -> str | None:
        row = self.db.execute("SELECT version FROM catalogue_versions ORDER BY imported_at DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def procedures(self, *, include_retired: bool = False) -> list[Procedure]:
        """The procedures in the commune's list, the most used first, then by code; retired
        ones (kept for old dossiers) only when asked for."""
        where = "" if include_retired else "WHERE retired_at IS NULL "
        rows = self.db.execute(f"SELECT body, retired_at FROM procedures {where}ORDER BY use_count DESC, code")
        return [_procedure(body, retired_at) for body, retired_at in rows]

    def procedure(self, code: str) -> Procedure | None:
        """One procedure by code, a retired one too (its dossiers still print it)."""
        row = self.db.execute("SELECT body, retired_at FROM procedures WHERE code = ?", [code]).fetchone()
        return _procedure(row[0], row[1]) if row else None

    # sequences ------------------------------------------------------------------------------

    def take_code_sequence(self, day: str, desk_no: int, next_of: Any) -> int:
        """Reserve the next daily dossier sequence of this desk; ``next_of(last)`` picks it."""
        row = self.db.execute(
            "SELECT last_issued FROM code_sequences WHERE day = ? AND desk_no = ?", [day, desk_no]
        ).fetchone()
        number = int(next_of(row[0] if row else None))
        self.db.execute(
            "INSERT INTO code_sequences(day, desk_no, last_issued) VALUES (?, ?, ?) "
            "ON CONFLICT(day, desk_no) DO UPDATE SET last_issued = excluded.last_issued",
            [day, desk_no, number],
        )
        return number

    def take_ledger_no(self, year: int, desk_no: int) -> int:
        """Entries in the yearly ledger book of this desk are numbered from 1."""
        row = self.db.execute(
            "SELECT last_no FROM ledger_sequences WHERE year = ? AND desk_no = ?", [year, desk_no]
        ).fetchone()
        number = (row[0] if row else 0) + 1
        self.db.execute(
            "INSERT INTO ledger_sequences(year, desk_no, last_no) VALUES (?, ?, ?) "
            "ON CONFLICT(year, desk_no) DO UPDATE SET last_no = excluded.last_no",
            [year, desk_no, number],
        )
        return number

    # dossiers -------------------------------------------------------------------------------

    def insert_dossier(self, dossier: Dossier) -> int:
        cursor = self.db.execute(
            "INSERT INTO dossiers ({}) VALUES ({})".format(
                ", ".join(dossier_row(dossier)), ", ".join("?" for _ in dossier_row(dossier))
            ),
            list(dossier_row(dossier).values()),
        )
        dossier_id = int(cursor.lastrowid or 0)
        # Plain statements: sqlite-utils' insert() introspects the table on every call, which was
        # most of the cost of a reception.
        self.db.conn.executemany(
            "INSERT INTO dossier_documents(dossier_id, position, name, form, count) VALUES (?, ?, ?, ?, ?)",
            [(dossier_id, i, d.name, d.form.value, d.count) for i, d in enumerate(dossier.documents, start=1)],
        )
        search.index_dossier(self.db, dossier_id, dossier)
        self.db.execute(
            "UPDATE procedures SET use_count = use_count + 1 WHERE code = ?", [dossier.procedure_code]
        )
        return dossier_id

    def dossier_id(self, code: str) -> int | None:
        row = self.db.execute(
            "SELECT id FROM dossiers WHERE code = ? OR official_code = ?", [code, code]
        ).fetchone()
        return row[0] if row else None

    def dossier(self, code: str) -> Dossier | None:
        dossier_id = self.dossier_id(code)
        return None if dossier_id is None else self._load([dossier_id])[0]

    def dossiers(self, ids: list[int]) -> list[Dossier]:
        """The dossiers with these ids, in that order (unknown ids left out)."""
        return self._load(ids)

    def _load(self, ids: list[int]) -> list[Dossier]:
        if not ids:
            return []
        marks = ",".join("?" for _ in ids)
        cursor = self.db.execute(f"SELECT * FROM dossiers WHERE id IN ({marks})", ids)
        columns = [c[0] for c in cursor.description]
        rows = {r["id"]: r for r in (dict(zip(columns, values)) for values in cursor)}
        docs: dict[int, list[dict[str, Any]]] = {}
        cursor = self.db.execute(
            f"SELECT dossier_id, name, form, count FROM dossier_documents WHERE dossier_id IN ({marks}) "
            "ORDER BY dossier_id, position",
            ids,
        )
        for dossier_id, name, form, count in cursor:
            docs.setdefault(dossier_id, []).append({"name": name, "form": form, "count": count})
        return [dossier_from_row(rows[i], docs.get(i, [])) for i in ids if i in rows]

    def search(self, text: str, *, limit: int = 50) -> list[Dossier]:
        """Dossiers whose code, applicant, ID, phone or procedure start with every word of ``text``.

        Both sides are folded (NFC, no diacritics, đ→d), so "dang" finds "Đặng".
        """
        exact = self.dossier_id(text.strip())
        if exact is not None:  # a whole code: the unique index answers at once
            return self._load([exact])
        match = search.match_expression(self.db, text)
        if match is None:
            return []
        ids = [
            row[0]
            for row in self.db.execute(
                "SELECT rowid FROM dossier_search WHERE dossier_search MATCH ? "
                "ORDER BY rowid DESC LIMIT ?",
                [match, limit],
            )
        ]
        return self._load(ids)

    def count_dossiers(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM dossiers").fetchone()[0])

    # guidance slips (Mẫu 02) ------------------------------------------------------------------

    def take_guidance_seq(self, year: int, desk_no: int) -> int:
        """The next guidance slip number of this desk in ``year``, from 1; call inside the
        transaction that inserts the slip (the UNIQUE constraint guards the rest)."""
        row = self.db.execute(
            "SELECT max(seq) FROM guidance_slips WHERE year = ? AND desk_no = ?", [year, desk_no]
        ).fetchone()
        return int(row[0] or 0) + 1

    def insert_guidance(self, guidance: SupplementGuidance, *, year: int, desk_no: int, seq: int, actor: str) -> int:
        documents = [{"name": d.name, "form": d.form.value, "count": d.count} for d in guidance.documents]
        cursor = self.db.execute(
            "INSERT INTO guidance_slips(uuid, number, year, desk_no, seq, procedure_code, procedure_name, "
            "applicant_name, phone, documents, reason, issued_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                guidance.uuid, guidance.number, year, desk_no, seq, guidance.procedure_code, guidance.procedure_name,
                guidance.applicant_name, guidance.phone, json.dumps(documents, ensure_ascii=False),
                guidance.reason, guidance.issued_at.isoformat(timespec="seconds"), actor,
            ],
        )
        return int(cursor.lastrowid or 0)

    # audit ----------------------------------------------------------------------------------
    # Changes write their outbox event and audit entry through store.recorder; add_audit alone
    # is for actions that change nothing (viewing, printing, backing up).

    def add_audit(
        self, *, actor: str, action: str, entity: str, entity_id: str, detail: dict[str, Any], at: dt.datetime,
        actor_name: str = "",
    ) -> None:
        """The one way an audit entry is written (changes through the recorder, other actions
        directly): chained to the one before (store/audit.py), with this desk as device.

        ``actor``: the officer's login (or the system user on a desk without accounts);
        ``actor_name``: the officer's full name.
        """
        with self.transaction():
            audit.append(self.db, at=at, actor=actor, actor_name=actor_name, action=action, entity=entity,
                         entity_id=entity_id, detail=detail)

    def count_rows(self, table: str) -> int:
        if table not in {"dossiers", "dossier_documents", "fees", "outbox", "audit", "dossier_search", "guidance_slips"}:
            raise ValueError(table)
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    # maintenance ----------------------------------------------------------------------------

    def backup(self, destination: Path) -> None:
        """A consistent copy through SQLite's backup API (never a file copy of a WAL database)."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(str(destination))
        try:
            self.db.conn.backup(target)
        finally:
            target.close()
