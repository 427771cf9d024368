"""A small keyboard-first dialog asking what a lifecycle step needs (reason, papers, new date …)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout,
    QWidget,
)

from desk_app.domain.dates import MOMENT_HINT

Kind = Literal["line", "text", "datetime", "choice"]


@dataclass(frozen=True)
class Field:
    """One question: ``key`` names the answer; ``text`` is multi-line (one paper a line); a
    ``datetime`` is typed "09:15 01/12/2026"; a ``choice`` answer is the chosen option."""

    key: str
    label: str
    kind: Kind = "line"
    default: str = ""
    options: tuple[str, ...] = ()
    hint: str = ""


Answers = dict[str, str]
Ask = Callable[[QWidget, str, str, Sequence[Field]], "Answers | None"]
"""(parent, title, lead text, fields) → the answers, or None when the receptionist cancels."""


class StepDialog(QDialog):
    """Tab moves between the fields (also out of multi-line ones); Ctrl+Enter, or Enter on a
    one-line field, records; Esc cancels."""

    def __init__(self, parent: QWidget | None, title: str, lead: str, fields: Sequence[Field]) -> None:
        super().__init__(parent)
        self.setObjectName("stepDialog")
        self.setWindowTitle(title)
        self.fields = list(fields)
        self.inputs: dict[str, QLineEdit | QPlainTextEdit | QComboBox] = {}
        form = QFormLayout()
        for field in self.fields:
            widget = self._input(field)
            widget.setObjectName(f"step_{field.key}")
            self.inputs[field.key] = widget
            label = QLabel(field.label + ":")
            label.setBuddy(widget)
            form.addRow(label, widget)
            if field.hint:
                hint = QLabel(field.hint)
                hint.setWordWrap(True)
                hint.setStyleSheet("color: #555;")
                form.addRow("", hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Ghi nhận  [Ctrl+Enter]")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy  [Esc]")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if lead:
            heading = QLabel(lead)
            heading.setWordWrap(True)
            heading.setStyleSheet("font-weight: bold;")
            layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.accept)
        self.resize(620, self.sizeHint().height())
        if self.fields:
            self.inputs[self.fields[0].key].setFocus()

    @staticmethod
    def _input(field: Field) -> QLineEdit | QPlainTextEdit | QComboBox:
        if field.kind == "text":
            edit = QPlainTextEdit(field.default)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(84)
            return edit
        if field.kind == "datetime":
            # Typed as on paper ("09:15 01/12/2026"), read by the domain's parser: a date editor
            # would take Tab for its own sections and trap the keyboard.
            edit = QLineEdit(field.default)
            edit.setPlaceholderText(MOMENT_HINT)
            return edit
        if field.kind == "choice":
            box = QComboBox()
            box.addItems(list(field.options))
            if field.default in field.options:
                box.setCurrentIndex(field.options.index(field.default))
            return box
        return QLineEdit(field.default)

    def answers(self) -> Answers:
        values: Answers = {}
        for key, widget in self.inputs.items():
            if isinstance(widget, QPlainTextEdit):
                values[key] = widget.toPlainText()
            elif isinstance(widget, QComboBox):
                values[key] = widget.currentText()
            else:
                values[key] = widget.text()
        return values


def ask_fields(parent: QWidget, title: str, lead: str, fields: Sequence[Field]) -> Answers | None:
    """The real dialog, modal; None when cancelled."""
    dialog = StepDialog(parent, title, lead, fields)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    return dialog.answers() if dialog.exec() == QDialog.DialogCode.Accepted else None
