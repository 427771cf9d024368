"""The ledger (sổ theo dõi hồ sơ) use cases: count and page the filtered, sorted dossier list.

Thin on purpose: filtering, sorting and paging happen in SQLite (store.ledger); this layer
pins the desk's clock and offset, so "overdue" means the same thing everywhere. The values
are re-exported so the GUI imports services only.
"""

from __future__ import annotations

import datetime as dt

from desk_app.services.desk import Desk
from desk_app.store import ledger as store_ledger
from desk_app.store.ledger import (
    DUE_BUCKETS,
    DueBucket,
    LedgerFilter,
    LedgerRow,
    LedgerSort,
    SortColumn,
    Timeliness,
    timeliness,
)

__all__ = [
    "DUE_BUCKETS", "DueBucket", "LedgerFilter", "LedgerRow", "LedgerSort", "SortColumn", "Timeliness",
    "count", "now", "page", "rows_by_id", "timeliness",
]


def now(desk: Desk) -> dt.datetime:
    """The moment due buckets are judged against: the desk's clock, in the desk's offset."""
    return desk.localise(desk.clock())


def count(desk: Desk, ledger_filter: LedgerFilter, *, at: dt.datetime | None = None) -> int:
    """How many dossiers pass ``ledger_filter`` (due buckets judged at ``at``, default now)."""
    return store_ledger.count(desk.store, ledger_filter, desk.localise(at) if at else now(desk))


def page(
    desk: Desk,
    ledger_filter: LedgerFilter,
    sort: LedgerSort,
    *,
    offset: int,
    limit: int,
    at: dt.datetime | None = None,
) -> list[LedgerRow]:
    """Rows ``offset`` … ``offset + limit - 1`` of the filtered ledger in ``sort`` order."""
    moment = desk.localise(at) if at else now(desk)
    return store_ledger.page(desk.store, ledger_filter, sort, moment, offset, limit)


def rows_by_id(desk: Desk, ids: list[int], *, soon_days: int = 2, at: dt.datetime | None = None) -> list[LedgerRow]:
    """The ledger rows of these dossiers (e.g. one just saved), in the order given."""
    moment = desk.localise(at) if at else now(desk)
    return store_ledger.rows_by_id(desk.store, ids, moment, soon_days=soon_days)
