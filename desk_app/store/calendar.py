"""The work calendar's days off and make-up days, per year (derived or imported schedules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from desk_app.domain.holidays import DayEntry, DayKind

if TYPE_CHECKING:  # the store builds this aggregate: no import at run time
    from desk_app.store.store import Store


class Calendar:
    """The stored yearly schedules of the work calendar."""

    def __init__(self, store: Store) -> None:
        self.db = store.db

    def replace_year(self, year: int, entries: Iterable[DayEntry], source: str) -> None:
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

    def schedules(self) -> dict[int, list[DayEntry]]:
        years: dict[int, list[DayEntry]] = {}
        rows = self.db.execute("SELECT date, year, name, kind, provisional FROM calendar_days ORDER BY date")
        for day, year, name, kind, provisional in rows:
            entry = DayEntry(dt.date.fromisoformat(day), name, DayKind(kind), bool(provisional))
            years.setdefault(year, []).append(entry)
        return years
