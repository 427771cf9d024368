"""Sync in the window: the panel, the ledger's marks, USB files and the hub's decisions, against the
real hub application in process (tests/sync's fixtures) and a real desk database."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from desk_app.domain.dossier import Status
from desk_app.domain.lifecycle import Action
from desk_app.gui.ledger_model import SYNC_ROLE, Column
from desk_app.gui.main_window import DETAIL, MainWindow
from desk_app.gui.sync_controller import SyncWiring
from desk_app.gui.sync_dialog import AttentionColumn
from desk_app.gui.tasks import SyncRunner as InlineRunner
from desk_app.services.sync import sync_status
from desk_app.sync.protocol import Envelope
from tests.conftest import FakeClock
from tests.gui.keys import press, type_keys
from tests.sync.conftest import HUB_URL, InProcessHub, register
from tests.sync.test_sync_service import _bad_event

TOOLTIP = Qt.ItemDataRole.ToolTipRole


def wire(ctx, tmp_path, connect, **options):
    ctx.database = tmp_path / "desk.sqlite3"  # the desk fixture's file: the sync threads open their own
    ctx.sync_wiring = SyncWiring(connect=connect, **({"worker": InlineRunner(), "background": False} | options))
    return ctx


def open_window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # the keyboard is in the window
    qtbot.waitUntil(lambda: window.sync is not None)  # sync starts after the window's ready paint
    return window


def open_panel(window, qtbot):
    press(Qt.Key.Key_F9)
    dialog = window._sync_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    wanted = dialog.sync_button if dialog.sync_button.isEnabled() else dialog.enrol_button
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wanted)  # the keyboard is in the panel
    return dialog


def marks(window) -> dict[str, tuple[str, str]]:
    """Dossier code → (the sync column's text, its tooltip), for the rows loaded."""
    model = window.ledger.model
    found = {}
    for row in range(model.rowCount()):
        index = model.index(row, Column.SYNC)
        found[model.row_at(row).code] = (model.data(index), model.data(index, TOOLTIP))
    return found


def test_the_panel_shows_pending_last_sync_and_rejections_with_a_moving_progress_bar(
        qtbot, ctx, enrolled, hub, tmp_path):
    bad = register(enrolled, "Trần Văn Bình")
    _bad_event(enrolled, bad)
    good = register(enrolled, "Lê Thị Cúc")
    window = open_window(qtbot, wire(ctx, tmp_path, hub.connect, batch_size=2))
    panel = open_panel(window, qtbot)
    pending = sync_status(enrolled).pending
    assert panel.headline.text() == f"{pending} thay đổi chờ gửi (2 hồ sơ) · chưa đồng bộ lần nào"
    assert not panel.progress.isVisible()  # until something runs
    values: list[int] = []
    panel.progress.valueChanged.connect(values.append)

    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    # Batches of 2 events: the bar moves batch by batch, then shows the run done.
    assert values[:-1] == [*range(2, pending, 2), pending] and pending >= 6
    assert panel.progress.value() == panel.progress.maximum() and panel.progress_label.text() == "Xong."
    assert panel.message.text().startswith(f"Đã đồng bộ lúc 09:15 23/11/2026. Đã gửi {pending} thay đổi: ")
    assert "1 bị từ chối" in panel.message.text()

    later = [register(enrolled, name) for name in ("Phạm Văn Dũng", "Võ Thị Giang")]
    window.sync.refresh_status()
    assert panel.headline.text() == "2 thay đổi chờ gửi (2 hồ sơ) · lần đồng bộ cuối 09:15 23/11/2026 · 1 bị từ chối"
    assert panel.values["pending"].text() == "2 thay đổi của 2 hồ sơ" and panel.progress.isVisible()
    assert panel.values["last_error"].text() == "không có"
    table = panel.attention
    assert table.rowCount() == 1
    row = [table.data(table.index(0, c)) for c in AttentionColumn]
    assert row[:2] == ["Bị từ chối", f"Hồ sơ {bad.code}"] and row[2].startswith("nội dung sự kiện thiếu")
    assert panel.attention_box.title() == "Cần xem lại (1 bị từ chối, 0 cập nhật không áp dụng được)"
    # The status bar says it in one line, in red, and in full (the first reason) in its tooltip.
    assert window.sync_label.text() == f"Đồng bộ: {panel.headline.text()}"
    assert "c62828" in window.sync_label.styleSheet()
    assert f"1 bị từ chối: Hồ sơ {bad.code} (nội dung sự kiện thiếu thông tin bắt buộc" in window.sync_label.toolTip()

    # The ledger marks each row, with the hub's reason on the rejected one.
    window.ledger.refresh()
    shown = marks(window)
    assert shown[good.code] == ("đã gửi", "Máy chủ đã nhận mọi thay đổi của hồ sơ.")
    assert shown[bad.code][0] == "bị từ chối"
    assert shown[bad.code][1].startswith("Máy chủ từ chối một thay đổi của hồ sơ: nội dung sự kiện thiếu")
    assert {shown[d.code][0] for d in later} == {"chờ gửi"}
    assert window.ledger.model.data(window.ledger.model.index(0, Column.SYNC), SYNC_ROLE).state in (
        "pending", "synced", "rejected")


def test_a_hub_decision_reaches_the_ledger_and_the_open_dossier(qtbot, ctx, enrolled, hub, tmp_path):
    dossier = register(enrolled)
    window = open_window(qtbot, wire(ctx, tmp_path, hub.connect))
    panel = open_panel(window, qtbot)
    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    window.open_dossier(dossier.code)
    assert window.detail.values["status"].text() == Status.RECEIVED.label
    audits = enrolled.store.tables.count("audit")

    hub.hub.decide(dossier.code, Status.RESULT_READY, note="Đã ký", by="UBND xã")
    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    assert "Đã nhận 1 cập nhật từ máy chủ, 1 được áp dụng." in panel.message.text()
    assert window.detail.values["status"].text() == Status.RESULT_READY.label
    assert window.ledger.model.row_at(0).status is Status.RESULT_READY
    # The decision's own change went up in the same run: nothing waits, the row is "đã gửi".
    assert marks(window)[dossier.code][0] == "đã gửi"
    # Re-reading the open dossier is not a new view by a person: only the decision is audited.
    actions = [a for (a,) in enrolled.store.db.execute("SELECT action FROM audit ORDER BY id DESC LIMIT ?",
                                                       [enrolled.store.tables.count("audit") - audits])]
    assert "dossier.view" not in actions


def test_usb_export_and_import_through_the_panel(qtbot, ctx, enrolled, hub, tmp_path, monkeypatch):
    dossiers = [register(enrolled, i) for i in range(3)]
    window = open_window(qtbot, wire(ctx, tmp_path, hub.connect))
    panel = open_panel(window, qtbot)
    stick = tmp_path / "usb"
    asked = []

    def save_as(parent, title, suggested, filters):
        asked.append((title, suggested, filters))
        return str(stick / "quay-1.sync"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    progress: list[str] = []
    panel.progress_label.setText("")
    window.sync.progressed.connect(lambda p: progress.append((p.phase, p.done, p.total)))
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    pending = sync_status(enrolled).pending
    assert asked[0][0] == "Xuất tệp đồng bộ ra USB" and asked[0][1].endswith("quay-1-20261123-0915.sync")
    assert panel.message.text().startswith(f"Đã ghi {pending} thay đổi vào 1 tệp: {stick / 'quay-1.sync'}.")
    assert progress[-1] == ("export", 1, 1) and panel.progress.value() == panel.progress.maximum()
    assert {marks(window)[d.code][0] for d in dossiers} == {"chờ gửi"}  # until the hub's answer comes back

    hub.hub.push(Envelope.from_file((stick / "quay-1.sync").read_bytes()))
    hub.hub.decide(dossiers[1].code, Status.RESULT_READY)
    (stick / "ve-quay-1.sync").write_bytes(hub.hub.export(enrolled.desk_uuid()).to_file())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(stick / "ve-quay-1.sync"), ""))
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    assert panel.message.text().startswith(f"Đã nhập tệp ve-quay-1.sync: {pending} thay đổi được máy chủ xác nhận, "
                                           "0 bị từ chối, 0 đang được giữ lại; 1 cập nhật, 1 được áp dụng.")
    shown = marks(window)
    assert shown[dossiers[0].code][0] == "đã gửi" and shown[dossiers[1].code][0] == "chờ gửi"  # its decision
    assert window.ledger.model.row_at(1).status is Status.RESULT_READY  # newest first: the middle one
    assert panel.headline.text().startswith("1 thay đổi chờ gửi (1 hồ sơ) · lần đồng bộ cuối 09:15 23/11/2026")

    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == "Tệp ve-quay-1.sync đã được nhập trước đây: không có gì thay đổi."

    damaged = stick / "hong.sync"
    data = bytearray((stick / "ve-quay-1.sync").read_bytes())
    data[-5] ^= 0xFF
    damaged.write_bytes(bytes(data))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(damaged), ""))
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    assert panel.message.text().startswith("⚠ Tệp hong.sync bị từ chối, không nhập gì: ")
    assert panel.progress_label.text() == "Không xong." and panel.import_button.isEnabled()

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: ("", ""))  # cancelled: nothing happens
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    assert panel.message.text().startswith("⚠ Tệp hong.sync")


