"""The procedure's required documents as a checklist: received?, form, count."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QSpinBox, QWidget

from desk_app.domain.catalogue import DocForm, RequiredDocument
from desk_app.domain.dossier import ReceivedDocument


class DocumentsChecklist(QWidget):
    """One row per catalogue document; mandatory ones start ticked (the citizen usually has them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(0, 1)
        self.rows: list[tuple[RequiredDocument, QCheckBox, QComboBox, QSpinBox]] = []
        self.empty = QLabel("Chọn thủ tục để xem danh sách giấy tờ.")
        self.grid.addWidget(self.empty, 0, 0)

    def set_documents(self, documents: tuple[RequiredDocument, ...]) -> None:
        self._clear()
        self.empty.setVisible(not documents)
        if not documents:
            self.empty.setText("Danh mục không ghi giấy tờ nào cho thủ tục này.")
        for header, column in (("Giấy tờ đã nhận", 0), ("Hình thức", 1), ("Số lượng", 2)):
            label = QLabel(f"<b>{header}</b>")
            self.grid.addWidget(label, 1, column)
        for row, document in enumerate(documents, start=2):
            # Optional papers are marked once: the catalogue's name often states its own condition.
            optional = not document.mandatory and "nếu" not in document.name.lower()
            box = QCheckBox(document.name + (" (nếu có)" if optional else ""))
            box.setToolTip("Bắt buộc" if document.mandatory else "Không bắt buộc")
            box.setChecked(document.mandatory)
            box.setObjectName(f"document_{row - 2}")
            form = QComboBox()
            for choice in DocForm:
                form.addItem(choice.label, choice.value)  # Qt turns str enums into str
            form.setCurrentIndex(list(DocForm).index(document.form))
            count = QSpinBox()
            count.setRange(1, 99)
            count.setValue(document.count)
            for column, widget in enumerate((box, form, count)):
                self.grid.addWidget(widget, row, column)
            self.rows.append((document, box, form, count))

    def _clear(self) -> None:
        for row in range(1, self.grid.rowCount()):
            for column in range(3):
                item = self.grid.itemAtPosition(row, column)
                if item is not None and item.widget() is not None:
                    widget = item.widget()
                    self.grid.removeWidget(widget)
                    widget.deleteLater()
        self.rows = []

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
