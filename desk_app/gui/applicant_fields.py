"""The applicant's fields, checked as you type by the domain's own rules, each message beside its field."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QGridLayout, QLabel, QLineEdit, QWidget

from desk_app.domain.dossier import Sex
from desk_app.domain.errors import ValidationErrors
from desk_app.domain.validation import clean_applicant

if TYPE_CHECKING:
    from desk_app.services.units import Commune

FIELDS = ("name", "id_number", "birth_date", "sex", "phone", "address", "email")
_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$|^(\d{2})(\d{2})(\d{4})$")
BAD_DATE = "Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 01/05/1990."
ERROR_STYLE = "color: #b00020;"  # the text carries a "⚠" too: never colour alone


def parse_date(text: str) -> dt.date | None:
    """dd/mm/yyyy (also d/m/yyyy, dd.mm.yyyy or ddmmyyyy); raises ValueError when it is not a date."""
    text = text.strip()
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        raise ValueError(BAD_DATE)
    day, month, year = (int(g) for g in (match.groups()[:3] if match.group(1) else match.groups()[3:]))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(BAD_DATE) from None


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


class ApplicantFields(QWidget):
    """Caption, field and message per row; ``errors()`` runs ``clean_applicant`` on what is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(14)
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText("ngày/tháng/năm")
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
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        for row, field in enumerate(FIELDS):
            widget = self.widgets[field]
            widget.setObjectName(f"applicant_{field}")
            caption = QLabel(captions[field])
            caption.setBuddy(widget)
            message = QLabel("")
            message.setObjectName(f"error_{field}")
            message.setStyleSheet(ERROR_STYLE)
            message.setWordWrap(True)
            message.setMinimumWidth(220)
            self.messages[field] = message
            grid.addWidget(caption, row, 0)
            grid.addWidget(widget, row, 1)
            grid.addWidget(message, row, 2)
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
        return parse_date(self.birth_date.text())

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
