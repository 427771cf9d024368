"""Start-up with the real background worker: the demo commune, and a first run that needs setup."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desk_app.gui.app import Launcher, Options, parse_args
from desk_app.gui.main_window import MainWindow
from desk_app.gui.setup_dialog import SetupDialog
from desk_app.gui.tasks import TaskRunner


@pytest.fixture
def launch(qapp, monkeypatch, tmp_path):
    monkeypatch.setenv("DESK_APP_HOME", str(tmp_path / "real-home"))
    launchers = []

    def start(options):
        launcher = Launcher(qapp, TaskRunner(), options)
        launchers.append(launcher)
        launcher.start()
        return launcher

    yield start
    for launcher in launchers:
        if launcher.window is not None:
            launcher.window.close()
        launcher.shutdown()


def test_arguments():
    assert parse_args([]) == Options(demo=False, db=None)
    assert parse_args(["--demo"]).demo is True
    assert str(parse_args(["--db", "x.sqlite3"]).db) == "x.sqlite3"


def test_demo_starts_with_thousands_of_dossiers_and_never_touches_the_real_database(launch, qtbot, tmp_path):
    launcher = launch(Options(demo=True, db=None))
    window = launcher.window
    assert isinstance(window, MainWindow) and not window.tabs.isEnabled()  # painted before the desk opens
    qtbot.waitUntil(window.tabs.isEnabled, timeout=120_000)
    assert "DỮ LIỆU MẪU" in window.windowTitle()
    assert window.ctx.profile.commune == "Xã Tân Phú (DEMO)"
    qtbot.waitUntil(lambda: window.ledger.model.rowCount() >= 2000, timeout=30_000)
    qtbot.waitUntil(lambda: window.ledger.model.row_at(0) is not None, timeout=30_000)
    assert window.ledger.count_label.text().endswith("hồ sơ")
    assert str(window.ctx.database).startswith(launcher.temp.name)
    assert not (tmp_path / "real-home").exists()


def test_an_unconfigured_database_opens_the_setup_dialog_first(launch, qtbot, tmp_path):
    launcher = launch(Options(demo=False, db=tmp_path / "new" / "desk.sqlite3"))
    qtbot.waitUntil(lambda: isinstance(launcher.setup, SetupDialog), timeout=30_000)
    dialog = launcher.setup
    dialog.commune.setText("Phường Ba Đình")
    dialog.authority.setText("Ủy ban nhân dân phường Ba Đình")
    dialog.unit_code.setText("000.00.01.H01")
    dialog.submit()
    qtbot.waitUntil(launcher.window.tabs.isEnabled, timeout=30_000)
    assert launcher.window.place_label.text().startswith("Phường Ba Đình · Quầy số 1")
    # A real database gets its verified daily backup beside it, on the worker.
    backups = tmp_path / "new" / "backups"
    qtbot.waitUntil(lambda: len(list(backups.glob("desk-*.sqlite3"))) == 1, timeout=30_000)


def test_first_run_alt_d_opens_the_demo_instead_and_leaves_the_real_database_unconfigured(launch, qtbot, tmp_path,
                                                                                          monkeypatch):
    import desk_app.gui.app as app_module
    from desk_app.services.desk import Desk
    from desk_app.store.store import Store
    from tests.gui.keys import press

    monkeypatch.setattr(app_module, "DEMO_DOSSIERS", 40)  # the path is the same as --demo's, only smaller
    real = tmp_path / "first" / "desk.sqlite3"
    launcher = launch(Options(demo=False, db=real))
    qtbot.waitUntil(lambda: isinstance(launcher.setup, SetupDialog), timeout=30_000)
    dialog = launcher.setup
    assert dialog.demo.isVisible()
    dialog.activateWindow()
    dialog.commune.setFocus()
    qtbot.waitUntil(lambda: dialog.commune.hasFocus())
    press(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier, widget=dialog.commune)
    window = launcher.window
    qtbot.waitUntil(window.tabs.isEnabled, timeout=60_000)
    assert "DỮ LIỆU MẪU" in window.windowTitle()
    assert window.ctx.profile.commune == "Xã Tân Phú (DEMO)"
    assert str(window.ctx.database).startswith(launcher.temp.name)
    qtbot.waitUntil(lambda: window.ledger.model.rowCount() >= 40, timeout=30_000)
    assert not (real.parent / "backups").exists()  # a demo gets no daily backup
    store = Store.open(real)
    try:
        assert not Desk(store).configured  # the real desk is still to be set up next time
    finally:
        store.close()
