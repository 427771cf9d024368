"""Accounts in the window: change one's own password; an administrator's list of officers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.accounts import Role
from desk_app.gui.rows_model import RowsModel
from desk_app.gui.tasks import Runner

if TYPE_CHECKING:
    from desk_app.services.desk import Desk
    from desk_app.store.accounts import OfficerRow


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _message_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("accountsMessage")
    return label


class ChangePasswordDialog(QDialog):
    """The signed-in officer's own password: the current one, the new one twice."""

    def __init__(self, runner: Runner, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.desk = runner, desk
        self.setWindowTitle("Đổi mật khẩu")
        self.old, self.new, self.again = (_password_field(n) for n in ("oldPassword", "newPassword", "newAgain"))
        self.message = _message_label()
        form = QFormLayout()
        form.addRow("Mật khẩu &hiện tại:", self.old)
        form.addRow("Mật khẩu &mới:", self.new)
        form.addRow("&Nhập lại mật khẩu mới:", self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đổi mật khẩu")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def submit(self) -> None:
        if self.new.text() != self.again.text():
            self.message.setText("Hai lần nhập mật khẩu mới không khớp.")
            self.again.setFocus()
            return
        desk, old, new = self.desk, self.old.text(), self.new.text()

        def job() -> None:
            from desk_app.services.accounts import change_password

            change_password(desk, old=old, new=new)

        self.runner.submit(job, lambda _: self.accept(), self._on_refused)

    def _on_refused(self, exc: BaseException) -> None:
        from desk_app.gui.errors import describe

        self.message.setText(describe(exc))


COLUMNS = ("Tên đăng nhập", "Họ tên", "Vai trò", "Trạng thái")


def officer_cell(row: OfficerRow, column: int) -> Any:
    """One cell of the accounts table (one OfficerRow a row; ``Qt.UserRole`` gives it)."""
    officer = row.officer
    state = "đang dùng" if officer.active else "đã vô hiệu hoá"
    if row.locked_until is not None:
        state += " (có thể đang bị tạm khoá)"
    return (officer.username, officer.full_name, officer.roles_label, state)[column]


class AccountsDialog(QDialog):
    """An administrator's accounts: pick a row to edit it, or fill the form to add one."""

    changed = Signal()

    def __init__(self, runner: Runner, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.desk = runner, desk
        self.setObjectName("accountsDialog")
        self.setWindowTitle("Quản lý tài khoản cán bộ")
        self.model: RowsModel[OfficerRow] = RowsModel(COLUMNS, officer_cell, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.username, self.full_name = QLineEdit(), QLineEdit()
        self.roles = {role: QCheckBox(role.label) for role in Role}
        self.password, self.again = _password_field("accountPassword"), _password_field("accountAgain")
        roles_box = QHBoxLayout()
        for box in self.roles.values():
            roles_box.addWidget(box)
        form = QFormLayout()
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Họ tên (in trên giấy tờ):", self.full_name)
        form.addRow("Vai trò:", roles_box)
        form.addRow("Mật khẩu mới:", self.password)
        form.addRow("Nhập lại mật khẩu:", self.again)
        self.message = _message_label()
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Thêm tài khoản")
        self.save_button = QPushButton("&Lưu họ tên và vai trò")
        self.reset_button = QPushButton("Đặt lại &mật khẩu")
        self.active_button = QPushButton("&Vô hiệu hoá")
        for button, slot in ((self.add_button, self.add), (self.save_button, self.save),
                             (self.reset_button, self.reset), (self.active_button, self.toggle_active)):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(760, 520)
        self.refresh()

    def refresh(self) -> None:
        desk = self.desk

        def job() -> Any:
            from desk_app.services.accounts import accounts_exist, list_officers

            return list_officers(desk) if accounts_exist(desk) else []

        self.runner.submit(job, self.model.set_rows, self._show_error)

    def selected(self) -> OfficerRow | None:
        index = self.table.selectionModel().currentIndex()
        value = self.model.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None
        return value

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.data(current, Qt.ItemDataRole.UserRole)
        if row is None:
            return
        self.username.setText(row.officer.username)
        self.full_name.setText(row.officer.full_name)
        for role, box in self.roles.items():
            box.setChecked(role in row.officer.roles)
        self.active_button.setText("&Vô hiệu hoá" if row.officer.active else "&Mở lại")

    def _chosen_roles(self) -> frozenset[Role]:
        return frozenset(role for role, box in self.roles.items() if box.isChecked())

    def _new_password(self) -> str | None:
        if self.password.text() != self.again.text():
            self.message.setText("Hai lần nhập mật khẩu không khớp.")
            return None
        return self.password.text()

    def _run(self, job: Any, done_message: str) -> None:
        def done(_: Any) -> None:
            self.message.setText(done_message)
            self.password.clear()
            self.again.clear()
            self.changed.emit()
            self.refresh()

        self.runner.submit(job, done, self._show_error)

    def _show_error(self, exc: BaseException) -> None:
        from desk_app.gui.errors import describe

        self.message.setText(describe(exc))

    def add(self) -> None:
        password = self._new_password()
        if password is None:
            return
        desk, username, name, roles = self.desk, self.username.text(), self.full_name.text(), self._chosen_roles()

        def job() -> None:
            from desk_app.services.accounts import add_officer

            add_officer(desk, username=username, full_name=name, roles=roles, password=password)

        self._run(job, f"Đã thêm tài khoản {username.strip().lower()}.")

    def save(self) -> None:
        row = self.selected()
        if row is None:
            self.message.setText("Chọn một tài khoản trong danh sách trước.")
            return
        desk, username, name, roles = self.desk, row.officer.username, self.full_name.text(), self._chosen_roles()

        def job() -> None:
            from desk_app.domain.errors import DomainError
            from desk_app.services.accounts import update_officer

            if not roles:
                raise DomainError("invalid_role", "Tài khoản cần ít nhất một vai trò.")
            update_officer(desk, username, full_name=name, roles=roles)

        self._run(job, f"Đã lưu tài khoản {username}.")

    def reset(self) -> None:
        row, password = self.selected(), self._new_password()
        if row is None or password is None:
            if row is None:
                self.message.setText("Chọn một tài khoản trong danh sách trước.")
            return
        desk, username = self.desk, row.officer.username

        def job() -> None:
            from desk_app.services.accounts import reset_password

            reset_password(desk, username, password)

        self._run(job, f"Đã đặt lại mật khẩu của {username}.")

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            self.message.setText("Chọn một tài khoản trong danh sách trước.")
            return
        desk, username, active = self.desk, row.officer.username, not row.officer.active

        def job() -> None:
            from desk_app.services.accounts import update_officer

            update_officer(desk, username, active=active)

        self._run(job, f"Tài khoản {username} " + ("đã được mở lại." if active else "đã bị vô hiệu hoá."))
