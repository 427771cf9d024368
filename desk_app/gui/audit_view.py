"""An administrator's view of the audit trail: filters, the chain check, export to CSV."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.gui.rows_model import RowsModel
from desk_app.gui.tasks import Runner

if TYPE_CHECKING:
    from desk_app.services.audit_trail import AuditFilter
    from desk_app.services.desk import Desk
    from desk_app.store.audit import AuditEntry

AskCsvPath = Callable[[QWidget, str], Path | None]
COLUMNS = ("Số", "Thời điểm", "Tên đăng nhập", "Họ tên", "Thao tác", "Đối tượng", "Chi tiết")
SHOWN = 2000  # newest first; the export has them all


def ask_csv_path(parent: QWidget, suggested: str) -> Path | None:
    from desk_app.gui.preview_dialog import ask_file_path

    return ask_file_path(parent, suggested, title="Xuất nhật ký", file_filter="Tệp CSV (*.csv)", suffix=".csv")


def audit_cell(e: AuditEntry, column: int) -> Any:
    """One cell of the audit table (one AuditEntry a row; ``Qt.UserRole`` gives it)."""
    try:
        detail = ", ".join(f"{k}: {v}" for k, v in json.loads(e.detail).items())
    except (ValueError, AttributeError):
        detail = e.detail
    at = e.at.replace("T", " ")[:19]
    return (e.id, at, e.actor, e.actor_name, e.action, f"{e.entity} {e.entity_id}", detail)[column]


class AuditDialog(QDialog):
    """Filters (officer, action, days), the entries newest first, Kiểm tra chuỗi, Xuất CSV."""

    def __init__(self, runner: Runner, desk: Desk, *, ask_path: AskCsvPath | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.desk, self.ask_path = runner, desk, ask_path or ask_csv_path
        self.setObjectName("auditDialog")
        self.setWindowTitle("Nhật ký hệ thống")
        self.officer = QComboBox()
        self.officer.addItem("Tất cả cán bộ", None)
        self.action = QLineEdit()
        self.action.setPlaceholderText('ví dụ "dossier." hoặc "officer.login"')
        self.since, self.until = QLineEdit(), QLineEdit()
        for field in (self.since, self.until):
            field.setPlaceholderText("dd/mm/yyyy")
        filters = QFormLayout()
        filters.addRow("&Cán bộ:", self.officer)
        filters.addRow("&Thao tác:", self.action)
        days = QHBoxLayout()
        days.addWidget(self.since)
        days.addWidget(QLabel("đến"))
        days.addWidget(self.until)
        days_label = QLabel("Từ &ngày:")
        days_label.setBuddy(self.since)
        filters.addRow(days_label, days)
        self.model: RowsModel[AuditEntry] = RowsModel(COLUMNS, audit_cell, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column in range(len(COLUMNS) - 1):  # the detail takes what is left
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.status = QLabel()
        self.status.setObjectName("auditStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        self.filter_button = QPushButton("&Lọc")
        self.filter_button.setDefault(True)
        self.verify_button = QPushButton("&Kiểm tra chuỗi mã băm")
        self.export_button = QPushButton("&Xuất CSV…")
        for button, slot in ((self.filter_button, self.refresh), (self.verify_button, self.verify),
                             (self.export_button, self.export)):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.resize(1000, 640)
        self._load_officers()
        self.refresh()

    def _show_error(self, exc: BaseException) -> None:
        from desk_app.gui.errors import describe

        self.status.setText(describe(exc))

    def _load_officers(self) -> None:
        desk = self.desk

        def job() -> Any:
            from desk_app.services.audit_trail import actors

            return actors(desk)

        def done(names: list[str]) -> None:
            for name in names:
                self.officer.addItem(name, name)

        self.runner.submit(job, done, self._show_error)

    def current_filter(self) -> AuditFilter:
        """The filter as typed; DomainError (Vietnamese) for an impossible date."""
        from desk_app.domain.dates import parse_date
        from desk_app.services.audit_trail import AuditFilter

        since, until = self.since.text().strip(), self.until.text().strip()
        return AuditFilter(actor=self.officer.currentData(), action=self.action.text().strip() or None,
                           since=parse_date(since) if since else None, until=parse_date(until) if until else None)

    def refresh(self) -> None:
        from desk_app.domain.errors import DomainError

        try:
            where = self.current_filter()
        except DomainError as exc:
            self._show_error(exc)
            return
        desk = self.desk

        def job() -> Any:
            from desk_app.services.audit_trail import entries

            return entries(desk, where, limit=SHOWN)

        def done(found: list[AuditEntry]) -> None:
            self.model.set_rows(found)
            more = " (chỉ hiện những mục mới nhất; bản xuất CSV có đủ)" if len(found) == SHOWN else ""
            self.status.setText(f"{len(found)} mục{more}.")

        self.runner.submit(job, done, self._show_error)

    def verify(self) -> None:
        desk = self.desk

        def job() -> Any:
            from desk_app.services.audit_trail import describe, verify

            return describe(verify(desk))

        self.runner.submit(job, self.status.setText, self._show_error)

    def export(self) -> None:
        from desk_app.domain.errors import DomainError

        try:
            where = self.current_filter()
        except DomainError as exc:
            self._show_error(exc)
            return
        path = self.ask_path(self, "nhat-ky-he-thong.csv")
        if path is None:
            return
        desk = self.desk

        def job() -> Any:
            from desk_app.services.audit_trail import export_csv

            return export_csv(desk, path, where)

        self.runner.submit(job, lambda count: self.status.setText(f"Đã xuất {count} mục vào {path}."),
                           self._show_error)
