"""First run (and later changes): who this desk is, its office hours, paper and printer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.calendar import CalendarSettings, Session
from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.errors import DomainError
from desk_app.gui.errors import describe
from desk_app.gui.tasks import Runner

if TYPE_CHECKING:
    from desk_app.services.desk import Desk

DEFAULT_PRINTER = "(Máy in mặc định của hệ thống)"
ERROR_STYLE = "color: #b00020;"


@dataclass(frozen=True)
class SetupResult:
    profile: DeskProfile
    printer: str | None


def available_printers() -> list[str]:
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())


def apply_setup(desk: Desk, values: dict[str, Any], printer: str | None) -> SetupResult:
    """Worker job: configure the desk, then remember the printer, each in a transaction."""
    profile = desk.initialise(**values)
    desk.set_printer(printer)
    return SetupResult(profile, printer)


def current_setup(desk: Desk) -> tuple[DeskProfile | None, CalendarSettings, str | None]:
    """Worker job: what is configured now, to prefill the dialog."""
    profile = desk.profile() if desk.configured else None
    return profile, desk.calendar_settings(), desk.printer()


def _time(edit: QTimeEdit) -> dt.time:
    return edit.time().toPython()


class SetupDialog(QDialog):
    """Invalid values show their Vietnamese message beside the field; OK saves on the worker."""

    configured = Signal(object)  # SetupResult

    def __init__(self, runner: Runner, desk: Desk, *, printers: Callable[[], list[str]] = available_printers,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.desk = runner, desk
        self.setWindowTitle("Cài đặt quầy Một cửa")
        self.setObjectName("setupDialog")
        self.commune = QLineEdit(placeholderText="Xã Tân Phú")
        self.authority = QLineEdit(placeholderText="Ủy ban nhân dân xã Tân Phú")
        self.unit_name = QLineEdit(placeholderText="BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ")
        self.unit_code = QLineEdit(placeholderText="000.21.33.H49")
        self.desk_no = QSpinBox(minimum=1, maximum=10)
        self.place = QLineEdit(placeholderText="(mặc định: tên xã)")
        self.morning = (QTimeEdit(QTime(7, 0), displayFormat="HH:mm"), QTimeEdit(QTime(11, 30), displayFormat="HH:mm"))
        self.afternoon = (QTimeEdit(QTime(13, 30), displayFormat="HH:mm"), QTimeEdit(QTime(17, 0), displayFormat="HH:mm"))
        self.saturday = QCheckBox("Làm việc sáng thứ Bảy (tiếp nhận và trả kết quả)")
        self.paper = QComboBox()
        self.paper.addItems([PaperSize.A5.value, PaperSize.A4.value])
        self.printer = QComboBox()
        self.printer.addItem(DEFAULT_PRINTER, None)
        for name in printers():
            self.printer.addItem(name, name)
        self.messages: dict[str, QLabel] = {}
        grid = QGridLayout()
        rows: list[tuple[str, str, QWidget]] = [
            ("commune", "&Tên xã, phường *", self.commune),
            ("authority", "&Cơ quan chủ quản *", self.authority),
            ("unit_name", "Tên &bộ phận", self.unit_name),
            ("unit_code", "&Mã đơn vị *", self.unit_code),
            ("desk_no", "Số &quầy (1–10) *", self.desk_no),
            ("place", "Đị&a danh trên giấy tờ", self.place),
            ("sessions", "&Giờ làm việc", self._sessions_row()),
            ("saturday", "", self.saturday),
            ("paper", "&Khổ giấy", self.paper),
            ("printer", "Máy &in", self.printer),
        ]
        for row, (key, caption, widget) in enumerate(rows):
            label = QLabel(caption)
            label.setBuddy(self.morning[0] if key == "sessions" else widget)
            message = QLabel("")
            message.setObjectName(f"error_{key}")
            message.setStyleSheet(ERROR_STYLE)
            message.setWordWrap(True)
            message.setMinimumWidth(240)
            self.messages[key] = message
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
            grid.addWidget(message, row, 2)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Lưu cài đặt")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        intro = QLabel("Nhập thông tin của đơn vị. Các thông tin này được in trên giấy tiếp nhận và dùng để "
                       "cấp mã hồ sơ. Mục có dấu * là bắt buộc.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(860, 520)
        self.commune.setFocus()
        runner.submit(lambda: current_setup(desk), self._prefill, lambda exc: None)

    def _sessions_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for text, widget in (("Sáng", self.morning[0]), ("đến", self.morning[1]), ("  Chiều", self.afternoon[0]),
                             ("đến", self.afternoon[1])):
            layout.addWidget(QLabel(text))
            layout.addWidget(widget)
        layout.addStretch(1)
        return row

    def _prefill(self, current: tuple[DeskProfile | None, CalendarSettings, str | None]) -> None:
        profile, calendar, printer = current
        if profile is not None:
            self.commune.setText(profile.commune)
            self.authority.setText(profile.authority)
            self.unit_name.setText(profile.unit_name)
            self.unit_code.setText(profile.unit_code)
            self.desk_no.setValue(profile.desk_no)
            self.place.setText(profile.place)
            self.paper.setCurrentText(profile.paper.value)
        if len(calendar.sessions) == 2:
            for edits, session in zip((self.morning, self.afternoon), calendar.sessions, strict=True):
                edits[0].setTime(QTime(session.start.hour, session.start.minute))
                edits[1].setTime(QTime(session.end.hour, session.end.minute))
        self.saturday.setChecked(calendar.saturday_morning)
        index = self.printer.findData(printer)
        if printer and index < 0:
            self.printer.addItem(f"{printer} (không thấy máy in này)", printer)
            index = self.printer.count() - 1
        self.printer.setCurrentIndex(max(0, index))

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The keywords of Desk.initialise, and the problems this dialog can see by itself."""
        problems: dict[str, str] = {}
        morning = Session(_time(self.morning[0]), _time(self.morning[1]))
        afternoon = Session(_time(self.afternoon[0]), _time(self.afternoon[1]))
        if morning.end <= morning.start or afternoon.end <= afternoon.start:
            problems["sessions"] = "Giờ kết thúc mỗi buổi phải sau giờ bắt đầu."
        elif afternoon.start < morning.end:
            problems["sessions"] = "Buổi chiều phải bắt đầu sau khi buổi sáng kết thúc."
        if not self.commune.text().strip():
            problems["commune"] = "Chưa nhập tên xã, phường."
        if not self.authority.text().strip():
            problems["authority"] = "Chưa nhập dòng cơ quan chủ quản (ví dụ: Ủy ban nhân dân xã Tân Phú)."
        if not self.unit_code.text().strip():
            problems["unit_code"] = "Chưa nhập mã định danh điện tử của đơn vị."
        values = {
            "commune": self.commune.text(),
            "authority": self.authority.text(),
            "unit_code": self.unit_code.text().strip(),
            "desk_no": self.desk_no.value(),
            "place": self.place.text().strip() or None,
            "unit_name": self.unit_name.text().strip() or None,
            "paper": self.paper.currentText(),
            "calendar": CalendarSettings(sessions=(morning, afternoon), saturday_morning=self.saturday.isChecked()),
        }
        return values, problems

    def _show(self, problems: dict[str, str]) -> None:
        for key, label in self.messages.items():
            label.setText(f"⚠ {problems[key]}" if key in problems else "")

    def submit(self) -> None:
        values, problems = self.values()
        self._show(problems)
        if problems:
            self.status.setText("⚠ Chưa lưu: hãy sửa các ô có cảnh báo.")
            return
        self.buttons.setEnabled(False)
        self.status.setText("Đang lưu…")
        desk, printer = self.desk, self.printer.currentData()
        self.runner.submit(lambda: apply_setup(desk, values, printer), self._on_saved, self._on_failed)

    def _on_saved(self, result: SetupResult) -> None:
        self.buttons.setEnabled(True)
        self.configured.emit(result)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        field = exc.field if isinstance(exc, DomainError) else None
        if field in self.messages:
            self._show({field: exc.message})  # type: ignore[index, union-attr]
        self.status.setText("⚠ Chưa lưu: " + describe(exc))
