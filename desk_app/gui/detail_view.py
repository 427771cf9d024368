"""One dossier in full, with "In lại" (a reprint is marked BẢN IN LẠI and recorded) and its lifecycle buttons."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGroupBox, QHBoxLayout, QInputDialog, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import Action, allowed_actions
from desk_app.domain.text import format_vnd
from desk_app.gui.context import DeskContext
from desk_app.gui.errors import describe, show_error
from desk_app.gui.reception_jobs import make_printout
from desk_app.gui.value_form import value_form

if TYPE_CHECKING:
    from desk_app.domain.dossier import Dossier
    from desk_app.services.printouts import Printout
    from desk_app.store.lifecycle import StatusChange

# Shown in each button's label; they act while the focus is anywhere in this tab.
ACTION_SHORTCUTS = {
    Action.FORWARD: "Alt+C",
    Action.RECORD_RESULT: "Alt+K",
    Action.RETURN_RESULT: "Alt+T",
    Action.WITHDRAW: "Alt+R",
}

AskReason = Callable[[QWidget, str], "str | None"]  # (parent, dossier code) → reason, None: cancelled


def ask_withdraw_reason(parent: QWidget, code: str) -> str | None:
    """Ask why the citizen withdraws the dossier; None when the receptionist cancels."""
    text, ok = QInputDialog.getText(parent, "Rút hồ sơ", f"Lý do người nộp rút hồ sơ {code}:")
    return text if ok else None


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


class DetailView(QWidget):
    """Loads a dossier on the worker; Ctrl+P reprints it; Alt+C/K/T/R move it along its lifecycle."""

    printout_ready = Signal(object)  # Printout
    status_changed = Signal(object)  # StatusChange, after it is committed

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, *,
                 ask_reason: AskReason = ask_withdraw_reason) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ask_reason = ask_reason  # tests answer without a modal dialog
        self.dossier: Dossier | None = None
        self.preview = None
        self._busy = False  # a status change is on the worker: a second key press must not send another
        self.title = QLabel("Chọn một hồ sơ trong sổ theo dõi (Enter) để xem chi tiết.")
        self.title.setObjectName("detailTitle")
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.title.setWordWrap(True)
        form, self.values = value_form(FIELDS, "detail")
        info = QGroupBox("Thông tin hồ sơ")
        info.setLayout(form)
        self.documents = QLabel("—")
        self.documents.setObjectName("detail_documents")
        self.documents.setWordWrap(True)
        self.documents.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        documents_box = QGroupBox("Giấy tờ đã nhận")
        QVBoxLayout(documents_box).addWidget(self.documents)
        actions_box = self._build_lifecycle_actions()
        self.reprint_button = QPushButton("In &lại giấy tiếp nhận  [Ctrl+P]")
        self.reprint_button.setObjectName("reprintButton")
        self.reprint_button.setEnabled(False)
        self.reprint_button.clicked.connect(self.reprint)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.status, 1)
        columns = QHBoxLayout()
        columns.addWidget(info, 3)
        columns.addWidget(documents_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(columns, 1)
        layout.addWidget(actions_box)
        layout.addLayout(buttons)
        self.reprint_action = QAction("In lại giấy tiếp nhận", self)
        self.reprint_action.setShortcut(QKeySequence("Ctrl+P"))
        self.reprint_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.reprint_action.triggered.connect(self.reprint)
        self.addAction(self.reprint_action)

    def _build_lifecycle_actions(self) -> QGroupBox:
        """One button and one shortcut per action; only those the current status allows are shown."""
        box = QGroupBox("Xử lý hồ sơ")
        row = QHBoxLayout(box)
        self.action_buttons: dict[Action, QPushButton] = {}
        self.lifecycle_actions: dict[Action, QAction] = {}
        for action in Action:
            keys = ACTION_SHORTCUTS[action]
            # No "&" mnemonic: it would register Alt+<letter> a second time and make it ambiguous.
            button = QPushButton(f"{action.label}  [{keys}]")
            button.setObjectName(f"action_{action.value}")
            button.setVisible(False)
            button.clicked.connect(lambda _checked=False, a=action: self.take(a))
            row.addWidget(button)
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
        row.addWidget(self.actions_hint, 1)
        return box

    def _update_actions(self) -> None:
        allowed = allowed_actions(self.dossier.status) if self.dossier is not None else ()
        for action, button in self.action_buttons.items():
            button.setVisible(action in allowed)
            button.setEnabled(not self._busy)
            self.lifecycle_actions[action].setEnabled(action in allowed and not self._busy)
        if self.dossier is None:
            self.actions_hint.setText("Chưa chọn hồ sơ.")
        elif not allowed:
            self.actions_hint.setText(f"Hồ sơ ở trạng thái «{self.dossier.status.label}»: không còn thao tác nào.")
        else:
            self.actions_hint.setText("")

    def open_code(self, code: str) -> None:
        desk = self.ctx.desk
        self.status.setText("Đang tải…")
        self.ctx.runner.submit(lambda: desk.view_dossier(code, purpose="detail"), self.show_dossier,
                               lambda exc: self.status.setText("⚠ " + describe(exc)))

    def reload(self) -> None:
        """Read the shown dossier again (a hub decision may have changed it); a refresh, not a
        new view by a person, so it is not audited again."""
        if self.dossier is None or self._busy:
            return
        desk, code = self.ctx.desk, self.dossier.code
        self.ctx.runner.submit(lambda: desk.dossier(code), self._on_reloaded,
                               lambda exc: self.status.setText("⚠ " + describe(exc)))

    def _on_reloaded(self, dossier: Dossier) -> None:
        if self.dossier is not None and self.dossier.code == dossier.code and not self._busy:
            self.show_dossier(dossier)

    def show_dossier(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self.title.setText(f"Hồ sơ {dossier.code} – {dossier.applicant.name}")
        for key, text in describe_dossier(dossier).items():
            self.values[key].setText(text)
        items = "".join(f"<li>{html.escape(d.name)} – {d.form.label}, {d.count} bản</li>" for d in dossier.documents)
        self.documents.setText(f"<ol>{items}</ol>" if items else "Không có giấy tờ nào được ghi.")
        self.reprint_button.setEnabled(True)
        self.status.setText("")
        self._update_actions()

    def take(self, action: Action) -> None:
        """Record ``action`` on the shown dossier (withdrawing asks for the reason first)."""
        dossier = self.dossier
        if dossier is None or self._busy or action not in allowed_actions(dossier.status):
            return
        note = ""
        if action is Action.WITHDRAW:
            answer = self.ask_reason(self, dossier.code)
            if answer is None:
                return  # cancelled: nothing to record
            note = answer  # an empty reason is refused by the domain, in Vietnamese
        desk, code = self.ctx.desk, dossier.code

        def job() -> tuple[StatusChange, Dossier]:
            from desk_app.services.lifecycle import apply  # the store layer loads on the worker

            change = apply(desk, code, action, note=note)
            return change, desk.dossier(code)

        self._busy = True
        self._update_actions()
        self.status.setText(f"Đang ghi nhận «{action.label}»…")
        self.ctx.runner.submit(job, self._on_status_changed, lambda exc: self._on_status_failed(code, exc))

    def _on_status_changed(self, result: tuple[StatusChange, Dossier]) -> None:
        change, dossier = result
        self._busy = False
        self.show_dossier(dossier)
        self.status.setText(f"Đã ghi nhận: {change.before.label} → {change.after.label} "
                            f"lúc {change.at:%H:%M %d/%m/%Y}.")
        # Keep the keyboard in this tab (the pressed button may just have been hidden).
        shown = [b for a, b in self.action_buttons.items() if a in allowed_actions(dossier.status)]
        (shown[0] if shown else self.reprint_button).setFocus()
        self.status_changed.emit(change)

    def _on_status_failed(self, code: str, exc: BaseException) -> None:
        self._busy = False
        self._update_actions()
        self.status.setText("")
        show_error(self, "Không ghi nhận được", exc)
        if isinstance(exc, DomainError) and exc.code == "transition_not_allowed":
            self.open_code(code)  # the dossier moved on elsewhere (another desk window, the CLI): show where it is

    def reprint(self) -> None:
        if self.dossier is None:
            return
        desk, code = self.ctx.desk, self.dossier.code
        self.status.setText("Đang dựng bản in lại…")
        self.ctx.runner.submit(lambda: make_printout(desk, code), self._on_printout_ready,
                               lambda exc: show_error(self, "Không in lại được", exc))

    def _on_printout_ready(self, printout: "Printout") -> None:
        kind = "bản in lại (lần {})".format(printout.print_count) if printout.reprint else "bản in đầu tiên"
        self.status.setText(f"Xem trước {kind}; lần in được ghi nhận khi đã in hoặc lưu xong.")
        if self.preview is not None:
            self.preview.deleteLater()
        self.preview = self.ctx.preview(printout, self, self._on_print_recorded)
        self.printout_ready.emit(printout)

    def _on_print_recorded(self, numbers: dict[str, int]) -> None:
        if numbers:
            self.status.setText(f"Đã ghi nhận lần in thứ {max(numbers.values())}.")
