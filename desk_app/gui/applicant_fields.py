"""The applicant's fields, checked as you type by the domain's own rules, each message beside its field."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desk_app.domain.dates import parse_date
from desk_app.domain.dossier import Sex
from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.validation import clean_applicant

if TYPE_CHECKING:
    from desk_app.services.units import Commune

FIELDS = ("name", "id_number", "birth_date", "sex", "phone", "address", "email")
ERROR_STYLE = "color: #b00020;"  # the text carries a "⚠" too: never colour alone
MESSAGE_WIDTH = 220
BESIDE_PREVIOUS = frozenset({"sex"})  # fields laid out on the row of the field before them


def parse_birth_date(text: str) -> dt.date | None:
    """The birth-date field: empty, or a date as the command line takes it (dd/mm/yyyy or
    yyyy-mm-dd); raises ValueError with the domain's Vietnamese message ("Không có ngày 31/02/1990.")."""
    if not text.strip():
        return None
    try:
        return parse_date(text, field="birth_date")
    except DomainError as exc:
        raise ValueError(exc.message) from None


class AddressCompleter(QCompleter):
    """Completes the commune part of an address ("…, tan phu" → "…, Xã Tân Phú, Tỉnh Đồng Nai").

    Matching folds diacritics and đ, which QCompleter's own filtering cannot, so the list is
    filtered here and shown unfiltered.
    """

    def __init__(self, field: QLineEdit) -> None:
        super().__init__(field)
        self.units: list[Commune] = []
        self._model = QStringListModel(self)
        self.setModel(self._model)
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(8)
        self.setWidget(field)
        self.field = field
        field.textEdited.connect(self._on_field_text_edited)
        self.activated[str].connect(self._on_activated)

    def set_units(self, units: list[Commune]) -> None:
        self.units = units

    @staticmethod
    def split(text: str) -> tuple[str, str]:
        """(what stays, the commune being typed): an address is "<house/hamlet>, <commune>"."""
        head, sep, tail = text.partition(",")
        return (head + ", ", tail.strip()) if sep else (text, "")

    def suggestions(self, text: str) -> list[str]:
        from desk_app.services.units import search_units

        _, query = self.split(text)
        if len(query) < 2:
            return []
        return [u.label for u in search_units(self.units, query, limit=12)]

    def _on_field_text_edited(self, text: str) -> None:
        labels = self.suggestions(text)
        self._model.setStringList(labels)
        if labels:
            self.complete()
        else:
            self.popup().hide()

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802 - Qt's name
        head, _ = self.split(self.field.text())
        return head + str(index.data())

    def _on_activated(self, text: str) -> None:
        self.field.setText(text)


FIELD_GAP = 6  # between the birth date and the sex box's caption


