"""The ledger (sổ theo dõi hồ sơ) use cases: count and page the filtered, sorted dossier list.

Thin on purpose: filtering, sorting and paging happen in SQLite (store.ledger); this layer
pins the desk's clock and the work calendar, so "overdue" and "due soon" mean the same thing
everywhere. The values are re-exported so the GUI imports services only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from desk_app.domain.timeliness import TIMELINESS_LABELS, DueWindow, Timeliness, judge
from desk_app.services.desk import Desk
from desk_app.store import ledger as store_ledger
from desk_app.store import sync_state
from desk_app.store.ledger import (
    ALERT_BUCKETS, DUE_BUCKETS, DueBucket, LedgerFilter, LedgerRow, LedgerSort, SortColumn,
)

__all__ = [
    "ALERT_BUCKETS", "DUE_BUCKETS", "DueBucket", "DueWindow", "LedgerFilter", "LedgerRow", "LedgerSort", "SortColumn",
    "SOON_WORKING_DAYS", "SyncMark", "TIMELINESS_LABELS", "Timeliness", "count", "judge", "now", "page", "rows_by_id",
    "soon_days", "sync_marks", "window",
]

# "Due soon": due by the end of the Nth working day after today; the commune may set N.
SOON_WORKING_DAYS = 2
SOON_SETTING = "due_soon_working_days"


def soon_days(desk: Desk) -> int:
    """N of "due within N working days" (``desk-app settings due-soon N``; default 2)."""
    value = desk.store.settings.get(SOON_SETTING, SOON_WORKING_DAYS)
    return value if isinstance(value, int) and value > 0 else SOON_WORKING_DAYS


def now(desk: Desk) -> dt.datetime:
    """The moment due buckets are judged against: the desk's clock, in the desk's offset."""
    return desk.localise(desk.clock())


def window(desk: Desk, at: dt.datetime | None = None, *, soon_working_days: int | None = None) -> DueWindow:
    """Judge at ``at`` (default now); "soon" ends at midnight after the Nth next working day (N:
    the commune's setting unless given).

    The apology alert covers the due dates whose last day for an apology (the working day before
    the due day) is still to come and falls within the soon window: due after the first working
    day from today, and at the latest on the working day after the window's last day.
    """
    moment = desk.localise(at) if at else now(desk)
    calendar = desk.calendar()
    day = moment.date()
    for _ in range(soon_working_days if soon_working_days is not None else soon_days(desk)):
        day = calendar.next_working_day(day)

    def midnight_after(d: dt.date) -> dt.datetime:
        return dt.datetime.combine(d + dt.timedelta(days=1), dt.time(0), moment.tzinfo)

    today = moment.date()
    first_working = today if calendar.is_working_day(today) else calendar.next_working_day(today)
    return DueWindow(moment, midnight_after(day), midnight_after(first_working),
                     midnight_after(calendar.next_working_day(day)))


def count(desk: Desk, ledger_filter: LedgerFilter, *, at: dt.datetime | None = None) -> int:
    """How many dossiers pass ``ledger_filter`` (due buckets judged at ``at``, default now)."""
    return store_ledger.count(desk.store, ledger_filter, window(desk, at))


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
    return store_ledger.page(desk.store, ledger_filter, sort, window(desk, at), offset, limit)


def rows_by_id(desk: Desk, ids: list[int], *, at: dt.datetime | None = None) -> list[LedgerRow]:
    """The ledger rows of these dossiers (e.g. one just saved), in the order given."""
    return store_ledger.rows_by_id(desk.store, ids, window(desk, at))


@dataclass(frozen=True)
class SyncMark:
    """Where a dossier stands with the hub: ``state`` is "pending" (a change not yet acknowledged),
    "synced" (all acknowledged, or nothing to send) or "rejected" (a change of it was rejected;
    ``reason`` is the hub's Vietnamese reason)."""

    state: str
    reason: str = ""


def sync_marks(desk: Desk, dossier_uuids: Sequence[str]) -> dict[str, SyncMark]:
    """The sync mark of each of these dossiers (a ledger page's rows): one indexed query, and a
    second one for the reasons only when a row is rejected."""
    states = sync_state.dossier_marks(desk.store, dossier_uuids)
    rejected = [u for u, state in states.items() if state == "rejected"]
    reasons = sync_state.dossier_rejections(desk.store, rejected) if rejected else {}
    return {u: SyncMark(state, reasons.get(u, "")) for u, state in states.items()}
