"""Pick a procedure by typing without diacritics: "chung thuc ban sao", "khai sinh", "dang ky"."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.catalogue import Procedure

Index = QModelIndex | QPersistentModelIndex
PROCEDURE_ROLE = Qt.ItemDataRole.UserRole


def time_limit(procedure: Procedure) -> str:
    return "trong ngày" if procedure.same_day else (procedure.time.label() if procedure.time else "hẹn tay")


class ProcedureListModel(QAbstractListModel):
    """The procedures matching the query, in the desk's order (most used first)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Procedure] = []
        self._shown: list[Procedure] = []
        self._query = ""

    def set_procedures(self, procedures: list[Procedure]) -> None:
        self.beginResetModel()
        self._all = list(procedures)
        self._shown = [p for p in self._all if p.matches(self._query)]
        self.endResetModel()

    def set_query(self, query: str) -> None:
        self.beginResetModel()
        self._query = query
        self._shown = [p for p in self._all if p.matches(query)]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        procedure = self._shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{procedure.name}  ·  {procedure.code}  ·  {time_limit(procedure)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{procedure.code}: {procedure.name}\nLĩnh vực: {procedure.field}"
        if role == PROCEDURE_ROLE:
            return procedure
        return None

    def procedure_at(self, row: int) -> Procedure | None:
        return self._shown[row] if 0 <= row < len(self._shown) else None


class ProcedureDelegate(QStyledItemDelegate):
    """The code and time limit stay whole at the right of the row; only the name is elided.

    The list is as narrow as the left pane of a 1280-pixel screen: eliding the whole line would
    cut off the code and the time limit, which the receptionist reads to tell procedures apart.
    """

    GAP = 12

    def texts(self, procedure: Procedure, width: int, metrics: QFontMetrics) -> tuple[str, str]:
        """(the name, elided to the room left, and the code · time limit) for a row ``width`` wide."""
        tail = f"{procedure.code} · {time_limit(procedure)}"
        room = max(0, width - metrics.horizontalAdvance(tail) - self.GAP)
        return metrics.elidedText(procedure.name, Qt.TextElideMode.ElideRight, room), tail

    def text_rect(self, option: QStyleOptionViewItem) -> QRect:
        style = option.widget.style() if option.widget is not None else QApplication.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, option.widget)
        view = option.widget
        if isinstance(view, QAbstractItemView):
            # A row laid out before the vertical scroll bar appeared reaches under it: keep the tail visible.
            margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
            rect.setRight(min(rect.right(), view.viewport().width() - 1 - margin))
        return rect

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        procedure = index.data(PROCEDURE_ROLE)
        view = QStyleOptionViewItem(option)
        self.initStyleOption(view, index)
        view.text = ""  # the background, focus and selection as usual; the text is drawn below
        style = view.widget.style() if view.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view, painter, view.widget)
        if procedure is None:
            return
        rect = self.text_rect(view)
        name, tail = self.texts(procedure, rect.width(), view.fontMetrics)
        selected = bool(view.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(view.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, tail)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt's name
        # As wide as the list, never wider: the list then has no horizontal scroll bar.
        return QSize(1, super().sizeHint(option, index).height())


class ProcedurePicker(QWidget):
    """A search box over a list; arrows move in the list, Enter chooses."""

    procedure_chosen = Signal(object)  # Procedure

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("procedureSearch")
        self.search.setPlaceholderText("Gõ tên hoặc mã thủ tục, không cần dấu (vd: chung thuc ban sao)")
        self.search.setClearButtonEnabled(True)
        self.model = ProcedureListModel(self)
        self.list = QListView()
        self.list.setObjectName("procedureList")
        self.list.setModel(self.model)
        self.delegate = ProcedureDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab goes on to the form; arrows work from the box
        self.list.setUniformItemSizes(True)
        self.list.setAlternatingRowColors(True)
        self.chosen_label = QLabel("Chưa chọn thủ tục")
        self.chosen_label.setObjectName("chosenProcedure")
        self.chosen_label.setWordWrap(True)
        caption = QLabel("&Thủ tục")
        caption.setBuddy(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(caption)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.chosen_label)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.installEventFilter(self)
        self.list.activated.connect(self._on_list_activated)
        self.list.clicked.connect(self._on_list_activated)
        self.current: Procedure | None = None

    def set_procedures(self, procedures: list[Procedure]) -> None:
        """Show a (re)loaded catalogue: the search text stays, so does the highlighted procedure
        (by code) when it is still listed, and the chosen one becomes its new version."""
        highlighted = self.model.procedure_at(self.list.currentIndex().row())
        self.model.set_procedures(procedures)
        codes = [p.code for p in self.matches()]
        self._select_row(codes.index(highlighted.code) if highlighted and highlighted.code in codes else 0)
        if self.current is not None:
            fresh = next((p for p in procedures if p.code == self.current.code), None)
            if fresh is not None:
                self.current = fresh
                self._show_chosen(fresh)

    def matches(self) -> list[Procedure]:
        return [p for p in (self.model.procedure_at(r) for r in range(self.model.rowCount())) if p]

    def reset(self) -> None:
        self.current = None
        self.search.clear()
        self.chosen_label.setText("Chưa chọn thủ tục")
        self.search.setFocus()

    def _on_search_text_changed(self, text: str) -> None:
        self.model.set_query(text)
        self._select_row(0)

    def _select_row(self, row: int) -> None:
        if self.model.rowCount():
            row = max(0, min(row, self.model.rowCount() - 1))
            self.list.setCurrentIndex(self.model.index(row))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8, Qt.Key.Key_PageUp: -8}.get(key)
            if step is not None:
                self._select_row(self.list.currentIndex().row() + step)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose(self.list.currentIndex().row())
                return True
        return super().eventFilter(watched, event)

    def _on_list_activated(self, index: QModelIndex) -> None:
        self._choose(index.row())

    def _choose(self, row: int) -> None:
        procedure = self.model.procedure_at(row)
        if procedure is None:
            self.chosen_label.setText("Không có thủ tục nào khớp. Hãy gõ ít chữ hơn.")
            return
        self.choose(procedure)

    def choose(self, procedure: Procedure) -> None:
        """Take ``procedure`` as if picked from the list (a booking names it already)."""
        self.current = procedure
        self._show_chosen(procedure)
        self.procedure_chosen.emit(procedure)

    def _show_chosen(self, procedure: Procedure) -> None:
        self.chosen_label.setText(f"Đã chọn: <b>{html.escape(procedure.name)}</b> ({html.escape(procedure.code)})")