class ApplicantFields(QWidget):
    """Caption, field and message per row; ``errors()`` runs ``clean_applicant`` on what is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(14)
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText("ngày/tháng/năm")  # yyyy-mm-dd is read too
        self.birth_date.setMaxLength(10)
        self.sex = QComboBox()
        self.sex.addItem("—", None)
        self.sex.addItem(Sex.MALE.label, Sex.MALE.value)  # Qt turns str enums into str
        self.sex.addItem(Sex.FEMALE.label, Sex.FEMALE.value)
        self.phone = QLineEdit()
        self.phone.setMaxLength(16)
        self.address = QLineEdit()
        self.address.setPlaceholderText("Số nhà/thôn, rồi dấu phẩy và tên xã (gõ không dấu để chọn)")
        self.email = QLineEdit()
        self.completer = AddressCompleter(self.address)
        captions = {
            "name": "&Họ và tên *", "id_number": "Số đ&ịnh danh", "birth_date": "Ngà&y sinh", "sex": "&Giới tính",
            "phone": "Điện th&oại", "address": "Đị&a chỉ", "email": "Thư điện tử",
        }
        self.widgets: dict[str, QWidget] = {f: getattr(self, f) for f in FIELDS}
        self.messages: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        # The desk's day (its clock, which a test or the demo may set), given by the form once
        # known; until then no birth date is judged to be in the future (the save checks again).
        self.today: dt.date | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        # As much room for the message as for the field: a message wrapped onto three lines
        # would push the form past the bottom of a 768-pixel screen.
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        # On the column, not the labels: an empty message is hidden, and the fields must not
        # widen and narrow as messages come and go.
        grid.setColumnMinimumWidth(2, MESSAGE_WIDTH)
        cells: tuple[QHBoxLayout, QVBoxLayout] | None = None  # the current row's field and message cells
        for field in FIELDS:
            widget = self.widgets[field]
            widget.setObjectName(f"applicant_{field}")
            caption = QLabel(captions[field])
            caption.setBuddy(widget)
            message = QLabel("")
            message.setObjectName(f"error_{field}")
            message.setStyleSheet(ERROR_STYLE)
            message.setWordWrap(True)
            message.setVisible(False)
            self.messages[field] = message
            if cells is not None and field in BESIDE_PREVIOUS:
                # The sex box shares the birth date's row: one row less on a 768-pixel screen.
                cells[0].addWidget(caption)
                cells[0].addWidget(widget, 1)
            else:
                row = grid.rowCount() if cells is not None else 0
                cells = QHBoxLayout(), QVBoxLayout()
                cells[0].setSpacing(FIELD_GAP)  # its own: the grid's rows may be packed tighter
                cells[0].addWidget(widget, 1)
                grid.addWidget(caption, row, 0)
                grid.addLayout(cells[0], row, 1)
                grid.addLayout(cells[1], row, 2)
            cells[1].addWidget(message)
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _text, f=field: self._on_field_edited(f))
            else:
                self.sex.currentIndexChanged.connect(lambda _i, f=field: self._on_field_edited(f))
        self.setTabOrder(self.name, self.id_number)
        for first, second in zip(FIELDS, FIELDS[1:], strict=False):
            self.setTabOrder(self.widgets[first], self.widgets[second])

    def _on_field_edited(self, field: str) -> None:
        self.touched.add(field)
        self.show_errors(self.errors(), only_touched=True)

    def birth(self) -> dt.date | None:
        return parse_birth_date(self.birth_date.text())

    def _typed(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "id_number": self.id_number.text() or None,
            "sex": Sex(self.sex.currentData()) if self.sex.currentData() else None,
            "phone": self.phone.text() or None,
            "address": self.address.text() or None,
            "email": self.email.text() or None,
        }

    def values(self) -> dict[str, Any]:
        """The typed values as ReceptionRequest keywords (raises ValueError on an unreadable date)."""
        return self._typed() | {"birth_date": self.birth()}

    def errors(self) -> dict[str, str]:
        """Field → Vietnamese message, from the same checks ``receive()`` applies."""
        found: dict[str, str] = {}
        try:
            birth = self.birth()
        except ValueError as exc:
            found["birth_date"], birth = str(exc), None
        try:
            clean_applicant(**self._typed(), birth_date=birth, today=self.today or dt.date.max)
        except ValidationErrors as exc:
            for error in exc.errors:
                found.setdefault(error.field or "name", error.message)
        return found

    def show_errors(self, errors: dict[str, str], *, only_touched: bool = False) -> None:
        for field, label in self.messages.items():
            message = errors.get(field, "")
            if only_touched and field not in self.touched:
                message = ""
            label.setText(f"⚠ {message}" if message else "")
            label.setVisible(bool(message))

    def first_invalid(self, errors: dict[str, str]) -> QWidget | None:
        return next((self.widgets[f] for f in FIELDS if f in errors), None)

    def clear(self) -> None:
        self.completer.popup().hide()
        for field in FIELDS:
            widget = self.widgets[field]
            if isinstance(widget, QLineEdit):
                widget.clear()
        self.sex.setCurrentIndex(0)
        self.touched.clear()
        self.show_errors({})
