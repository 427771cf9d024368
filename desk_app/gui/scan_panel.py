"""The scans of the open dossier (issue 9 item 5): each paper with its "digitised" mark and the
thumbnails of its scans (double-click or Enter opens the viewer), and the files the scanner saved
into the watched folder, "chờ gán" until the officer assigns each to a paper (Ctrl+G).

The folder is polled with a QTimer (no extra dependency; a network share's change notices are
unreliable). A file is assigned once it has not grown for one poll (the scanner has finished
writing it); once attached (encrypted), the plain file is removed from the folder, so no
unencrypted copy of a citizen's papers stays behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QImage, QImageReader, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QScrollArea,
    QVBoxLayout, QWidget,
)

from desk_app.domain.scans import MediaType, Scan
from desk_app.gui.context import DeskContext
from desk_app.gui.errors import describe
from desk_app.services import scans

POLL_MS = 2000
THUMB = QSize(96, 120)
SCAN_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


@dataclass(frozen=True)
class ScanState:
    """What the worker read for the panel: the papers' marks, the scans, their plain bytes."""

    code: str
    marks: list[scans.PaperMark]
    found: list[tuple[Scan, bytes]]
    inbox: Path | None


def load_scans(desk: scans.Desk, code: str) -> ScanState:
    """On the worker: the marks and each scan decrypted (one audited view per scan shown)."""
    marks = scans.paper_marks(desk, code)
    found = [(s, b"" if s.purged else scans.open_scan(desk, code, s, purpose="thumbnail"))
             for s in scans.scans_of(desk, code)]
    return ScanState(code, marks, found, scans.inbox(desk))


def scan_images(scan: Scan, data: bytes, dpi: float = 100) -> list[QImage]:
    """The pages of a scan as images: QtPdf for a PDF, Pillow for the pages of a TIFF, Qt's image
    readers for PNG and JPEG."""
    if scan.media_type is MediaType.PDF:
        from desk_app.gui.printing import render_pages

        return [page.image for page in render_pages(data, dpi)]
    if scan.media_type is MediaType.TIFF:
        return [QImage.fromData(page) for page in scans.tiff_pages_png(data)]
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    images = []
    while True:
        image = reader.read()
        if image.isNull():
            break
        images.append(image)
        if not reader.jumpToNextImage():
            break
    return images


class ScanViewer(QDialog):
    """One scan, every page, one under the other (Esc closes)."""

    def __init__(self, scan: Scan, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Bản quét giấy tờ số {scan.paper}: {scan.paper_name} ({scan.pages} trang)")
        self.setObjectName("scanViewer")
        pages = QWidget()
        column = QVBoxLayout(pages)
        self.page_labels = []
        for image in scan_images(scan, data):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image).scaledToWidth(min(760, image.width()),
                                                                   Qt.TransformationMode.SmoothTransformation))
            column.addWidget(label)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        QVBoxLayout(self).addWidget(scroll)
        self.resize(820, 700)


