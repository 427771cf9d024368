"""Start the counter window: the application, the store worker, the desk, then the main window.

``desk-app`` (the real database), ``desk-app --db PATH`` or ``desk-app --demo`` (a throwaway
demo commune in a temporary folder; the real database is never opened). A database that is not
configured yet opens the first-run set-up, which also offers the demo (Alt+D).
"""

from __future__ import annotations

import argparse
import getpass
import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desk_app.gui import startup_probe
from desk_app.gui.crash import LogFile, configure_logging, install_excepthook
from desk_app.gui.tasks import TaskRunner

if TYPE_CHECKING:
    from tempfile import TemporaryDirectory

log = logging.getLogger(__name__)

APP_NAME = "desk-app"
DISPLAY_NAME = "Một cửa cấp xã"
# Sans families that carry every precomposed Vietnamese letter, Windows and Linux first.
PREFERRED_FAMILIES = ("Segoe UI", "Noto Sans", "Arial", "DejaVu Sans", "Liberation Sans", "Tahoma")
DEMO_DOSSIERS = 2500
DAMAGED = ("corrupt", "not_database")  # StoreError codes a restore from a backup answers
DEMO_LOADING = f"Đang tạo xã mẫu với {DEMO_DOSSIERS:,} hồ sơ…".replace(",", ".")


@dataclass(frozen=True)
class Options:
    demo: bool
    db: Path | None


@dataclass(frozen=True)
class Opened:
    """What the first worker job hands back: the desk and what the window shows at once."""

    desk: Any  # desk_app.services.desk.Desk, to be used only on the worker
    database: Path
    configured: bool
    profile: Any
    printer: str | None
    accounts: bool = False  # officers must sign in before the window opens the desk
    idle_minutes: int = 0


def parse_args(args: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="desk-app", description="Mở cửa sổ Bộ phận Một cửa.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--demo", action="store_true", help="mở xã mẫu với dữ liệu giả (không đụng dữ liệu thật)")
    group.add_argument("--db", type=Path, help="tệp cơ sở dữ liệu")
    parsed = parser.parse_args(args)
    return Options(demo=parsed.demo, db=parsed.db)


def pick_font(app: QApplication) -> QFont:
    """Sans families that cover Vietnamese, in order of preference; Qt takes the first installed.

    A family list rather than a font-database query: enumerating the installed fonts would
    cost start-up time, and Qt resolves the list when text is first drawn.
    """
    font = app.font()
    font.setFamilies([*PREFERRED_FAMILIES, font.family()])
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    return font


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setOrganizationName(APP_NAME)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    app.setFont(pick_font(app))
    return app


def open_desk(database: Path, *, demo: bool) -> Opened:
    """Worker job: open the store (migrating it) and read what the window needs first."""
    from desk_app.services.desk import Desk
    from desk_app.store.store import Store

    if demo:
        from desk_app.services.demo import create_demo_database

        create_demo_database(database, dossiers=DEMO_DOSSIERS)
    from desk_app.services import accounts

    desk = Desk(Store.open(database), actor=getpass.getuser())
    configured = desk.configured
    profile = desk.profile() if configured else None
    return Opened(desk, database, configured, profile, desk.printer(), accounts.accounts_exist(desk),
                  accounts.policy(desk).idle_minutes)


