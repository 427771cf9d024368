"""Opening to read writes nothing: no file, no folder, no migration, no -wal/-shm left behind."""

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest

from desk_app.store import connection
from desk_app.store.connection import StoreError
from desk_app.store.migrations import desk_migrations
from desk_app.store.store import Store
from tests.store.test_database_errors import _desk_file

FIXTURES = Path(__file__).parent / "fixtures"


def _fingerprint(folder):
    """Every file in the folder with its bytes and modification time."""
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir())}


def test_a_missing_database_is_not_created(tmp_path):
    path = tmp_path / "nowhere" / "desk.sqlite3"
    with pytest.raises(StoreError) as err:
        Store.open(path, read_only=True)
    assert err.value.code == "missing_database"
    assert not (tmp_path / "nowhere").exists()


def test_reading_leaves_the_folder_exactly_as_it_was(tmp_path, clock):
    path = _desk_file(tmp_path, clock)
    before = _fingerprint(tmp_path)
    store = Store.open(path, read_only=True)
    assert [d.applicant.name for d in store.dossiers.search("nguyen van an")] == ["Nguyễn Văn An"]
    store.close()
    assert _fingerprint(tmp_path) == before  # no -wal, no -shm, same bytes, same mtime


def test_a_write_protected_folder_can_be_read(tmp_path, clock):
    """chmod'ed folder and file. As root the permissions do not bind (root may write anyway), so
    the test holds for both: whatever the user, reading changes nothing and leaves nothing."""
    folder = tmp_path / "usb"
    folder.mkdir()
    path = _desk_file(folder, clock)
    before = _fingerprint(folder)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    try:
        store = Store.open(path, read_only=True)
        assert store.dossiers.count() == 1
        store.close()
        assert _fingerprint(folder) == before
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_a_medium_nobody_can_write_is_opened_immutable(tmp_path, clock, monkeypatch):
    """The branch a non-root user takes on a write-protected stick, forced here for root too."""
    path = _desk_file(tmp_path, clock)
    before = _fingerprint(tmp_path)
    monkeypatch.setattr(connection.os, "access", lambda p, mode: False)
    store = Store.open(path, read_only=True)
    assert store.dossiers.count() == 1
    store.close()
    # Without immutable, SQLite would have created -wal/-shm that nobody could tidy away.
    assert _fingerprint(tmp_path) == before


def test_an_older_schema_is_read_through_a_migrated_copy_and_the_file_is_untouched(tmp_path):
    name = sorted(FIXTURES.glob("desk-*.sqlite3"))[0].name
    path = tmp_path / name
    shutil.copy(FIXTURES / name, path)
    before = _fingerprint(tmp_path)
    store = Store.open(path, read_only=True)
    assert [d.applicant.name for d in store.dossiers.search("dang thi hoa")] == ["Đặng Thị Hoà"]
    assert not desk_migrations.pending(store.db)
    store.close()
    assert _fingerprint(tmp_path) == before  # the file keeps its old schema: nothing migrated in it


def test_opening_to_write_writes_nothing_when_the_schema_is_current(tmp_path, clock):
    path = _desk_file(tmp_path, clock)
    mtime = os.stat(path).st_mtime_ns
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    Store.open(path).close()
    assert os.stat(path).st_mtime_ns == mtime
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
