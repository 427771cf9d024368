"""Each database failure is built for real and must say what happened and what to do."""

import contextlib
import sqlite3
import threading
import time

import pytest

from desk_app.services.desk import Desk
from desk_app.services.reception import receive
from desk_app.store.connection import StoreError, classify, connect
from desk_app.store.store import Store
from tests.services.test_reception import simple_request


def _desk_file(tmp_path, clock, name="desk.sqlite3"):
    path = tmp_path / name
    store = Store.open(path)
    desk = Desk(store, clock=clock, actor="tester")
    desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49",
                    desk_no=1)
    receive(desk, simple_request())
    store.close()
    return path


def _page_of(path, table):
    raw = sqlite3.connect(path)
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    raw.close()
    return page_size, root


def test_a_text_file_is_not_a_database_and_the_message_says_where_backups_are(tmp_path):
    path = tmp_path / "desk.sqlite3"
    path.write_text("Danh sách hồ sơ tháng 11\n", encoding="utf-8")
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "desk-20261122.sqlite3").write_bytes(b"")
    with pytest.raises(StoreError) as err:
        connect(path)
    assert err.value.code == "not_database"
    assert "không phải là cơ sở dữ liệu" in err.value.message
    assert str(tmp_path / "backups") in err.value.message
    assert "desk-20261122.sqlite3" in err.value.message
    assert path.read_text(encoding="utf-8") == "Danh sách hồ sơ tháng 11\n"  # untouched


def test_garbage_over_the_schema_page_is_damage_with_backups_and_restore_command(tmp_path, clock):
    path = _desk_file(tmp_path, clock)
    with path.open("r+b") as f:  # keep the 100-byte header, destroy the rest of page 1
        f.seek(100)
        f.write(b"\xff" * 3996)
    with pytest.raises(StoreError) as err:
        connect(path)
    message = err.value.message
    assert err.value.code == "corrupt"
    assert "bị hỏng" in message and str(tmp_path / "backups") in message
    assert f'desk-app --db "{path}" restore' in message


def test_garbage_over_a_data_page_is_found_when_read_and_classified_as_damage(tmp_path, clock):
    path = _desk_file(tmp_path, clock)
    page_size, root = _page_of(path, "dossiers")
    with path.open("r+b") as f:
        f.seek(page_size * (root - 1))
        f.write(b"\xa5" * page_size)
    store = Store.open(path)  # the schema is intact: opening works
    with pytest.raises(sqlite3.DatabaseError) as raw:
        store.dossiers.search("nguyen van an")
    store.close()
    error = classify(raw.value, path)
    assert error.code == "corrupt" and "desk-app --db" in error.message and "restore" in error.message


def test_a_database_from_the_future_says_to_update_desk_app(tmp_path, clock):
    path = _desk_file(tmp_path, clock)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    for read_only in (False, True):
        with pytest.raises(StoreError) as err:
            Store.open(path, read_only=read_only)
        assert err.value.code == "newer_database"
        assert "cập nhật desk-app" in err.value.message


def test_disk_full_is_reported_and_nothing_is_written(tmp_path, clock):
    path = _desk_file(tmp_path, clock)
    store = Store.open(path)
    desk = Desk(store, clock=clock, actor="tester")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    # SQLite's own "database or disk is full", as from a full disk: the file may not grow.
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as err:
        for i in range(200):  # the next few receptions fit in free pages; the file must then grow
            receive(desk, simple_request(name="Trần Văn Bình"))
    assert err.value.code == "disk_full"
    assert "đầy" in err.value.message and "không có gì thay đổi" in err.value.message
    written = store.dossiers.count()
    store.close()
    reopened = Store.open(path)
    assert reopened.dossiers.count() == written == 1 + i  # the failed reception left nothing behind
    assert reopened.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened.close()


@contextlib.contextmanager
def write_lock_held(path, seconds):
    """Another program holds the write lock for ``seconds`` (from the block's start)."""
    started = threading.Event()

    def hold():
        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        raw.execute("ROLLBACK")
        raw.close()

    holder = threading.Thread(target=hold)
    holder.start()
    started.wait()
    try:
        yield
    finally:
        holder.join()


def test_a_lock_that_does_not_clear_is_reported_as_a_lock(tmp_path, clock):
    path = _desk_file(tmp_path, clock)
    store = Store.open(path, busy_timeout=0.3)
    with write_lock_held(path, 2.0), pytest.raises(StoreError) as err:
        receive(Desk(store, clock=clock, actor="tester"), simple_request())
    assert err.value.code == "locked" and "chương trình khác khóa" in err.value.message
    assert store.dossiers.count() == 1
    store.close()


def test_a_lock_that_clears_within_seconds_is_waited_for(tmp_path, clock):
    path = _desk_file(tmp_path, clock)
    store = Store.open(path)  # the default busy timeout
    with write_lock_held(path, 1.0):
        begun = time.monotonic()
        receive(Desk(store, clock=clock, actor="tester"), simple_request())
        waited = time.monotonic() - begun
    assert store.dossiers.count() == 2 and waited >= 0.5
    store.close()


def test_writing_to_a_read_only_open_says_read_only(tmp_path, clock):
    path = _desk_file(tmp_path, clock)
    store = Store.open(path, read_only=True)
    with pytest.raises(StoreError) as err:
        receive(Desk(store, clock=clock, actor="tester"), simple_request())
    store.close()
    assert err.value.code == "read_only" and "chỉ đọc" in err.value.message
