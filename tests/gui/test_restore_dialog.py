"""Khôi phục từ bản sao lưu in the window: from the Quầy menu (an administrator), and from the
message a damaged database shows at start. Both run the service of `desk-app restore`, then the
window starts again on the restored data (its sign-in first)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from desk_app.paths import daily_backups
from desk_app.gui.app import Launcher, Options
from desk_app.gui.restore_dialog import RestoreDialog
from desk_app.gui.sign_in import SignInDialog
from desk_app.gui.tasks import TaskRunner
from desk_app.services.backup import backup_to
from desk_app.services.desk import Desk
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store.store import Store
from tests.staff import ADMIN, ADMIN_PASSWORD, CLERK, CLERK_PASSWORD, sign_in, staff

SHOTS = os.environ.get("DESK_APP_SHOTS")  # a folder: the dialogs are saved there as PNG to look at


def _desk_with_a_backup(folder: Path) -> tuple[Path, Path]:
    """A staffed desk with two dossiers in its backup and a third received after it."""
    database = folder / "desk.sqlite3"
    desk = Desk(Store.open(database), actor="setup")
    desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49",
                    desk_no=1)
    staff(desk)
    sign_in(desk, CLERK)
    for name in ("Đặng Thị Hoà", "Trần Văn Bình"):
        receive(desk, ReceptionRequest(procedure_code="1.004837", name=name))
    sign_in(desk, ADMIN)
    backup = backup_to(desk, folder / "backups" / "desk-20261123.sqlite3").path
    sign_in(desk, CLERK)
    receive(desk, ReceptionRequest(procedure_code="1.004837", name="Lê Thị Sau"))
    desk.store.close()
    return database, backup


def _other_desk_backup(folder: Path) -> Path:
    desk = Desk(Store.open(folder / "desk.sqlite3"), actor="setup")
    desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.22.44.H50",
                    desk_no=2)
    made = backup_to(desk, folder / "usb" / "other.sqlite3").path
    desk.store.close()
    return made


def _count(database: Path) -> int:
    store = Store.open(database, read_only=True)
    try:
        return store.dossiers.count()
    finally:
        store.close()


def _shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / name))


@pytest.fixture
def launch(qapp, monkeypatch, tmp_path):
    monkeypatch.setenv("DESK_APP_HOME", str(tmp_path / "home"))
    launchers = []

    def start(database):
        launcher = Launcher(qapp, TaskRunner(), Options(demo=False, db=database))
        launchers.append(launcher)
        launcher.start()
        return launcher

    yield start
    for launcher in launchers:
        if launcher.window is not None:
            launcher.window.close()
        launcher.shutdown()


def _sign_in(qtbot, launcher, username: str, password: str) -> None:
    qtbot.waitUntil(lambda: isinstance(launcher.sign_in, SignInDialog), timeout=30_000)
    dialog = launcher.sign_in
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.submit()
    qtbot.waitUntil(launcher.window.tabs.isEnabled, timeout=30_000)


def _restore_dialog() -> RestoreDialog:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, RestoreDialog) and w.isVisible()]
    assert len(found) == 1
    return found[0]


def test_the_menu_restores_a_backup_and_the_window_starts_again_on_it(launch, qtbot, tmp_path):
    database, backup = _desk_with_a_backup(tmp_path)
    launcher = launch(database)
    _sign_in(qtbot, launcher, CLERK, CLERK_PASSWORD)
    assert not launcher.window.session.actions["restore"].isEnabled()  # a receptionist restores nothing
    launcher.window.close()
    launcher.shutdown()

    launcher = launch(database)
    _sign_in(qtbot, launcher, ADMIN, ADMIN_PASSWORD)
    old = launcher.window
    # The daily backup starts once the window is usable (off the start path): wait for it, as the
    # list below expects it.
    qtbot.waitUntil(lambda: len(daily_backups(database)) == 2, timeout=30_000)
    action = old.session.actions["restore"]
    assert action.isEnabled() and action.text() == "Khôi &phục từ bản sao lưu…"
    action.trigger()
    dialog = _restore_dialog()
    # Today's daily backup (made when the window opened, 3 dossiers) first, then the older one.
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=30_000)
    rows = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(2)]
    assert [r[2:] for r in rows] == [["3", "Quầy 1 · 000.21.33.H49"], ["2", "Quầy 1 · 000.21.33.H49"]]
    assert all(r[1].endswith("KB") for r in rows) and dialog.table.item(1, 0).toolTip() == str(backup)
    dialog.table.selectRow(1)
    assert dialog.restore_button.isEnabled() and not dialog.credentials.isVisible()
    assert "quầy số 1 của đơn vị 000.21.33.H49" in dialog.message.text()
    _shot(dialog, "restore-menu.png")

    other = _other_desk_backup(tmp_path / "other")  # "Chọn tệp khác…": a USB copy of another desk
    dialog.add_path(other)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=30_000)
    assert dialog.table.item(2, 3).text() == "Quầy 2 · 000.22.44.H50"
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Không khôi phục được: Bản sao lưu"), timeout=30_000)
    assert "quầy số 2 của đơn vị 000.22.44.H50" in dialog.message.text()
    assert launcher.window is old and _count(database) == 3  # refused before anything closed: the desk works
    dialog.table.selectRow(1)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: launcher.window is not old, timeout=30_000)
    _sign_in(qtbot, launcher, ADMIN, ADMIN_PASSWORD)  # the restored database's own accounts
    assert _count(database) == 2  # the backup's two dossiers, the third only in the kept file
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("desk.sqlite3.replaced-") and "-" not in p.suffix[-4:]]
    assert len(kept) == 1 and _count(kept[0]) == 3
    qtbot.waitUntil(lambda: launcher.restored_box is not None and launcher.restored_box.isVisible(), timeout=10_000)
    text = launcher.restored_box.text()
    assert "Đã khôi phục 2 hồ sơ của quầy số 1 của đơn vị 000.21.33.H49" in text and str(kept[0]) in text


def test_the_damaged_database_message_offers_the_restore_directly(launch, qtbot, tmp_path):
    database, backup = _desk_with_a_backup(tmp_path)
    with database.open("r+b") as f:  # the schema page destroyed: the file cannot be opened
        f.seek(100)
        f.write(b"\xff" * 3996)
    launcher = launch(database)
    qtbot.waitUntil(lambda: launcher.damaged is not None and launcher.damaged.isVisible(), timeout=30_000)
    box = launcher.damaged
    assert "bị hỏng" in box.text()
    _shot(box, "restore-damaged-message.png")
    button = next(b for b in box.buttons() if b.objectName() == "damagedRestoreButton")
    button.click()
    dialog = _restore_dialog()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1 and dialog.credentials.isVisible(), timeout=30_000)
    assert dialog.table.item(0, 2).text() == "2"
    dialog.username.setText(ADMIN)
    dialog.password.setText("not-the-password")
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Không khôi phục được"), timeout=30_000)
    assert database.read_bytes()[100:104] == b"\xff" * 4  # refused: nothing changed
    dialog.username.setText(ADMIN)
    dialog.password.setText(ADMIN_PASSWORD)
    _shot(dialog, "restore-damaged-dialog.png")
    old = launcher.window
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: launcher.window is not old, timeout=30_000)
    _sign_in(qtbot, launcher, CLERK, CLERK_PASSWORD)
    assert _count(database) == 2
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("desk.sqlite3.damaged-")]) >= 1
    assert launcher.exit_code == 0
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.objectName() ==
                "restoreDialog" and w.isVisible()]
