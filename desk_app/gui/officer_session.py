"""Who is at the window: the name in the status bar, the idle lock, and the account menu items."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QWidget

from desk_app.gui.context import DeskContext
from desk_app.gui.sign_in import IdleWatch, SignInDialog

if TYPE_CHECKING:
    from desk_app.domain.accounts import Officer, Permission


class OfficerSession(QObject):
    """Signs the officer in on the window, locks it after ``ctx.idle_minutes`` without input
    (the password continues; what the form holds is kept) and offers the account dialogs.

    ``content`` is what a locked window hides (the tabs); ``label`` shows who is signed in.
    """

    def __init__(self, window: QWidget, ctx: DeskContext, content: QWidget, label: QLabel) -> None:
        super().__init__(window)
        self.window, self.ctx, self.content, self.label = window, ctx, content, label
        self.watch: IdleWatch | None = None
        self.lock_dialog: SignInDialog | None = None
        self.actions: dict[str, QAction] = {}
        self.show_user()

    # menu -----------------------------------------------------------------------------------

    def add_menu_actions(self, menu: QMenu) -> None:
        def add(key: str, text: str, slot: Callable[[], Any], keys: str | None = None) -> None:
            action = QAction(text, self.window)
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions[key] = action

        add("password", "Đổi &mật khẩu…", self.change_password)
        add("accounts", "Quản lý &tài khoản…", self.manage_accounts)
        add("audit", "&Nhật ký hệ thống…", self.show_audit)
        add("restore", "Khôi &phục từ bản sao lưu…", self.restore_backup)
        add("lock", "&Khoá màn hình", self.lock, "Ctrl+L")
        self.refresh_actions()

    def allows(self, permission: Permission) -> bool:
        """Whether the menu offers what needs ``permission`` (the services check it again)."""
        officer = self.ctx.officer
        return officer.can(permission) if officer is not None else not self.ctx.accounts

    def refresh_actions(self) -> None:
        if "password" not in self.actions:
            return
        signed_in = self.ctx.officer is not None
        self.actions["password"].setEnabled(signed_in)
        self.actions["lock"].setEnabled(signed_in)
        if self.ctx.desk is None:  # before the desk is attached: nothing to manage yet, no import needed
            for name in ("accounts", "audit", "restore"):
                self.actions[name].setEnabled(False)
            return
        from desk_app.domain.accounts import Permission  # loaded with the desk by now

        self.actions["accounts"].setEnabled(self.allows(Permission.ACCOUNTS))
        self.actions["audit"].setEnabled(self.allows(Permission.AUDIT))
        self.actions["restore"].setEnabled(not self.ctx.demo and self.allows(Permission.RESTORE))

    # signing in -----------------------------------------------------------------------------

    def show_user(self) -> None:
        officer = self.ctx.officer
        self.label.setText(f"Cán bộ: {officer.full_name} ({officer.username})" if officer
                           else f"Người dùng: {self.ctx.user}")

    def signed_in(self, officer: Officer) -> None:
        """``officer`` signed in (the desk on the worker already acts as them)."""
        self.ctx.officer, self.ctx.user, self.ctx.accounts = officer, officer.full_name, True
        self.show_user()
        self.refresh_actions()
        self._watch_idle()

    def _watch_idle(self) -> None:
        app = QApplication.instance()
        if self.watch is not None:
            self.watch.rearm()
            return
        if self.ctx.idle_minutes > 0 and app is not None:
            self.watch = IdleWatch(self.ctx.idle_minutes * 60_000, self.lock, parent=self)
            app.installEventFilter(self.watch)

    def stop(self) -> None:
        app = QApplication.instance()
        if self.watch is not None:
            self.watch.stop()
            if app is not None:
                app.removeEventFilter(self.watch)

    def sign_in_dialog(self, *, username: str | None = None) -> SignInDialog:
        """Ask who is at the counter (the start, or right after the first account was made)."""
        assert self.ctx.desk is not None
        dialog = SignInDialog(self.ctx.runner, self.ctx.desk, parent=self.window)
        if username:
            dialog.username.setText(username)
            dialog.password.setFocus()
        dialog.signed_in.connect(self.signed_in)
        dialog.open()
        return dialog

    def lock(self) -> None:
        """Hide the window's content until the signed-in officer types the password again."""
        officer = self.ctx.officer
        if officer is None or self.ctx.desk is None or self.lock_dialog is not None:
            return
        self.content.setVisible(False)
        dialog = SignInDialog(self.ctx.runner, self.ctx.desk, username=officer.username,
                              full_name=officer.full_name, parent=self.window)
        dialog.signed_in.connect(self._on_unlocked)
        self.lock_dialog = dialog
        dialog.open()

    def _on_unlocked(self, officer: Officer) -> None:
        self.lock_dialog = None
        self.content.setVisible(True)
        self.signed_in(officer)

    # dialogs --------------------------------------------------------------------------------

    def change_password(self) -> QWidget | None:
        from desk_app.gui.accounts_dialog import ChangePasswordDialog

        if self.ctx.desk is None or self.ctx.officer is None:
            return None
        dialog = ChangePasswordDialog(self.ctx.runner, self.ctx.desk, parent=self.window)
        dialog.open()
        return dialog

    def manage_accounts(self) -> QWidget | None:
        from desk_app.gui.accounts_dialog import AccountsDialog

        if self.ctx.desk is None:
            return None
        dialog = AccountsDialog(self.ctx.runner, self.ctx.desk, parent=self.window)
        dialog.changed.connect(lambda: self._on_accounts_changed(dialog))
        dialog.open()
        return dialog

    def show_audit(self) -> QWidget | None:
        from desk_app.gui.audit_view import AuditDialog

        if self.ctx.desk is None:
            return None
        dialog = AuditDialog(self.ctx.runner, self.ctx.desk, parent=self.window)
        dialog.open()
        return dialog

    def restore_backup(self) -> QWidget | None:
        """Quầy → Khôi phục từ bản sao lưu… (an administrator): once restored, the window starts
        again on the restored data (``restart_requested`` of the main window)."""
        from desk_app.gui.restore_dialog import RestoreDialog

        if self.ctx.desk is None or self.ctx.database is None:
            return None
        window = self.window
        sync = getattr(window, "sync", None)
        dialog = RestoreDialog(self.ctx.runner, self.ctx.database, desk=self.ctx.desk,
                               before_restore=sync.stop if sync is not None else None, parent=window)
        restart = getattr(window, "restart_requested", None)
        if restart is not None:
            dialog.restored.connect(restart.emit)
            dialog.desk_closed.connect(lambda: restart.emit(None))
        dialog.open()
        return dialog

    def _on_accounts_changed(self, dialog: QWidget) -> None:
        """The first account was just made: from now on the window needs a signed-in officer."""
        if self.ctx.officer is None:
            self.ctx.accounts = True
            self.refresh_actions()
            username = getattr(dialog, "username", None)
            dialog.close()
            self.sign_in_dialog(username=username.text().strip().lower() if username is not None else None)
