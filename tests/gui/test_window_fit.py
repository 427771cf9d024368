"""The window fits the counter screen: every catalogue procedure at 1366×768 and 1280×720, and at
125 % scaling on 1366×768, with every warning showing, lays out without a scroll bar and with
every field and its message inside the window; the procedure list keeps each code and time limit
whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea, QStyleOptionViewItem, QWidget

from desk_app.gui.main_window import DEFAULT_SIZE, MainWindow
from desk_app.gui.procedure_picker import time_limit
from tests.gui.keys import press, type_keys

CATALOGUE = Path(__file__).resolve().parents[2] / "resources" / "catalogue" / "catalogue.json"
# At 125 % scaling (QT_SCALE_FACTOR=1.25) a 1366×768 screen is 1093×614 logical pixels. Qt reads the
# factor once, when the application starts, so that case runs in a child pytest started with it.
SCALED = os.environ.get("QT_SCALE_FACTOR") == "1.25"
SCREENS = [(1093, 614)] if SCALED else [(1366, 768), (1280, 720)]
# What a hurried receptionist may type: each applicant field gets a message, two of them long.
BAD_APPLICANT = {"name": "Nguyễn 123", "id_number": "12345", "birth_date": "31/02/1990", "phone": "12345",
                 "address": "Thôn Đông " * 30, "email": "x@"}


def catalogue_codes() -> list[str]:
    return [p["code"] for p in json.loads(CATALOGUE.read_text(encoding="utf-8"))["procedures"]]


@pytest.fixture
def window(qtbot, ctx):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def settle(qtbot):
    qtbot.wait(20)  # layouts run and the previous procedure's rows are deleted in the event loop


def choose(form, code, qtbot):
    form.focus_picker()
    type_keys(code)
    press(Qt.Key.Key_Return)
    assert form.procedure is not None and form.procedure.code == code
    qtbot.waitUntil(lambda: all(w.isVisible() for w in form.documents.focus_widgets()))  # shown by the event loop


def show_every_warning(form, qtbot):
    """Bad values in every applicant field, every mandatory paper unticked, then Ctrl+S (refused)."""
    for field, text in BAD_APPLICANT.items():
        widget = form.applicant.widgets[field]
        widget.setFocus()
        type_keys(text)
    for document, box, _, _ in form.documents.rows:
        if document.mandatory:
            box.setFocus()
            press(Qt.Key.Key_Space)
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)


def fully_shown(widget: QWidget, window: QWidget) -> bool:
    """Inside the window and not clipped by a scroll area's viewport or anything else."""
    inside = window.rect().contains(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()))
    return inside and widget.visibleRegion().boundingRect() == widget.rect()


def fields_and_messages(form) -> dict[str, QWidget]:
    shown = {f"applicant {name}": w for name, w in form.applicant.widgets.items()}
    shown |= {f"message {name}": label for name, label in form.applicant.messages.items() if label.text()}
    for row, (box, form_box, count) in enumerate(zip(*[iter(form.documents.focus_widgets())] * 3, strict=True)):
        shown |= {f"paper {row} tick": box, f"paper {row} form": form_box, f"paper {row} count": count,
                  f"paper {row} name": form.documents.names[row]}
    shown |= {f"reception {w.__class__.__name__} {i}": w for i, (_, w) in enumerate(form._fields) if form.row_shown(w)}
    shown |= {"procedure search": form.picker.search, "procedure list": form.picker.list,
              "missing papers": form.missing_label, "guide button": form.guide_button,
              "fee": form.fee_label, "due": form.due_label, "result": form.result_label,
              "save": form.save_button, "new": form.new_button}
    return shown


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_every_procedure_fits_with_every_warning_showing(window, desk, qtbot, width, height):
    window.resize(width, height)
    settle(qtbot)
    form = window.form
    codes = catalogue_codes()
    assert sorted(p.code for p in desk.procedures()) == sorted(codes)  # the desk shows the shipped catalogue
    problems = []
    for code in codes:
        form.new()
        choose(form, code, qtbot)
        show_every_warning(form, qtbot)
        assert form.missing_label.text().startswith("⚠ Thiếu giấy tờ bắt buộc")
        assert all(form.applicant.messages[f].text().startswith("⚠") for f in BAD_APPLICANT)
        assert window.size().width() == width and window.size().height() == height
        for area in form.findChildren(QAbstractScrollArea):
            bar = area.horizontalScrollBar()
            if area.isVisible() and (bar.isVisible() or (isinstance(area, QScrollArea) and bar.maximum() > 0)):
                problems.append(f"{code}: horizontal scroll bar in {area.__class__.__name__}")
            if area.isVisible() and isinstance(area, QScrollArea) and area.verticalScrollBar().maximum() > 0:
                problems.append(f"{code}: the form scrolls vertically")
        for name, widget in fields_and_messages(form).items():
            if not widget.isVisible():
                problems.append(f"{code}: {name} hidden")
            elif not fully_shown(widget, window):
                problems.append(f"{code}: {name} outside the window or cut off")
    assert problems == []


def test_every_procedure_fits_at_125_percent_on_1366x768():
    if SCALED:  # this is the child: its own cases above are the check
        from PySide6.QtWidgets import QApplication

        assert QApplication.instance().devicePixelRatio() == 1.25  # type: ignore[union-attr]
        return
    env = {**os.environ, "QT_SCALE_FACTOR": "1.25", "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__, "-k", "not small_screen"],
        env=env, capture_output=True, text=True, timeout=900)
    assert child.returncode == 0, child.stdout[-6000:]
    assert "\n3 passed" in child.stdout, child.stdout[-2000:]  # both 1093×614 cases and this one, really run


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_the_procedure_list_keeps_each_code_and_time_limit_whole(window, qtbot, width, height):
    window.resize(width, height)
    settle(qtbot)
    picker = window.form.picker
    view, delegate = picker.list, picker.delegate
    metrics = view.fontMetrics()
    elided = 0
    for row in range(picker.model.rowCount()):
        index = picker.model.index(row)
        procedure = picker.model.procedure_at(row)
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.widget, option.rect = view, view.visualRect(index)
        delegate.initStyleOption(option, index)
        rect = delegate.text_rect(option)
        assert rect.right() < view.viewport().width()
        name, tail = delegate.texts(procedure, rect.width(), metrics)
        assert tail == f"{procedure.code} · {time_limit(procedure)}"
        assert metrics.horizontalAdvance(name) + delegate.GAP + metrics.horizontalAdvance(tail) <= rect.width()
        if name != procedure.name:
            elided += 1
            assert name.endswith("…") and procedure.name.startswith(name[:-1].rstrip())
    assert elided > 0  # the catalogue's long names really are shortened at this width
    assert not view.horizontalScrollBar().isVisible()


def test_a_small_screen_gets_a_maximised_window_and_a_large_one_the_default_size(qtbot, ctx):
    small = MainWindow(ctx)
    qtbot.addWidget(small)
    small.fit_to(QRect(0, 0, 1280, 720))
    assert small.windowState() & Qt.WindowState.WindowMaximized
    assert (small.width(), small.height()) == (1280, 720)
    large = MainWindow(ctx)
    qtbot.addWidget(large)
    large.fit_to(QRect(0, 0, 1920, 1040))
    assert not large.windowState() & Qt.WindowState.WindowMaximized
    assert large.size() == DEFAULT_SIZE