def test_an_unreachable_hub_is_a_message_on_a_real_worker_thread(qtbot, ctx, enrolled, hub, tmp_path):
    register(enrolled)
    hub.down = True
    window = open_window(qtbot, wire(ctx, tmp_path, hub.connect, worker=None))  # the sync worker is a thread
    panel = open_panel(window, qtbot)
    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    assert not panel.sync_button.isEnabled()  # busy until the worker answers
    qtbot.waitUntil(lambda: panel.message.text().startswith("⚠ "), timeout=10_000)
    assert panel.message.text().startswith("⚠ Chưa đồng bộ được: không kết nối được máy chủ")
    assert panel.message.text().endswith("Sẽ thử lại khi có kết nối.")
    qtbot.waitUntil(lambda: panel.values["last_error"].text().startswith("Chưa đồng bộ được"))
    assert panel.sync_button.isEnabled() and "c62828" in window.sync_label.styleSheet()
    assert "lỗi lần trước: Chưa đồng bộ được" in window.sync_label.toolTip()
    assert window.sync_label.text().endswith("chưa đồng bộ lần nào · lần thử trước bị lỗi")

    hub.down = False  # the hub is back: the same button works
    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.message.text().startswith("Đã đồng bộ"), timeout=10_000)
    qtbot.waitUntil(lambda: panel.values["last_error"].text() == "không có")
    window.close()
    assert window.sync._own_worker is not None and not window.sync._own_worker._thread.is_alive()


