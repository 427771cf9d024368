"""Typing as a receptionist does: key events only, Vietnamese letters included."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def focused():
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def type_keys(text, widget=None):
    """Key clicks into the focused widget. QTest.keyClicks handles ASCII only; other letters
    ("ễ", "Đ") arrive as a key event carrying the text, as a Vietnamese input method sends them."""
    for char in text:
        target = widget or focused()
        if char.isascii():
            QTest.keyClicks(target, char)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, target, Qt.Key.Key_unknown, char, Qt.KeyboardModifier.NoModifier)


def press(key, modifier=Qt.KeyboardModifier.NoModifier, times=1, widget=None):
    for _ in range(times):
        QTest.keyClick(widget or focused(), key, modifier)
