"""Ledger queries: count, filter, sort and page the dossier list inside SQLite.

Built for a million dossiers: every sort walks one index (see migration 0002), a page first
picks its ids from that index alone (``LIMIT … OFFSET`` skips index entries, not table rows),
then reads only those rows. Times are compared as ISO strings, which is exact because every
stored time carries the desk's one fixed offset; the DueWindow must be in that offset too.
The full-text table holds exactly one row per dossier (the store writes both together).
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from desk_app.domain.dossier import Status
from desk_app.domain.timeliness import CLOCK_RUNNING, DueWindow, Timeliness, judge
from desk_app.store import search
from desk_app.store.store import Store

DueBucket = Literal["due_today", "due_soon", "overdue", "paused", "apology"]
DUE_BUCKETS: tuple[DueBucket, ...] = ("overdue", "due_today", "due_soon")
# The alerts beyond the time buckets: waiting for a supplement; an apology still allowed (and not
# yet sent) whose last day falls before the soon window ends.
ALERT_BUCKETS: tuple[DueBucket, ...] = (*DUE_BUCKETS, "paused", "apology")


@dataclass(frozen=True)
class LedgerFilter:
    """Which dossiers the ledger shows; every criterion given must hold (empty = no limit)."""

    statuses: tuple[Status, ...] = ()
    procedure_code: str | None = None
    received_from: dt.date | None = None  # inclusive, the desk's local date
    received_to: dt.date | None = None  # inclusive
    due: DueBucket | None = None  # dossiers whose clock runs, judged against the query's DueWindow
    text: str = ""  # words matched as prefixes in the folded full-text index, like store.dossiers.search


class SortColumn(str, Enum):
    LEDGER_NO = "ledger_no"
    CODE = "code"
    APPLICANT = "applicant_name"
    PROCEDURE = "procedure_name"
    RECEIVED_AT = "received_at"
    DUE_AT = "due_at"
    STATUS = "status"


# Each sort is the leading columns of one index, then id (every index ends with the rowid),
# so SQLite reads the index in order instead of sorting. Names sort by their Vietnamese
# collation key (domain.text.sort_key), so "Đặng" comes after "Dương", not after "Z".
_SORT_KEYS: dict[SortColumn, tuple[str, ...]] = {
    SortColumn.LEDGER_NO: ("ledger_year", "ledger_no"),
    SortColumn.CODE: ("code",),
    SortColumn.APPLICANT: ("applicant_sort",),  # Vietnamese order (migration 0004)
    SortColumn.PROCEDURE: ("procedure_name",),
    SortColumn.RECEIVED_AT: ("received_at",),
    SortColumn.DUE_AT: ("due_at",),
    SortColumn.STATUS: ("status", "due_at"),
}


@dataclass(frozen=True)
class LedgerSort:
    column: SortColumn = SortColumn.RECEIVED_AT
    ascending: bool = False  # newest first


@dataclass(frozen=True)
class LedgerRow:
    """One ledger line: what the table shows and its tooltips, nothing more."""

    id: int
    code: str
    ledger_year: int
    ledger_no: int
    applicant_name: str
    procedure_code: str
    procedure_name: str
    received_at: dt.datetime
    due_at: dt.datetime
    due_reason: str
    status: Status
    fee_vnd: int
    phone: str | None
    finished_at: dt.datetime | None
    timeliness: Timeliness | None
    uuid: str = ""  # the dossier's UUID: what the outbox names, for the row's sync mark


# From this many full-text matches on, walking the sort index beats sorting the matches
# (measured at 1,000,000 dossiers: 200,000 matches sort in ~250 ms, the walk takes ~60 ms;
# under ~50,000 matches sorting wins, and the walk would read the whole index for few hits).
BROAD_SEARCH = 50_000

_ROW_COLUMNS = (
    "id, code, ledger_year, ledger_no, applicant_name, procedure_code, procedure_name, "
    "received_at, due_at, due_reason, status, fee_vnd, phone, finished_at, uuid"
)


def _marks(values: tuple[Any, ...]) -> str:
    return ", ".join("?" for _ in values)


# A whole dossier code, typed or scanned from a receipt's QR code.
_FULL_CODE = re.compile(r"[0-9A-Za-z.]+-\d{6}-\d{4}")


def _exact_code(text: str) -> str | None:
    """The code, when the text is one whole dossier code: looked up in its unique index.

    Through the full-text index it would be slow: the unit-code words ("000", "21", "h49")
    are in every dossier of the desk, so matching them reads every row's entry.
    """
    candidate = text.strip()
    return candidate if _FULL_CODE.fullmatch(candidate) else None


def _match(store: Store, text: str) -> str | None:
    """The FTS5 query of a search text: every folded word as a prefix, as store.dossiers.search does."""
    if _exact_code(text):
        return None
    return search.match_expression(store.db, text)


# The last match count per store, with what it was counted on: counting and paging one search
# would otherwise run the same full-text query twice. data_version moves when another
# connection commits, total_changes when this one writes, so a stale count is never reused.
_match_counts: weakref.WeakKeyDictionary[Store, tuple[tuple[str, int, int], int]] = weakref.WeakKeyDictionary()


def _matches(store: Store, match: str) -> int:
    key = (match, store.db.execute("PRAGMA data_version").fetchone()[0], store.db.conn.total_changes)
    known = _match_counts.get(store)
    if known is not None and known[0] == key:
        return known[1]
    cursor = store.db.execute("SELECT count(*) FROM dossier_search WHERE dossier_search MATCH ?", [match])
    found = int(cursor.fetchone()[0])
    _match_counts[store] = (key, found)
    return found


def _only_text(f: LedgerFilter) -> bool:
    return not (f.statuses or f.procedure_code or f.received_from or f.received_to or f.due)


def _where(store: Store, f: LedgerFilter, window: DueWindow, *, broad_text: bool = False) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.statuses:
        clauses.append(f"status IN ({_marks(f.statuses)})")
        params += [s.value for s in f.statuses]
    if f.procedure_code:
        clauses.append("procedure_code = ?")
        params.append(f.procedure_code)
    if f.received_from:
        clauses.append("received_at >= ?")
        params.append(f.received_from.isoformat())
    if f.received_to:  # stored times start with the local date, so "< next day" is inclusive
        clauses.append("received_at < ?")
        params.append((f.received_to + dt.timedelta(days=1)).isoformat())
    if f.due == "paused":
        clauses.append("status = ?")
        params.append(Status.SUPPLEMENT_REQUESTED.value)
    elif f.due:
        lower, upper = _due_range(f.due, window)
        clauses.append(f"status IN ({_marks(CLOCK_RUNNING)})")
        params += [s.value for s in CLOCK_RUNNING]
        if lower is not None:
            clauses.append("due_at >= ?")
            params.append(lower)
        clauses.append("due_at < ?")
        params.append(upper)
        if f.due == "apology":
            clauses.append("id NOT IN (SELECT dossier_id FROM dossier_steps WHERE action = 'apologize')")
    code = _exact_code(f.text)
    if code:
        clauses.append("(code IN (?, ?) OR official_code IN (?, ?))")
        params += [code, code.upper()] * 2
    match = _match(store, f.text)
    if match:
        # "+id" stops SQLite from looking up each match by rowid and sorting them all; it walks
        # the sort's index instead and checks each id against the matches, gathered once.
        column = "+id" if broad_text else "id"
        clauses.append(f"{column} IN (SELECT rowid FROM dossier_search WHERE dossier_search MATCH ?)")
        params.append(match)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _due_range(bucket: DueBucket, window: DueWindow) -> tuple[str | None, str]:
    """[lower, upper) of due_at for a bucket, as stored strings; the buckets do not overlap."""
    if bucket == "overdue":
        return None, _stamp(window.now)
    if bucket == "due_today":
        return _stamp(window.now), _stamp(window.end_of_today)
    if bucket == "due_soon":
        return _stamp(window.end_of_today), _stamp(window.soon_until)
    if bucket == "apology":
        if window.apology_from is None or window.apology_until is None:
            raise ValueError("the apology alert needs a window made with the work calendar")
        return _stamp(window.apology_from), _stamp(window.apology_until)
    raise ValueError(f"unknown due bucket {bucket!r}")


def _stamp(moment: dt.datetime) -> str:
    """A moment as due_at stores it."""
    return moment.isoformat(timespec="seconds")


def _order(sort: LedgerSort) -> str:
    direction = "ASC" if sort.ascending else "DESC"
    return ", ".join(f"{column} {direction}" for column in (*_SORT_KEYS[sort.column], "id"))


def count(store: Store, f: LedgerFilter, window: DueWindow) -> int:
    """How many dossiers the filter lets through."""
    match = _match(store, f.text)
    if match and _only_text(f):
        return _matches(store, match)  # one index row per dossier: no need to visit the table
    where, params = _where(store, f, window)
    return int(store.db.execute(f"SELECT count(*) FROM dossiers{where}", params).fetchone()[0])


def page(
    store: Store, f: LedgerFilter, sort: LedgerSort, window: DueWindow, offset: int, limit: int
) -> list[LedgerRow]:
    """Rows ``offset`` … ``offset + limit - 1`` of the filtered, sorted ledger.

    Ties are broken by id, so consecutive pages neither repeat nor skip a dossier.
    """
    if limit <= 0 or offset < 0:
        return []
    match = _match(store, f.text)
    where, params = _where(store, f, window, broad_text=match is not None and _matches(store, match) >= BROAD_SEARCH)
    ids = [
        row[0]
        for row in store.db.execute(
            f"SELECT id FROM dossiers{where} ORDER BY {_order(sort)} LIMIT ? OFFSET ?", [*params, limit, offset]
        )
    ]
    return rows_by_id(store, ids, window)


def rows_by_id(store: Store, ids: list[int], window: DueWindow) -> list[LedgerRow]:
    """Ledger rows of these dossiers, in the order given (missing ids are left out)."""
    if not ids:
        return []
    cursor = store.db.execute(f"SELECT {_ROW_COLUMNS} FROM dossiers WHERE id IN ({_marks(tuple(ids))})", ids)
    found = {values[0]: _row(values, window) for values in cursor}
    return [found[i] for i in ids if i in found]


def _row(values: tuple[Any, ...], window: DueWindow) -> LedgerRow:
    (dossier_id, code, ledger_year, ledger_no, applicant_name, procedure_code, procedure_name,
     received_at, due_at, due_reason, status, fee_vnd, phone, finished_at, dossier_uuid) = values
    status = Status(status)
    due = dt.datetime.fromisoformat(due_at)
    finished = dt.datetime.fromisoformat(finished_at) if finished_at else None
    return LedgerRow(
        id=dossier_id,
        code=code,
        ledger_year=ledger_year,
        ledger_no=ledger_no,
        applicant_name=applicant_name,
        procedure_code=procedure_code,
        procedure_name=procedure_name,
        received_at=dt.datetime.fromisoformat(received_at),
        due_at=due,
        due_reason=due_reason,
        status=status,
        fee_vnd=fee_vnd,
        phone=phone,
        finished_at=finished,
        timeliness=judge(status, due, finished, window),
        uuid=dossier_uuid,
    )
