"""The ledger table model: a million dossiers, fetched a page at a time on the store worker.

The view asks for what it paints; a row not loaded yet shows a placeholder and asks for its
page once; the page comes back through the runner, with its rows' sync marks (chờ gửi, đã gửi,
bị từ chối: one indexed query per page), and only its rows are repainted. A bounded
cache of pages (the farthest from where the user is go first) keeps memory flat however far
the user scrolls. Sorting and filtering are SQL (services.ledger), never Python over rows.
"""

from __future__ import annotations

import datetime as dt
import logging
from enum import IntEnum
from functools import partial
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF
from shiboken6 import isValid

from desk_app.gui.tasks import Runner
from desk_app.services import ledger
from desk_app.services.desk import Desk
from desk_app.services.ledger import (
    TIMELINESS_LABELS, LedgerFilter, LedgerRow, LedgerSort, SortColumn, SyncMark, Timeliness,
)

log = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex
PLACEHOLDER = "…"
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the LedgerRow of a loaded row, else None
SYNC_ROLE = Qt.ItemDataRole.UserRole + 2  # the SyncMark of a loaded row (sync column), else None


class Column(IntEnum):
    LEDGER_NO = 0
    CODE = 1
    APPLICANT = 2
    PROCEDURE = 3
    RECEIVED_AT = 4
    DUE_AT = 5
    STATUS = 6
    TIMELINESS = 7
    SYNC = 8


HEADERS = {
    Column.LEDGER_NO: "Số",
    Column.CODE: "Mã hồ sơ",
    Column.APPLICANT: "Người nộp",
    Column.PROCEDURE: "Thủ tục",
    Column.RECEIVED_AT: "Ngày nhận",
    Column.DUE_AT: "Hẹn trả",
    Column.STATUS: "Trạng thái",
    Column.TIMELINESS: "Hạn",
    Column.SYNC: "Đồng bộ",
}
SYNC_LABELS = {"pending": "chờ gửi", "synced": "đã gửi", "rejected": "bị từ chối"}
SYNC_TIPS = {
    "pending": "Có thay đổi của hồ sơ chưa được máy chủ xác nhận; sẽ gửi khi có kết nối.",
    "synced": "Máy chủ đã nhận mọi thay đổi của hồ sơ.",
    "rejected": "Máy chủ từ chối một thay đổi của hồ sơ",
}
SYNC_COLOURS = {"pending": "#8a5a00", "synced": "#2e7d32", "rejected": "#c62828"}
# "Hạn" sorts by the appointment: the most urgent open dossiers come together.
SORT_COLUMNS = {
    Column.LEDGER_NO: SortColumn.LEDGER_NO,
    Column.CODE: SortColumn.CODE,
    Column.APPLICANT: SortColumn.APPLICANT,
    Column.PROCEDURE: SortColumn.PROCEDURE,
    Column.RECEIVED_AT: SortColumn.RECEIVED_AT,
    Column.DUE_AT: SortColumn.DUE_AT,
    Column.STATUS: SortColumn.STATUS,
    Column.TIMELINESS: SortColumn.DUE_AT,
}


class LedgerSource(Protocol):
    """Where the rows come from; called on the worker thread, except ``now``."""

    def now(self) -> dt.datetime: ...
    def count(self, ledger_filter: LedgerFilter, at: dt.datetime) -> int: ...
    def page(
        self, ledger_filter: LedgerFilter, sort: LedgerSort, at: dt.datetime, offset: int, limit: int
    ) -> list[LedgerRow]: ...
    def sync_marks(self, dossier_uuids: list[str]) -> dict[str, SyncMark]: ...


