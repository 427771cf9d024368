"""The "Đồng bộ" panel (Quầy → Đồng bộ…, F9): where the desk stands with the hub, in plain Vietnamese.

What waits to be sent, the last sync, what the hub rejected and why, updates that could not be
applied, the last error and a clock warning; and the officer's buttons: sync now, USB export and
import (file dialogs), enrolment. The work runs in ``SyncController``; this window only shows.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.gui.sync_controller import SyncController
from desk_app.gui.value_form import value_form

if TYPE_CHECKING:
    from desk_app.services.sync import SyncProgress, SyncStatus

AnyIndex = QModelIndex | QPersistentModelIndex
SYNC_FILTER = "Tệp đồng bộ (*.sync);;Mọi tệp (*)"
WARN_STYLE = "color: #c62828;"
FACTS = (("hub", "Máy chủ"), ("pending", "Chờ gửi"), ("last_success", "Lần đồng bộ cuối"),
         ("last_attempt", "Lần thử gần nhất"), ("last_error", "Lỗi lần trước"), ("clock", "Đồng hồ"))


def when(iso: str | None) -> str:
    """An ISO moment as the counter reads it ("09:12 24/11/2026"), or "chưa có"."""
    if not iso:
        return "chưa có"
    try:
        return f"{dt.datetime.fromisoformat(iso):%H:%M %d/%m/%Y}"
    except ValueError:
        return iso


class AttentionColumn(IntEnum):
    KIND = 0
    WHAT = 1
    REASON = 2
    AT = 3


ATTENTION_HEADERS = ("Loại", "Nội dung", "Lý do", "Lúc")


class AttentionModel(QAbstractTableModel):
    """What a person must look at: changes the hub rejected, and updates the desk could not apply."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str, str]] = []

    def set_status(self, status: SyncStatus) -> None:
        rows = [("Bị từ chối", r.label, r.reason, when(r.answered_at)) for r in status.rejected]
        rows += [("Không áp dụng được", p.label, p.reason, when(p.at)) for p in status.problems]
        if rows != self._rows:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AttentionColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(ATTENTION_HEADERS):
            return ATTENTION_HEADERS[section]
        return super().headerData(section, orientation, role)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row[index.column()]
        return None


