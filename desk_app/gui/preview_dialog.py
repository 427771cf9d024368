"""Print preview of a dossier's paper: pages rendered on the worker, print or save from the keyboard."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.gui.errors import describe
from desk_app.gui.printing import Document, Page, PrintError, PrinterSink, render_pages, save_pdfs
from desk_app.gui.tasks import Runner

PREVIEW_DPI = 96

AskPath = Callable[[QWidget, str], Path | None]


def ask_save_path(parent: QWidget, suggested: str) -> Path | None:
    """The system "save as" dialog for a PDF; None when the receptionist cancels."""
    return ask_file_path(parent, suggested, title="Lưu tệp PDF", file_filter="Tệp PDF (*.pdf)", suffix=".pdf")


def ask_file_path(parent: QWidget, suggested: str, *, title: str, file_filter: str, suffix: str) -> Path | None:
    """The system "save as" dialog; the name gets ``suffix`` if it lacks it; None when cancelled."""
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_suffix(suffix)


class PreviewDialog(QDialog):
    """Shows each document; Enter prints to the desk's printer, Ctrl+P opens the print dialog."""

    printed = Signal(str)  # printer name
    saved = Signal(list)  # paths written
    # Documents that reached a printer or a file, and where ("printer:NAME", "pdf:PATH"): the
    # desk counts a paper as printed on this signal, also for the first documents of a failed job.
    delivered = Signal(list, str)

    def __init__(
        self,
        runner: Runner,
        sink: PrinterSink,
        documents: Sequence[Document],
        *,
        title: str,
        suggested_name: str,
        printer_label: str,
        ask_path: AskPath = ask_save_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.sink, self.documents = runner, sink, list(documents)
        self.suggested_name, self.ask_path = suggested_name, ask_path
        self.setWindowTitle(title)
        self.setObjectName("previewDialog")
        self.resize(760, 720)

        self.tabs = QTabWidget()
        self.page_labels: list[QLabel] = []
        for document in self.documents:
            label = QLabel("Đang dựng bản xem trước…")
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            scroll = QScrollArea()
            scroll.setWidget(label)
            scroll.setWidgetResizable(True)
            scroll.setBackgroundRole(QPalette.ColorRole.Dark)
            self.tabs.addTab(scroll, document.title)
            self.page_labels.append(label)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.print_button = QPushButton(f"In ngay ({printer_label}) [Enter]")
        self.print_button.setDefault(True)
        self.dialog_button = QPushButton("Chọn máy in… [Ctrl+P]")
        self.save_button = QPushButton("Lưu PDF… [Ctrl+Shift+S]")
        self.close_button = QPushButton("Đóng [Esc]")
        self.print_button.clicked.connect(lambda: self.print_now(ask=False))
        self.dialog_button.clicked.connect(lambda: self.print_now(ask=True))
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.accept)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=lambda: self.print_now(ask=True))
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, activated=self.save_pdf)
        QShortcut(QKeySequence("Ctrl+Tab"), self, activated=self._next_tab)

        buttons = QHBoxLayout()
        for button in (self.print_button, self.dialog_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.print_button.setFocus()

        pdfs = [d.pdf for d in self.documents]
        self.runner.submit(lambda: [render_pages(pdf, PREVIEW_DPI) for pdf in pdfs], self._show_pages, self._failed)

    def _next_tab(self) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + 1) % max(1, self.tabs.count()))

    def _show_pages(self, documents: list[list[Page]]) -> None:
        for label, pages in zip(self.page_labels, documents, strict=True):
            # Pages one under the other; the pixmap of a one-page A5 slip is small.
            pixmap = QPixmap.fromImage(pages[0].image) if len(pages) == 1 else _stack(pages)
            label.setText("")
            label.setPixmap(pixmap)

    def print_now(self, *, ask: bool) -> None:
        self.status.setText("Đang gửi tới máy in…")
        self.sink.print_documents(self, self.documents, self._printed, self._failed, ask=ask)

    def _printed(self, printer: str) -> None:
        self.status.setText(f"Đã gửi {len(self.documents)} giấy tờ tới máy in {printer}.")
        self.delivered.emit(list(self.documents), f"printer:{printer}")
        self.printed.emit(printer)
        self.accept()

    def save_pdf(self) -> None:
        path = self.ask_path(self, self.suggested_name)
        if path is None:
            return
        documents = list(self.documents)
        self.runner.submit(lambda: save_pdfs(documents, path), self._saved, self._failed)

    def _saved(self, paths: list[Path]) -> None:
        self.status.setText("Đã lưu: " + ", ".join(str(p) for p in paths))
        self.delivered.emit(list(self.documents), "pdf:" + ", ".join(str(p) for p in paths))
        self.saved.emit(paths)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText("Lỗi: " + describe(exc))
        if isinstance(exc, PrintError) and exc.done:
            self.delivered.emit(self.documents[:exc.done], exc.where)


def _stack(pages: list[Page]) -> QPixmap:
    from PySide6.QtGui import QPainter

    width = max(p.image.width() for p in pages)
    height = sum(p.image.height() for p in pages) + 12 * (len(pages) - 1)
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.gray)
    painter = QPainter(pixmap)
    y = 0
    for page in pages:
        painter.drawImage(0, y, page.image)
        y += page.image.height() + 12
    painter.end()
    return pixmap