class DeskLedger:
    """The ledger services of one desk, as a LedgerSource."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def now(self) -> dt.datetime:
        return ledger.now(self.desk)  # the clock only: safe on the GUI thread

    def count(self, ledger_filter: LedgerFilter, at: dt.datetime) -> int:
        return ledger.count(self.desk, ledger_filter, at=at)

    def page(
        self, ledger_filter: LedgerFilter, sort: LedgerSort, at: dt.datetime, offset: int, limit: int
    ) -> list[LedgerRow]:
        return ledger.page(self.desk, ledger_filter, sort, offset=offset, limit=limit, at=at)

    def sync_marks(self, dossier_uuids: list[str]) -> dict[str, SyncMark]:
        return ledger.sync_marks(self.desk, dossier_uuids)


def _time(moment: dt.datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M")


Page = tuple[list[LedgerRow], dict[str, SyncMark]]  # a page's rows and their sync marks


def _fetch(source: LedgerSource, f: LedgerFilter, sort: LedgerSort, at: dt.datetime, offset: int,
           limit: int) -> Page:
    """One page and its rows' sync marks, in one worker trip (the marks of the visible rows only)."""
    rows = source.page(f, sort, at, offset, limit)
    return rows, source.sync_marks([r.uuid for r in rows]) if rows else {}


