"""Guard for the PySide6 pin: 6.12.0 drops a reference to None in row insertion and model reset.

On Python 3.11 (where None is not immortal) each beginInsertRows/endInsertRows or
beginResetModel/endResetModel call of 6.12.0 decrements None's reference count; a lazy table
model makes thousands of such calls and the interpreter aborts ("deallocating None"). The
project pins PySide6 below 6.12; this test must fail on an upgrade that still has the bug.
The count is checked every few hundred calls, so a leak fails the test before it can crash.
"""

import gc
import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

CALLS = 10_000
CHUNK = 500
# Other objects come and go while Qt runs; a real leak loses one reference per call.
NOISE = 200


class GrowingModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows = 0

    def rowCount(self, parent=QModelIndex()):  # noqa: B008
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent=QModelIndex()):  # noqa: B008
        return 0 if parent.isValid() else 1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return index.row() if role == Qt.ItemDataRole.DisplayRole and index.isValid() else None

    def append_row(self) -> None:
        self.beginInsertRows(QModelIndex(), self.rows, self.rows)
        self.rows += 1
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = 0
        self.endResetModel()


def _none_refs() -> int:
    gc.collect()
    return sys.getrefcount(None)


def _repeat(action, before: int, label: str) -> None:
    for done in range(0, CALLS, CHUNK):
        for _ in range(CHUNK):
            action()
        lost = before - _none_refs()
        assert lost < NOISE, f"None lost {lost} references after {done + CHUNK} {label} calls"


def test_row_insertion_and_reset_keep_none_alive(qapp):
    model = GrowingModel()
    signals = {"inserted": 0, "reset": 0}
    # Python receivers too: the bug may sit on the path that delivers the signals to Python.
    model.rowsInserted.connect(lambda *args: signals.__setitem__("inserted", signals["inserted"] + 1))
    model.modelReset.connect(lambda: signals.__setitem__("reset", signals["reset"] + 1))
    before = _none_refs()
    _repeat(model.append_row, before, "beginInsertRows/endInsertRows")
    assert model.rows == CALLS
    _repeat(model.clear, before, "beginResetModel/endResetModel")
    assert model.rows == 0
    assert signals == {"inserted": CALLS, "reset": CALLS}
    assert before - _none_refs() < NOISE
