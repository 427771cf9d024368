"""Designer forms: the committed compiled modules match ui/*.ui, and the setup form's tab order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTimeEdit

from desk_app.gui.setup_dialog import SetupDialog
from desk_app.gui.tasks import SyncRunner
from tests.gui.keys import focused, press

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "desk_app" / "gui" / "forms"
UIC_VERSION_LINE = "## Created by: Qt User Interface Compiler version"


def _without_uic_version(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith(UIC_VERSION_LINE)]


def test_every_form_is_compiled_and_the_compiled_module_is_up_to_date(tmp_path):
    forms = sorted(p.stem for p in (ROOT / "ui").glob("*.ui"))
    assert forms, "no Designer forms in ui/"
    assert sorted(p.stem.removeprefix("ui_") for p in FORMS.glob("ui_*.py")) == forms
    uic = Path(sys.executable).with_name("pyside6-uic")  # the venv's, as the script uses by default
    env = dict(os.environ, UIC=str(uic)) if uic.exists() else dict(os.environ)
    subprocess.run(["bash", str(ROOT / "scripts" / "compile_ui.sh"), str(tmp_path)], check=True, env=env,
                   capture_output=True)
    for name in forms:
        fresh = (tmp_path / f"ui_{name}.py").read_text(encoding="utf-8")
        committed = (FORMS / f"ui_{name}.py").read_text(encoding="utf-8")
        assert _without_uic_version(committed) == _without_uic_version(fresh), (
            f"ui/{name}.ui changed without recompiling: run scripts/compile_ui.sh")


@pytest.fixture
def dialog(qtbot, desk):
    widget = SetupDialog(SyncRunner(), desk, printers=lambda: ["PDF"])
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    widget.commune.setFocus()
    qtbot.waitUntil(lambda: focused() is widget.commune)
    return widget


def test_setup_dialog_tab_order_follows_the_form(dialog):
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    fields = [dialog.commune, dialog.authority, dialog.unit_name, dialog.unit_code, dialog.desk_no, dialog.place,
              *dialog.morning, *dialog.afternoon, dialog.saturday, dialog.paper, dialog.printer, ok, cancel]

    def where():
        # A spin box or time edit keeps focus on the line edit inside it: name the field it belongs to,
        # and for a time edit the section, since Tab walks hour then minute before leaving it.
        widget = next(w for w in fields if w is focused() or w.isAncestorOf(focused()))
        section = widget.currentSection().name if isinstance(widget, QTimeEdit) else ""
        return widget.objectName() or widget.text(), section

    time_stops = [(name, section) for name in ("morning_start", "morning_end", "afternoon_start", "afternoon_end")
                  for section in ("HourSection", "MinuteSection")]
    expected = [("commune", ""), ("authority", ""), ("unit_name", ""), ("unit_code", ""), ("desk_no", ""),
                ("place", ""), *time_stops, ("saturday", ""), ("paper", ""), ("printer", ""),
                ("Lưu cài đặt", ""), ("Hủy", ""), ("commune", "")]
    reached = [where()]
    for _ in expected[1:]:
        press(Qt.Key.Key_Tab)
        reached.append(where())
    assert reached == expected