def test_the_background_runner_syncs_saves_and_brings_decisions_back(qtbot, ctx, enrolled, hub, tmp_path):
    dossier = register(enrolled)
    window = open_window(qtbot, wire(ctx, tmp_path, hub.connect, background=True, background_interval=60.0))
    runner = window.sync.background
    assert runner is not None and runner.alive  # enrolled: started with the window
    qtbot.waitUntil(lambda: marks(window).get(dossier.code, ("",))[0] == "đã gửi", timeout=10_000)

    # A change made in the window pokes the runner, which sends it without waiting its minute.
    window.open_dossier(dossier.code)
    window.detail.take(Action.FORWARD)
    assert window.tabs.currentIndex() == DETAIL
    qtbot.waitUntil(lambda: sync_status(enrolled).pending == 0, timeout=10_000)
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Đồng bộ: Đã gửi hết"), timeout=10_000)

    hub.hub.decide(dossier.code, Status.REFUSED, note="Thiếu giấy tờ")
    runner.poke()
    qtbot.waitUntil(lambda: window.detail.values["status"].text() == Status.REFUSED.label, timeout=10_000)
    qtbot.waitUntil(lambda: window.ledger.model.row_at(0).status is Status.REFUSED, timeout=10_000)
    window.close()
    assert not runner.alive  # stopped with the window


