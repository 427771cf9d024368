"""Take the README's screenshots: start the demo window and drive it by keyboard, grabbing the screen.

Run under an X display (scripts/screenshots.sh starts Xvfb): the whole screen is grabbed, so
dialogs and popups are in the picture. Writes docs/screenshots/*.png. With the argument ``fit``
it takes only fit-<width>x<height>.png: the reception tab, on whatever screen size the display
has, with the catalogue's longest procedure name chosen and its warnings showing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from drive_keys import key, type_text  # scripts/drive_keys.py
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
STEP_MS = 900


def shoot(name: str) -> None:
    screen = QApplication.primaryScreen()
    pixmap = screen.grabWindow(0)
    path = OUT / f"{name}.png"
    pixmap.save(str(path), "PNG")
    print(f"screenshot: {path} ({pixmap.width()}x{pixmap.height()})", flush=True)


class Tour:
    """A timed sequence of keyboard steps and screenshots."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self.steps: list[Callable[[], None]] = [
            self.fill_form, lambda: shoot("01-reception-form"),
            self.bad_values, lambda: shoot("06-validation-messages"), self.new_form,
            self.filter_ledger, self.wait, lambda: shoot("02-ledger-filters"),
            self.open_detail, lambda: shoot("03-detail-view"),
            self.reprint, self.wait, lambda: shoot("04-print-preview"),
            self.close_preview, self.open_setup, lambda: shoot("05-setup-dialog"),
            self.finish,
        ]

    def start(self) -> None:
        self.window.activateWindow()  # no window manager under Xvfb gives it focus
        QTimer.singleShot(1500, self.next)

    def next(self) -> None:
        step = self.steps.pop(0)
        step()
        if self.steps:
            QTimer.singleShot(STEP_MS, self.next)

    def wait(self) -> None:
        return None

    def fill_form(self) -> None:
        w = self.window
        w.activateWindow()
        w.show_tab(0)
        type_text("chung thuc ban sao")
        key(Qt.Key.Key_Return)
        type_text("Nguyễn Thị Thu Hương")
        key(Qt.Key.Key_Tab)
        type_text("087190012345")
        key(Qt.Key.Key_Tab)
        type_text("12/08/1990")
        key(Qt.Key.Key_Tab)
        key(Qt.Key.Key_Down, times=2)  # Nữ
        key(Qt.Key.Key_Tab)
        type_text("0912345678")
        key(Qt.Key.Key_Tab)
        type_text("Ấp Tân Hoà, tan phu dong thap")
        popup = w.form.applicant.completer.popup()
        QTest.keyClick(popup, Qt.Key.Key_Down)
        QTest.keyClick(popup, Qt.Key.Key_Return)
        w.form.pages.setFocus()
        key(Qt.Key.Key_Up, times=3)
        key(Qt.Key.Key_Tab)
        key(Qt.Key.Key_Up)
        w.form.applicant.phone.setFocus()

    def bad_values(self) -> None:
        """A wrong ID and phone: the message appears beside each field, and saving is refused."""
        form = self.window.form
        form.applicant.id_number.setFocus()
        form.applicant.id_number.selectAll()
        type_text("08719001")
        key(Qt.Key.Key_Tab, times=3)
        form.applicant.phone.selectAll()
        type_text("091234")
        key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    def new_form(self) -> None:
        key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    def filter_ledger(self) -> None:
        w = self.window
        key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        type_text("nguyen")
        procedures = w.ledger.procedure
        procedures.setCurrentIndex(max(0, procedures.findData("2.000815")))

    def open_detail(self) -> None:
        w = self.window
        w.ledger.table.setFocus()
        key(Qt.Key.Key_Down, times=2)
        key(Qt.Key.Key_Return)

    def reprint(self) -> None:
        key(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)

    def close_preview(self) -> None:
        preview = self.window.detail.preview
        if preview is not None:
            preview.close()

    def open_setup(self) -> None:
        self.dialog = self.window.open_setup()

    def finish(self) -> None:
        self.dialog.close()
        self.window.close()


class FitTour(Tour):
    """The counter screen with a long-named procedure, a wrong phone number and a paper missing."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        screen = QApplication.primaryScreen().size()
        name = f"fit-{screen.width()}x{screen.height()}"
        self.steps = [self.fill_long, self.refuse, self.wait, lambda: shoot(name), self.finish_fit]

    def fill_long(self) -> None:
        w = self.window
        w.activateWindow()
        w.show_tab(0)
        type_text("cong nhan ho ngheo")  # 1.011607, the longest name in the catalogue
        key(Qt.Key.Key_Return)
        type_text("Trần Thị Mỹ Duyên")
        key(Qt.Key.Key_Tab)
        type_text("087190012345")
        key(Qt.Key.Key_Tab)
        type_text("12/08/1990")
        key(Qt.Key.Key_Tab, times=2)
        type_text("091234")  # too short: the message appears beside the field

    def refuse(self) -> None:
        """(A step of its own: the papers' rows are shown by the event loop after the choice.)"""
        self.window.form.documents.focus_widgets()[0].setFocus()
        key(Qt.Key.Key_Space)  # the first paper has not been brought
        key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # refused: both warnings show

    def finish_fit(self) -> None:
        self.window.close()


def main() -> int:
    from desk_app.gui.app import run

    OUT.mkdir(parents=True, exist_ok=True)
    tours: list[Tour] = []
    kind = FitTour if sys.argv[1:] == ["fit"] else Tour

    def ready(window: QWidget) -> None:
        tour = kind(window)
        tours.append(tour)
        tour.start()

    return run(["--demo"], on_ready=ready)


if __name__ == "__main__":
    sys.exit(main())
