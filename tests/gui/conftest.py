"""GUI fixtures: a desk context on a synchronous runner, and a printer that records instead of printing."""

from __future__ import annotations

import pytest

from tests.sync.conftest import enrolled, hub  # noqa: F401 - the real hub in process, for the sync window

class FakePrinterSink:
    """Stands in for the print dialog and the printer: no modal window, the PDFs are kept."""

    def __init__(self) -> None:
        self.jobs: list[dict] = []

    def print_documents(self, parent, documents, on_done, on_error, *, ask):
        self.jobs.append({"documents": list(documents), "ask": ask})
        on_done("Máy in thử")


@pytest.fixture
def sink():
    return FakePrinterSink()


@pytest.fixture
def saved_paths(tmp_path):
    """A "save as" dialog that always answers with a file in tmp_path."""
    answers = []

    def ask(parent, suggested):
        path = tmp_path / "saved" / suggested
        answers.append(path)
        return path

    ask.answers = answers
    return ask


@pytest.fixture
def ctx(desk, sink, saved_paths):
    from desk_app.gui.context import DeskContext
    from desk_app.gui.tasks import SyncRunner

    return DeskContext(SyncRunner(), desk, desk.profile(), "tester", sink=sink, ask_path=saved_paths)


@pytest.fixture
def shown_window(qtbot, ctx):
    """The counter window, shown and active (ask for the dossiers it must list first)."""
    from desk_app.gui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def form(qtbot, ctx):
    """The reception form, shown, with the keyboard in its procedure search."""
    from PySide6.QtWidgets import QApplication

    from desk_app.gui.reception_form import ReceptionForm

    widget = ReceptionForm(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    widget.focus_picker()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget.picker.search)
    return widget


# The offscreen platform cannot pass size hints on, raise a window or grab the keyboard (for a
# completer's popup), and says so; that is the test platform's limit, not the window's, so only
# these messages are let through.
OFFSCREEN_NOISE = "This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/gui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
