"""Unexpected errors in the window: logged to a file for the maintainer, shown in Vietnamese, never fatal."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)
_open_boxes: set[QMessageBox] = set()


class LogFile:
    """Where the log file is, once known: file logging starts after the first paint."""

    path: Path | None = None


def configure_logging(log_dir: Path) -> Path:
    """Log to the console and to a rotating file beside the desk's data (logs stay English)."""
    import logging.handlers  # here, not at import: it is not needed for the first paint

    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "desk-app.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    LogFile.path = path
    return path


def install_excepthook() -> None:
    """A bug in a slot must not close the counter: the dossier data is on disk, the form stays.

    The traceback goes to the log; the receptionist gets a short Vietnamese message.
    """

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.critical("unhandled error in the window:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        from desk_app.gui.errors import show_error  # the window's own wording

        app = QApplication.instance()
        parent = app.activeWindow() if isinstance(app, QApplication) else None
        where = f"\nChi tiết kỹ thuật đã ghi vào {LogFile.path}." if LogFile.path else ""
        box = show_error(parent, "Lỗi của phần mềm", exc,
                         lead="Đã xảy ra lỗi không mong đợi. Hồ sơ đã lưu không bị ảnh hưởng; "
                         "có thể tiếp tục làm việc." + where)
        if parent is None:  # a parentless dialog lives only as long as a Python reference to it
            _open_boxes.add(box)
            box.finished.connect(lambda _result: _open_boxes.discard(box))

    sys.excepthook = hook
