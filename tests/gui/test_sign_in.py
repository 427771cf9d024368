"""Officers at the window: sign in at start, the name in the status bar, the idle lock, accounts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from desk_app.domain.accounts import Role
from desk_app.gui.app import Launcher, Options
from desk_app.gui.main_window import MainWindow
from desk_app.gui.sign_in import IdleWatch, SignInDialog
from desk_app.gui.tasks import TaskRunner
from desk_app.store import accounts as rows
from tests.gui.keys import focused, press, type_keys
from tests.staff import staff

@pytest.fixture
def signed_in_window(qtbot, ctx, desk):
    """The window of a staffed desk, Trần Thị Bình signed in through the dialog, idle lock off."""
    staff(desk)
    ctx.accounts = True
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    dialog = win.session.sign_in_dialog()
    dialog.username.setText("binh")
    dialog.password.setText("binh-2026!")
    dialog.submit()
    assert ctx.officer is not None and ctx.officer.username == "binh"
    return win


def test_the_desk_opens_only_after_an_officer_signs_in_by_keyboard(qapp, qtbot, tmp_path, monkeypatch):
    from desk_app.services.desk import Desk
    from desk_app.store.store import Store

    path = tmp_path / "desk.sqlite3"
    store = Store.open(path)
    desk = Desk(store, actor="setup")
    desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49",
                    desk_no=1)
    staff(desk)
    store.close()
    monkeypatch.setenv("DESK_APP_HOME", str(tmp_path / "home"))
    launcher = Launcher(qapp, TaskRunner(), Options(demo=False, db=path))
    launcher.start()
    try:
        window = launcher.window
        qtbot.waitUntil(lambda: isinstance(launcher.sign_in, SignInDialog), timeout=30_000)
        dialog = launcher.sign_in
        assert not window.tabs.isEnabled()  # no dossier, no name shows before signing in
        dialog.activateWindow()
        qtbot.waitUntil(lambda: dialog.username.hasFocus())
        type_keys("binh")
        press(Qt.Key.Key_Tab)
        type_keys("doan-bua")
        press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.message.text() == "Sai tên đăng nhập hoặc mật khẩu.", timeout=10_000)
        assert focused() is dialog.password and dialog.password.text() == ""
        type_keys("binh-2026!")
        press(Qt.Key.Key_Return)
        qtbot.waitUntil(window.tabs.isEnabled, timeout=30_000)
        assert window.user_label.text() == "Cán bộ: Trần Thị Bình (binh)"
        assert not window.session.actions["accounts"].isEnabled()  # a receptionist manages no accounts
        assert window.session.actions["password"].isEnabled()
    finally:
        launcher.window.close()
        launcher.shutdown()


def test_the_idle_watch_fires_once_after_the_quiet_time_and_input_restarts_it(qtbot):
    now = [0.0]
    fired = []
    watch = IdleWatch(1000, lambda: fired.append(now[0]), clock=lambda: now[0])
    now[0] = 0.9
    watch._check()
    assert fired == []
    now[0] = 1.0
    watch._check()
    watch._check()
    assert fired == [1.0]
    watch.rearm()
    now[0] = 1.5
    watch._check()
    assert fired == [1.0]


def test_the_window_locks_when_idle_and_keeps_what_the_form_holds(signed_in_window, qtbot):
    window = signed_in_window
    edits = [e for e in window.form.findChildren(QLineEdit) if e.isVisible() and not e.isReadOnly()]
    assert edits
    edits[0].setText("Phạm Thị Dân")
    watch = IdleWatch(60, window.session.lock)  # the slot the session's own watch calls
    qtbot.waitUntil(lambda: window.session.lock_dialog is not None, timeout=5_000)
    watch.stop()
    dialog = window.session.lock_dialog
    assert not window.tabs.isVisible()  # nothing of the desk shows on a locked screen
    assert dialog.username.text() == "binh" and dialog.username.isReadOnly()
    press(Qt.Key.Key_Escape, widget=dialog.password)
    assert dialog.isVisible()  # Esc does not unlock
    dialog.password.setText("sai-mat-khau")
    dialog.submit()
    assert dialog.isVisible() and not window.tabs.isVisible()
    assert dialog.message.text() == "Sai tên đăng nhập hoặc mật khẩu."
    dialog.password.setText("binh-2026!")
    dialog.submit()
    assert window.tabs.isVisible() and window.session.lock_dialog is None
    assert edits[0].text() == "Phạm Thị Dân"
    assert window.user_label.text() == "Cán bộ: Trần Thị Bình (binh)"


def test_the_session_watches_idle_time_from_the_policy(signed_in_window, ctx):
    session = signed_in_window.session
    assert session.watch is None  # the fixture's desk locks never (idle_minutes 0)
    ctx.idle_minutes = 10
    session.signed_in(ctx.officer)
    assert session.watch is not None and session.watch.idle_ms == 600_000
    session.stop()


def test_an_admin_adds_an_account_in_the_dialog(qtbot, qtmodeltester, ctx, desk):
    from desk_app.gui.accounts_dialog import AccountsDialog

    staff(desk)
    desk.sign_in(rows.find(desk.store, "quantri").officer)
    dialog = AccountsDialog(ctx.runner, desk)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert [r.officer.username for r in dialog.model.rows] == ["binh", "quantri"]
    dialog.username.setText("cuong")
    dialog.full_name.setText("Đặng Văn Cường")
    dialog.roles[Role.LEADER].setChecked(True)
    dialog.password.setText("cuong-2026")
    dialog.again.setText("khac-han")
    dialog.add()
    assert dialog.message.text() == "Hai lần nhập mật khẩu không khớp."
    dialog.again.setText("cuong-2026")
    dialog.add()
    assert dialog.message.text() == "Đã thêm tài khoản cuong."
    assert [r.officer.username for r in dialog.model.rows] == ["binh", "cuong", "quantri"]
    qtmodeltester.check(dialog.model)
    dialog.table.selectRow(0)
    dialog.toggle_active()
    assert not rows.find(desk.store, "binh").officer.active


def test_the_first_account_made_in_the_window_asks_for_a_sign_in(qtbot, ctx, desk):
    from desk_app.gui.accounts_dialog import AccountsDialog

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    assert win.session.actions["accounts"].isEnabled()  # the set-up administrator makes the first account
    dialog = win.session.manage_accounts()
    assert isinstance(dialog, AccountsDialog)
    dialog.username.setText("quantri")
    dialog.full_name.setText("Nguyễn Văn Quản")
    dialog.roles[Role.ADMIN].setChecked(True)
    dialog.password.setText("quantri-2026")
    dialog.again.setText("quantri-2026")
    dialog.add()
    sign_in = [w for w in QApplication.topLevelWidgets() if isinstance(w, SignInDialog) and w.isVisible()]
    assert len(sign_in) == 1 and sign_in[0].username.text() == "quantri"
    sign_in[0].password.setText("quantri-2026")
    sign_in[0].submit()
    assert win.user_label.text() == "Cán bộ: Nguyễn Văn Quản (quantri)"


def test_the_audit_view_filters_checks_the_chain_and_exports(qtbot, qtmodeltester, ctx, desk, tmp_path):
    from desk_app.gui.audit_view import AuditDialog
    from desk_app.services.reception import ReceptionRequest, receive

    code = receive(desk, ReceptionRequest(procedure_code="2.000815", name="Nguyễn Văn An", pages=3)).dossier.code
    desk.view_dossier(code)
    target = tmp_path / "nhat-ky.csv"
    dialog = AuditDialog(ctx.runner, desk, ask_path=lambda parent, suggested: target)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 5 and dialog.model.data(dialog.model.index(0, 4)) == "dossier.view"
    dialog.action.setText("dossier.")
    dialog.refresh()
    assert [e.action for e in dialog.model.rows] == ["dossier.view", "dossier.receive"]
    dialog.since.setText("31/02/2026")
    dialog.refresh()
    assert "31/02/2026" in dialog.status.text()  # an impossible day is said so, in Vietnamese
    dialog.since.setText("23/11/2026")
    dialog.verify()
    assert dialog.status.text().startswith("Nhật ký nguyên vẹn")
    dialog.export()
    assert dialog.status.text() == f"Đã xuất 2 mục vào {target}."
    assert "dossier.receive" in target.read_text(encoding="utf-8-sig")


def test_the_audit_menu_is_an_administrators(signed_in_window):
    assert not signed_in_window.session.actions["audit"].isEnabled()
