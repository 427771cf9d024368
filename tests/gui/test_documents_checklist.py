"""The papers checklist: a long name wraps instead of widening the form, a click on it ticks the
box, and an unticked mandatory paper is flagged on its own row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desk_app.domain.catalogue import DocForm, RequiredDocument
from desk_app.gui.documents_checklist import DocumentsChecklist

LONG = ("Giấy chứng sinh (hoặc văn bản người làm chứng / giấy cam đoan về việc sinh / biên bản trẻ bị bỏ rơi / "
        "văn bản chứng minh mang thai hộ)")
PAPERS = (RequiredDocument(LONG, DocForm.ORIGINAL), RequiredDocument("Tờ khai (mẫu)", DocForm.ORIGINAL),
          RequiredDocument("Giấy chứng nhận kết hôn", DocForm.PRESENTED, mandatory=False))


@pytest.fixture
def checklist(qtbot):
    widget = DocumentsChecklist()
    qtbot.addWidget(widget)
    widget.set_documents(PAPERS)
    widget.resize(520, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_long_paper_name_wraps_within_a_narrow_form(checklist):
    name = checklist.names[0]
    assert checklist.minimumSizeHint().width() < 520
    assert name.width() + name.x() <= checklist.width()
    assert name.height() > 2 * name.fontMetrics().height()  # wrapped onto several lines, none cut off
    assert checklist.rows[0][1].accessibleName() == LONG  # the tick box still says which paper it is


def test_a_click_on_the_name_ticks_the_box(checklist, qtbot):
    box = checklist.rows[2][1]
    assert not box.isChecked()
    qtbot.mouseClick(checklist.names[2], Qt.MouseButton.LeftButton)
    assert box.isChecked()
    qtbot.mouseClick(checklist.names[2], Qt.MouseButton.LeftButton)
    assert not box.isChecked()


def test_missing_mandatory_papers_are_flagged_on_their_rows_until_ticked(checklist):
    checklist.rows[1][1].setChecked(False)
    checklist.rows[2][1].setChecked(False)  # optional: never flagged
    checklist.mark_missing()
    assert checklist.names[1].text() == "⚠ Tờ khai (mẫu)"
    assert checklist.names[0].text() == LONG and checklist.names[2].text().startswith("Giấy chứng nhận kết hôn")
    checklist.rows[1][1].setChecked(True)
    assert checklist.names[1].text() == "Tờ khai (mẫu)"
    assert checklist.missing() == []
