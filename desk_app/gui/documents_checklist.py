"""The procedure's required documents as a checklist: received?, form, count."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QSizePolicy, QSpinBox, QWidget

from desk_app.domain.catalogue import DocForm, RequiredDocument
from desk_app.domain.dossier import ReceivedDocument

MISSING_STYLE = "color: #b00020;"  # with a "⚠" in the text: never colour alone


class DocumentName(QLabel):
    """The paper's name beside its tick box, wrapped: a QCheckBox cannot wrap its text, and a long
    catalogue name (up to 134 characters) would widen the form past a 1366-pixel screen.
    A click on the name ticks the box, as a click on a check box's own text would."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self.box, self.plain = box, text
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # Ignored: the name takes the width the row leaves, never asks for the width of its one-line text.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.box.toggle()
            self.box.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)

    def set_missing(self, missing: bool) -> None:
        self.setText(f"⚠ {self.plain}" if missing else self.plain)
        self.setStyleSheet(MISSING_STYLE if missing else "")


class DocumentsChecklist(QWidget):
    """One row per catalogue document; mandatory ones start ticked (the citizen usually has them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self.rows: list[tuple[RequiredDocument, QCheckBox, QComboBox, QSpinBox]] = []
        self.names: list[DocumentName] = []
        self.empty = QLabel("Chọn thủ tục để xem danh sách giấy tờ.")
        self.grid.addWidget(self.empty, 0, 0, 1, 4)

    def set_documents(self, documents: tuple[RequiredDocument, ...]) -> None:
        self._clear()
        self.empty.setVisible(not documents)
        if not documents:
            self.empty.setText("Danh mục không ghi giấy tờ nào cho thủ tục này.")
        for header, column in (("Giấy tờ đã nhận", 0), ("Hình thức", 2), ("Số lượng", 3)):
            label = QLabel(f"<b>{header}</b>")
            self.grid.addWidget(label, 1, column, 1, 2 if column == 0 else 1)
        for row, document in enumerate(documents, start=2):
            # Optional papers are marked once: the catalogue's name often states its own condition.
            optional = not document.mandatory and "nếu" not in document.name.lower()
            text = document.name + (" (nếu có)" if optional else "")
            box = QCheckBox()
            box.setAccessibleName(text)
            box.setToolTip("Bắt buộc" if document.mandatory else "Không bắt buộc")
            box.setChecked(document.mandatory)
            box.setObjectName(f"document_{row - 2}")
            name = DocumentName(text, box)
            name.setObjectName(f"document_name_{row - 2}")
            name.setToolTip(box.toolTip())
            box.toggled.connect(lambda on, n=name: n.set_missing(False) if on else None)  # ticked: warning goes
            form = QComboBox()
            for choice in DocForm:
                form.addItem(choice.label, choice.value)  # Qt turns str enums into str
            form.setCurrentIndex(list(DocForm).index(document.form))
            count = QSpinBox()
            count.setRange(1, 99)
            count.setValue(document.count)
            # Tick box and name line up with the combo's text even when the name wraps.
            height = form.sizeHint().height()
            box.setMinimumHeight(height)
            name.setContentsMargins(0, max(0, (height - name.fontMetrics().height()) // 2), 0, 0)
            self.grid.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(name, row, 1, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(form, row, 2, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(count, row, 3, Qt.AlignmentFlag.AlignTop)
            self.rows.append((document, box, form, count))
            self.names.append(name)

    def update_documents(self, documents: tuple[RequiredDocument, ...]) -> None:
        """A new catalogue version of the same procedure: the rows follow it, and papers still
        listed (by name) keep what the officer ticked, chose and counted."""
        kept = {document.name: (box.isChecked(), form.currentIndex(), count.value())
                for document, box, form, count in self.rows}
        self.set_documents(documents)
        for document, box, form, count in self.rows:
            if document.name in kept:
                checked, choice, number = kept[document.name]
                box.setChecked(checked)
                form.setCurrentIndex(choice)
                count.setValue(number)

    def _clear(self) -> None:
        for row in range(1, self.grid.rowCount()):
            for column in range(4):
                item = self.grid.itemAtPosition(row, column)
                if item is not None and item.widget() is not None:
                    widget = item.widget()
                    self.grid.removeWidget(widget)
                    widget.hide()  # until deleted: out of the layout, it must not paint at its default size
                    widget.deleteLater()
        self.rows = []
        self.names = []

    def mark_missing(self) -> None:
        """Flag the unticked mandatory papers' names: the warning sits on the row it is about."""
        for (document, box, _, _), name in zip(self.rows, self.names, strict=True):
            name.set_missing(document.mandatory and not box.isChecked())

    def focus_widgets(self) -> list[QWidget]:
        """Tab order: each row's tick, form and count, in order."""
        return [w for _, box, form, count in self.rows for w in (box, form, count)]

    def received(self) -> tuple[ReceivedDocument, ...]:
        return tuple(
            ReceivedDocument(document.name, DocForm(form.currentData()), count.value())
            for document, box, form, count in self.rows
            if box.isChecked()
        )

    def missing(self) -> list[str]:
        """Mandatory documents not ticked: such a dossier is not complete and may not be received."""
        return [document.name for document, box, _, _ in self.rows if document.mandatory and not box.isChecked()]

    def missing_documents(self) -> tuple[ReceivedDocument, ...]:
        """The unticked mandatory papers with the form and count shown: what the citizen must add."""
        return tuple(
            ReceivedDocument(document.name, DocForm(form.currentData()), count.value())
            for document, box, form, count in self.rows
            if document.mandatory and not box.isChecked()
        )
