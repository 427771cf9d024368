"""A bug in a slot is logged and shown in Vietnamese; the window survives."""

import logging
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from desk_app.gui.crash import configure_logging, install_excepthook


def test_unhandled_error_is_logged_and_shown_not_fatal(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    root = logging.getLogger()
    before = list(root.handlers)
    log_path = configure_logging(tmp_path / "logs")
    try:
        install_excepthook()
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        assert boxes, "no error dialog was shown"
        text = boxes[-1].text()
        assert "Hồ sơ đã lưu không bị ảnh hưởng" in text and str(log_path) in text
        for handler in root.handlers:
            handler.flush()
        assert "ZeroDivisionError" in log_path.read_text(encoding="utf-8")
        for box in boxes:
            box.close()
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
