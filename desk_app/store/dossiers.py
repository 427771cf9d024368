"""Dossiers: their rows and documents, their search, and the numbers reception takes for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desk_app.domain.dossier import Dossier
from desk_app.store import search
from desk_app.store.rows import dossier_from_row, dossier_row

if TYPE_CHECKING:  # the store builds this aggregate: no import at run time
    from desk_app.store.store import Store


class Dossiers:
    """Reads and inserts of dossiers (status changes: store/lifecycle.py, through the recorder)."""

    def __init__(self, store: Store) -> None:
        self.db = store.db

    # numbers taken at reception ---------------------------------------------------------------

    def take_code_sequence(self, day: str, desk_no: int, next_of: Callable[[int | None], int]) -> int:
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

    # writing ----------------------------------------------------------------------------------

    def insert(self, dossier: Dossier) -> int:
        """Write a received dossier with its documents and search row; counts one use of its procedure."""
        row = dossier_row(dossier)
        cursor = self.db.execute(
            "INSERT INTO dossiers ({}) VALUES ({})".format(", ".join(row), ", ".join("?" for _ in row)),
            list(row.values()),
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

    # reading ----------------------------------------------------------------------------------

    def id_of(self, code: str) -> int | None:
        """The row id of the dossier with this code or official code."""
        row = self.db.execute(
            "SELECT id FROM dossiers WHERE code = ? OR official_code = ?", [code, code]
        ).fetchone()
        return row[0] if row else None

    def by_code(self, code: str) -> Dossier | None:
        dossier_id = self.id_of(code)
        return None if dossier_id is None else self.by_ids([dossier_id])[0]

    def by_ids(self, ids: list[int]) -> list[Dossier]:
        """The dossiers with these ids, in that order (unknown ids left out)."""
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
        exact = self.id_of(text.strip())
        if exact is not None:  # a whole code: the unique index answers at once
            return self.by_ids([exact])
        return self.by_ids(search.newest_matches(self.db, text, limit=limit))

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM dossiers").fetchone()[0])