def test_enrolment_through_the_panel(qtbot, ctx, desk, hub, tmp_path):
    window = open_window(qtbot, wire(ctx, tmp_path, hub.connect))
    assert window.sync_label.text() == "Đồng bộ: Quầy chưa ghi danh với máy chủ đồng bộ"
    panel = open_panel(window, qtbot)
    assert panel.headline.text().startswith("Quầy chưa ghi danh với máy chủ đồng bộ.")
    assert not any(b.isEnabled() for b in (panel.sync_button, panel.export_button, panel.import_button))
    qtbot.mouseClick(panel.enrol_button, Qt.MouseButton.LeftButton)
    enrol = panel.enrol_dialog
    qtbot.waitExposed(enrol)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is enrol.url)
    enrol.url.setText(HUB_URL)
    qtbot.mouseClick(enrol.ok, Qt.MouseButton.LeftButton)
    assert enrol.isVisible() and enrol.message.text() == "Cần nhập cả địa chỉ máy chủ và mã ghi danh."
    enrol.code.setText("SAI-MA")
    qtbot.mouseClick(enrol.ok, Qt.MouseButton.LeftButton)
    assert panel.message.text().startswith("⚠ Máy chủ từ chối ghi danh: ")

    qtbot.mouseClick(panel.enrol_button, Qt.MouseButton.LeftButton)
    enrol = panel.enrol_dialog
    assert enrol.url.text() == ""
    enrol.url.setText(HUB_URL)
    enrol.code.setText(hub.code())
    qtbot.mouseClick(enrol.ok, Qt.MouseButton.LeftButton)
    assert panel.message.text().startswith(f"Đã ghi danh với máy chủ {HUB_URL}: máy này là quầy 1 của đơn vị "
                                           "000.21.33.H49.")
    assert panel.sync_button.isEnabled() and panel.enrol_button.text() == "&Ghi danh lại…"
    assert panel.values["hub"].text() == f"{HUB_URL} · đơn vị 000.21.33.H49, quầy 1"
    assert window.sync_label.text().startswith("Đồng bộ: ") and "chưa đồng bộ lần nào" in window.sync_label.text()


def test_a_clock_far_from_the_hubs_is_warned_about_in_the_panel(qtbot, ctx, desk, tmp_path, clock):
    skewed = InProcessHub(f"sqlite:///{tmp_path / 'skewed-hub.sqlite3'}", FakeClock(clock.now - dt.timedelta(minutes=12)))
    try:
        from desk_app.services.sync import enroll

        enroll(desk, HUB_URL, skewed.code(), connect=skewed.connect)
        window = open_window(qtbot, wire(ctx, tmp_path, skewed.connect))
        panel = open_panel(window, qtbot)
        assert panel.values["clock"].text() == "chưa so với máy chủ"
        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
        warning = "Đồng hồ máy tính nhanh hơn máy chủ khoảng 12 phút: hãy chỉnh lại giờ của máy tính"
        assert panel.values["clock"].text().startswith(warning) and "c62828" in panel.values["clock"].styleSheet()
        assert warning in panel.message.text() and warning in window.sync_label.toolTip()
        assert window.sync_label.text().endswith(" · đồng hồ máy tính bị lệch")
        window.close()
    finally:
        skewed.close()


