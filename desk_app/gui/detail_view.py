"""One dossier in full: reprints (marked BẢN IN LẠI and recorded), every lifecycle step by
keyboard, each step's paper previewed and printed, the control slip (Mẫu 06)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import FORM_OF, Action
from desk_app.domain.text import format_vnd
from desk_app.gui.context import DeskContext
from desk_app.gui.errors import describe, show_error
from desk_app.domain.steps import StatusEntry
from desk_app.domain.timeliness import TIMELINESS_LABELS
from desk_app.gui.lifecycle_steps import DetailState, StepDone, load, make_paper, questions, record
from desk_app.gui.reception_jobs import make_printout
from desk_app.gui.scan_panel import ScanPanel
from desk_app.gui.step_dialog import Ask, ask_fields

if TYPE_CHECKING:
    from desk_app.domain.dossier import Dossier
    from desk_app.domain.papers import Paper
    from desk_app.services.printouts import Printout

# Shown in each button's label; they act while the focus is anywhere in this tab. Menu mnemonics
# (Alt+H, Alt+X, Alt+Q, Alt+G) and the tabs' (Alt+1…3) are left alone.
ACTION_SHORTCUTS = {
    Action.FORWARD: "Alt+C",
    Action.RECORD_RESULT: "Alt+K",
    Action.RETURN_RESULT: "Alt+T",
    Action.REQUEST_SUPPLEMENT: "Alt+B",
    Action.RECEIVE_SUPPLEMENT: "Alt+N",
    Action.APOLOGIZE: "Alt+L",
    Action.REFUSE: "Alt+O",
    Action.STOP: "Alt+D",
    Action.WITHDRAW: "Alt+R",
}
BUTTONS_PER_ROW = 5


FIELDS = (
    ("code", "Mã hồ sơ"),
    ("status", "Trạng thái"),
    ("procedure", "Thủ tục"),
    ("received", "Tiếp nhận lúc"),
    ("due", "Hẹn trả"),
    ("due_reason", "Cách tính ngày hẹn"),
    ("statutory", "Thời hạn theo quy định"),
    ("name", "Người nộp"),
    ("id_number", "Số định danh"),
    ("birth", "Ngày sinh, giới tính"),
    ("phone", "Điện thoại"),
    ("address", "Địa chỉ"),
    ("email", "Thư điện tử"),
    ("channel", "Kênh nộp"),
    ("return", "Nhận kết quả"),
    ("counts", "Số bộ, số trang, số bản"),
    ("fee", "Phí, lệ phí"),
    ("ledger", "Sổ theo dõi"),
    ("receiver", "Người tiếp nhận"),
    ("official", "Mã hồ sơ trên hệ thống tỉnh"),
)


def describe_dossier(d: Dossier) -> dict[str, str]:
    """The values shown for each field, in Vietnamese formats (dd/mm/yyyy, 24-hour, "10.000 đ")."""
    a = d.applicant
    birth = a.birth_date.strftime("%d/%m/%Y") if a.birth_date else "—"
    return {
        "code": d.code,
        "status": d.status.label,
        "procedure": f"{d.procedure_name} ({d.procedure_code})",
        "received": f"{d.received_at:%H:%M %d/%m/%Y}",
        "due": f"{d.due_at:%H:%M %d/%m/%Y}",
        "due_reason": d.due_reason,
        "statutory": d.statutory_time,
        "name": a.name,
        "id_number": a.id_number or "—",
        "birth": f"{birth}, {a.sex.label if a.sex else '—'}",
        "phone": a.phone or "—",
        "address": a.address or "—",
        "email": a.email or "—",
        "channel": d.channel.label,
        "return": d.return_method.label,
        "counts": f"{d.sets} bộ, {d.pages} trang, {d.copies} bản",
        "fee": f"{format_vnd(d.fee_vnd)}" + (f" ({d.fee_detail})" if d.fee_detail else ""),
        "ledger": f"Năm {d.ledger_year}, quầy {d.desk_no}, số {d.ledger_no:02d}",
        "receiver": d.receiver or "—",
        "official": d.official_code or "chưa có (cấp khi đồng bộ)",
    }


def _text_box(name: str, title: str) -> tuple[QLabel, QGroupBox]:
    """A titled box holding one wrapped rich-text label, read from its top."""
    label = QLabel("—")
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(label)
    return label, box


def history_html(entries: tuple[StatusEntry, ...]) -> str:
    """The status history as the tab lists it: time, status, who, why, a new appointment."""
    lines = []
    for e in entries:
        line = f"<b>{e.at:%H:%M %d/%m/%Y}</b> {html.escape(e.status.label)}"
        if e.step is not None and e.step.label != e.status.label:
            line += f" ({html.escape(e.step.label.lower())})"
        if e.by:
            line += f" – {html.escape(e.by)}"
        if e.note:
            line += f": {html.escape(e.note)}"
        if e.due_at is not None:
            line += f"; hẹn trả mới {e.due_at:%H:%M %d/%m/%Y}"
        lines.append(line)
    return "<br>".join(lines) or "—"


class DetailView(QWidget):
    """Loads a dossier on the worker; Ctrl+P reprints the slip, Ctrl+K prints the control slip,
    Ctrl+Shift+P reprints the last step's paper; the Alt keys take the lifecycle steps."""

    printout_ready = Signal(object)  # Printout
    status_changed = Signal(object)  # StatusChange, after it is committed

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, *, ask: Ask = ask_fields) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ask = ask  # tests answer without a modal dialog
        self.state: DetailState | None = None
        self.preview = None
        self._busy = False  # a step is on the worker: a second key press must not send another
        self._step_note = ""  # what the last step recorded, kept beside the preview's line
        self.title = QLabel("Chọn một hồ sơ trong sổ theo dõi (Enter) để xem chi tiết.")
        self.title.setObjectName("detailTitle")
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, caption in FIELDS:
            value = QLabel("—")
            value.setObjectName(f"detail_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(caption + ":", value)
        self.timeliness = QLabel("—")
        self.timeliness.setObjectName("detail_timeliness")
        form.insertRow(5, "Tình trạng hạn:", self.timeliness)
        info = QGroupBox("Thông tin hồ sơ")
        info.setLayout(form)
        self.documents, documents_box = _text_box("detail_documents", "Giấy tờ đã nhận")
        self.history, history_box = _text_box("detail_history", "Quá trình xử lý")
        self.scan_panel = ScanPanel(ctx)
        right = QVBoxLayout()
        right.addWidget(documents_box, 1)
        right.addWidget(self.scan_panel, 2)
        right.addWidget(history_box, 2)
        actions_box = self._build_lifecycle_actions()
        self.reprint_button = self._paper_button("In lại giấy tiếp nhận  [Ctrl+P]", "reprintButton", "Ctrl+P",
                                                 self.reprint)
        self.control_button = self._paper_button("Phiếu kiểm soát (Mẫu 06)  [Ctrl+K]", "controlSlipButton",
                                                 "Ctrl+K", self.print_control_slip)
        self.step_paper_button = self._paper_button("In lại phiếu  [Ctrl+Shift+P]", "stepPaperButton",
                                                    "Ctrl+Shift+P", self.reprint_step_paper)
        self.status = QLabel("")
        self.status.setObjectName("detail_status")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.reprint_button, self.control_button, self.step_paper_button):
            buttons.addWidget(button)
        buttons.addWidget(self.status, 1)
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(info, 3)
        columns.addLayout(right, 2)
        # On a 1280×720 counter screen the fields and a long history scroll; the steps and paper
        # buttons below them always show.
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(actions_box)
        layout.addLayout(buttons)

    @property
    def dossier(self) -> Dossier | None:
        return self.state.dossier if self.state is not None else None

    def _paper_button(self, text: str, name: str, keys: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setEnabled(False)
        button.clicked.connect(slot)
        action = QAction(text.split("  [")[0].replace("&", ""), self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return button

    def _build_lifecycle_actions(self) -> QGroupBox:
        """One button and one shortcut per action; only those the dossier may take are shown."""
        box = QGroupBox("Xử lý hồ sơ")
        grid = QGridLayout(box)
        self.action_buttons: dict[Action, QPushButton] = {}
        self.lifecycle_actions: dict[Action, QAction] = {}
        for action in Action:
            keys = ACTION_SHORTCUTS[action]
            form = f" ({FORM_OF[action]})" if action in FORM_OF else ""
            # No "&" mnemonic: it would register Alt+<letter> a second time and make it ambiguous.
            button = QPushButton(f"{action.label}{form}  [{keys}]")
            button.setObjectName(f"action_{action.value}")
            button.setVisible(False)
            button.clicked.connect(lambda _checked=False, a=action: self.take(a))
            self.action_buttons[action] = button
            shortcut = QAction(action.label, self)
            shortcut.setShortcut(QKeySequence(keys))
            shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setEnabled(False)
            shortcut.triggered.connect(lambda _checked=False, a=action: self.take(a))
            self.addAction(shortcut)
            self.lifecycle_actions[action] = shortcut
        self.actions_hint = QLabel("Chưa chọn hồ sơ.")
        self.actions_hint.setObjectName("detail_actions_hint")
        self.actions_grid = grid
        self._place_buttons(())
        return box

    def _place_buttons(self, shown: tuple[Action, ...]) -> None:
        """The allowed buttons first, in order, BUTTONS_PER_ROW a row; the hint after them."""
        for button in self.action_buttons.values():
            self.actions_grid.removeWidget(button)
        self.actions_grid.removeWidget(self.actions_hint)
        order = [*shown, *(a for a in Action if a not in shown)]
        for index, action in enumerate(order):
            self.actions_grid.addWidget(self.action_buttons[action], index // BUTTONS_PER_ROW, index % BUTTONS_PER_ROW)
        row = (len(shown) + BUTTONS_PER_ROW - 1) // BUTTONS_PER_ROW if shown else 0
        self.actions_grid.addWidget(self.actions_hint, row, 0, 1, BUTTONS_PER_ROW)

    @property
    def allowed(self) -> tuple[Action, ...]:
        return self.state.allowed if self.state is not None else ()

    def _update_actions(self) -> None:
        allowed = self.allowed
        for action, button in self.action_buttons.items():
            button.setVisible(action in allowed)
            button.setEnabled(not self._busy)
            self.lifecycle_actions[action].setEnabled(action in allowed and not self._busy)
        self._place_buttons(allowed)
        dossier = self.dossier
        if dossier is None:
            self.actions_hint.setText("Chưa chọn hồ sơ.")
        elif not allowed:
            self.actions_hint.setText(f"Hồ sơ ở trạng thái «{dossier.status.label}»: không còn thao tác nào.")
        else:
            self.actions_hint.setText("")
        self.actions_hint.setVisible(bool(self.actions_hint.text()))

    def open_code(self, code: str) -> None:
        desk = self.ctx.desk
        self._step_note = ""
        self.status.setText("Đang tải…")
        self.ctx.runner.submit(lambda: load(desk, code), self.show_state,
                               lambda exc: self.status.setText("⚠ " + describe(exc)))

    def reload(self) -> None:
        """Read the shown dossier again (a hub decision may have changed it); a refresh, not a
        new view by a person, so it is not audited again."""
        if self.dossier is None:
            return
        desk, code = self.ctx.desk, self.dossier.code
        self.ctx.runner.submit(lambda: load(desk, code, viewing=False), self._on_reloaded,
                               lambda exc: self.status.setText("⚠ " + describe(exc)))

    def _on_reloaded(self, state: DetailState) -> None:
        if self.dossier is not None and self.dossier.code == state.dossier.code:
            self.show_state(state)

    def show_state(self, state: DetailState) -> None:
        self.state = state
        dossier = state.dossier
        self.title.setText(f"Hồ sơ {dossier.code} – {dossier.applicant.name}")
        for key, text in describe_dossier(dossier).items():
            self.values[key].setText(text)
        items = "".join(f"<li>{html.escape(d.name)} – {d.form.label}, {d.count} bản</li>" for d in dossier.documents)
        self.documents.setText(f"<ol>{items}</ol>" if items else "Không có giấy tờ nào được ghi.")
        self.timeliness.setText(TIMELINESS_LABELS[state.timeliness] if state.timeliness else "—")
        self.history.setText(history_html(state.history))
        if self.scan_panel.state is None or self.scan_panel.state.code != dossier.code:
            self.scan_panel.show_dossier(dossier.code)  # a refresh of the same dossier decrypts nothing again
        self.reprint_button.setEnabled(True)
        self.control_button.setEnabled(True)
        self.step_paper_button.setEnabled(bool(state.papers))
        if state.papers:
            last = state.papers[-1]
            self.step_paper_button.setText(f"In lại {last.label.lower()}  [Ctrl+Shift+P]")
        self.status.setText("")
        self._update_actions()

    def take(self, action: Action) -> None:
        """Record ``action`` on the shown dossier, asking first for what it needs (a reason, the
        papers to add, the new appointment, who takes the result); then preview its paper."""
        state = self.state
        if state is None or self._busy or action not in state.allowed:
            return
        asked = questions(action, state, self.ctx.user)
        answers: dict[str, str] = {}
        if asked is not None:
            lead, fields = asked
            given = self.ask(self, action.label, lead, fields)
            if given is None:
                return  # cancelled: nothing to record
            answers = given  # an empty reason is refused by the domain, in Vietnamese
        desk, code = self.ctx.desk, state.dossier.code
        self._busy = True
        self._update_actions()
        self.status.setText(f"Đang ghi nhận «{action.label}»…")
        self.ctx.runner.submit(lambda: record(desk, code, action, answers), self._on_step_recorded,
                               lambda exc: self._on_status_failed(code, exc))

    def _on_step_recorded(self, done: StepDone) -> None:
        change = done.change
        self._busy = False
        self.show_state(done.state)
        moved = f"{change.before.label} → {change.after.label}"
        text = f"Đã ghi nhận: {moved} lúc {change.at:%H:%M %d/%m/%Y}."
        if change.due_at is not None:
            text += f" Hẹn trả mới: {change.due_at:%H:%M %d/%m/%Y}."
        self.status.setText(text)
        self._step_note = text
        # Keep the keyboard in this tab (the pressed button may just have been hidden).
        shown = [self.action_buttons[a] for a in done.state.allowed]
        (shown[0] if shown else self.reprint_button).setFocus()
        self.status_changed.emit(change)
        if done.paper is not None:  # the step is committed: now its paper
            self._print_paper(done.paper)

    def _on_status_failed(self, code: str, exc: BaseException) -> None:
        self._busy = False
        self._update_actions()
        self.status.setText("")
        show_error(self, "Không ghi nhận được", exc)
        if isinstance(exc, DomainError) and exc.code in ("transition_not_allowed", "once_only"):
            self.open_code(code)  # the dossier moved on elsewhere (another desk window, the CLI): show where it is

    def _print_paper(self, paper: Paper) -> None:
        if self.dossier is None:
            return
        desk, code = self.ctx.desk, self.dossier.code
        self.status.setText(self.status.text() + f" Đang dựng {paper.label.lower()}…")
        self.ctx.runner.submit(lambda: make_paper(desk, code, paper), self._on_printout_ready,
                               lambda exc: show_error(self, "Chưa in được giấy tờ", exc,
                                                      lead="Bước xử lý ĐÃ được ghi nhận; có thể in lại sau."))

    def reprint(self) -> None:
        if self.dossier is None:
            return
        desk, code = self.ctx.desk, self.dossier.code
        self.status.setText("Đang dựng bản in lại…")
        self.ctx.runner.submit(lambda: make_printout(desk, code), self._on_printout_ready,
                               lambda exc: show_error(self, "Không in lại được", exc))

    def print_control_slip(self) -> None:
        from desk_app.domain.papers import Paper

        self._print_paper(Paper.CONTROL_SLIP)

    def reprint_step_paper(self) -> None:
        if self.state is not None and self.state.papers:
            self._print_paper(self.state.papers[-1])

    def _on_printout_ready(self, printout: Printout) -> None:
        kind = "bản in lại (lần {})".format(printout.print_count) if printout.reprint else "bản in đầu tiên"
        self.status.setText(" ".join(filter(None, [
            self._step_note, f"Xem trước {kind}; lần in được ghi nhận khi đã in hoặc lưu xong."])))
        if self.preview is not None:
            self.preview.deleteLater()
        self.preview = self.ctx.preview(printout, self, self._on_print_recorded)
        self.printout_ready.emit(printout)

    def _on_print_recorded(self, numbers: dict[str, int]) -> None:
        if numbers:
            self.status.setText(f"Đã ghi nhận lần in thứ {max(numbers.values())}.")
