"""The reception form: pick a procedure, type the applicant, tick the papers, save, print, next citizen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.catalogue import FeeKind, Procedure
from desk_app.domain.dossier import Channel, ReturnMethod
from desk_app.domain.errors import DomainError, ValidationErrors
from desk_app.domain.text import format_vnd
from desk_app.gui.applicant_fields import ApplicantFields
from desk_app.gui.context import DeskContext
from desk_app.gui.documents_checklist import DocumentsChecklist
from desk_app.gui.errors import describe, show_error
from desk_app.gui.procedure_picker import ProcedurePicker
from desk_app.gui.reception_jobs import Estimate, estimate, find_booking, issue_guidance, make_printout, save_dossier
from desk_app.gui.step_dialog import Ask, Field, ask_fields

if TYPE_CHECKING:
    from desk_app.domain.bookings import Booking
    from desk_app.domain.guidance import SupplementGuidance
    from desk_app.services.printouts import Printout
    from desk_app.services.reception import Reception, ReceptionRequest

UNITS_DELAY_MS = 800  # the commune list loads just after start-up, off the critical path

GUIDE_BUTTON = "In phiếu hướng dẫn bổ sung (Mẫu 02)  [Ctrl+G]"
ON_THE_SPOT = "Giải quyết ngay, không in giấy hẹn"
COMPACT_MARGINS = (8, 4, 8, 4)  # group boxes: left, top, right, bottom
COMPACT_ROW_SPACING = 3


class ReceptionForm(QWidget):
    """Keyboard first: Enter or Ctrl+S saves, Ctrl+N starts over, Esc returns to the procedure search.

    Ctrl+G prints the supplement request (Mẫu 02) for the unticked mandatory papers instead.
    """

    dossier_saved = Signal(str)  # dossier code, after the commit
    printout_ready = Signal(object)  # Printout
    guidance_issued = Signal(str)  # guidance slip number, after the commit

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.procedure: Procedure | None = None
        self.booking: str | None = None  # the booking this reception checks in, once chosen (Ctrl+H)
        self.ask: Ask = ask_fields  # the booking number; tests answer without a modal dialog
        self.saving = False
        self.guiding = False
        self.preview = None
        self._estimate_serial = 0
        self.picker = ProcedurePicker()
        self.applicant = ApplicantFields()
        self.documents = DocumentsChecklist()
        self._build_reception_box()
        self._build_layout()
        self._build_actions()
        self.picker.procedure_chosen.connect(self._on_picker_procedure_chosen)
        self.timer = QTimer(self, interval=30_000, timeout=self.refresh_estimate)  # the clock moves on
        if ctx.desk is not None:
            self.start()

    def start(self) -> None:
        """Load what the form needs from the desk; called once the desk is open."""
        self.applicant.today = self.ctx.desk.clock().date()  # the clock only: safe on the GUI thread
        self.timer.start()
        self.reload_procedures()
        QTimer.singleShot(UNITS_DELAY_MS, self._load_units)

    def _load_units(self) -> None:
        from desk_app.services.units import load_units

        self.ctx.runner.submit(load_units, self.applicant.completer.set_units, lambda exc: None)

    # layout ---------------------------------------------------------------------------------

    def _build_reception_box(self) -> None:
        self.channel = QComboBox()
        for channel in Channel:
            self.channel.addItem(channel.label, channel.value)  # Qt turns str enums into str
        self.return_method = QComboBox()
        for method in ReturnMethod:
            self.return_method.addItem(method.label, method.value)
        self.sets = QSpinBox(minimum=1, maximum=99)
        self.pages = QSpinBox(minimum=1, maximum=10_000)
        self.copies = QSpinBox(minimum=1, maximum=10_000)
        self.local_fee = QSpinBox(minimum=-1, maximum=100_000_000, singleStep=1000, value=-1, suffix=" đ")
        self.local_fee.setSpecialValueText("Chưa nhập")
        self.extension = QSpinBox(minimum=0, maximum=0, suffix=" ngày làm việc")
        self.due_at = QDateTimeEdit(displayFormat="HH:mm dd/MM/yyyy", calendarPopup=True)
        self.on_the_spot = QCheckBox(ON_THE_SPOT)
        self.on_the_spot.setObjectName("onTheSpot")
        self.fee_label = QLabel("Phí, lệ phí: —")
        self.fee_label.setObjectName("feeLabel")
        self.due_label = QLabel("Hẹn trả: —")
        self.due_label.setObjectName("dueLabel")
        self.reason_label = QLabel("")
        self.reason_label.setObjectName("dueReason")
        self.reason_label.setWordWrap(True)
        for label in (self.fee_label, self.due_label):
            label.setStyleSheet("font-size: 13pt; font-weight: bold;")
            label.setWordWrap(True)  # a fee that cannot be computed says why, at length
        self.local_fee.setToolTip("Mức thu do Hội đồng nhân dân tỉnh quy định")
        self.due_at.setToolTip("Danh mục chưa có thời hạn giải quyết: nhập ngày giờ hẹn trả")
        self.on_the_spot.setToolTip("Bỏ chọn nếu công dân muốn có giấy tiếp nhận và hẹn trả kết quả.")
        # (caption, field) in reading order; the shown ones flow two to a row (see _show_rows).
        self._fields: list[tuple[QLabel | None, QWidget]] = [
            (QLabel("&Kênh nộp"), self.channel), (QLabel("Nhận &kết quả"), self.return_method),
            (QLabel("Số &bộ hồ sơ"), self.sets), (QLabel("Số &trang"), self.pages), (QLabel("Số b&ản"), self.copies),
            (QLabel("Số tiền thu"), self.local_fee), (QLabel("Gia hạn"), self.extension),
            (QLabel("Hẹn trả"), self.due_at), (None, self.on_the_spot),
        ]
        self.reception_box = QGroupBox("Tiếp nhận")
        for caption, widget in self._fields:
            widget.setParent(self.reception_box)  # a field not shown yet still belongs to the form
            if caption is not None:
                caption.setParent(self.reception_box)
                caption.setBuddy(widget)
        self._shown: set[QWidget] = set()
        self.reception_grid = QGridLayout()
        self.reception_grid.setHorizontalSpacing(10)
        for column in (1, 3):
            self.reception_grid.setColumnStretch(column, 1)
        self.reception_box.setLayout(self.reception_grid)
        for widget in (self.channel, self.pages, self.copies, self.local_fee, self.extension):
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.valueChanged
            signal.connect(self.refresh_estimate)
        self._show_rows(pages=False, local=False, extension=False, manual_due=False, spot=False)

    def _show_rows(self, *, pages: bool, local: bool, extension: bool, manual_due: bool, spot: bool) -> None:
        optional = {self.pages: pages, self.copies: pages, self.local_fee: local, self.extension: extension,
                    self.due_at: manual_due, self.on_the_spot: spot}
        self._shown = {widget for _, widget in self._fields if optional.get(widget, True)}
        # Two fields to a row, in reading order: at most four rows, so the form fits a 768-pixel screen.
        grid = self.reception_grid
        for caption, widget in self._fields:
            for item in (caption, widget):
                if item is not None:
                    grid.removeWidget(item)
                    item.setVisible(widget in self._shown)
        for place, (caption, widget) in enumerate(f for f in self._fields if f[1] in self._shown):
            row, column = divmod(place, 2)
            if caption is None:
                grid.addWidget(widget, row, column * 2, 1, 2)
            else:
                grid.addWidget(caption, row, column * 2)
                grid.addWidget(widget, row, column * 2 + 1)
        if not spot:
            self.on_the_spot.setChecked(False)

    def row_shown(self, widget: QWidget) -> bool:
        """Whether an optional field is offered for the chosen procedure (pages, fee amount, …)."""
        return widget in self._shown

    def _build_layout(self) -> None:
        self.save_button = QPushButton("&Lưu và in  [Enter / Ctrl+S]")
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton("Hồ sơ &mới  [Ctrl+N]")
        self.new_button.clicked.connect(self.new)
        self.result_label = QLabel("")
        self.result_label.setObjectName("resultLabel")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.missing_label = QLabel("")
        self.missing_label.setObjectName("error_documents")
        self.missing_label.setStyleSheet("color: #b00020;")
        self.missing_label.setWordWrap(True)
        self.guide_button = QPushButton(GUIDE_BUTTON)
        self.guide_button.setObjectName("guideButton")
        self.guide_button.clicked.connect(self.guide)
        self.guide_button.setVisible(False)  # offered once a save is refused for missing papers
        applicant_box = QGroupBox("Người nộp hồ sơ")
        applicant_layout = QVBoxLayout(applicant_box)
        applicant_layout.addWidget(self.applicant)
        documents_box = QGroupBox("Giấy tờ trong hồ sơ")
        documents_layout = QVBoxLayout(documents_box)
        documents_layout.addWidget(self.documents)
        # Tight boxes: at 125 % scaling a 1366×768 screen is 1093×614 and every pixel of height counts.
        for box_layout in (applicant_layout, documents_layout, self.reception_grid):
            box_layout.setContentsMargins(*COMPACT_MARGINS)
        for grid in (self.applicant.layout(), self.documents.grid, self.reception_grid):
            if isinstance(grid, QGridLayout):
                grid.setVerticalSpacing(COMPACT_ROW_SPACING)
        summary = QGroupBox("Phí và ngày hẹn")
        summary_layout = QVBoxLayout(summary)
        for widget in (self.fee_label, self.due_label, self.reason_label):
            summary_layout.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.new_button)
        # Left: what the citizen asks for and what it costs; right: who and with which papers.
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.picker, 1)
        left_layout.addWidget(summary)
        left_layout.addWidget(self.result_label)
        # The missing papers' summary and the guidance slip they call for sit with the save's
        # result, where the picker list has room to give; each paper's row is flagged on the right.
        left_layout.addWidget(self.missing_label)
        left_layout.addWidget(self.guide_button, 0, Qt.AlignmentFlag.AlignLeft)
        left_layout.addLayout(buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 4, 0)
        right_layout.setSpacing(2)
        right_layout.addWidget(applicant_box)
        right_layout.addWidget(documents_box)
        right_layout.addWidget(self.reception_box)
        right_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(right)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        # Both sides give up width in proportion on a narrow window (125 % scaling), so the right
        # side keeps room to lay out its warnings and paper names on fewer lines.
        splitter.setStretchFactor(0, 43)
        splitter.setStretchFactor(1, 93)
        splitter.setSizes([430, 930])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)

    def _build_actions(self) -> None:
        def action(text: str, keys: QKeySequence | str, slot: Any) -> QAction:
            act = QAction(text, self)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.save_action = action("Lưu hồ sơ và in", "Ctrl+S", self.save)
        self.new_action = action("Hồ sơ mới", "Ctrl+N", self.new)
        self.print_action = action("In lại giấy của hồ sơ vừa lưu", "Ctrl+P", self.reprint_last)
        self.escape_action = action("Về ô chọn thủ tục", "Esc", self.focus_picker)
        self.guide_action = action("In phiếu hướng dẫn bổ sung hồ sơ (Mẫu 02)", "Ctrl+G", self.guide)
        self.booking_action = action("Tiếp nhận theo lịch hẹn", "Ctrl+H", self.check_in_booking)
        self.last_code: str | None = None

    def _fix_tab_order(self) -> None:
        chain = [self.picker.search, *self.applicant.widgets.values(), *self.documents.focus_widgets(),
                 *(widget for _, widget in self._fields), self.guide_button, self.save_button, self.new_button]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        # Line edits, spin boxes and combos pass Enter up to us: Enter anywhere in the form saves.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.save()
            return
        super().keyPressEvent(event)

    # procedure ------------------------------------------------------------------------------

    def reload_procedures(self) -> None:
        """Read the catalogue again (at start, after a save, when the hub sent an update)."""
        desk = self.ctx.desk
        self.ctx.runner.submit(lambda: desk.procedures(), self._on_procedures_loaded,
                               lambda exc: show_error(self, "Không tải được danh mục thủ tục", exc))

    def _on_procedures_loaded(self, procedures: list[Procedure]) -> None:
        """The list follows the catalogue; a citizen being served keeps the chosen procedure (its
        new version: fees, time limit, papers) and everything typed; the fee and appointment are
        worked out again (a calendar update moves the appointment)."""
        self.picker.set_procedures(procedures)
        chosen, fresh = self.procedure, self.picker.current
        if chosen is None or fresh is None:
            return
        if fresh != chosen:
            self.procedure = fresh
            self._fit_rows(fresh)
            if fresh.documents != chosen.documents:
                self.documents.update_documents(fresh.documents)
                self._fix_tab_order()
        self.refresh_estimate()

    def _fit_rows(self, procedure: Procedure) -> None:
        kinds = {rule.kind for rule in procedure.fees}
        self.extension.setMaximum(procedure.max_extension_days)
        self._show_rows(pages=FeeKind.PER_PAGE in kinds, local=FeeKind.LOCAL in kinds,
                        extension=procedure.max_extension_days > 0, manual_due=procedure.time is None,
                        spot=procedure.same_day)

    def _on_picker_procedure_chosen(self, procedure: Procedure) -> None:
        self.procedure = procedure
        self.extension.setValue(0)
        self.due_at.setDateTime(QDateTime(self.ctx.desk.clock().replace(tzinfo=None)).addDays(1))
        self._fit_rows(procedure)
        self.documents.set_documents(procedure.documents)
        self.missing_label.setText("")
        self.guide_button.setVisible(False)
        self._fix_tab_order()
        self.refresh_estimate()
        self.applicant.name.setFocus()

    def refresh_estimate(self) -> None:
        procedure = self.procedure
        if procedure is None:
            return
        self._estimate_serial += 1
        serial = self._estimate_serial
        values = dict(channel=self.channel.currentData(), pages=self.pages.value(), copies=self.copies.value(),
                      local_fee=self._local_fee(), extension_days=self.extension.value())
        desk = self.ctx.desk
        self.ctx.runner.submit(lambda: estimate(desk, procedure, **values),
                               lambda result: self._show_estimate(serial, result),
                               lambda exc: self.reason_label.setText(describe(exc)))

    def _local_fee(self) -> int | None:
        shown = self.row_shown(self.local_fee)
        return self.local_fee.value() if shown and self.local_fee.value() >= 0 else None

    def _show_estimate(self, serial: int, result: Estimate) -> None:
        if serial != self._estimate_serial:
            return  # an older answer arriving late
        self.applicant.today = result.now.date()
        if result.fee is not None:
            self.fee_label.setText(f"Phí, lệ phí: {format_vnd(result.fee.amount)}")
            self.fee_label.setToolTip(result.fee.detail)
        else:
            self.fee_label.setText(f"Phí, lệ phí: ⚠ {result.fee_error}")
        if result.due is not None:
            self.due_label.setText(f"Hẹn trả: {result.due.due_at:%H:%M} ngày {result.due.due_at:%d/%m/%Y}")
            detail = result.fee.detail if result.fee else ""
            self.reason_label.setText(result.due.reason + (f"\nCách tính phí: {detail}" if detail else ""))
        else:
            self.due_label.setText("Hẹn trả: —")
            self.reason_label.setText(result.due_error)

    # saving ---------------------------------------------------------------------------------

    def request(self) -> ReceptionRequest | None:
        """What was typed, or None after marking every problem beside its field."""
        from desk_app.services.reception import ReceptionRequest
        if self.procedure is None:
            self.picker.chosen_label.setText("⚠ Hãy chọn thủ tục trước (gõ tên rồi Enter).")
            self.picker.search.setFocus()
            return None
        errors = self.applicant.errors()
        missing = self.documents.missing()
        self.applicant.show_errors(errors)
        # The names are flagged on their own rows; one line here keeps the form on a 768-pixel screen.
        self.documents.mark_missing()
        self.missing_label.setText(
            "⚠ Thiếu giấy tờ bắt buộc (đánh dấu ⚠): chưa tiếp nhận được." if missing else "")
        self.guide_button.setVisible(bool(missing))
        if errors or missing:
            first = self.applicant.first_invalid(errors)
            (first or (self.documents.focus_widgets() or [self.save_button])[0]).setFocus()
            self.result_label.setText("⚠ Chưa lưu: hãy sửa các ô có cảnh báo."
                                      + (" Hoặc in phiếu hướng dẫn bổ sung (Ctrl+G)." if missing else ""))
            return None
        due_at = None
        if self.procedure.time is None:
            due_at = self.due_at.dateTime().toPython().replace(second=0, microsecond=0)
        return ReceptionRequest(
            procedure_code=self.procedure.code, **self.applicant.values(),
            channel=Channel(self.channel.currentData()), sets=self.sets.value(), pages=self.pages.value(),
            copies=self.copies.value(), documents=self.documents.received(), fee_vnd=self._local_fee(),
            extension_days=self.extension.value(), due_at=due_at, return_method=ReturnMethod(self.return_method.currentData()),
            resolved_on_the_spot=self.on_the_spot.isVisibleTo(self) and self.on_the_spot.isChecked(),
        )

    def save(self) -> None:
        if self.saving:
            return
        request = self.request()
        if request is None:
            return
        self.saving = True
        self.save_button.setEnabled(False)
        self.result_label.setText("Đang lưu…")
        desk, procedure = self.ctx.desk, self.procedure
        assert procedure is not None
        booking = self.booking
        self.ctx.runner.submit(lambda: save_dossier(desk, procedure, request, booking=booking), self._on_saved,
                               self._on_save_failed)

    def _on_saved(self, reception: Reception) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        dossier = reception.dossier
        self.last_code = dossier.code
        self.result_label.setText(
            f"✔ Đã lưu hồ sơ {dossier.code} – hẹn trả {dossier.due_at:%H:%M %d/%m/%Y}.")
        wants_slip = not self.on_the_spot.isChecked()
        self.dossier_saved.emit(dossier.code)
        self.clear()
        self.reload_procedures()
        if wants_slip or dossier.fee_vnd > 0:  # a citizen who paid always gets the fee receipt
            self.print_code(dossier.code, slip=wants_slip)

    def _on_save_failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc] if isinstance(exc, DomainError) else []
        by_field = {e.field: e.message for e in errors if e.field in self.applicant.messages}
        self.applicant.show_errors(by_field)
        self.result_label.setText("⚠ Chưa lưu được hồ sơ. Thông tin đã nhập vẫn còn nguyên.")
        show_error(self, "Không lưu được hồ sơ", exc, lead="Hồ sơ CHƯA được lưu; thông tin đã nhập vẫn giữ nguyên.")

    # incomplete dossier: guide, do not receive ------------------------------------------------

    def guide(self) -> None:
        """Record and preview Mẫu 02 for the unticked mandatory papers; nothing is registered as a
        dossier and the form keeps what was typed, for when the citizen comes back."""
        if self.guiding or self.saving:
            return
        procedure = self.procedure
        if procedure is None:
            self.picker.chosen_label.setText("⚠ Hãy chọn thủ tục trước (gõ tên rồi Enter).")
            self.picker.search.setFocus()
            return
        missing = self.documents.missing_documents()
        if not missing:
            self.result_label.setText("Đã đủ giấy tờ bắt buộc: không cần phiếu hướng dẫn bổ sung.")
            return
        # Only who the slip is addressed to matters here; ID, birth date and e-mail are not asked.
        errors = {f: m for f, m in self.applicant.errors().items() if f in ("name", "phone", "address")}
        self.applicant.show_errors(errors)
        if errors:
            first = self.applicant.first_invalid(errors)
            if first is not None:
                first.setFocus()
            self.result_label.setText("⚠ Chưa in phiếu: hãy nhập họ tên người nộp (và sửa các ô có cảnh báo).")
            return
        name = self.applicant.name.text()
        phone, address = self.applicant.phone.text() or None, self.applicant.address.text() or None
        self.guiding = True
        self.guide_button.setEnabled(False)
        self.result_label.setText("Đang lập phiếu hướng dẫn bổ sung…")
        desk = self.ctx.desk
        self.ctx.runner.submit(
            lambda: issue_guidance(desk, procedure.code, name=name, phone=phone, address=address, missing=missing),
            self._on_guidance_issued, self._on_guidance_failed,
        )

    def _on_guidance_issued(self, issued: tuple[SupplementGuidance, bytes]) -> None:
        self.guiding = False
        self.guide_button.setEnabled(True)
        guidance, pdf = issued
        self.result_label.setText(
            f"✔ Đã lập phiếu hướng dẫn bổ sung {guidance.number}. Hồ sơ CHƯA được tiếp nhận; "
            "thông tin đã nhập vẫn giữ để tiếp nhận khi công dân bổ sung đủ.")
        self.guidance_issued.emit(guidance.number)
        if self.preview is not None:
            self.preview.deleteLater()
        self.preview = self.ctx.preview_guidance(guidance.number, pdf, self)

    def _on_guidance_failed(self, exc: BaseException) -> None:
        self.guiding = False
        self.guide_button.setEnabled(True)
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc] if isinstance(exc, DomainError) else []
        self.applicant.show_errors({e.field: e.message for e in errors if e.field in self.applicant.messages})
        self.result_label.setText("⚠ Chưa lập được phiếu hướng dẫn bổ sung.")
        show_error(self, "Không lập được phiếu hướng dẫn bổ sung", exc)

    # printing -------------------------------------------------------------------------------

    def print_code(self, code: str, *, slip: bool = True) -> None:
        desk = self.ctx.desk
        self.ctx.runner.submit(lambda: make_printout(desk, code, slip=slip), self._on_printout_ready,
                               self._on_print_failed)

    def reprint_last(self) -> None:
        if self.last_code:
            self.print_code(self.last_code)

    def _on_printout_ready(self, printout: "Printout") -> None:
        if self.preview is not None:
            self.preview.deleteLater()
        self.preview = self.ctx.preview(printout, self)
        self.preview.finished.connect(self.focus_picker)
        self.printout_ready.emit(printout)

    def _on_print_failed(self, exc: BaseException) -> None:
        show_error(self, "Không in được", exc,
                   lead="Hồ sơ ĐÃ được lưu. Có thể in lại sau (Ctrl+P, hoặc nút «In lại» ở trang chi tiết).")
        self.focus_picker()

    # next citizen ---------------------------------------------------------------------------

    def check_in_booking(self) -> None:
        """Ctrl+H: the citizen came with a booking: its procedure, name and phone fill the form."""
        answers = self.ask(self, "Tiếp nhận theo lịch hẹn", "Số phiếu hẹn (in trên phiếu, hoặc quét mã QR)",
                           [Field("number", "Số phiếu hẹn", "line")])
        if not answers or not answers.get("number", "").strip():
            return
        desk, number = self.ctx.desk, answers["number"]
        self.ctx.runner.submit(lambda: find_booking(desk, number), self._fill_from_booking,
                               lambda exc: show_error(self, "Không tìm thấy lịch hẹn", exc))

    def _fill_from_booking(self, found: tuple[Booking, Procedure]) -> None:
        booking, procedure = found
        self.clear()
        self.picker.choose(procedure)  # the form shows its papers, fee and appointment
        self.applicant.name.setText(booking.name)
        self.applicant.phone.setText(booking.phone)
        self.booking = booking.number
        self.result_label.setText(f"Tiếp nhận theo lịch hẹn {booking.number} ({booking.slot:%H:%M %d/%m/%Y}): "
                                  "kiểm tra giấy tờ rồi Lưu (Ctrl+S).")
        self.applicant.id_number.setFocus()

    def clear(self) -> None:
        self.procedure = None
        self.booking = None
        self.applicant.clear()
        self.documents.set_documents(())
        self.missing_label.setText("")
        self.guide_button.setVisible(False)
        for spin in (self.sets, self.pages, self.copies, self.extension):
            spin.setValue(spin.minimum())
        self.local_fee.setValue(-1)
        self.channel.setCurrentIndex(0)
        self.return_method.setCurrentIndex(0)
        self._show_rows(pages=False, local=False, extension=False, manual_due=False, spot=False)
        self.fee_label.setText("Phí, lệ phí: —")
        self.due_label.setText("Hẹn trả: —")
        self.reason_label.setText("")
        self.picker.reset()

    def new(self) -> None:
        self.clear()
        self.result_label.setText("")

    def focus_picker(self) -> None:
        self.window().activateWindow()  # back from the preview dialog
        self.picker.search.setFocus()
        self.picker.search.selectAll()
