"""The ledger model: passes the model tester, loads lazily and boundedly, sorts and filters in SQL."""

import datetime as dt
import re

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QTableView

from desk_app.domain.dossier import Status
from desk_app.domain.text import sort_key
from desk_app.gui.ledger_model import (
    HEADERS,
    PLACEHOLDER,
    ROW_ROLE,
    TIMELINESS_LABELS,
    Column,
    DeskLedger,
    LedgerModel,
)
from desk_app.gui.tasks import SyncRunner, TaskRunner
from desk_app.services.ledger import LedgerFilter, LedgerRow, SyncMark, Timeliness
from desk_app.services.reception import ReceptionRequest, receive
from tests.store.test_ledger import DOSSIERS, NOW, populate

VN = dt.timezone(dt.timedelta(hours=7))
DISPLAY, TOOLTIP, DECORATION = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DecorationRole


class CountingSource:
    """A LedgerSource wrapper that records which pages were fetched."""

    def __init__(self, inner):
        self.inner = inner
        self.pages = []
        self.counts = 0

    def now(self):
        return self.inner.now()

    def count(self, f, at):
        self.counts += 1
        return self.inner.count(f, at)

    def page(self, f, sort, at, offset, limit):
        self.pages.append(offset // limit)
        return self.inner.page(f, sort, at, offset, limit)

    def sync_marks(self, uuids):
        return self.inner.sync_marks(uuids)


class MillionRows:
    """A million synthetic rows without a database: for paging and memory behaviour."""

    total = 1_000_000

    def now(self):
        return NOW

    def count(self, f, at):
        return self.total

    def page(self, f, sort, at, offset, limit):
        return [_synthetic(i) for i in range(offset, min(offset + limit, self.total))]

    def sync_marks(self, uuids):
        return {u: SyncMark("pending") for u in uuids}


def _synthetic(i):
    due = NOW + dt.timedelta(days=1)
    return LedgerRow(i, f"X-{i}", 2026, i + 1, f"Người {i}", "2.000815", "Chứng thực", NOW, due, "", Status.RECEIVED,
                     0, None, None, Timeliness.DUE_SOON, f"uuid-{i}")


class ManualRunner:
    """Holds jobs until the test runs them: answers can arrive late and out of date."""

    def __init__(self):
        self.queue = []

    def submit(self, job, on_done=None, on_error=None):
        self.queue.append((job, on_done, on_error))

    def run_all(self):
        while self.queue:
            job, on_done, on_error = self.queue.pop(0)
            try:
                value = job()
            except Exception as exc:  # noqa: BLE001
                on_error(exc)
            else:
                on_done(value)


@pytest.fixture
def ledger_desk(desk, clock):
    populate(desk, clock)
    return desk


def names(model):
    return [model.data(model.index(r, Column.APPLICANT)) for r in range(model.rowCount())]


def test_passes_the_model_tester_with_a_synchronous_runner(qtmodeltester, ledger_desk):
    model = LedgerModel(ledger_desk, SyncRunner(), page_size=4)
    assert model.rowCount() == len(DOSSIERS)
    qtmodeltester.check(model)
    qtmodeltester.check(model, force_py=True)
    model.sort(Column.APPLICANT, Qt.SortOrder.AscendingOrder)
    model.set_filter(LedgerFilter(due="due_soon"))
    model.refresh()
    assert model.rowCount() == 1  # the supplement-waiting dossier is paused, in no due bucket


def test_passes_the_model_tester_with_the_real_worker(qtbot, qtmodeltester, ledger_desk):
    runner = TaskRunner()
    try:
        model = LedgerModel(ledger_desk, runner, page_size=4)
        qtmodeltester.check(model)
        qtbot.waitUntil(lambda: model.rowCount() == len(DOSSIERS))
        for row in range(model.rowCount()):
            model.data(model.index(row, 0))
        qtbot.waitUntil(lambda: not model.loading)
        assert sorted(names(model)) == sorted(d[0] for d in DOSSIERS)
        with qtbot.waitSignal(model.counted):
            model.set_filter(LedgerFilter(statuses=(Status.REFUSED,)))
        assert model.rowCount() == 1
    finally:
        runner.stop()


def test_first_view_comes_with_its_first_page_in_one_trip(ledger_desk):
    source = CountingSource(DeskLedger(ledger_desk))
    model = LedgerModel(source, SyncRunner(), page_size=4)
    assert (source.counts, source.pages) == (1, [0])
    assert model.row_at(0) is not None and model.row_at(4) is None


def test_only_requested_pages_are_fetched_and_only_once():
    source = CountingSource(MillionRows())
    model = LedgerModel(source, SyncRunner(), page_size=200)
    assert model.rowCount() == 1_000_000
    for row in (0, 5, 199, 450_123, 450_000, 999_999, 450_124):
        assert model.data(model.index(row, Column.CODE)) == f"X-{row}"
    assert source.pages == [0, 2250, 4999]


def test_placeholder_first_then_data_changed_for_that_page_only(qtbot):
    runner = ManualRunner()
    model = LedgerModel(MillionRows(), runner, page_size=100)
    runner.run_all()  # the count and page 0
    assert model.rowCount() == 1_000_000
    assert model.data(model.index(500_050, Column.CODE)) == PLACEHOLDER
    assert model.data(model.index(500_050, Column.CODE), ROW_ROLE) is None
    assert model.data(model.index(500_051, Column.CODE)) == PLACEHOLDER  # asks once per page
    assert len(runner.queue) == 1
    with qtbot.waitSignal(model.dataChanged) as changed:
        runner.run_all()
    top_left, bottom_right = changed.args[:2]
    assert (top_left.row(), top_left.column()) == (500_000, 0)
    assert (bottom_right.row(), bottom_right.column()) == (500_099, len(Column) - 1)
    assert model.data(model.index(500_050, Column.CODE)) == "X-500050"


def test_page_cache_stays_bounded_however_far_one_scrolls():
    model = LedgerModel(MillionRows(), SyncRunner(), page_size=200, max_pages=10)
    for row in range(0, 1_000_000, 7_919):
        model.data(model.index(row, 0))
    assert len(model.cached_pages) == 10
    assert 999_999 // 200 not in model.cached_pages  # never asked for
    assert max(range(0, 1_000_000, 7_919)) // 200 in model.cached_pages  # the farthest pages went
    assert 0 not in model.cached_pages


def test_answers_to_an_old_query_are_dropped():
    runner = ManualRunner()
    model = LedgerModel(MillionRows(), runner, page_size=100)
    runner.run_all()
    model.data(model.index(300_000, 0))  # page 3000 requested under the first filter
    model.set_filter(LedgerFilter(text="x"))
    runner.run_all()
    assert 3000 not in model.cached_pages
    assert model.cached_pages == [0]


def test_pages_left_behind_while_dragging_are_skipped():
    runner = ManualRunner()
    source = CountingSource(MillionRows())
    model = LedgerModel(source, runner, page_size=100, max_pages=10)
    runner.run_all()
    for row in range(0, 1_000_000, 50_000):  # the scroll bar dragged to the end
        model.data(model.index(row, 0))
    runner.run_all()
    assert source.pages == [0, 9500]  # only the last one and the first (with the count) ran


def test_filters_change_the_row_count(qtbot, ledger_desk):
    model = LedgerModel(ledger_desk, SyncRunner())
    assert model.rowCount() == len(DOSSIERS)
    with qtbot.waitSignal(model.modelReset):
        model.set_filter(LedgerFilter(due="overdue"))
    assert names(model) == ["Phạm Minh Quân"]
    model.set_filter(LedgerFilter(text="thi"))
    assert model.rowCount() == 4
    model.set_filter(LedgerFilter(text="không có ai"))
    assert model.rowCount() == 0
    model.set_filter(LedgerFilter())
    assert model.rowCount() == len(DOSSIERS)


def test_sort_is_asked_of_sqlite(ledger_desk):
    source = CountingSource(DeskLedger(ledger_desk))
    model = LedgerModel(source, SyncRunner())
    model.sort(Column.APPLICANT, Qt.SortOrder.AscendingOrder)
    ascending = names(model)
    assert ascending == sorted((d[0] for d in DOSSIERS), key=sort_key)  # Vietnamese order: Đ after D
    assert ascending.index("Đặng Thị Hoà") < ascending.index("Hoàng Thị Lan")
    model.sort(Column.APPLICANT, Qt.SortOrder.DescendingOrder)
    assert names(model) == ascending[::-1]
    assert source.counts == 3  # each sort is a new query
    model.sort(Column.TIMELINESS, Qt.SortOrder.AscendingOrder)  # by appointment
    dues = [model.data(model.index(r, Column.DUE_AT), ROW_ROLE).due_at for r in range(model.rowCount())]
    assert dues == sorted(dues)


def test_cells_show_vietnamese_text_dates_icons_and_tooltips(qtbot, ledger_desk):
    model = LedgerModel(ledger_desk, SyncRunner())
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in Column] == [
        "Số", "Mã hồ sơ", "Người nộp", "Thủ tục", "Ngày nhận", "Hẹn trả", "Trạng thái", "Hạn", "Đồng bộ"
    ]
    assert HEADERS[Column.TIMELINESS] == "Hạn"
    by_name = {}
    for row in range(model.rowCount()):
        record = model.data(model.index(row, 0), ROW_ROLE)
        by_name[record.applicant_name] = row
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", model.data(model.index(row, Column.RECEIVED_AT)))
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", model.data(model.index(row, Column.DUE_AT)))
        assert model.data(model.index(row, Column.STATUS)) == record.status.label
    seen = set()
    for name, *_, expected in DOSSIERS:
        index = model.index(by_name[name], Column.TIMELINESS)
        text, icon, tip = model.data(index, DISPLAY), model.data(index, DECORATION), model.data(index, TOOLTIP)
        if expected is None:  # refused: no appointment to judge; the status says why
            assert text == "—" and icon is None and "Từ chối" in tip
            continue
        assert text == TIMELINESS_LABELS[expected]
        assert isinstance(icon, QIcon) and not icon.isNull()
        assert tip.startswith("Hẹn trả ")
        seen.add(expected)
    assert seen == set(Timeliness)
    assert set(TIMELINESS_LABELS.values()) == {
        "Quá hạn", "Đến hạn hôm nay", "Sắp đến hạn", "Trong hạn", "Chờ bổ sung", "Trả sớm", "Trả đúng hạn", "Trả muộn"
    }
    an = by_name["Nguyễn Văn An"]
    assert model.data(model.index(an, Column.DUE_AT), TOOLTIP) == (
        "Hẹn trả 16/11/2026 17:00: trả trong ngày\nCó kết quả lúc 16/11/2026 10:00"
    )
    assert model.data(model.index(an, Column.PROCEDURE), TOOLTIP).startswith("2.000815 – Chứng thực")
    assert model.data(model.index(an, Column.STATUS), TOOLTIP) == "Trạng thái: Đã trả kết quả"
    assert model.data(model.index(an, Column.LEDGER_NO), Qt.ItemDataRole.TextAlignmentRole)