class ScanPanel(QGroupBox):
    """Scans of the dossier shown in the detail view, and the watched folder's waiting files."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, *,
                 ask_folder: Callable[[QWidget, str], str] | None = None) -> None:
        super().__init__("Bản quét (số hoá)", parent)
        self.ctx = ctx
        # Tests answer without the modal folder dialog.
        self.ask_folder = ask_folder or (lambda parent, start: QFileDialog.getExistingDirectory(
            parent, "Thư mục máy quét lưu tệp vào", start))
        self.state: ScanState | None = None
        self._sizes: dict[Path, int] = {}
        self.papers = QListWidget()
        self.papers.setObjectName("scanList")
        self.papers.setIconSize(THUMB)
        self.papers.setMinimumHeight(2 * THUMB.height() + 60)  # a paper header and two thumbnails show
        self.papers.itemActivated.connect(self._open_item)
        self.pending = QListWidget()
        self.pending.setObjectName("scanPending")
        self.pending.setMaximumHeight(70)
        self.target = QComboBox()
        self.target.setObjectName("scanTarget")
        self.assign_button = QPushButton("Gán vào giấy tờ  [Ctrl+G]")
        self.assign_button.setObjectName("scanAssign")
        self.assign_button.clicked.connect(self.assign)
        QShortcut(QKeySequence("Ctrl+G"), self, self.assign, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.note = QLabel("")
        self.note.setObjectName("scanNote")
        self.note.setWordWrap(True)
        self.folder_button = QPushButton("Thư mục máy quét…")
        self.folder_button.setObjectName("scanFolder")
        self.folder_button.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(self.assign_button)
        row.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.papers, 3)
        self.pending_title = QLabel("Tệp trong thư mục máy quét, chờ gán:")
        layout.addWidget(self.pending_title)
        layout.addWidget(self.pending, 1)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self._show_pending([])

    # the dossier's scans ------------------------------------------------------------------------

    def show_dossier(self, code: str) -> None:
        desk = self.ctx.desk
        self.ctx.runner.submit(lambda: load_scans(desk, code), self._on_loaded,
                               lambda exc: self.note.setText("⚠ " + describe(exc)))

    def _on_loaded(self, state: ScanState) -> None:
        self.state = state
        self.papers.clear()
        self.target.clear()
        for mark in state.marks:
            flag = f"✓ đã số hoá ({mark.pages} trang)" if mark.digitised else "✗ chưa có bản quét"
            header = QListWidgetItem(f"{mark.position}. {mark.name} — {flag}")
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.papers.addItem(header)
            self.target.addItem(f"{mark.position}. {mark.name}", mark.position)
            for scan, data in state.found:
                if scan.paper == mark.position:
                    item = QListWidgetItem(f"    {scan.name or scan.sha256[:12]} · {scan.pages} trang"
                                           + (" (đã xoá theo thời hạn lưu trữ)" if scan.purged else ""))
                    if scan.purged:
                        self.papers.addItem(item)
                        continue
                    images = scan_images(scan, data, dpi=24)
                    if images:
                        item.setIcon(QIcon(QPixmap.fromImage(images[0]).scaled(
                            THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)))
                    item.setData(Qt.ItemDataRole.UserRole, (scan, data))
                    self.papers.addItem(item)
        self.timer.start()
        self.poll()

    def _open_item(self, item: QListWidgetItem) -> None:
        found = item.data(Qt.ItemDataRole.UserRole)
        if found:
            self.viewer = ScanViewer(found[0], found[1], self)
            self.viewer.show()

    # the watched folder -------------------------------------------------------------------------

    def poll(self) -> None:
        """List the folder's scan files; a file counts once its size held still for one poll."""
        folder = self.state.inbox if self.state else None
        if folder is None or not folder.is_dir():
            self._show_pending([])
            self.pending_title.setText("Chưa đặt thư mục máy quét (desk-app scan settings --folder …)."
                                       if folder is None else f"Không thấy thư mục máy quét {folder}.")
            return
        sizes = {p: p.stat().st_size for p in sorted(folder.iterdir())
                 if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES and not p.name.startswith(".")}
        ready = [p for p, size in sizes.items() if self._sizes.get(p) == size and size > 0]
        self._sizes = sizes
        self.pending_title.setText(f"Tệp trong thư mục máy quét {folder}, chờ gán:")
        self._show_pending(ready)

    def choose_folder(self) -> None:
        """Set the watched folder (a setting: recorded, audited; an administrator's)."""
        current = self.state.inbox if self.state and self.state.inbox else Path.home()
        chosen = self.ask_folder(self, str(current))
        if not chosen:
            return
        desk = self.ctx.desk

        def job() -> Path | None:
            scans.set_scan_settings(desk, inbox_folder=Path(chosen))
            return scans.inbox(desk)

        self.ctx.runner.submit(job, self._on_folder_set, self._on_failed)

    def _on_folder_set(self, folder: Path | None) -> None:
        self.note.setText(f"Thư mục máy quét: {folder}.")
        if self.state is not None:
            self.show_dossier(self.state.code)

    def _show_pending(self, files: list[Path]) -> None:
        shown = [self.pending.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.pending.count())]
        if shown != files:
            self.pending.clear()
            for path in files:
                item = QListWidgetItem(f"{path.name} — chờ gán")
                item.setData(Qt.ItemDataRole.UserRole, path)
                self.pending.addItem(item)
            if files:
                self.pending.setCurrentRow(0)
        has = bool(files) and self.state is not None
        self.assign_button.setEnabled(has)
        self.target.setEnabled(has)

    def assign(self) -> None:
        """Attach the chosen waiting file to the chosen paper of the open dossier."""
        item = self.pending.currentItem()
        if item is None or self.state is None or self.target.currentIndex() < 0:
            return
        path: Path = item.data(Qt.ItemDataRole.UserRole)
        paper = int(self.target.currentData())
        desk, code = self.ctx.desk, self.state.code
        self.assign_button.setEnabled(False)
        self.note.setText(f"Đang gán {path.name}…")

        def job() -> Scan:
            scan = scans.attach_file(desk, code, paper, path)
            path.unlink(missing_ok=True)  # attached encrypted: no plain copy stays in the folder
            return scan

        self.ctx.runner.submit(job, self._on_assigned, self._on_failed)

    def _on_assigned(self, scan: Scan) -> None:
        self.note.setText(f"Đã gán {scan.name} ({scan.pages} trang) vào giấy tờ số {scan.paper}.")
        if self.state is not None:
            self.show_dossier(self.state.code)

    def _on_failed(self, exc: BaseException) -> None:
        self.note.setText("⚠ " + describe(exc))
        self.assign_button.setEnabled(True)
