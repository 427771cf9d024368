"""Khôi phục từ bản sao lưu: pick one of the backups beside the database (or any file), restore it
through the same service as `desk-app restore`, then the window starts again on the restored data.

Two ways in: the Quầy menu (an administrator signed in on a working desk: the current database
is replaced, and kept aside), and the message shown when the database is damaged at start
(nothing is open: an administrator of the chosen backup signs in here, if it has accounts).
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desk_app.gui.errors import describe
from desk_app.gui.tasks import Runner

if TYPE_CHECKING:
    from desk_app.services.backup import Restored
    from desk_app.services.backup_choice import BackupFile
    from desk_app.services.desk import Desk

COLUMNS = ("Ngày sao lưu", "Kích thước", "Số hồ sơ", "Quầy")


def size_text(size: int) -> str:
    """Bytes as an officer reads them, Vietnamese decimal comma: "1,2 MB", "640 KB"."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1000))} KB"


def desk_text(file: BackupFile) -> str:
    card = file.card
    if card is None:
        return "(không đọc được)"
    return f"Quầy {card.desk_no} · {card.unit_code}" if card.desk_no is not None else card.unit_code or "(chưa cài đặt)"


class RestoreDialog(QDialog):
    """Lists the backups (date, size, dossiers, desk) and restores the chosen one on the worker.

    ``desk`` (worker-only) is the open desk of the menu path: its store is closed just before the
    file is replaced. Without it (a damaged database), the backup's administrator signs in here.
    """

    restored = Signal(object)  # services.backup.Restored
    desk_closed = Signal()  # the desk was closed for a restore that then failed: the window must start again

    def __init__(self, runner: Runner, database: Path, *, desk: Desk | None = None,
                 before_restore: Callable[[], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.database, self.desk = runner, database, desk
        self.before_restore = before_restore  # GUI thread, once the checks passed (the window stops syncing)
        self.files: list[BackupFile] = []
        self.busy = False
        self.setObjectName("restoreDialog")
        self.setWindowTitle("Khôi phục từ bản sao lưu")
        self.setMinimumWidth(680)
        intro = QLabel(
            "Chọn bản sao lưu để đưa trở lại. Cơ sở dữ liệu đang dùng không bị xoá: nó được giữ lại bên cạnh "
            f"({database.name}.…). Các hồ sơ ghi sau lần sao lưu sẽ chỉ còn trong tệp được giữ lại."
            if desk is not None else
            "Cơ sở dữ liệu của quầy bị hỏng. Chọn bản sao lưu để đưa trở lại; tệp hỏng được giữ lại bên cạnh, "
            "không bị xoá.")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore())
        other = QPushButton("Chọn &tệp khác…")
        other.setObjectName("otherFileButton")
        other.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(other)
        self.username, self.password = QLineEdit(), QLineEdit()
        self.username.setObjectName("restoreUsername")
        self.password.setObjectName("restorePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.credentials = QWidget()
        form = QFormLayout(self.credentials)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Quản trị của bản sao lưu — tên đăng nhập:", self.username)
        form.addRow("Mật khẩu:", self.password)
        self.credentials.setVisible(False)
        self.message = QLabel("Đang đọc các bản sao lưu…")
        self.message.setObjectName("restoreMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("&Khôi phục", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(False)
        buttons.addButton("Huỷ", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.restore)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.table):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.credentials)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 420)
        self._list()

    # the list ---------------------------------------------------------------------------------

    def _list(self) -> None:
        from desk_app.services.backup_choice import list_backups

        database = self.database
        self.runner.submit(lambda: list_backups(database), self._on_listed, self._on_failed)

    def _on_listed(self, files: list[BackupFile]) -> None:
        self.files = []
        self.table.setRowCount(0)
        for file in files:
            self.add_file(file)
        self.message.setText("" if files else f"Chưa có bản sao lưu nào trong {self.database.parent / 'backups'}: "
                             "chọn tệp khác (ví dụ trên USB).")
        if files:
            self.table.selectRow(0)

    def add_file(self, file: BackupFile) -> None:
        self.files.append(file)
        row = self.table.rowCount()
        self.table.insertRow(row)
        card = file.card
        cells = (f"{file.modified:%d/%m/%Y %H:%M}", size_text(file.size),
                 "—" if card is None or card.dossiers is None else f"{card.dossiers:,}".replace(",", "."),
                 desk_text(file))
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(str(file.path))
            if column in (1, 2):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Chọn tệp sao lưu", str(self.database.parent),
                                              "Cơ sở dữ liệu (*.sqlite3 *.db);;Mọi tệp (*)")
        if name:
            self.add_path(Path(name))

    def add_path(self, path: Path) -> None:
        """A file from anywhere (a USB stick): read on the worker, then listed and selected."""
        from desk_app.services.backup_choice import backup_file

        def listed(file: BackupFile) -> None:
            self.add_file(file)
            self.table.selectRow(self.table.rowCount() - 1)

        self.runner.submit(lambda: backup_file(path), listed, self._on_failed)

    def chosen(self) -> BackupFile | None:
        rows = self.table.selectionModel().selectedRows()
        return self.files[rows[0].row()] if rows else None

    def _update_controls(self) -> None:
        file = self.chosen()
        self.restore_button.setEnabled(file is not None and file.card is not None and not self.busy)
        # A damaged database has no readable accounts: the backup's own administrator restores it.
        self.credentials.setVisible(self.desk is None and file is not None and file.card is not None
                                    and file.card.officers > 0)

    def _selection_changed(self) -> None:
        self._update_controls()
        file = self.chosen()
        if file is not None and file.card is None:
            self.message.setText(f"Tệp {file.path.name} không đọc được như một cơ sở dữ liệu của quầy.")
        elif file is not None:
            from desk_app.services.backup import describe as describe_desk

            self.message.setText(f"Bản sao lưu của {describe_desk(file.card)}.")  # type: ignore[arg-type]
            if self.credentials.isVisible():
                self.username.setFocus()

    # restoring ----------------------------------------------------------------------------------

    def restore(self) -> None:
        file = self.chosen()
        if file is None or file.card is None or self.busy:
            return
        self.busy = True
        self.restore_button.setEnabled(False)
        self.message.setText("Đang kiểm tra và khôi phục…")
        path, database, desk = file.path, self.database, self.desk
        if desk is None:
            username, password = self.username.text(), self.password.text()
            self.password.clear()
            self.runner.submit(lambda: restore_damaged(path, database, username, password), self._on_restored,
                               self._on_failed)
        else:
            self.runner.submit(lambda: check_open_desk(path, database, desk), lambda _: self._replace(path, desk),
                               self._on_failed)

    def _replace(self, path: Path, desk: Desk) -> None:
        if self.before_restore is not None:
            self.before_restore()
        database = self.database
        self.runner.submit(lambda: replace_open_desk(path, database, desk), self._on_restored,
                           self._on_failed_closed)

    def _on_failed_closed(self, exc: BaseException) -> None:
        self._on_failed(exc)
        self.desk_closed.emit()

    def _on_restored(self, made: Restored) -> None:
        self.busy = False
        self.restored.emit(made)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.message.setText("Không khôi phục được: " + describe(exc))
        self._update_controls()


def restore_damaged(backup: Path, database: Path, username: str, password: str) -> Restored:
    """Worker job when the database could not be opened: the backup's administrator signs in,
    then the same service as `desk-app restore` (the damaged file is kept aside)."""
    from desk_app.services.backup import restore_from
    from desk_app.services.backup_choice import sign_in_from_backup
    from desk_app.services.desk import local_clock

    login, name = sign_in_from_backup(backup, username, password)
    return restore_from(backup, database, at=local_clock()(), actor=login, actor_name=name)


def check_open_desk(backup: Path, database: Path, desk: Desk) -> object:
    """Worker job, from the menu: every check first, while the desk stays open and working."""
    from desk_app.domain.accounts import Permission
    from desk_app.services.backup import check_restore

    desk.require(Permission.RESTORE)
    return check_restore(backup, database, force=True)


def replace_open_desk(backup: Path, database: Path, desk: Desk) -> Restored:
    """Worker job: close the open desk, then the same service as `desk-app restore --force`."""
    from desk_app.services.backup import restore_from
    from desk_app.services.desk import local_clock

    login, name = desk.login, desk.officer.full_name if desk.officer else ""
    desk.store.close()
    return restore_from(backup, database, at=local_clock()(), actor=login, actor_name=name, force=True)
