"""The store's database handle and migration registry behave as sqlite-utils' own, without loading it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database as SqliteUtilsDatabase
from sqlite_utils.migrations import Migrations

from desk_app.store.migration_set import MigrationSet
from desk_app.store.migrations import desk_migrations
from desk_app.store.sqlite_db import Database, first_keyword


def pair(tmp_path: Path) -> tuple[Database, SqliteUtilsDatabase]:
    ours = Database(sqlite3.connect(tmp_path / "ours.sqlite3"))
    theirs = SqliteUtilsDatabase(sqlite3.connect(tmp_path / "theirs.sqlite3"))
    for db in (ours, theirs):
        db.execute("CREATE TABLE t (x INTEGER PRIMARY KEY, y TEXT NOT NULL)")
    return ours, theirs


def test_execute_commits_a_write_outside_a_transaction_like_sqlite_utils(tmp_path: Path) -> None:
    ours, theirs = pair(tmp_path)
    for db in (ours, theirs):
        db.execute("INSERT INTO t (y) VALUES (?)", ["một"])
        assert not db.conn.in_transaction
        db.execute("SAVEPOINT s")  # transaction control is left to the caller
        assert db.conn.in_transaction
        db.execute("INSERT INTO t (y) VALUES ('hai')")
        db.execute("RELEASE s")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO t (y) VALUES (NULL)")
        assert not db.conn.in_transaction  # the failed write's implicit transaction was rolled back
    for name in ("ours", "theirs"):
        rows = sqlite3.connect(tmp_path / f"{name}.sqlite3").execute("SELECT y FROM t ORDER BY x").fetchall()
        assert rows == [("một",), ("hai",)]


def test_atomic_nests_as_savepoints_and_rolls_back_like_sqlite_utils(tmp_path: Path) -> None:
    for db in pair(tmp_path):
        with db.atomic():
            db.execute("INSERT INTO t (y) VALUES ('giữ')")
            with pytest.raises(ValueError), db.atomic():
                db.execute("INSERT INTO t (y) VALUES ('bỏ')")
                raise ValueError
        with pytest.raises(ValueError), db.atomic():
            db.execute("INSERT INTO t (y) VALUES ('bỏ nữa')")
            raise ValueError
        assert [r[0] for r in db.execute("SELECT y FROM t")] == ["giữ"]
        assert db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1  # as sqlite-utils sets it


def test_first_keyword_skips_comments_and_blanks() -> None:
    assert first_keyword("  -- note\n/* x */ ;begin immediate") == "BEGIN"
    assert first_keyword("\ufeffinsert into t") == "INSERT"
    assert first_keyword("-- only a comment") == ""


def test_the_rest_of_sqlite_utils_is_there_when_asked_for(tmp_path: Path) -> None:
    db = Database(sqlite3.connect(tmp_path / "desk.sqlite3"))
    db.table("people", pk="id").insert({"id": 1, "name": "Nguyễn Văn An"})
    assert db["people"].count == 1
    assert list(db.query("SELECT name FROM people")) == [{"name": "Nguyễn Văn An"}]


def test_migration_set_reads_what_sqlite_utils_recorded(tmp_path: Path) -> None:
    ours, theirs = MigrationSet("demo"), Migrations("demo")
    for registry in (ours, theirs):
        for name in ("0001_a", "0002_b"):
            registry(name=name)(lambda db, name=name: db.execute(f"CREATE TABLE t_{name} (x)"))
    db = Database(sqlite3.connect(tmp_path / "m.sqlite3"))
    assert [m.name for m in ours.pending(db)] == ["0001_a", "0002_b"] and ours.applied(db) == []
    theirs.apply(db.full)  # recorded by sqlite-utils itself, read back by ours
    assert [m.name for m in ours.applied(db)] == ["0001_a", "0002_b"]
    assert ours.pending(db) == []
    with pytest.raises(ValueError):
        ours(name="0001_a")(lambda db: None)


def test_opening_an_up_to_date_database_does_not_load_sqlite_utils(tmp_path: Path) -> None:
    from desk_app.store.store import Store

    path = tmp_path / "desk.sqlite3"
    Store.open(path).close()  # created and migrated here (sqlite-utils runs the migrations)
    code = (
        "import sys; from desk_app.store.store import Store; s = Store.open(sys.argv[1]); "
        "s.settings.all(); s.close(); print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlite_utils', 'click', 'dateutil', 'pluggy')))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    applied = [m.name for m in desk_migrations.applied(Database(sqlite3.connect(path)))]
    assert applied == desk_migrations.names