class Launcher:
    """Start-up without waiting: the window paints first, then the worker opens the desk.

    The store layer (sqlite_utils and the services) loads on the worker after the first paint,
    so the receptionist sees the window as soon as a bare Qt window would appear; it is
    enabled when the desk is attached. The GUI thread never waits on the worker.
    """

    def __init__(self, app: QApplication, runner: TaskRunner, options: Options,
                 on_ready: Callable[[QWidget], None] | None = None) -> None:
        self.app, self.runner, self.options, self.on_ready = app, runner, options, on_ready
        self.window: QWidget | None = None
        self.setup: QWidget | None = None
        self.sign_in: QWidget | None = None
        self.opened: Opened | None = None
        self.temp: TemporaryDirectory[str] | None = None
        self.exit_code = 0
        self.demo = options.demo  # also set when the first-run dialog's demo is chosen
        self._open_submitted = False
        self.probe: startup_probe.StartupProbe | None = None
        self.damaged: QMessageBox | None = None  # the damaged-database message, offering the restore
        self.restore_dialog: QWidget | None = None
        self.restored_box: QMessageBox | None = None
        self.log_to_file: Callable[[], None] | None = None  # run() sets start_file_logging

    def _start_logging(self) -> None:
        if self.log_to_file is not None:
            self.log_to_file()

    def start(self) -> None:
        from desk_app.gui.context import DeskContext
        from desk_app.gui.main_window import MainWindow

        if self.options.demo:
            self.database = self._demo_database()
        elif self.options.db is not None:
            self.database = self.options.db
        else:
            from desk_app.paths import AppPaths

            self.database = AppPaths.from_environment().database
        ctx = DeskContext(self.runner, None, None, getpass.getuser(), demo=self.options.demo, database=self.database)
        window = MainWindow(ctx)
        window.restart_requested.connect(self.restart)
        if self.options.demo:
            window.set_loading(DEMO_LOADING)
        self.window = window
        if startup_probe.wanted():
            self.probe = startup_probe.StartupProbe(window)
        window.first_painted.connect(lambda: QTimer.singleShot(0, self._open))
        window.ready_painted.connect(self._start_logging)
        QTimer.singleShot(500, self._open)  # should nothing ever be painted (a minimised start)
        window.fit_to(window.screen().availableGeometry())
        window.show()

    def _demo_database(self) -> Path:
        import tempfile  # only the demo needs it: kept off the start-up path

        self.temp = tempfile.TemporaryDirectory(prefix="desk-app-demo-")
        return Path(self.temp.name) / "demo.sqlite3"

    def _open(self) -> None:
        if self._open_submitted:
            return
        self._open_submitted = True
        database, demo = self.database, self.demo
        self.runner.submit(lambda: open_desk(database, demo=demo), self._on_opened, self._on_failed)

    def _on_setup_demo_requested(self) -> None:
        """First run, "Dùng thử với dữ liệu mẫu": the real database (just created, not configured)
        is closed untouched and the window opens the throwaway demo commune, as ``--demo`` does."""
        assert self.window is not None and self.opened is not None
        self.runner.submit(self.opened.desk.store.close)
        self.opened, self.setup = None, None
        self.demo = True
        self.database = self._demo_database()
        ctx = self.window.ctx  # type: ignore[attr-defined]
        ctx.demo, ctx.database = True, self.database
        self.window.set_loading(DEMO_LOADING)  # type: ignore[attr-defined]
        self._open_submitted = False
        self._open()

    def _on_failed(self, exc: BaseException) -> None:
        from desk_app.gui.errors import describe

        self._start_logging()
        log.error("the desk database did not open: %r", exc)
        text = "Không mở được cơ sở dữ liệu của quầy.\n\n" + describe(exc)
        if getattr(exc, "code", None) in DAMAGED and not self.demo:
            self.damaged = self._offer_restore(text + "\n\nHoặc khôi phục ngay tại đây: bấm «Khôi phục từ bản sao lưu…».")
            return
        QMessageBox.critical(self.window, DISPLAY_NAME, text)
        self._quit_failed()

    def _quit_failed(self) -> None:
        self.exit_code = 3
        self.app.quit()

    def _offer_restore(self, text: str) -> QMessageBox:
        """The damaged database at start: the message offers the restore directly (else: quit)."""
        box = QMessageBox(QMessageBox.Icon.Critical, DISPLAY_NAME, text, QMessageBox.StandardButton.NoButton,
                          self.window)
        box.setObjectName("damagedBox")
        restore = box.addButton("&Khôi phục từ bản sao lưu…", QMessageBox.ButtonRole.AcceptRole)
        restore.setObjectName("damagedRestoreButton")
        box.addButton("&Thoát", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)

        def answered(button: object) -> None:
            if button is restore:
                self.restore_dialog = self._damaged_restore_dialog()
            else:
                self._quit_failed()

        box.buttonClicked.connect(answered)
        box.open()
        return box

    def _damaged_restore_dialog(self) -> QWidget:
        from desk_app.gui.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self.runner, self.database, parent=self.window)
        dialog.restored.connect(self.restart)
        dialog.rejected.connect(self._quit_failed)
        dialog.open()
        return dialog

    def restart(self, made: Any) -> None:
        """A backup was restored: the desk view starts again on the restored data (a new window,
        the desk opened again, its sign-in first when it has accounts); the old one closes after,
        so the application never runs out of windows."""
        old = self.window
        if self.opened is not None:
            self.runner.submit(self.opened.desk.store.close)  # already closed by a restore: harmless
        self.opened, self.setup, self.sign_in = None, None, None
        self._open_submitted = False
        self.start()
        if old is not None:
            old.close()
            old.deleteLater()
        if made is not None:
            from desk_app.services.backup import restored_text

            box = QMessageBox(QMessageBox.Icon.Information, DISPLAY_NAME, restored_text(made),
                              QMessageBox.StandardButton.Ok, self.window)
            box.setObjectName("restoredBox")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            self.restored_box = box

    def _on_opened(self, opened: Opened) -> None:
        self.opened = opened
        assert self.window is not None
        if opened.accounts or not opened.configured:
            self._start_logging()  # a dialog comes before the ready paint
        ctx = self.window.ctx  # type: ignore[attr-defined]
        ctx.accounts, ctx.idle_minutes = opened.accounts, opened.idle_minutes
        if opened.configured and opened.accounts:
            # Nothing of the desk shows before an officer signs in; Thoát (Esc) quits.
            ctx.desk = opened.desk
            self.sign_in = self.window.session.sign_in_dialog()  # type: ignore[attr-defined]
            self.sign_in.signed_in.connect(lambda _officer: self._attach(opened.profile, opened.printer))
            self.sign_in.rejected.connect(self.app.quit)
            return
        if opened.configured:
            self._attach(opened.profile, opened.printer)
            return
        from desk_app.gui.setup_dialog import SetupDialog

        dialog = SetupDialog(self.runner, opened.desk, offer_demo=not self.demo, parent=self.window)
        dialog.configured.connect(lambda result: self._attach(result.profile, result.printer))
        dialog.demo_requested.connect(self._on_setup_demo_requested)
        dialog.rejected.connect(self.app.quit)
        dialog.open()
        self.setup = dialog

    def _attach(self, profile: Any, printer: str | None) -> None:
        assert self.opened is not None and self.window is not None
        if not self.demo:  # a copy of the file: after the window shows itself usable
            self.window.ready_painted.connect(self._daily_backup)  # type: ignore[attr-defined]
        self.window.attach(self.opened.desk, profile, printer)  # type: ignore[attr-defined]
        if self.on_ready is not None:
            self.on_ready(self.window)

    def shutdown(self) -> None:
        """Pending saves finish before the store closes and the worker ends; the sync threads
        stop first (quitting does not close the window, so its close event may never come)."""
        sync = getattr(self.window, "sync", None)
        if sync is not None:
            sync.stop()
        if self.opened is not None:
            self.runner.submit(self.opened.desk.store.close)
        self.runner.stop()
        if self.temp is not None:
            self.temp.cleanup()


    def _daily_backup(self) -> None:
        """Once a day, a verified copy beside the database (backups/), on the worker."""
        assert self.opened is not None
        from desk_app.paths import backups_folder

        desk, folder = self.opened.desk, backups_folder(self.opened.database)

        def job() -> Any:
            from desk_app.services.backup import daily_backup

            return daily_backup(desk, folder)

        def done(made: Any) -> None:
            if made is not None and self.window is not None:
                self.window.statusBar().showMessage(  # type: ignore[attr-defined]
                    f"Đã sao lưu tự động {made.dossiers} hồ sơ vào {made.path}", 8000)

        def failed(exc: BaseException) -> None:
            log.warning("daily backup failed: %r", exc)
            if self.window is not None:
                self.window.statusBar().showMessage(  # type: ignore[attr-defined]
                    "⚠ Sao lưu tự động hằng ngày không thành công; hãy sao lưu bằng menu Quầy.", 15000)

        self.runner.submit(job, done, failed)


def start_file_logging() -> None:
    """Once: at the ready paint, or sooner when the start stops short of it (a failure, the set-up,
    the sign-in), so the log file costs the start nothing."""
    from desk_app.paths import AppPaths

    if LogFile.path is not None:
        return

    try:
        configure_logging(AppPaths.from_environment().home / "logs")
    except OSError as exc:  # a read-only profile must not stop the counter
        log.warning("no log file: %s", exc)


def run(args: list[str], *, on_ready: Callable[[QWidget], None] | None = None) -> int:
    """Open the counter window; returns the exit code. ``on_ready`` gets the main window once shown."""
    options = parse_args(args)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = make_application()
    install_excepthook()
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)
    runner = TaskRunner()
    launcher = Launcher(app, runner, options, on_ready)
    launcher.log_to_file = start_file_logging
    app.aboutToQuit.connect(launcher.shutdown)
    # Ctrl+C or a shutdown's SIGTERM quit through Qt, so pending saves finish and a demo's
    # temporary folder is removed; the timer lets Python run its signal handlers.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: app.quit())
    ticker = QTimer(interval=300, timeout=lambda: None)
    ticker.start()
    launcher.start()
    code = app.exec()
    ticker.stop()
    return launcher.exit_code or code
