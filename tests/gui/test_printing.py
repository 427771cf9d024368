"""Qt printing: PDF pages rasterised by QtPdf and painted onto a QPrinter; the preview dialog."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from desk_app.gui.printing import Document, paint_pages, render_pages, save_pdfs
from desk_app.services.printouts import prepare_printout
from desk_app.services.reception import ReceptionRequest, receive


@pytest.fixture
def printout(desk):
    code = receive(desk, ReceptionRequest(procedure_code="2.000815", name="Nguyễn Văn An", pages=3)).dossier.code
    return prepare_printout(desk, code)


def test_pages_render_at_the_asked_resolution(qapp, printout):
    pages = render_pages(printout.receipt, 150)
    assert len(pages) == len(PdfReader(io.BytesIO(printout.receipt)).pages)  # the unit's copy and the citizen's
    a5 = pages[0].size_points
    assert round(a5.width()) == 420 and round(a5.height()) == 595  # A5 in points
    assert pages[0].image.width() == round(a5.width() * 150 / 72)


def test_pages_painted_onto_a_printer_make_a_printable_file(qapp, printout, tmp_path):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    pages = render_pages(printout.receipt, 150) + render_pages(printout.fee_receipt, 150)
    paint_pages(printer, pages)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) == len(pages) >= 2
    assert round(float(reader.pages[0].mediabox.width)) == 420


def test_save_as_pdf_writes_the_original_documents(printout, tmp_path):
    documents = [Document("Giấy tiếp nhận", printout.receipt), Document("Biên lai", printout.fee_receipt, "-bien-lai")]
    written = save_pdfs(documents, tmp_path / "out" / "hs.pdf")
    assert [p.name for p in written] == ["hs.pdf", "hs-bien-lai.pdf"]
    assert written[0].read_bytes() == printout.receipt
    assert written[1].read_bytes() == printout.fee_receipt


def test_unreadable_pdf_is_a_clear_error(qapp):
    from desk_app.gui.printing import PrintError

    with pytest.raises(PrintError, match="Không đọc được tệp PDF"):
        render_pages(b"not a pdf", 72)


def test_preview_shows_every_page_and_reports_a_print_failure(qtbot, ctx, printout):
    class BrokenSink:
        def print_documents(self, parent, documents, on_done, on_error, *, ask):
            on_error(OSError(5, "Input/output error"))

    ctx.sink = BrokenSink()
    dialog = ctx.preview(printout, None)
    qtbot.addWidget(dialog)
    assert dialog.tabs.count() == 2
    assert not dialog.page_labels[0].pixmap().isNull()
    dialog.print_button.click()
    assert dialog.status.text() == "Lỗi: Lỗi đọc/ghi tệp: Input/output error."
    assert dialog.isVisible()  # still there to retry or save a PDF


def _counts(desk, printout):
    from desk_app.domain.papers import Paper
    from desk_app.store import papers

    return [papers.print_count(desk.store, printout.dossier_id, paper) for paper in (Paper.RECEIPT, Paper.FEE_RECEIPT)]


def test_previewing_or_a_failed_print_counts_nothing(qtbot, ctx, desk, printout):
    class BrokenSink:
        def print_documents(self, parent, documents, on_done, on_error, *, ask):
            on_error(PrintError("Máy in không nhận lệnh in. Hãy kiểm tra máy in, rồi in lại."))

    from desk_app.gui.printing import PrintError

    ctx.sink = BrokenSink()
    dialog = ctx.preview(printout, None)
    qtbot.addWidget(dialog)
    dialog.print_button.click()
    assert _counts(desk, printout) == [0, 0]
    again = prepare_printout(desk, printout.code)
    assert not again.reprint and "BẢN IN LẠI" not in PdfReader(io.BytesIO(again.receipt)).pages[0].extract_text()


def test_a_print_failing_after_the_slip_counts_the_slip_only(qtbot, ctx, desk, printout):
    from desk_app.gui.printing import PrintError

    class SlipThenJam:
        def print_documents(self, parent, documents, on_done, on_error, *, ask):
            on_error(PrintError("Máy in kẹt giấy.", done=1, where="printer:Quầy 1"))

    ctx.sink = SlipThenJam()
    dialog = ctx.preview(printout, None)
    qtbot.addWidget(dialog)
    dialog.print_button.click()
    assert dialog.status.text() == "Lỗi: Máy in kẹt giấy."
    assert _counts(desk, printout) == [1, 0]
    detail = desk.store.db.execute("SELECT detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert '"paper": "receipt"' in detail and '"via": "printer:Quầy 1"' in detail


def test_a_successful_print_and_a_saved_pdf_each_count(qtbot, ctx, desk, printout, sink, saved_paths):
    dialog = ctx.preview(printout, None)
    qtbot.addWidget(dialog)
    dialog.save_pdf()
    assert saved_paths.answers[0].exists()
    assert _counts(desk, printout) == [1, 1]
    dialog.print_button.click()
    assert len(sink.jobs) == 1
    assert _counts(desk, printout) == [2, 2]
    actions = desk.store.db.execute("SELECT action FROM audit WHERE action LIKE 'dossier.%print' ORDER BY id")
    assert [a for (a,) in actions] == ["dossier.print"] * 4  # the same original, to a file then to paper


def test_save_pdfs_reports_what_was_written_before_a_failure(tmp_path):
    from desk_app.gui.printing import PrintError

    (tmp_path / "hs-bien-lai.pdf").mkdir()  # the second file cannot be written: a folder has its name
    documents = [Document("Giấy tiếp nhận", b"%PDF-1"), Document("Biên lai", b"%PDF-2", "-bien-lai")]
    with pytest.raises(PrintError) as err:
        save_pdfs(documents, tmp_path / "hs.pdf")
    assert err.value.done == 1 and err.value.where == f"pdf:{tmp_path / 'hs.pdf'}"
    assert "Không ghi được tệp" in err.value.message
