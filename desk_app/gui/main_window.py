"""The counter window: reception, the ledger and a dossier's details, with a status bar that tells the truth."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from desk_app import __version__
from desk_app.gui.context import DeskContext
from desk_app.gui.officer_session import OfficerSession
from desk_app.gui.step_dialog import Ask, ask_fields

if TYPE_CHECKING:
    from desk_app.gui.dashboard import DashboardPanel
    from desk_app.gui.detail_view import DetailView
    from desk_app.gui.preview_dialog import PreviewDialog
    from desk_app.services.lifecycle_papers import LedgerBook
    from desk_app.gui.reception_form import ReceptionForm
    from desk_app.gui.setup_dialog import SetupDialog, SetupResult
    from desk_app.gui.sync_controller import SyncController
    from desk_app.gui.sync_dialog import SyncDialog
    from desk_app.services.sync import SyncStatus
    from desk_app.store.lifecycle import StatusChange

RECEPTION, LEDGER, DETAIL, STATS = range(4)
DEFAULT_SIZE = QSize(1366, 740)
TITLE_BAR = 32  # roughly, before the window manager tells: a window must not hide under the taskbar
AFTER_READY_FALLBACK_MS = 300  # the ledger and sync start then if the ready paint has not come
SYNC_LABEL_WIDTH = 720  # the status bar's sync line is cut there; its tooltip and F9 show it whole

LedgerFactory = Callable[[DeskContext], QWidget]


class MainWindow(QMainWindow):
    """Tabs: Tiếp nhận (Ctrl+1), Sổ theo dõi (Ctrl+2), Chi tiết (Ctrl+3), Thống kê (Ctrl+4). Ctrl+F searches
    the ledger."""

    closing = Signal()
    first_painted = Signal()  # the window is on screen: start-up work may begin
    restart_requested = Signal(object)  # a backup was restored (services.backup.Restored, or None): start again
    ready_painted = Signal()  # the window is on screen with the desk attached: the rest may start

    def __init__(self, ctx: DeskContext, *, ledger_factory: LedgerFactory | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self._painted = False
        self._ledger_factory = ledger_factory
        # The reception form is built right after the first paint, while the worker opens the
        # database: the window appears sooner and the two start-up costs overlap.
        self._form: ReceptionForm | None = None
        self._ledger: QWidget | None = None  # built after the ready paint, or when first asked for
        self._ledger_placeholder = QLabel("Đang mở sổ theo dõi…")
        self._ready_pending = False
        self._detail: DetailView | None = None  # built when first shown: not needed for the first paint
        self.ask_period: Ask = ask_fields  # the ledger book's period; tests answer without a modal dialog
        self.book_preview: PreviewDialog | None = None
        self.sync: SyncController | None = None  # made when the desk is attached
        self._sync_dialog: SyncDialog | None = None
        self._dashboard: DashboardPanel | None = None  # likewise (QtCharts loads with it)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.addTab(QLabel("Đang mở…"), "&1 Tiếp nhận hồ sơ")
        self.tabs.addTab(self._ledger_placeholder, "&2 Sổ theo dõi hồ sơ")
        self.tabs.addTab(QWidget(), "&3 Chi tiết hồ sơ")
        self.tabs.addTab(QWidget(), "&4 Thống kê")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.setCentralWidget(self.tabs)
        self._build_status_bar()
        self._build_menus()
        self.resize(DEFAULT_SIZE)
        if ctx.desk is not None:
            self._attached()
        else:
            self.set_loading("Đang mở cơ sở dữ liệu của quầy…")

    @property
    def form(self) -> ReceptionForm:
        if self._form is None:
            from desk_app.gui.reception_form import ReceptionForm

            self._form = ReceptionForm(self.ctx)
            self._form.dossier_saved.connect(self._on_form_dossier_saved)
            self._form.guidance_issued.connect(self._on_form_guidance_issued)
            self._replace_tab(RECEPTION, self._form, "&1 Tiếp nhận hồ sơ")
            if self.ctx.desk is not None:
                self._form.start()
        return self._form

    @property
    def ledger(self) -> QWidget:
        """The ledger panel once the desk is attached (built on first use), a placeholder before."""
        if self._ledger is None:
            if self.ctx.desk is None:
                return self._ledger_placeholder
            factory = self._ledger_factory
            if factory is None:
                from desk_app.gui.ledger_panel import LedgerPanel

                factory = LedgerPanel
            self._ledger = factory(self.ctx)
            self._replace_tab(LEDGER, self._ledger, "&2 Sổ theo dõi hồ sơ")
            opened = getattr(self._ledger, "dossier_opened", None)
            if opened is not None:
                opened.connect(self.open_dossier)
        return self._ledger

    def _replace_tab(self, index: int, widget: QWidget, title: str) -> None:
        placeholder = self.tabs.widget(index)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        placeholder.deleteLater()

    @property
    def detail(self) -> DetailView:
        if self._detail is None:
            from desk_app.gui.detail_view import DetailView

            self._detail = DetailView(self.ctx)
            self._detail.status_changed.connect(self._on_detail_status_changed)
            self._replace_tab(DETAIL, self._detail, "&3 Chi tiết hồ sơ")
        return self._detail

    @property
    def dashboard(self) -> DashboardPanel:
        if self._dashboard is None:
            from desk_app.gui.dashboard import DashboardPanel

            self._dashboard = DashboardPanel(self.ctx)
            self._replace_tab(STATS, self._dashboard, "&4 Thống kê")
        return self._dashboard

    def _on_tabs_current_changed(self, index: int) -> None:
        if index == LEDGER and self._ledger is None and self.ctx.desk is not None:
            self.ledger  # noqa: B018 - builds the tab
            self.tabs.setCurrentIndex(LEDGER)
        if index == DETAIL and self._detail is None:
            self.detail  # noqa: B018 - builds the tab
            self.tabs.setCurrentIndex(DETAIL)
        if index == STATS and self._dashboard is None:
            self.dashboard  # noqa: B018 - builds the tab
            self.tabs.setCurrentIndex(STATS)

    # start-up -------------------------------------------------------------------------------

    def fit_to(self, available: QRect) -> None:
        """Open at the default size, or maximised on a screen too small for it.

        Counter screens are often 1366×768 with a taskbar, 1280×720, or scaled to 125 %
        (1093×614 logical): the window then takes the whole available area; the size is set
        too, for a session without a window manager (Xvfb, a kiosk) where maximising does nothing.
        """
        if available.width() < DEFAULT_SIZE.width() or available.height() < DEFAULT_SIZE.height() + TITLE_BAR:
            self.setGeometry(available)
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        else:
            self.resize(DEFAULT_SIZE)

    def set_loading(self, message: str) -> None:
        """Painted at once, usable when the worker has opened the desk (see ``attach``)."""
        self.tabs.setEnabled(False)
        self.setWindowTitle(f"Một cửa – {message}")
        self.place_label.setText(message)

    def attach(self, desk: object, profile: object, printer: str | None) -> None:
        """The worker has opened the database: fill the window and enable it."""
        self.ctx.desk, self.ctx.profile, self.ctx.printer_name, self.ctx.sink = desk, profile, printer, None  # type: ignore[assignment]
        if self._form is not None:
            self._form.start()
        self._attached()

    def _attached(self) -> None:
        self.tabs.setCurrentIndex(RECEPTION)
        self.tabs.setEnabled(True)
        self.session.refresh_actions()
        self.refresh_titles()
        self.form.focus_picker()
        # What the reception tab does not show waits for the paint that shows it usable: the
        # ledger (its panel and first page) and sync (whose status read loads the sync services,
        # httpx and cryptography, on the worker) would otherwise compete with that paint for
        # the interpreter. A window that is never painted (minimised) gets them soon anyway.
        self._ready_pending = True
        QTimer.singleShot(AFTER_READY_FALLBACK_MS, self._after_ready)

    def _after_ready(self) -> None:
        if not self._ready_pending:
            return
        self._ready_pending = False
        self.ready_painted.emit()
        self.ledger  # noqa: B018 - builds the tab, its first page loads on the worker
        self._start_sync()

    def _start_sync(self) -> None:
        from desk_app.gui.sync_controller import SyncController

        if self.sync is not None:
            return
        self.sync = SyncController(self.ctx, self.ctx.sync_wiring, parent=self)
        self.sync.status_changed.connect(self._on_sync_status_changed)
        self.sync.synced.connect(self._refresh_ledger)
        self.sync.dossiers_changed.connect(self._on_sync_dossiers_changed)
        # A catalogue or calendar update from the hub reaches the counter now, not at the next start.
        self.sync.references_changed.connect(self.form.reload_procedures)
        self.sync.start()

    # chrome ---------------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        self.place_label = QLabel()
        self.place_label.setObjectName("statusPlace")
        self.user_label = QLabel()
        self.user_label.setObjectName("statusUser")
        self.session = OfficerSession(self, self.ctx, self.tabs, self.user_label)
        self.sync_label = QLabel("Đồng bộ: …")
        self.sync_label.setObjectName("statusSync")
        self.sync_label.setContentsMargins(0, 0, 8, 0)  # a maximised window has no size grip to keep it off the edge
        self.sync_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.sync_label.installEventFilter(self)  # a click opens the sync panel, as F9 does
        bar = self.statusBar()
        bar.addWidget(self.place_label)
        bar.addWidget(self.user_label)
        bar.addPermanentWidget(self.sync_label)

    def refresh_titles(self) -> None:
        profile = self.ctx.profile
        assert profile is not None
        demo = " – DỮ LIỆU MẪU, không phải dữ liệu thật" if self.ctx.demo else ""
        self.setWindowTitle(f"Một cửa – {profile.commune} – Quầy {profile.desk_no}{demo}")
        self.place_label.setText(f"{profile.commune} · Quầy số {profile.desk_no} · Mã đơn vị {profile.unit_code}")

    def _build_menus(self) -> None:
        def add(menu, text: str, slot, keys: str | None = None, hint: str | None = None) -> QAction:  # type: ignore[no-untyped-def]
            # Form-level shortcuts (Ctrl+S, Ctrl+N, Ctrl+P, Esc) belong to their tab; the menu only shows them.
            action = QAction(text + (f"\t{hint}" if hint else ""), self)
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            menu.addAction(action)
            return action

        dossier = self.menuBar().addMenu("&Hồ sơ")
        add(dossier, "Tiếp nhận hồ sơ &mới", self.new_dossier, hint="Ctrl+N")
        add(dossier, "&Lưu hồ sơ và in", self._save_from_menu, hint="Ctrl+S")
        add(dossier, "&In lại giấy tiếp nhận", self.reprint, hint="Ctrl+P")
        add(dossier, "&Tìm hồ sơ", self.focus_search, keys="Ctrl+F")
        add(dossier, "In sổ theo &dõi hồ sơ (Mẫu 07)…", self.print_ledger_book, keys="Ctrl+Shift+L")
        add(dossier, "Lịch &hẹn nộp hồ sơ (chuyển, hủy)…", self.open_bookings, keys="Ctrl+Shift+H")
        dossier.addSeparator()
        add(dossier, "&Thoát", self.close, keys="Ctrl+Q")
        view = self.menuBar().addMenu("&Xem")
        add(view, "Tiếp nhận", lambda: self.show_tab(RECEPTION), keys="Ctrl+1")
        add(view, "Sổ theo dõi", lambda: self.show_tab(LEDGER), keys="Ctrl+2")
        add(view, "Chi tiết hồ sơ", lambda: self.show_tab(DETAIL), keys="Ctrl+3")
        add(view, "Thống kê", lambda: self.show_tab(STATS), keys="Ctrl+4")
        desk = self.menuBar().addMenu("&Quầy")
        add(desk, "&Cài đặt quầy…", self.open_setup)
        add(desk, "&Sao lưu dữ liệu…", self.ask_backup)
        desk.addSeparator()
        self.session.add_menu_actions(desk)
        add(desk, "Đồng &bộ…", self.open_sync, keys="F9")
        help_menu = self.menuBar().addMenu("Trợ &giúp")
        add(help_menu, "Phím &tắt", self.show_shortcuts, keys="F1")
        add(help_menu, "&Giới thiệu", self.show_about)

    # navigation -----------------------------------------------------------------------------

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        if index == RECEPTION:
            self.form.focus_picker()
        elif index == LEDGER:
            self.focus_search()
        elif index == STATS:
            self.dashboard.choice.setFocus()
        else:
            self.detail.reprint_button.setFocus()

    def new_dossier(self) -> None:
        self.tabs.setCurrentIndex(RECEPTION)
        self.form.new()

    def _save_from_menu(self) -> None:
        self.tabs.setCurrentIndex(RECEPTION)
        self.form.save()

    def reprint(self) -> None:
        if self.tabs.currentIndex() == DETAIL and self._detail is not None:
            self.detail.reprint()
        else:
            self.form.reprint_last()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(LEDGER)
        focus = getattr(self.ledger, "focus_search", None)
        if focus is not None:
            focus()

    def open_dossier(self, code: str) -> None:
        self.detail.open_code(code)
        self.tabs.setCurrentIndex(DETAIL)
        self.detail.reprint_button.setFocus()

    def _refresh_ledger(self) -> None:
        refresh = getattr(self._ledger, "refresh", None)  # not built yet: it reads fresh when it is
        if refresh is not None:
            refresh()

    def _changed_here(self) -> None:
        """A change was recorded at this window: the ledger shows it, the background sync sends it."""
        self._refresh_ledger()
        if self.sync is not None:
            self.sync.poke()
            self.sync.refresh_status()

    def _on_form_dossier_saved(self, code: str) -> None:
        self._changed_here()
        self.statusBar().showMessage(f"Đã lưu hồ sơ {code}", 8000)

    def _on_form_guidance_issued(self, number: str) -> None:
        self._changed_here()

    def _on_detail_status_changed(self, change: StatusChange) -> None:
        self._changed_here()
        self.statusBar().showMessage(f"Hồ sơ {change.code}: {change.after.label}", 8000)

    # sync -----------------------------------------------------------------------------------

    def _on_sync_status_changed(self, status: SyncStatus) -> None:
        self.sync_label.setText(self.sync_label.fontMetrics().elidedText(
            f"Đồng bộ: {status.summary(details=False)}", Qt.TextElideMode.ElideRight, SYNC_LABEL_WIDTH))
        self.sync_label.setToolTip(f"Đồng bộ: {status.summary()}\nNhấn F9 hoặc bấm vào đây để mở bảng đồng bộ.")
        alarming = status.rejected or status.problems or status.last_error or status.clock_warning or status.warnings
        self.sync_label.setStyleSheet("color: #c62828;" if alarming else "")

    def _on_sync_dossiers_changed(self) -> None:
        """A decision taken upstream reached this desk: the ledger and the open dossier show it."""
        self._refresh_ledger()
        if self._detail is not None:
            self._detail.reload()

    def open_sync(self) -> SyncDialog | None:
        """Quầy → Đồng bộ… (F9): the sync panel, non-modal."""
        from desk_app.gui.sync_dialog import SyncDialog

        if self.sync is None and self.ctx.desk is not None:
            self._start_sync()  # asked for before the window's ready paint
        if self.sync is None:
            return None  # still opening the database
        if self._sync_dialog is None:
            self._sync_dialog = SyncDialog(self.sync, self)
        self._sync_dialog.show()
        self._sync_dialog.raise_()
        self._sync_dialog.activateWindow()
        self._sync_dialog.focus_first()
        self.sync.refresh_status()
        return self._sync_dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.sync_label and event.type() == QEvent.Type.MouseButtonRelease:
            self.open_sync()
            return True
        return super().eventFilter(watched, event)

    # dialogs --------------------------------------------------------------------------------

    def open_setup(self) -> SetupDialog | None:
        from desk_app.gui.setup_dialog import SetupDialog

        if self.ctx.desk is None:
            return None  # still opening the database
        dialog = SetupDialog(self.ctx.runner, self.ctx.desk, parent=self)
        dialog.configured.connect(self._on_setup_configured)
        dialog.open()
        return dialog

    def ask_backup(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        if self.ctx.desk is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Sao lưu dữ liệu", f"sao-luu-{self.ctx.profile.unit_code if self.ctx.profile else 'desk'}.sqlite3",
            "Cơ sở dữ liệu SQLite (*.sqlite3)")
        if name:
            self.backup_to_path(Path(name))

    def backup_to_path(self, path: Path) -> None:
        """Back up on the worker (SQLite backup API, then verified); the result goes to the status bar."""
        from desk_app.gui.errors import show_error

        desk = self.ctx.desk

        def job() -> Any:
            from desk_app.services.backup import backup_to

            return backup_to(desk, path)

        self.statusBar().showMessage("Đang sao lưu…")
        self.ctx.runner.submit(
            job,
            lambda made: self.statusBar().showMessage(
                f"Đã sao lưu {made.dossiers} hồ sơ vào {made.path} (đã kiểm tra bản sao).", 15000),
            lambda exc: show_error(self, "Không sao lưu được", exc, lead="Dữ liệu của quầy không bị ảnh hưởng."),
        )

    def _on_setup_configured(self, result: SetupResult) -> None:
        self.ctx.profile = result.profile
        self.ctx.printer_name = result.printer
        self.ctx.sink = None  # the next print uses the newly chosen printer
        self.refresh_titles()
        if self.sync is not None:
            self.sync.poke()  # a settings change is an event for the hub too

    def print_ledger_book(self) -> None:
        """Ask for the period, render the ledger book on the worker, preview it; audited once printed."""
        from desk_app.gui.errors import show_error
        from desk_app.gui.lifecycle_steps import book_questions, make_ledger_book, record_book
        from desk_app.gui.printing import Document

        desk = self.ctx.desk
        if desk is None:
            return
        lead, fields = book_questions(desk.clock().date())
        answers = self.ask_period(self, "In sổ theo dõi hồ sơ", lead, fields)
        if answers is None:
            return

        def preview(book: LedgerBook) -> None:
            name = f"so-theo-doi-{book.first:%Y%m%d}-{book.last:%Y%m%d}.pdf"
            self.book_preview = self.ctx.preview_documents(
                [Document(f"Sổ theo dõi hồ sơ ({book.entries} hồ sơ)", book.pdf)],
                title=f"Xem trước – sổ theo dõi hồ sơ từ {book.first:%d/%m/%Y} đến {book.last:%d/%m/%Y}",
                suggested_name=name, parent=self)
            self.book_preview.delivered.connect(
                lambda _docs, via: self.ctx.runner.submit(lambda: record_book(desk, book, via)))

        self.ctx.runner.submit(lambda: make_ledger_book(desk, answers), preview,
                               lambda exc: show_error(self, "Không in được sổ theo dõi", exc))

    def open_bookings(self) -> None:
        from desk_app.gui.bookings_view import open_bookings

        if self.ctx.desk is not None:
            self.bookings_dialog = open_bookings(self.ctx, self)

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "Phím tắt", (
            "Ctrl+N  hồ sơ mới\nEnter hoặc Ctrl+S  lưu hồ sơ (rồi xem trước và in)\n"
            "Ctrl+P  in lại giấy tiếp nhận\nCtrl+F  tìm hồ sơ trong sổ theo dõi\n"
            "Ctrl+Shift+L  in sổ theo dõi hồ sơ (Mẫu 07) của một khoảng thời gian\n"
            "Ctrl+H  (trang Tiếp nhận) tiếp nhận theo lịch hẹn: số phiếu hẹn điền sẵn thủ tục, họ tên, điện thoại\n"
            "Ctrl+Shift+H  lịch hẹn trong ngày: Alt+C chuyển sang khung giờ khác (in phiếu hẹn mới), Alt+H hủy\n"
            "Esc  về ô chọn thủ tục\nCtrl+1 / Ctrl+2 / Ctrl+3 / Ctrl+4  chuyển trang\nF9  bảng đồng bộ với cấp trên\n"
            "Trong trang Chi tiết: Alt+C chuyển xử lý, Alt+K có kết quả, Alt+T trả kết quả, Alt+B yêu cầu bổ "
            "sung (Mẫu 02), Alt+N nhận hồ sơ bổ sung, Alt+L xin lỗi và hẹn lại (Mẫu 04), Alt+O từ chối (Mẫu 03), "
            "Alt+D dừng giải quyết (Mẫu 05), Alt+R rút hồ sơ; Ctrl+K phiếu kiểm soát (Mẫu 06), "
            "Ctrl+Shift+P in lại phiếu của bước gần nhất\n"
            "Trong ô thủ tục: gõ không dấu, mũi tên lên/xuống để chọn, Enter để nhận."))

    def show_about(self) -> None:
        QMessageBox.about(self, "Giới thiệu", f"Một cửa cấp xã – desk-app {__version__}\n"
                          "Phần mềm tự do theo giấy phép GPL-3.0-or-later.")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
            QTimer.singleShot(0, lambda: self.form)  # after the worker got its first job
        if self._ready_pending:
            QTimer.singleShot(0, self._after_ready)  # after this paint is done

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.closing.emit()
        self.session.stop()
        if self.sync is not None:
            self.sync.stop()
        super().closeEvent(event)