@pytest.mark.parametrize("enrolled_desk", [False, True])
def test_the_sync_column_fits_beside_the_others(qtbot, ctx, desk, hub, tmp_path, enrolled_desk):
    if enrolled_desk:
        from desk_app.services.sync import enroll

        enroll(desk, HUB_URL, hub.code(), connect=hub.connect)
    register(desk, "Nguyễn Thị Thuỳ Dương")
    window = open_window(qtbot, wire(ctx, tmp_path, hub.connect))
    window.resize(1366, 740)
    window.show_tab(1)
    table = window.ledger.table
    qtbot.waitUntil(lambda: table.viewport().width() > 0)
    header = table.horizontalHeader()
    assert header.sectionSize(Column.SYNC) >= table.fontMetrics().horizontalAdvance("bị từ chối")
    assert header.sectionViewportPosition(Column.SYNC) + header.sectionSize(Column.SYNC) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    # Marks are per page, not an order: clicking their header leaves the order and its arrow alone.
    header.sectionClicked.emit(Column.SYNC)
    table.sortByColumn(Column.SYNC, Qt.SortOrder.AscendingOrder)
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (Column.RECEIVED_AT,
                                                                            Qt.SortOrder.DescendingOrder)


def test_a_catalogue_update_from_the_hub_reaches_the_reception_list_keeping_the_citizen(
        qtbot, ctx, enrolled, hub, tmp_path, clock):
    from desk_app.domain import events as ev
    from desk_app.domain.catalogue_io import procedure_to_dict

    window = open_window(qtbot, wire(ctx, tmp_path, hub.connect))
    form = window.form
    qtbot.waitUntil(lambda: form.picker.model.rowCount() > 0)
    qtbot.keyClicks(form.picker.search, "1.004837")
    press(Qt.Key.Key_Return, widget=form.picker.search)
    qtbot.waitUntil(lambda: form.procedure is not None)
    chosen = form.procedure
    type_keys("Đặng Thị Hoà", form.applicant.name)
    form.documents.rows[0][1].setChecked(False)  # the officer unticked the first paper
    rows_before = form.picker.model.rowCount()

    clock.now += dt.timedelta(minutes=1)
    renamed = {**procedure_to_dict(chosen), "name": chosen.name + " (sửa đổi 2027)"}
    hub.hub.publish(ev.Kind.CATALOGUE_UPDATED, "2027.1", {"source": "Quyết định 1/2027", "procedures": [renamed]})
    panel = open_panel(window, qtbot)
    with qtbot.waitSignal(window.sync.references_changed, timeout=5000):
        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.procedure is not None and form.procedure.name.endswith("(sửa đổi 2027)"))

    # The list shows the new name, without a restart; the search, the choice and the typing stay.
    shown = form.picker.model.procedure_at(form.picker.list.currentIndex().row())
    assert shown is not None and shown.code == chosen.code and shown.name.endswith("(sửa đổi 2027)")
    assert form.picker.search.text() == "1.004837" and form.picker.model.rowCount() == rows_before
    assert "sửa đổi 2027" in form.picker.chosen_label.text()
    assert form.applicant.name.text() == "Đặng Thị Hoà"
    assert not form.documents.rows[0][1].isChecked()

    # A calendar update reloads too (the appointment is worked out again); a decision does not.
    days = [{"date": "2026-12-31", "name": "Nghỉ đột xuất", "kind": "holiday", "provisional": False}]
    hub.hub.publish(ev.Kind.CALENDAR_UPDATED, "2026-b", {"years": [2026], "days": days})
    with qtbot.waitSignal(window.sync.references_changed, timeout=5000):
        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    dossier = register(enrolled, "Lê Thị Cúc")
    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    hub.hub.decide(dossier.code, Status.RESULT_READY)
    with qtbot.assertNotEmitted(window.sync.references_changed):
        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    assert form.applicant.name.text() == "Đặng Thị Hoà"
