"""Signing in at the window: the dialog at start and on the locked screen, and the idle timer."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.gui.tasks import Runner

if TYPE_CHECKING:
    from desk_app.domain.accounts import Officer
    from desk_app.services.desk import Desk


class SignInDialog(QDialog):
    """Login and password, Enter signs in (on the worker). ``username`` given: the locked screen,
    where only that officer's password continues (the window's content stays as it was)."""

    signed_in = Signal(object)  # the Officer

    def __init__(self, runner: Runner, desk: Desk, *, username: str | None = None, full_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.desk, self.locked_for = runner, desk, username
        self.setObjectName("signInDialog")
        self.setModal(True)
        self.setWindowTitle("Màn hình đã khoá" if username else "Đăng nhập – Một cửa")
        lead = QLabel(f"Màn hình đã khoá. {full_name or username}, nhập lại mật khẩu để tiếp tục."
                      if username else "Đăng nhập bằng tài khoản cán bộ của quầy.")
        lead.setWordWrap(True)
        self.username = QLineEdit(username or "")
        self.username.setObjectName("signInUsername")
        self.username.setReadOnly(username is not None)
        self.password = QLineEdit()
        self.password.setObjectName("signInPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow("&Tên đăng nhập:", self.username)
        form.addRow("&Mật khẩu:", self.password)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("Đăng nhập" if username is None else "Mở khoá",
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        buttons.accepted.connect(self.submit)
        if username is None:
            buttons.addButton("Thoát", QDialogButtonBox.ButtonRole.RejectRole)
            buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(lead)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())
        (self.password if username else self.username).setFocus()
        self._busy = False

    def submit(self) -> None:
        if self._busy:
            return
        login, password = self.username.text().strip(), self.password.text()
        if not login or not password:
            self.message.setText("Hãy nhập tên đăng nhập và mật khẩu.")
            (self.username if not login else self.password).setFocus()
            return
        self._busy = True
        self.ok.setEnabled(False)
        self.message.setText("Đang kiểm tra…")
        desk, via = self.desk, "unlock" if self.locked_for else "window"

        def job() -> Any:
            from desk_app.services.accounts import sign_in

            return sign_in(desk, login, password, via=via)

        self.runner.submit(job, self._on_signed_in, self._on_refused)

    def _on_signed_in(self, officer: Officer) -> None:
        self._busy = False
        self.password.clear()
        self.signed_in.emit(officer)
        self.accept()

    def _on_refused(self, exc: BaseException) -> None:
        from desk_app.gui.errors import describe

        self._busy = False
        self.ok.setEnabled(True)
        self.message.setText(describe(exc))
        self.password.clear()
        self.password.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if self.locked_for and event.key() == Qt.Key.Key_Escape:
            return  # a locked screen is not dismissed by Esc
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.locked_for:
            event.ignore()  # nor by the title bar's close button
            return
        super().closeEvent(event)


# What counts as someone at the counter: typing, clicking, moving the mouse or the wheel.
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}


class IdleWatch(QObject):
    """Calls ``on_idle`` once no input has reached the application for ``idle_ms``; the clock
    restarts at the next input after ``rearm``. Installed as an application event filter."""

    def __init__(self, idle_ms: int, on_idle: Callable[[], None], *, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle_ms, self.on_idle, self.clock = idle_ms, on_idle, clock
        self.last_input = clock()
        self.fired = False
        self.timer = QTimer(self)
        self.timer.setInterval(max(50, min(idle_ms // 4, 15_000)))
        self.timer.timeout.connect(self._check)
        if idle_ms > 0:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _ACTIVITY:
            self.last_input = self.clock()
        return False

    def rearm(self) -> None:
        self.last_input, self.fired = self.clock(), False

    def stop(self) -> None:
        self.timer.stop()

    def _check(self) -> None:
        if not self.fired and (self.clock() - self.last_input) * 1000 >= self.idle_ms:
            self.fired = True
            self.on_idle()