class LedgerModel(QAbstractTableModel):
    """Lazy, SQL-sorted and SQL-filtered table over the dossiers of one desk."""

    counted = Signal(int)  # the filtered row count arrived (after a reset or a refresh)
    page_loaded = Signal(int)  # page number
    load_failed = Signal(str)  # a message for people

    def __init__(
        self,
        source: Desk | LedgerSource,
        runner: Runner,
        *,
        ledger_filter: LedgerFilter | None = None,
        sort: LedgerSort | None = None,
        page_size: int = 200,
        max_pages: int = 30,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source: LedgerSource = DeskLedger(source) if isinstance(source, Desk) else source
        self._runner = runner
        self._filter = ledger_filter or LedgerFilter()
        self._sort = sort or LedgerSort()
        self._page_size = page_size
        self._max_pages = max(3, max_pages)
        self._now = self._source.now()
        self._count = 0
        self._pages: dict[int, list[LedgerRow]] = {}
        self._marks: dict[int, dict[str, SyncMark]] = {}  # per page, evicted with it
        self._pending: set[int] = set()
        self._fresh: set[int] = set()  # pages loaded since the last refresh() began
        self._generation = 0  # answers of an older query (filter, sort, refresh) are dropped
        self._latest_page = 0
        self._answering_data = False
        self._icons: dict[Timeliness, QIcon] = {}
        self._start_count(reset=False)

    # state --------------------------------------------------------------------------------

    @property
    def ledger_filter(self) -> LedgerFilter:
        return self._filter

    @property
    def sort_order(self) -> LedgerSort:
        return self._sort

    @property
    def cached_pages(self) -> list[int]:
        return sorted(self._pages)

    @property
    def loading(self) -> bool:
        return bool(self._pending)

    def row_at(self, row: int) -> LedgerRow | None:
        """The row if its page is loaded; never fetches."""
        rows = self._pages.get(row // self._page_size)
        offset = row % self._page_size
        return rows[offset] if rows is not None and offset < len(rows) else None

    def sync_mark(self, row: int) -> SyncMark | None:
        """The row's sync mark if its page is loaded; never fetches."""
        found = self.row_at(row)
        marks = self._marks.get(row // self._page_size)
        return marks.get(found.uuid) if found is not None and marks is not None else None

    def set_filter(self, ledger_filter: LedgerFilter) -> None:
        """Show another selection of dossiers: a new query, counted and paged from the start."""
        self._filter = ledger_filter
        self._reset()

    def refresh(self) -> None:
        """Re-read after a save without resetting the view: the scroll position is kept."""
        self._start_count(reset=False)

    # Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return HEADERS[Column(section)]
        return super().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in SORT_COLUMNS.keys():
            return
        new = LedgerSort(SORT_COLUMNS[Column(column)], order == Qt.SortOrder.AscendingOrder)
        if new != self._sort:
            self._sort = new
            self._reset()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        row = self._load_row(index.row())
        column = Column(index.column())
        if row is None:
            return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole else None
        if column is Column.SYNC:
            return self._sync_data(self.sync_mark(index.row()), role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.TIMELINESS and row.timeliness:
            return self._icon(row.timeliness)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.LEDGER_NO:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # presentation -------------------------------------------------------------------------

    def _display(self, row: LedgerRow, column: Column) -> str:
        match column:
            case Column.LEDGER_NO:
                return str(row.ledger_no)
            case Column.CODE:
                return row.code
            case Column.APPLICANT:
                return row.applicant_name
            case Column.PROCEDURE:
                return row.procedure_name
            case Column.RECEIVED_AT:
                return _time(row.received_at)
            case Column.DUE_AT:
                return _time(row.due_at)
            case Column.STATUS:
                return row.status.label
            case _:
                return TIMELINESS_LABELS[row.timeliness] if row.timeliness else "—"

    def _sync_data(self, mark: SyncMark | None, role: int) -> Any:
        if mark is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return SYNC_LABELS.get(mark.state, mark.state)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = SYNC_TIPS.get(mark.state, "")
            return f"{tip}: {mark.reason}" if mark.state == "rejected" and mark.reason else tip
        if role == Qt.ItemDataRole.ForegroundRole and mark.state in SYNC_COLOURS:
            return QColor(SYNC_COLOURS[mark.state])
        if role == SYNC_ROLE:
            return mark
        return None

    def _tooltip(self, row: LedgerRow, column: Column) -> str:
        if column is Column.PROCEDURE:
            return f"{row.procedure_code} – {row.procedure_name}"
        if column is Column.APPLICANT and row.phone:
            return f"{row.applicant_name} – ĐT {row.phone}"
        if column is Column.LEDGER_NO:
            return f"Sổ năm {row.ledger_year}, số {row.ledger_no}"
        if column in (Column.DUE_AT, Column.TIMELINESS):
            lines = [f"Hẹn trả {_time(row.due_at)}" + (f": {row.due_reason}" if row.due_reason else "")]
            if row.finished_at:
                lines.append(f"Có kết quả lúc {_time(row.finished_at)}")
            if row.timeliness is None:
                lines.append(f"Trạng thái: {row.status.label}")
            return "\n".join(lines)
        return f"Trạng thái: {row.status.label}"

    def _icon(self, kind: Timeliness) -> QIcon:
        if kind not in self._icons:
            self._icons[kind] = _draw_icon(kind)
        return self._icons[kind]

    # loading ------------------------------------------------------------------------------

    def _reset(self) -> None:
        self.beginResetModel()
        self._count = 0
        self._pages.clear()
        self._marks.clear()
        self._pending.clear()
        self.endResetModel()
        self._start_count(reset=True)

    def _start_count(self, *, reset: bool) -> None:
        """Ask for the count and, in the same worker trip, the page the user is looking at."""
        self._generation += 1
        self._pending.clear()
        self._fresh.clear()
        self._now = now = self._source.now()
        generation, source, f, sort, size = self._generation, self._source, self._filter, self._sort, self._page_size
        pages = [0] if reset else sorted({0, *(p for p in self._pages if abs(p - self._latest_page) <= 1)})

        def job() -> tuple[int, dict[int, Page]]:
            return source.count(f, now), {p: _fetch(source, f, sort, now, p * size, size) for p in pages}

        self._runner.submit(job, partial(self._on_counted, generation), partial(self._on_failed, generation, None))

    def _current(self, generation: int) -> bool:
        # An answer may arrive after the window closed and deleted the model, or after the query
        # it answers was replaced by a new filter, sort or refresh: either way it is dropped.
        return isValid(self) and generation == self._generation

    def _on_counted(self, generation: int, answer: tuple[int, dict[int, Page]]) -> None:
        if not self._current(generation):
            return
        total, pages = answer
        for page in [p for p in self._pages if p not in self._fresh]:
            self._drop(page)  # loaded before the refresh: may be stale
        for page, (rows, marks) in pages.items():
            self._pages[page], self._marks[page] = rows, marks
        self._fresh.update(pages)
        old = self._count
        if total > old:
            self.beginInsertRows(QModelIndex(), old, total - 1)
            self._count = total
            self.endInsertRows()
        elif total < old:
            self.beginRemoveRows(QModelIndex(), total, old - 1)
            self._count = total
            self.endRemoveRows()
        if old and total:  # rows that stayed may hold other dossiers now
            self.dataChanged.emit(self.index(0, 0), self.index(min(old, total) - 1, len(Column) - 1))
        self.counted.emit(total)

    def _load_row(self, row: int) -> LedgerRow | None:
        page = row // self._page_size
        if page in self._pages:
            return self.row_at(row)
        self._answering_data = True  # a synchronous runner answers inside this call
        try:
            self._request_page(page)
        finally:
            self._answering_data = False
        return self.row_at(row)

    def _request_page(self, page: int) -> None:
        self._latest_page = page
        if page in self._pending:
            return
        self._pending.add(page)
        generation, source, f, sort, now, size = (
            self._generation, self._source, self._filter, self._sort, self._now, self._page_size
        )

        def job() -> Page | None:
            # Dragging the scroll bar asks for many pages; skip those the user has left behind.
            if generation != self._generation or abs(page - self._latest_page) > self._max_pages // 2:
                return None
            return _fetch(source, f, sort, now, page * size, size)

        self._runner.submit(job, partial(self._on_page, generation, page), partial(self._on_failed, generation, page))

    def _on_page(self, generation: int, page: int, answer: Page | None) -> None:
        if not self._current(generation):
            return
        self._pending.discard(page)
        if answer is None:
            return  # skipped: if it is still wanted, the next paint asks again
        rows, self._marks[page] = answer
        self._pages[page] = rows
        self._fresh.add(page)
        self._evict()
        first = page * self._page_size
        last = min(first + len(rows), self._count) - 1
        if last >= first and not self._answering_data:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))
        self.page_loaded.emit(page)

    def _evict(self) -> None:
        while len(self._pages) > self._max_pages:
            self._drop(max(self._pages, key=lambda p: abs(p - self._latest_page)))

    def _drop(self, page: int) -> None:
        del self._pages[page]
        self._marks.pop(page, None)

    def _on_failed(self, generation: int, page: int | None, error: BaseException) -> None:
        if not self._current(generation):
            return
        if page is not None:
            self._pending.discard(page)
        log.error("ledger query failed: %r", error)
        self.load_failed.emit(getattr(error, "message", None) or "Không đọc được sổ theo dõi hồ sơ.")


def _draw_icon(kind: Timeliness) -> QIcon:
    """A small shape per state, drawn in code (no image files); the text always goes with it."""
    size = 16
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    red, orange, amber, green, grey = (QColor(c) for c in ("#c62828", "#ef6c00", "#f9a825", "#2e7d32", "#546e7a"))
    white = QPen(QColor("white"), 2)
    if kind is Timeliness.OVERDUE:  # red disc with an exclamation mark
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(red)
        painter.drawEllipse(1, 1, 14, 14)
        painter.setPen(white)
        painter.drawLine(8, 4, 8, 9)
        painter.drawPoint(8, 12)
    elif kind is Timeliness.DUE_TODAY:  # orange warning triangle
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(orange)
        painter.drawPolygon(QPolygonF([QPointF(8, 1), QPointF(15, 15), QPointF(1, 15)]))
        painter.setPen(white)
        painter.drawLine(8, 6, 8, 10)
        painter.drawPoint(8, 13)
    elif kind is Timeliness.DUE_SOON:  # amber clock face
        painter.setPen(QPen(amber, 2))
        painter.drawEllipse(2, 2, 12, 12)
        painter.drawLine(8, 8, 8, 4)
        painter.drawLine(8, 8, 11, 8)
    elif kind is Timeliness.PAUSED:  # grey pause bars: waiting for the citizen
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(grey)
        painter.drawRect(4, 3, 3, 10)
        painter.drawRect(9, 3, 3, 10)
    elif kind is Timeliness.ON_TRACK:  # hollow green ring
        painter.setPen(QPen(green, 2))
        painter.drawEllipse(3, 3, 10, 10)
    else:  # finished: a tick, doubled when early, with a bar underneath when late
        colour = {Timeliness.DONE_LATE: red, Timeliness.DONE_ON_TIME: green}.get(kind, green)
        painter.setPen(QPen(colour, 2))
        painter.drawPolyline(QPolygonF([QPointF(2, 8), QPointF(6, 12), QPointF(14, 3)]))
        if kind is Timeliness.DONE_EARLY:
            painter.drawPolyline(QPolygonF([QPointF(2, 3), QPointF(5, 6), QPointF(9, 1)]))
        if kind is Timeliness.DONE_LATE:
            painter.setPen(QPen(grey, 2))
            painter.drawLine(2, 15, 14, 15)
    painter.end()
    return QIcon(pixmap)
