"""The detail view's scans: each paper's digitised mark, thumbnails, the viewer (QtPdf for a PDF,
QImage for images), and the watched folder's files "chờ gán" assigned to a paper with Ctrl+G."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desk_app.gui.detail_view import DetailView
from desk_app.gui.scan_panel import ScanViewer
from desk_app.services import scans
from desk_app.services.reception import ReceptionRequest, receive
from tests import scan_samples


def _view(qtbot, ctx):
    view = DetailView(ctx)
    qtbot.addWidget(view)
    view.resize(1300, 760)
    view.show()
    return view


def test_marks_thumbnails_viewer_and_the_watched_folder(qtbot, ctx, desk, tmp_path):
    code = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Đặng Thị Hoà")).dossier.code
    scans.attach(desk, code, 1, scan_samples.pdf(2), name="to-khai.pdf")
    inbox = tmp_path / "may-quet"
    inbox.mkdir()
    scans.set_scan_settings(desk, inbox_folder=inbox)
    view = _view(qtbot, ctx)
    view.open_code(code)
    panel = view.scan_panel
    texts = [panel.papers.item(i).text() for i in range(panel.papers.count())]
    assert "✓ đã số hoá (2 trang)" in texts[0] and "to-khai.pdf · 2 trang" in texts[1]
    assert "✗ chưa có bản quét" in texts[2]
    assert not panel.papers.item(1).icon().isNull()  # the PDF's first page, rendered by QtPdf
    panel._open_item(panel.papers.item(1))
    assert isinstance(panel.viewer, ScanViewer) and len(panel.viewer.page_labels) == 2
    # The scanner saves a file: it waits one poll (still being written?), then shows "chờ gán".
    png = scan_samples.image()
    (inbox / "scan0001.png").write_bytes(png)
    panel.poll()
    assert panel.pending.count() == 0
    panel.poll()
    assert panel.pending.item(0).text() == "scan0001.png — chờ gán"
    panel.target.setCurrentIndex(1)
    panel.assign()
    assert "Đã gán scan0001.png" in panel.note.text()
    assert not (inbox / "scan0001.png").exists()  # no plain copy left behind
    texts = [panel.papers.item(i).text() for i in range(panel.papers.count())]
    assert "✓ đã số hoá (1 trang)" in texts[2]
    assert [s.paper for s in scans.scans_of(desk, code)] == [1, 2]
    viewed = desk.store.db.execute("SELECT count(*) FROM audit WHERE action = 'scan.view'").fetchone()[0]
    assert viewed >= 2  # every decrypted scan shown is audited


def test_a_bad_file_in_the_folder_is_refused_in_words(qtbot, ctx, desk, tmp_path):
    code = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Lê Văn Cường")).dossier.code
    inbox = tmp_path / "may-quet"
    inbox.mkdir()
    scans.set_scan_settings(desk, inbox_folder=inbox)
    (inbox / "hong.pdf").write_bytes(b"%PDF-1.7 broken")
    view = _view(qtbot, ctx)
    view.open_code(code)
    panel = view.scan_panel
    panel.poll()
    panel.poll()
    panel.assign()
    assert "bị hỏng" in panel.note.text() and (inbox / "hong.pdf").exists()
    assert panel.assign_button.isEnabled()
    assert panel.papers.item(0).flags() & Qt.ItemFlag.ItemIsEnabled


def test_every_page_of_a_tiff_and_a_pdf_shows(qtbot, ctx, desk):
    from desk_app.gui.scan_panel import scan_images

    code = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Hồ Thị Kim")).dossier.code
    tiff = scans.attach(desk, code, 1, scan_samples.tiff(3))
    pdf = scans.attach(desk, code, 2, scan_samples.pdf(2))
    assert [im.width() for im in scan_images(tiff, scan_samples.tiff(3))] == [100, 100, 100]
    assert len(scan_images(pdf, scan_samples.pdf(2))) == 2


def test_the_folder_is_chosen_in_the_window_and_ctrl_g_assigns(qtbot, ctx, desk, tmp_path):
    from tests.gui.keys import press

    code = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Ngô Văn Lâm")).dossier.code
    view = _view(qtbot, ctx)
    view.open_code(code)
    panel = view.scan_panel
    assert "Chưa đặt thư mục máy quét" in panel.pending_title.text()
    inbox = tmp_path / "scanner"
    inbox.mkdir()
    panel.ask_folder = lambda parent, start: str(inbox)
    panel.choose_folder()
    assert scans.inbox(desk) == inbox.resolve() and "Thư mục máy quét" in panel.note.text()
    (inbox / "p1.jpg").write_bytes(scan_samples.image("JPEG"))
    panel.poll()
    panel.poll()
    from PySide6.QtWidgets import QApplication

    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    panel.pending.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.pending)
    press(Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier, widget=panel.pending)
    assert [s.paper for s in scans.scans_of(desk, code)] == [1]
