"""The reception form, driven by the keyboard alone (QTest key events, no widget setters)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_app.domain.papers import Paper
from desk_app.store import papers
from tests.gui.keys import focused, press, type_keys


def fill_applicant(name="Nguyễn Văn An", id_number="001090012345", birth="01/05/1990", phone="0912345678",
                   address="Thôn Đông"):
    """From the name field: name, ID, birth date, (sex left empty), phone, address."""
    type_keys(name)
    press(Qt.Key.Key_Tab)
    type_keys(id_number)
    press(Qt.Key.Key_Tab)
    type_keys(birth)
    press(Qt.Key.Key_Tab, times=2)  # past the sex box
    type_keys(phone)
    press(Qt.Key.Key_Tab)
    type_keys(address)


def test_keyboard_only_flow_registers_a_dossier_and_prints_its_receipt(form, desk, sink, qtbot):
    type_keys("chung thuc ban sao")
    press(Qt.Key.Key_Return)
    assert form.procedure.code == "2.000815"
    assert focused() is form.applicant.name
    fill_applicant()
    assert form.fee_label.text() == "Phí, lệ phí: 2.000 đ"
    assert form.due_label.text() == "Hẹn trả: 17:00 ngày 23/11/2026"
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    found = desk.search("Nguyen Van An")
    assert [d.applicant.id_number for d in found] == ["001090012345"]
    code = found[0].code
    assert form.last_code == code
    preview = form.preview
    assert preview is not None and preview.isVisible()
    assert code in preview.windowTitle()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is preview.print_button)
    press(Qt.Key.Key_Return)  # "In ngay": the injected printer receives the PDFs
    assert len(sink.jobs) == 1
    documents = sink.jobs[0]["documents"]
    assert [d.title for d in documents] == ["Giấy tiếp nhận và hẹn trả kết quả", "Biên lai thu phí, lệ phí"]
    assert all(d.pdf.startswith(b"%PDF") for d in documents)
    assert not preview.isVisible()
    # Ready for the next citizen: empty form, focus back in the procedure search.
    assert form.applicant.name.text() == ""
    assert form.procedure is None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.picker.search)
    dossier_id = desk.store.dossiers.id_of(code)
    assert papers.print_count(desk.store, dossier_id, Paper.RECEIPT) == 1
    assert papers.print_count(desk.store, dossier_id, Paper.FEE_RECEIPT) == 1


def test_enter_saves_and_the_print_dialog_and_save_as_pdf_are_reachable_by_keys(form, desk, sink, saved_paths,
                                                                                 qtbot):
    type_keys("khai sinh")
    press(Qt.Key.Key_Return)
    assert form.procedure.code == "1.001193"
    fill_applicant(name="Trần Thị Bình", id_number="087190054321", birth="2/3/1990", phone="0387654321")
    press(Qt.Key.Key_Return)
    assert desk.store.dossiers.count() == 1
    preview = form.preview
    assert [d.title for d in preview.documents] == ["Giấy tiếp nhận và hẹn trả kết quả"]  # free: no fee receipt
    qtbot.waitUntil(lambda: QApplication.focusWidget() is preview.print_button)
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(saved_paths.answers) == 1
    assert saved_paths.answers[0].read_bytes().startswith(b"%PDF")
    press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert sink.jobs[-1]["ask"] is True  # Ctrl+P is the system print dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.picker.search)


def test_resolved_on_the_spot_is_recorded_without_a_slip(form, desk, sink, qtbot):
    type_keys("chung thuc chu ky")
    press(Qt.Key.Key_Return)
    assert form.procedure.code == "2.000884"
    fill_applicant()
    qtbot.waitUntil(form.on_the_spot.isVisible)
    form.on_the_spot.setFocus()
    press(Qt.Key.Key_Space)
    assert form.on_the_spot.isChecked()
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert desk.store.dossiers.count() == 1
    (dossier,) = desk.search("Nguyễn Văn An")
    assert dossier.status.value == "returned" and dossier.finished_at is not None
    # 10.000 đ was collected: the preview offers the fee receipt, and no appointment slip.
    qtbot.waitUntil(lambda: form.preview is not None)
    assert [d.title for d in form.preview.documents] == ["Biên lai thu phí, lệ phí"]


def test_free_procedure_resolved_on_the_spot_prints_nothing(form, desk, sink, qtbot):
    type_keys("cap ban sao tu so goc")
    press(Qt.Key.Key_Return)
    assert form.procedure.code == "2.000908"
    fill_applicant()
    qtbot.waitUntil(form.on_the_spot.isVisible)
    form.on_the_spot.setFocus()
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert desk.store.dossiers.count() == 1
    assert form.preview is None and sink.jobs == []


def test_validation_messages_appear_beside_the_fields_and_nothing_is_saved(form, desk):
    type_keys("khai sinh")
    press(Qt.Key.Key_Return)
    fill_applicant(id_number="12345", phone="12345")
    assert form.applicant.messages["id_number"].text() == "⚠ Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert form.applicant.messages["phone"].text().startswith("⚠ Số điện thoại không hợp lệ")
    assert form.applicant.messages["name"].text() == ""
    events = desk.store.tables.count("outbox")  # the desk's set-up
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert desk.store.dossiers.count() == 0
    assert desk.store.tables.count("outbox") == events
    assert focused() is form.applicant.id_number
    assert form.applicant.id_number.text() == "12345"
    assert "Chưa lưu" in form.result_label.text()


def test_id_inconsistent_with_birth_year_is_flagged_while_typing(form):
    type_keys("khai sinh")
    press(Qt.Key.Key_Return)
    fill_applicant(id_number="001090012345", birth="01/05/1991")
    assert "năm sinh 1990" in form.applicant.messages["id_number"].text()


def test_impossible_birth_date_says_there_is_no_such_day(form):
    type_keys("khai sinh")
    press(Qt.Key.Key_Return)
    fill_applicant(birth="31/02/1990")
    assert form.applicant.messages["birth_date"].text() == "⚠ Không có ngày 31/02/1990."


def test_unreadable_birth_date_shows_both_accepted_forms(form):
    type_keys("khai sinh")
    press(Qt.Key.Key_Return)
    fill_applicant(birth="1/5/90")
    assert form.applicant.messages["birth_date"].text() == (
        "⚠ '1/5/90' không phải ngày: gõ như 04/03/1990 hoặc 1990-03-04.")


def test_iso_birth_date_and_curly_apostrophe_name_are_accepted(form, desk):
    type_keys("khai sinh")
    press(Qt.Key.Key_Return)
    fill_applicant(name="H’Hen Niê", id_number="066190012345", birth="1990-05-01")
    assert all(label.text() == "" for label in form.applicant.messages.values())
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    (dossier,) = desk.search("hhen nie")
    assert dossier.applicant.name == "H'Hen Niê" and str(dossier.applicant.birth_date) == "1990-05-01"


def test_missing_mandatory_document_refuses_the_dossier(form, desk, qtbot):
    type_keys("khai sinh")
    press(Qt.Key.Key_Return)
    first_document = form.documents.focus_widgets()[0]
    qtbot.waitUntil(first_document.isVisible)  # new rows are shown by the event loop
    fill_applicant()
    press(Qt.Key.Key_Tab, times=2)  # past the e-mail, onto the first paper
    assert focused() is first_document
    press(Qt.Key.Key_Space)  # untick it
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert desk.store.dossiers.count() == 0
    assert form.missing_label.text().startswith("⚠ Thiếu giấy tờ bắt buộc")


def untick_first_paper(form, qtbot, **applicant):
    type_keys("khai sinh")
    press(Qt.Key.Key_Return)
    first_document = form.documents.focus_widgets()[0]
    qtbot.waitUntil(first_document.isVisible)
    fill_applicant(**applicant)
    press(Qt.Key.Key_Tab, times=2)  # past the e-mail, onto the first paper
    assert focused() is first_document
    press(Qt.Key.Key_Space)  # untick it
    return form.procedure.documents[0]


def test_missing_paper_offers_the_supplement_request_by_ctrl_g(form, desk, sink, qtbot):
    paper = untick_first_paper(form, qtbot)
    assert not form.guide_button.isVisible()
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # refused: a paper is missing
    assert form.guide_button.isVisible() and "Ctrl+G" in form.guide_button.text()
    press(Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)

    preview = form.preview
    assert preview is not None and preview.isVisible()
    assert [d.title for d in preview.documents] == ["Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"]
    assert "HD-2026-Q1-0001" in preview.windowTitle()
    pdf = preview.documents[0].pdf
    from tests.printing.conftest import flat, page_texts

    text = flat(page_texts(pdf)[0])
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and "Kính gửi: Ông/Bà Nguyễn Văn An" in text
    assert paper.name in text and "Địa chỉ: Thôn Đông" in text
    # Not received: no dossier; the slip, its event and its audit are recorded.
    assert desk.store.dossiers.count() == 0
    assert desk.store.tables.count("guidance_slips") == 1
    assert desk.store.db.execute("SELECT kind FROM outbox WHERE entity = 'guidance'").fetchall() == [
        ("guidance.issued",)]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is preview.print_button)
    press(Qt.Key.Key_Return)
    assert [d.title for d in sink.jobs[-1]["documents"]] == ["Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"]
    # The form keeps what was typed: the citizen will come back with the paper.
    assert form.applicant.name.text() == "Nguyễn Văn An"
    assert form.procedure is not None and form.procedure.code == "1.001193"
    assert form.documents.missing() == [paper.name]
    assert "HD-2026-Q1-0001" in form.result_label.text()


def test_supplement_request_needs_the_name(form, desk, qtbot):
    untick_first_paper(form, qtbot)
    form.applicant.name.setFocus()
    form.applicant.name.selectAll()
    press(Qt.Key.Key_Delete)
    press(Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert form.applicant.messages["name"].text().startswith("⚠ Chưa nhập họ tên")
    assert focused() is form.applicant.name
    assert form.preview is None
    assert desk.store.tables.count("guidance_slips") == 0 and desk.store.dossiers.count() == 0


def test_a_failure_during_save_shows_the_error_and_keeps_the_typed_text(form, desk, monkeypatch, qtbot):
    def disk_pulled_out(**kwargs):
        from desk_app.store.connection import StoreError

        raise StoreError("disk_full", "Ổ đĩa đã đầy: không ghi được dữ liệu. Hãy giải phóng dung lượng.")

    monkeypatch.setattr(desk.store.audit, "add", disk_pulled_out)
    type_keys("chung thuc ban sao")
    press(Qt.Key.Key_Return)
    fill_applicant()
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1
    assert "Ổ đĩa đã đầy" in boxes[0].text()
    assert "CHƯA được lưu" in boxes[0].text()
    boxes[0].close()
    assert desk.store.dossiers.count() == 0
    assert form.applicant.name.text() == "Nguyễn Văn An"
    assert form.applicant.phone.text() == "0912345678"
    assert form.procedure.code == "2.000815"


def test_pages_and_copies_only_for_per_page_fees_and_the_fee_follows_them(form):
    type_keys("chung thuc ban sao")
    press(Qt.Key.Key_Return)
    assert form.row_shown(form.pages)
    form.pages.setFocus()
    press(Qt.Key.Key_Up, times=2)  # 3 pages
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Up)  # 2 copies
    assert form.fee_label.text() == "Phí, lệ phí: 10.000 đ"
    assert "3 trang" in form.reason_label.text()
    press(Qt.Key.Key_Escape)
    assert focused() is form.picker.search
    type_keys("khai sinh")
    press(Qt.Key.Key_Return)
    assert not form.row_shown(form.pages)
    assert form.fee_label.text() == "Phí, lệ phí: 0 đ"


def test_address_completes_the_commune_without_diacritics(form, qtbot):
    type_keys("khai sinh")
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(form.applicant.completer.units))  # loaded just after start-up
    form.applicant.address.setFocus()
    type_keys("Thôn Đông, tan phu dong thap")
    popup = form.applicant.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown[0] == "Xã Tân Phú, Tỉnh Đồng Tháp"
    assert "Xã Tân Phú Đông, Tỉnh Đồng Tháp" in shown
    press(Qt.Key.Key_Down, widget=popup)
    press(Qt.Key.Key_Return, widget=popup)
    assert form.applicant.address.text() == "Thôn Đông, Xã Tân Phú, Tỉnh Đồng Tháp"
