"""The window's words for database failures are the store's: a damaged file names its backups."""

import sqlite3

import pytest

from desk_app.gui.errors import describe
from desk_app.store.connection import StoreError, connect


def test_a_damaged_database_at_start_names_the_backups_and_the_restore_command(tmp_path):
    path = tmp_path / "desk.sqlite3"
    connect(path).close()
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "desk-20261122.sqlite3").write_bytes(b"")
    with path.open("r+b") as f:
        f.seek(100)
        f.write(b"\xff" * 3996)
    with pytest.raises(StoreError) as err:
        connect(path)
    text = describe(err.value)
    assert "bị hỏng" in text and str(tmp_path / "backups") in text
    assert f'desk-app --db "{path}" restore "{tmp_path / "backups" / "desk-20261122.sqlite3"}"' in text


@pytest.mark.parametrize("error, words", [
    (sqlite3.DatabaseError("database disk image is malformed"), "desk-app restore"),
    (sqlite3.OperationalError("database is locked"), "chương trình khác khóa"),
    (sqlite3.OperationalError("database or disk is full"), "đầy"),
])
def test_raw_sqlite_errors_met_while_reading_are_explained(error, words):
    text = describe(error)
    assert words in text and "Lỗi không mong đợi" not in text
