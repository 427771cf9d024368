"""Guidance slips (Mẫu 02): supplement requests given at the counter with no dossier registered."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from desk_app.domain.events import documents_payload
from desk_app.domain.guidance import SupplementGuidance

if TYPE_CHECKING:  # the store builds this aggregate: no import at run time
    from desk_app.store.store import Store


class GuidanceSlips:
    """Numbering and writing guidance slips (through the recorder, with their event)."""

    def __init__(self, store: Store) -> None:
        self.db = store.db

    def take_seq(self, year: int, desk_no: int) -> int:
        """The next guidance slip number of this desk in ``year``, from 1; call inside the
        transaction that inserts the slip (the UNIQUE constraint guards the rest)."""
        row = self.db.execute(
            "SELECT max(seq) FROM guidance_slips WHERE year = ? AND desk_no = ?", [year, desk_no]
        ).fetchone()
        return int(row[0] or 0) + 1

    def insert(self, guidance: SupplementGuidance, *, year: int, desk_no: int, seq: int, actor: str) -> int:
        cursor = self.db.execute(
            "INSERT INTO guidance_slips(uuid, number, year, desk_no, seq, procedure_code, procedure_name, "
            "applicant_name, phone, documents, reason, issued_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                guidance.uuid, guidance.number, year, desk_no, seq, guidance.procedure_code, guidance.procedure_name,
                guidance.applicant_name, guidance.phone,
                json.dumps(documents_payload(guidance.documents), ensure_ascii=False),
                guidance.reason, guidance.issued_at.isoformat(timespec="seconds"), actor,
            ],
        )
        return int(cursor.lastrowid or 0)
