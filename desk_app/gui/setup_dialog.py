"""First run (and later changes): who this desk is, its office hours, paper and printer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTimeEdit, QWidget

from desk_app.domain.calendar import CalendarSettings, Session
from desk_app.domain.desk import DeskProfile, PaperSize
from desk_app.domain.errors import DomainError
from desk_app.gui.errors import describe
from desk_app.gui.forms.ui_setup_dialog import Ui_SetupDialog
from desk_app.gui.tasks import Runner

if TYPE_CHECKING:
    from desk_app.services.desk import Desk

DEFAULT_PRINTER = "(Máy in mặc định của hệ thống)"
DEMO_CHOSEN = 2  # the dialog's result code when the demo was chosen
ERROR_STYLE = "color: #b00020;"
# The fields that have a message label beside them (error_<key> in ui/setup_dialog.ui).
MESSAGE_KEYS = ("commune", "authority", "unit_name", "unit_code", "desk_no", "place", "sessions", "saturday",
                "paper", "printer")


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
    demo_requested = Signal()  # first run: the receptionist chose the throwaway demo commune instead

    def __init__(self, runner: Runner, desk: Desk, *, printers: Callable[[], list[str]] = available_printers,
                 offer_demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.desk = runner, desk
        self.ui = Ui_SetupDialog()  # layout, captions, buddies and tab order: ui/setup_dialog.ui
        self.ui.setupUi(self)
        ui = self.ui
        self.commune, self.authority, self.unit_name, self.unit_code = ui.commune, ui.authority, ui.unit_name, ui.unit_code
        self.desk_no, self.place, self.saturday = ui.desk_no, ui.place, ui.saturday
        self.morning = (ui.morning_start, ui.morning_end)
        self.afternoon = (ui.afternoon_start, ui.afternoon_end)
        self.paper, self.printer, self.status, self.buttons = ui.paper, ui.printer, ui.status, ui.buttons
        self.paper.addItems([PaperSize.A5.value, PaperSize.A4.value])
        self.printer.addItem(DEFAULT_PRINTER, None)
        for name in printers():
            self.printer.addItem(name, name)
        self.messages: dict[str, QLabel] = {key: getattr(ui, f"error_{key}") for key in MESSAGE_KEYS}
        for message in self.messages.values():
            message.setStyleSheet(ERROR_STYLE)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Lưu cài đặt")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        # First run only: the demo beside the real set-up, one key away (Alt+D, the button's mnemonic).
        self.demo = ui.demo
        ui.first_run.setVisible(offer_demo)
        self.demo.setVisible(offer_demo)
        self.demo.clicked.connect(self._on_demo_clicked)
        self.commune.setFocus()
        runner.submit(lambda: current_setup(desk), self._prefill, lambda exc: None)

    def _on_demo_clicked(self) -> None:
        self.demo_requested.emit()
        self.done(DEMO_CHOSEN)  # neither accepted nor rejected: the launcher opens the demo

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
