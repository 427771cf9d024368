"""The ledger tab: search as you type, filters, the lazy dossier table; Enter opens a dossier."""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.catalogue import Procedure
from desk_app.domain.dossier import Status
from desk_app.gui.context import DeskContext
from desk_app.gui.ledger_model import ROW_ROLE, SORT_COLUMNS, Column, LedgerModel
from desk_app.services.alerts import Alerts, alerts
from desk_app.services.ledger import LedgerFilter, LedgerRow, now

SEARCH_DELAY_MS = 250  # wait for a pause in typing before asking the database
DUE_CHOICES = (
    ("Mọi thời hạn", None),
    ("⚠ Quá hạn", "overdue"),
    ("Đến hạn hôm nay", "due_today"),
    ("Sắp đến hạn (2 ngày làm việc)", "due_soon"),  # N follows the commune's setting once known
    ("Chờ bổ sung", "paused"),
    ("Cần xin lỗi, hẹn lại (còn kịp)", "apology"),
)
SOON_INDEX = 3


class LedgerPanel(QWidget):
    """Filters become one LedgerFilter; the model counts and pages it in SQLite on the worker."""

    dossier_opened = Signal(str)  # dossier code

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.search = QLineEdit()
        self.search.setObjectName("ledgerSearch")
        self.search.setPlaceholderText("Tìm theo tên, số định danh, điện thoại, mã hồ sơ (không cần dấu)…  [Ctrl+F]")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.status.addItem("Mọi trạng thái", None)
        for status in Status:
            self.status.addItem(status.label, status.value)
        self.procedure = QComboBox()
        self.procedure.setObjectName("procedureFilter")
        self.procedure.addItem("Mọi thủ tục", None)
        self.procedure.setMinimumContentsLength(24)
        self.procedure.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.due = QComboBox()
        self.due.setObjectName("dueFilter")
        for label, value in DUE_CHOICES:
            self.due.addItem(label, value)
        self.by_date = QCheckBox("Nhận từ")
        self.by_date.setObjectName("dateFilter")
        today = QDate(now(ctx.desk).date())  # the desk's clock, as the due buckets use
        self.date_from = QDateEdit(today.addMonths(-1), displayFormat="dd/MM/yyyy", calendarPopup=True)
        self.date_to = QDateEdit(today, displayFormat="dd/MM/yyyy", calendarPopup=True)
        self.count_label = QLabel("Đang đếm…")
        self.count_label.setObjectName("ledgerCount")
        self.model = LedgerModel(ctx.desk, ctx.runner, parent=self)
        self.table = QTableView()
        self.table.setObjectName("ledgerTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(Column.RECEIVED_AT, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for column, width in ((Column.LEDGER_NO, 56), (Column.CODE, 236), (Column.APPLICANT, 190),
                              (Column.RECEIVED_AT, 124), (Column.DUE_AT, 124), (Column.STATUS, 124),
                              (Column.TIMELINESS, 150), (Column.SYNC, 96)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.PROCEDURE, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        # What needs attention, recounted with the ledger; the due filter lists each group.
        self.alerts = QLabel("")
        self.alerts.setObjectName("ledgerAlerts")
        self.alerts.setWordWrap(True)
        self.alerts.setStyleSheet("font-weight: bold;")

        bar = QHBoxLayout()
        caption = QLabel("&Tìm:")
        caption.setBuddy(self.search)
        bar.addWidget(caption)
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.procedure, 2)
        bar.addWidget(self.due, 1)
        dates = QHBoxLayout()
        dates.addWidget(self.by_date)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("đến"))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        dates.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.alerts)
        layout.addLayout(bar)
        layout.addLayout(dates)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self._enable_dates(False)

        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS, timeout=self.apply_filter)
        self.search.textChanged.connect(lambda _text: self.timer.start())
        for combo in (self.status, self.procedure, self.due):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.by_date.toggled.connect(self._enable_dates)
        self.by_date.toggled.connect(self.apply_filter)
        self.date_from.dateChanged.connect(self.apply_filter)
        self.date_to.dateChanged.connect(self.apply_filter)
        self.table.activated.connect(self._on_table_activated)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self.model.counted.connect(self._on_model_counted)
        self.model.load_failed.connect(lambda text: self.message.setText("⚠ " + text))
        self.search.installEventFilter(self)
        if self.model.rowCount():  # a synchronous runner counted inside the model's constructor
            self._on_model_counted(self.model.rowCount())
        else:
            self.refresh_alerts()
        desk = ctx.desk
        ctx.runner.submit(lambda: desk.procedures(), self._fill_procedures, lambda exc: None)

    def _fill_procedures(self, procedures: list[Procedure]) -> None:
        for procedure in sorted(procedures, key=lambda p: p.name):
            self.procedure.addItem(procedure.name, procedure.code)

    def _enable_dates(self, enabled: bool) -> None:
        self.date_from.setEnabled(enabled)
        self.date_to.setEnabled(enabled)

    def current_filter(self) -> LedgerFilter:
        status = self.status.currentData()
        return LedgerFilter(
            statuses=(Status(status),) if status else (),
            procedure_code=self.procedure.currentData(),
            received_from=self.date_from.date().toPython() if self.by_date.isChecked() else None,
            received_to=self.date_to.date().toPython() if self.by_date.isChecked() else None,
            due=self.due.currentData(),
            text=self.search.text().strip(),
        )

    def apply_filter(self) -> None:
        self.timer.stop()
        wanted = self.current_filter()
        if wanted != self.model.ledger_filter:
            self.count_label.setText("Đang đếm…")
            self.model.set_filter(wanted)

    def refresh(self) -> None:
        """After a save elsewhere: re-count and re-read what is on screen, keeping the position."""
        self.model.refresh()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        # The sync column is not sorted by (marks are per page): the arrow stays where the order is.
        if column == Column.SYNC:
            sort = self.model.sort_order
            shown = next(c for c, s in SORT_COLUMNS.items() if s == sort.column)
            wanted = Qt.SortOrder.AscendingOrder if sort.ascending else Qt.SortOrder.DescendingOrder
            self.table.horizontalHeader().setSortIndicator(shown, wanted)

    def _on_model_counted(self, total: int) -> None:
        self.count_label.setText(f"{total:,} hồ sơ".replace(",", "."))
        self.message.setText("")
        self.refresh_alerts()
        if total and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, Column.CODE))

    def refresh_alerts(self) -> None:
        desk = self.ctx.desk
        self.ctx.runner.submit(lambda: alerts(desk), self._show_alerts, lambda exc: self.alerts.setText(""))

    def _show_alerts(self, found: Alerts) -> None:
        self.alerts.setText(("⚠ " if any(found.counts.values()) else "") + found.text)
        self.due.setItemText(SOON_INDEX, f"Sắp đến hạn ({found.soon_working_days} ngày làm việc)")

    def selected_row(self) -> LedgerRow | None:
        index = self.table.currentIndex()
        return self.model.data(index, ROW_ROLE) if index.isValid() else None

    def _on_table_activated(self, index: object) -> None:
        row = self.selected_row()
        if row is not None:
            self.dossier_opened.emit(row.code)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # From the search box, Down goes into the list and Enter opens the highlighted dossier.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down:
                self.apply_filter()
                self.table.setFocus()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.apply_filter()
                self._on_table_activated(None)
                return True
        return super().eventFilter(watched, event)
