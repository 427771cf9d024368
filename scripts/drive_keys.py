"""Keyboard driving for the screenshot and print-check scripts: key events only, Vietnamese included."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def focused() -> QWidget:
    widget = QApplication.focusWidget() or QApplication.activeWindow()
    if widget is None:
        raise RuntimeError("no window has the keyboard focus")
    return widget


def type_text(text: str) -> None:
    """QTest.keyClicks knows ASCII only; other letters go as a key event carrying the text,
    as a Vietnamese input method (Unikey, the OS IME) delivers them."""
    for char in text:
        target = focused()
        if char.isascii():
            QTest.keyClicks(target, char)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, target, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier)


def key(code: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    for _ in range(times):
        QTest.keyClick(focused(), code, modifier)
