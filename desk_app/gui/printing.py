"""The Qt side of printing: PDF pages to images (on the worker), images onto a QPrinter (GUI thread).

Documents arrive as PDF bytes from ``services.printouts``. QtPdf (pdfium) rasterises each page
at the printer's resolution on the store worker; only the short QPainter pass that hands the
images to the printer runs on the GUI thread. Saving a PDF writes the original bytes, so the
saved file is the vector document, not a picture of it. A failure says how many documents were
delivered before it (``PrintError.done``): those count as printed, the others do not.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtWidgets import QWidget

from desk_app.gui.tasks import Runner

log = logging.getLogger(__name__)

POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class Document:
    """One printable document: a title for people and its PDF bytes."""

    title: str
    pdf: bytes
    file_suffix: str = ""  # how a saved copy is named beside the first: "-bien-lai"
    paper: str = ""  # the counted paper it is (domain.papers.Paper value); "" for one not counted


@dataclass(frozen=True)
class Page:
    image: QImage
    size_points: QSizeF


class PrintError(Exception):
    """Printing failed; ``message`` is Vietnamese for the receptionist. ``done`` documents (the
    first ones) reached ``where`` ("printer:NAME", "pdf:PATH") before the failure."""

    def __init__(self, message: str, *, done: int = 0, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.done = done
        self.where = where


def render_pages(pdf: bytes, dpi: float) -> list[Page]:
    """Rasterise every page of ``pdf`` at ``dpi``. Safe on the worker thread (pdfium is serialised)."""
    from PySide6.QtPdf import QPdfDocument  # on first print, not at start-up

    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrintError("Không đọc được tệp PDF của giấy tờ cần in.")
    pages = []
    for index in range(document.pageCount()):
        points = document.pagePointSize(index)
        pixels = QSize(round(points.width() * dpi / POINTS_PER_INCH), round(points.height() * dpi / POINTS_PER_INCH))
        rendered = document.render(index, pixels)
        if rendered.isNull():
            raise PrintError(f"Không dựng được trang {index + 1} để in.")
        # pdfium leaves the paper transparent: lay the page on white, as on paper.
        image = QImage(rendered.size(), QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.drawImage(0, 0, rendered)
        painter.end()
        pages.append(Page(image, points))
    document.close()
    return pages


def page_size_of(pdf_pages: Sequence[Page]) -> QPageSize:
    first = pdf_pages[0].size_points
    return QPageSize(QSizeF(first.width(), first.height()), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)


def paint_pages(printer: object, pages: Sequence[Page]) -> None:
    """Paint rendered pages onto an already set-up QPrinter (GUI thread; fast: images only)."""
    from PySide6.QtPrintSupport import QPrinter

    assert isinstance(printer, QPrinter)
    printer.setFullPage(True)
    printer.setPageLayout(QPageLayout(page_size_of(pages), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("Không mở được máy in. Hãy kiểm tra máy in đã bật và được chọn đúng.")
    try:
        for number, page in enumerate(pages):
            if number:
                printer.newPage()
            target = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
            scaled = page.image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(target.topLeft(), QSizeF(scaled)), page.image)
    finally:
        # The job goes to the spooler as the painter ends: only then is it known to be accepted.
        ended = painter.end()
    if not ended or printer.printerState() == QPrinter.PrinterState.Error:
        raise PrintError("Máy in không nhận lệnh in. Hãy kiểm tra máy in, rồi in lại.")


class PrinterSink(Protocol):
    """Where "print" sends documents. Tests inject a fake; the desk uses QtPrinterSink."""

    def print_documents(
        self, parent: QWidget | None, documents: Sequence[Document], on_done: Callable[[str], None],
        on_error: Callable[[BaseException], None], *, ask: bool,
    ) -> None: ...


class QtPrinterSink:
    """Prints through Qt: the system print dialog when ``ask``, else straight to the desk's printer."""

    def __init__(self, runner: Runner, printer_name: str | None = None) -> None:
        self.runner = runner
        self.printer_name = printer_name or None

    def _printer(self) -> object:
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        info = QPrinterInfo.printerInfo(self.printer_name) if self.printer_name else QPrinterInfo.defaultPrinter()
        if info.isNull():
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        else:
            printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        return printer

    def print_documents(
        self, parent: QWidget | None, documents: Sequence[Document], on_done: Callable[[str], None],
        on_error: Callable[[BaseException], None], *, ask: bool,
    ) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = self._printer()
        assert isinstance(printer, QPrinter)
        if ask:
            dialog = QPrintDialog(printer, parent)
            dialog.setWindowTitle("In giấy tờ")
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return
        elif printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
            on_error(PrintError("Chưa có máy in nào. Hãy cài máy in, hoặc lưu tệp PDF để in sau."))
            return
        dpi = min(printer.resolution(), 300)  # receipts are text and a QR code: 300 dpi is crisp
        name = printer.printerName() or "PDF"
        pdfs = [d.pdf for d in documents]

        def rendered(all_pages: list[list[Page]]) -> None:
            done = 0
            try:
                for pages in all_pages:  # each document is its own print job
                    paint_pages(printer, pages)
                    done += 1
            except BaseException as exc:  # noqa: BLE001 - shown to the receptionist
                message = exc.message if isinstance(exc, PrintError) else f"Lỗi khi in: {exc}"
                on_error(PrintError(message, done=done, where=f"printer:{name}"))
            else:
                on_done(name)

        self.runner.submit(lambda: [render_pages(pdf, dpi) for pdf in pdfs], rendered, on_error)


def save_pdfs(documents: Sequence[Document], path: Path) -> list[Path]:
    """Write the first document to ``path`` and the others beside it (``…-bien-lai.pdf``). Worker job.

    A failed write raises PrintError saying how many documents were written before it."""
    written: list[Path] = []
    for number, document in enumerate(documents, start=1):
        suffix = document.file_suffix or f"-{number}"
        target = path if number == 1 else path.with_name(f"{path.stem}{suffix}{path.suffix or '.pdf'}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(document.pdf)
        except OSError as exc:
            with contextlib.suppress(OSError):
                target.unlink(missing_ok=True)  # never leave half a PDF under the name
            raise PrintError(f"Không ghi được tệp {target}: {exc.strerror or exc}.", done=len(written),
                             where="pdf:" + ", ".join(map(str, written))) from exc
        written.append(target)
    return written
