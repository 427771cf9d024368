import hashlib
import sqlite3

import pytest

from desk_app.store.connection import NewerDatabaseError, StoreError, connect
from desk_app.store.migrations import desk_migrations
from desk_app.store.store import Store


def test_fresh_database_is_durable_and_migrated(tmp_path):
    db = connect(tmp_path / "a.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    applied = [m.name for m in desk_migrations.applied(db)]
    assert applied == [m.name for m in desk_migrations._migrations]
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(applied)
    db.close()


def test_reopening_applies_nothing_twice(tmp_path):
    connect(tmp_path / "a.sqlite3").close()
    db = connect(tmp_path / "a.sqlite3")
    assert not desk_migrations.pending(db)
    rows = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert rows == len(desk_migrations._migrations)
    db.close()


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_newer_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "newer.sqlite3"
    connect(path).close()
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('desk_app', '0099_future', 'x')"
    )
    raw.commit()
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    before = _digest(path)
    with pytest.raises(NewerDatabaseError) as err:
        connect(path)
    assert "phiên bản mới hơn" in err.value.message
    assert _digest(path) == before


def test_newer_user_version_is_refused(tmp_path):
    path = tmp_path / "v.sqlite3"
    connect(path).close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 42")
    raw.close()
    with pytest.raises(NewerDatabaseError):
        connect(path)


def test_file_that_is_not_a_database_gets_a_clear_message(tmp_path):
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as err:
        connect(path)
    assert err.value.code == "not_database"


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA application_id = 1234")
    raw.execute("CREATE TABLE t(x)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError) as err:
        connect(path)
    assert err.value.code == "not_desk_db"


def test_backup_uses_backup_api_and_is_complete(tmp_path, desk):
    from tests.services.test_reception import simple_request
    from desk_app.services.reception import receive

    receive(desk, simple_request())
    target = tmp_path / "backup" / "copy.sqlite3"
    desk.store.copies.backup(target)
    copy = Store.open(target)
    assert copy.dossiers.count() == 1
    copy.close()


def test_a_failing_migration_leaves_no_half_schema(tmp_path, monkeypatch):
    """Migrations run statement by statement inside one transaction (never executescript)."""
    from desk_app.store import migrations

    real = migrations.m0001_initial

    def broken(db):
        real(db)
        raise RuntimeError("power cut during the first migration")

    monkeypatch.setattr(desk_migrations._migrations[0], "fn", broken)
    with pytest.raises(RuntimeError):
        connect(tmp_path / "half.sqlite3")
    monkeypatch.undo()
    raw = sqlite3.connect(tmp_path / "half.sqlite3")
    tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    raw.close()
    assert "dossiers" not in tables
    db = connect(tmp_path / "half.sqlite3")  # and the next start simply migrates
    assert "dossiers" in db.table_names()
    db.close()
