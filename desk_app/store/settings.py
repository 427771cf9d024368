"""The desk's settings: one JSON value per key (profile, printer, fee book, calendar rules ...)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the store builds this aggregate: no import at run time
    from desk_app.store.store import Store


class Settings:
    """Read and write settings; changes go through the recorder (one event, one audit entry)."""

    def __init__(self, store: Store) -> None:
        self.db = store.db

    def get(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return default if row is None else json.loads(row[0])

    def all(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM settings")}

    def put(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            self.db.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False)],
            )
