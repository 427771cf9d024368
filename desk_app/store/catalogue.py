"""The commune's procedure catalogue as stored: its versions and procedures, with use counts."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import TYPE_CHECKING

from desk_app.domain.catalogue import Catalogue, Procedure
from desk_app.domain.catalogue_changes import CatalogueChanges
from desk_app.domain.catalogue_io import procedure_from_dict, procedure_to_dict

if TYPE_CHECKING:  # the store builds this aggregate: no import at run time
    from desk_app.store.store import Store


def _procedure(body: str, retired_at: str | None) -> Procedure:
    procedure = procedure_from_dict(json.loads(body))
    return procedure if retired_at is None else replace(procedure, retired=True)


class StoredCatalogue:
    """Reads and imports of the catalogue (reception bumps use counts through store.dossiers)."""

    def __init__(self, store: Store) -> None:
        self.db = store.db

    def apply(self, catalogue: Catalogue, changes: CatalogueChanges, *, at: dt.datetime) -> None:
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
        in_use = self.codes_in_use()
        retire = [c.code for c in changes.retired] + [c.code for c in changes.deleted if c.code in in_use]
        self.db.conn.executemany("UPDATE procedures SET retired_at = ? WHERE code = ?", [(stamp, c) for c in retire])
        self.db.conn.executemany(
            "DELETE FROM procedures WHERE code = ?", [(c.code,) for c in changes.deleted if c.code not in in_use]
        )

    def codes_in_use(self) -> set[str]:
        """Codes that dossiers or guidance slips refer to: such a procedure is never deleted."""
        rows = self.db.execute(
            "SELECT DISTINCT procedure_code FROM dossiers UNION SELECT DISTINCT procedure_code FROM guidance_slips"
        )
        return {code for (code,) in rows}

    def version(self) -> str | None:
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