def test_refresh_keeps_the_view_and_shows_a_new_dossier(qtbot, ledger_desk, clock):
    model = LedgerModel(ledger_desk, SyncRunner())
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    clock.now = NOW + dt.timedelta(minutes=5)
    receive(ledger_desk, ReceptionRequest(procedure_code="2.000815", name="Ngô Bảo Châu"))
    with qtbot.waitSignal(model.rowsInserted):
        model.refresh()
    assert model.rowCount() == len(DOSSIERS) + 1
    assert model.data(model.index(0, Column.APPLICANT)) == "Ngô Bảo Châu"  # newest first
    assert resets == []


def test_a_failed_query_is_reported_in_vietnamese():
    class Broken(MillionRows):
        def count(self, f, at):
            raise RuntimeError("disk gone")

    runner = ManualRunner()
    model = LedgerModel(Broken(), runner)
    failed = []
    model.load_failed.connect(failed.append)
    runner.run_all()
    assert failed == ["Không đọc được sổ theo dõi hồ sơ."]
    assert model.rowCount() == 0
    assert model.data(QModelIndex()) is None


def test_an_answer_for_a_deleted_model_is_dropped():
    runner = ManualRunner()
    model = LedgerModel(MillionRows(), runner)
    shiboken6.delete(model)  # the window closed while the count was on the worker
    runner.run_all()  # must not touch the deleted C++ object
    assert not shiboken6.isValid(model)