class EnrolDialog(QDialog):
    """The hub's address and the one-time code the district gave (``desk-app hub enroll``)."""

    def __init__(self, controller: SyncController, hub_url: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Ghi danh với máy chủ đồng bộ")
        self.url = QLineEdit(hub_url or "")
        self.url.setObjectName("enrolUrl")
        self.url.setPlaceholderText("http://10.0.0.5:8750")
        self.code = QLineEdit()
        self.code.setObjectName("enrolCode")
        self.code.setPlaceholderText("K7QWM-3XR2P")
        self.message = QLabel("Mã ghi danh do cấp trên cấp, dùng được một lần.")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Địa chỉ &máy chủ:", self.url)
        form.addRow("Mã &ghi danh:", self.code)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("Ghi danh", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Huỷ", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def _on_accepted(self) -> None:
        url, code = self.url.text().strip(), self.code.text().strip()
        if not url or not code:
            self.message.setText("Cần nhập cả địa chỉ máy chủ và mã ghi danh.")
            self.message.setStyleSheet(WARN_STYLE)
            (self.url if not url else self.code).setFocus()
            return
        self.controller.enroll(url, code)
        self.accept()


class SyncDialog(QDialog):
    """Non-modal: the counter goes on while it is open; it follows the controller's signals."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("syncDialog")
        self.setWindowTitle("Đồng bộ với cấp trên")
        self.enrol_dialog: EnrolDialog | None = None
        self.headline = QLabel("Đang đọc tình trạng đồng bộ…")
        self.headline.setObjectName("syncHeadline")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 12pt; font-weight: bold;")
        facts, self.values = value_form(FACTS, "sync")
        self.attention = AttentionModel(self)
        self.table = QTableView()
        self.table.setObjectName("syncAttention")
        self.table.setModel(self.attention)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.resizeSection(AttentionColumn.KIND, 130)
        header.resizeSection(AttentionColumn.WHAT, 260)
        header.resizeSection(AttentionColumn.AT, 120)
        header.setSectionResizeMode(AttentionColumn.REASON, QHeaderView.ResizeMode.Stretch)
        self.attention_box = QGroupBox("Cần xem lại")
        QVBoxLayout(self.attention_box).addWidget(self.table)
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)  # shown from the first operation on
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("syncProgressLabel")
        self.message = QLabel("")
        self.message.setObjectName("syncMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sync_button = QPushButton("Đồng bộ &ngay")
        self.sync_button.setObjectName("syncNow")
        self.export_button = QPushButton("&Xuất tệp USB…")
        self.export_button.setObjectName("syncExport")
        self.import_button = QPushButton("Nhập &tệp USB…")
        self.import_button.setObjectName("syncImport")
        self.enrol_button = QPushButton("&Ghi danh với máy chủ…")
        self.enrol_button.setObjectName("syncEnrol")
        close = QPushButton("Đóng")
        close.clicked.connect(self.close)
        self.sync_button.clicked.connect(controller.sync_now)
        self.export_button.clicked.connect(self.ask_export)
        self.import_button.clicked.connect(self.ask_import)
        self.enrol_button.clicked.connect(self.ask_enrolment)
        buttons = QHBoxLayout()
        for button in (self.sync_button, self.export_button, self.import_button, self.enrol_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(facts)
        layout.addWidget(self.attention_box, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(980, 600)
        controller.status_changed.connect(self.show_status)
        controller.progressed.connect(self.show_progress)
        controller.busy_changed.connect(self._on_controller_busy_changed)
        controller.finished.connect(self._on_controller_finished)
        controller.failed.connect(self._on_controller_failed)
        if controller.status is not None:
            self.show_status(controller.status)
        else:
            self._enable()
        self._on_controller_busy_changed(controller.busy)

    # showing ----------------------------------------------------------------------------------

    def show_status(self, status: SyncStatus) -> None:
        self.headline.setText(status.summary(details=False) if status.enrolled else (
            "Quầy chưa ghi danh với máy chủ đồng bộ. Nhấn «Ghi danh với máy chủ…» và nhập địa chỉ máy chủ cùng "
            "mã ghi danh do cấp trên cấp; không có đường truyền thì dùng tệp USB sau khi ghi danh."))
        v = self.values
        v["hub"].setText(f"{status.hub_url} · đơn vị {status.unit_code}, quầy {status.desk_no}"
                         if status.enrolled else "chưa ghi danh")
        pending = f"{status.pending} thay đổi của {status.pending_dossiers} hồ sơ" if status.pending else "không có"
        if status.held:
            pending += f" ({status.held} thay đổi máy chủ đang giữ lại, chờ một thay đổi trước đó tới)"
        v["pending"].setText(pending)
        v["last_success"].setText(when(status.last_success) + (" · đang đồng bộ…" if status.running else ""))
        v["last_attempt"].setText(when(status.last_attempt))
        v["last_error"].setText(status.last_error or "không có")
        v["last_error"].setStyleSheet(WARN_STYLE if status.last_error else "")
        clock = [status.clock_warning] if status.clock_warning else []
        clock += list(status.warnings)
        if not clock:
            clock = ["khớp với máy chủ" if status.clock_skew_s is not None else "chưa so với máy chủ"]
        v["clock"].setText("\n".join(clock))
        v["clock"].setStyleSheet(WARN_STYLE if status.clock_warning or status.warnings else "")
        self.attention.set_status(status)
        self.attention_box.setTitle(f"Cần xem lại ({len(status.rejected)} bị từ chối, "
                                    f"{len(status.problems)} cập nhật không áp dụng được)")
        self.table.resizeRowsToContents()
        self._enable()

    def show_progress(self, progress: SyncProgress) -> None:
        if progress.total > 0:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(min(progress.done, progress.total))
        else:
            self.progress.setRange(0, 0)  # how much is unknown (pulling): a moving bar
        self.progress_label.setText(progress.message)

    def _enable(self) -> None:
        enrolled = self.controller.status is not None and self.controller.status.enrolled
        busy = self.controller.busy
        for button in (self.sync_button, self.export_button, self.import_button):
            button.setEnabled(enrolled and not busy)
        self.enrol_button.setEnabled(not busy)
        self.enrol_button.setText("&Ghi danh lại…" if enrolled else "&Ghi danh với máy chủ…")

    def focus_first(self) -> None:
        """The keyboard on the first thing to do: sync now, or enrol when not enrolled."""
        (self.sync_button if self.sync_button.isEnabled() else self.enrol_button).setFocus()

    def _on_controller_busy_changed(self, busy: bool) -> None:
        if busy:
            self.progress.setVisible(True)
            self.message.setText("")
            self.message.setStyleSheet("")
        self._enable()

    def _on_controller_finished(self, text: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress_label.setText("Xong.")
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _on_controller_failed(self, text: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress_label.setText("Không xong.")
        self.message.setStyleSheet(WARN_STYLE)
        self.message.setText("⚠ " + text)

    # the officer's choices --------------------------------------------------------------------

    def ask_export(self) -> None:
        """Where to write the pending changes (a USB stick), then export on the sync worker."""
        desk, status = self.controller.ctx.desk, self.controller.status
        stamp = f"{desk.clock():%Y%m%d-%H%M}" if desk is not None else "xuat"
        desk_no = status.desk_no if status is not None and status.desk_no else 1
        name, _ = QFileDialog.getSaveFileName(self, "Xuất tệp đồng bộ ra USB",
                                              str(Path.home() / f"quay-{desk_no}-{stamp}.sync"), SYNC_FILTER)
        if name:
            self.controller.export_usb(Path(name))

    def ask_import(self) -> None:
        """The hub's answer file (``desk-app hub export --desk …``), imported on the sync worker."""
        name, _ = QFileDialog.getOpenFileName(self, "Nhập tệp trả lời của cấp trên", str(Path.home()), SYNC_FILTER)
        if name:
            self.controller.import_usb(Path(name))

    def ask_enrolment(self) -> EnrolDialog:
        status = self.controller.status
        self.enrol_dialog = EnrolDialog(self.controller, status.hub_url if status else None, self)
        self.enrol_dialog.open()
        (self.enrol_dialog.code if self.enrol_dialog.url.text() else self.enrol_dialog.url).setFocus()
        return self.enrol_dialog
