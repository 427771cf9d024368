"""Open the desk database: durably to write, or read-only writing nothing; say what went wrong."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from desk_app import __version__
from desk_app.store.migrations import desk_migrations
from desk_app.store.recovery import recovery_hint
from desk_app.store.sqlite_db import Database

APPLICATION_ID = 0x44534B31  # "DSK1": marks the file as a desk database
SQLITE_MAGIC = b"SQLite format 3\x00"
# How long a connection waits for another program's write to finish before giving up. Writes are
# short (one reception is a few milliseconds), so a lock that lasts this long is not a queue.
BUSY_TIMEOUT_S = 10.0
# Tables whose rows ``Tables.count`` may count (checks and tests compare them before and after).
COUNTED_TABLES = frozenset(
    {"dossiers", "dossier_documents", "fees", "outbox", "audit", "dossier_search", "guidance_slips"}
)

if TYPE_CHECKING:  # the store builds the Tables aggregate: no import at run time
    from desk_app.store.store import Store


class StoreError(Exception):
    """An environmental problem with the database, with a Vietnamese message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NewerDatabaseError(StoreError):
    pass


class Tables:
    """Row counts of the database's main tables (``store.tables``)."""

    def __init__(self, store: Store) -> None:
        self.db = store.db

    def count(self, table: str) -> int:
        if table not in COUNTED_TABLES:
            raise ValueError(table)
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def connect(path: Path | str, *, busy_timeout: float = BUSY_TIMEOUT_S) -> Database:
    """Open (creating if needed) and migrate the database at ``path``, for reading and writing.

    WAL with synchronous=FULL: a dossier committed before a power cut is on disk after it.
    Opening writes nothing unless the schema is behind: then the migrations run under one
    write lock, so several programs opening a fresh file at once migrate it exactly once.
    """
    target = str(path)
    if target != ":memory:":
        file = Path(target)
        _refuse_not_sqlite(file)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_error(exc, file) from exc
        # WAL needs to create -wal/-shm beside the file: on a write-protected medium SQLite would
        # only say "unable to open", so say what it is.
        if not os.access(file.parent, os.W_OK) or (file.exists() and not os.access(file, os.W_OK)):
            raise read_only_error(file)
    conn: sqlite3.Connection | None = None
    try:
        # The GUI's single store worker owns the connection; it may not be the creating thread.
        conn = sqlite3.connect(target, check_same_thread=False, timeout=busy_timeout)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        db = Database(conn)
        _refuse_foreign(db)
        _refuse_newer(db)
        if desk_migrations.pending(db) or not _stamped(db):
            with immediate(conn):
                _refuse_newer(db)  # again under the lock: another program may have migrated meanwhile
                desk_migrations.apply(db)
                db.execute(f"PRAGMA application_id={APPLICATION_ID}")
                db.execute(f"PRAGMA user_version={len(desk_migrations.names)}")
    except (sqlite3.Error, StoreError) as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, StoreError):
            raise
        raise classify(exc, None if target == ":memory:" else Path(target)) from exc
    return db


def connect_read_only(path: Path, *, busy_timeout: float = BUSY_TIMEOUT_S) -> tuple[Database, bool]:
    """Open an existing database only to read it: nothing is created, migrated or written.

    Works on write-protected media (a backup on a locked USB stick): when the file or its folder
    cannot be written, nobody can change the file, so it is opened ``immutable`` (no -shm
    needed). A file written by an older version is copied into memory and migrated there.
    Returns the database and whether SQLite had to create -wal/-shm files beside it, which
    ``tidy_after_read`` removes once the connection is closed.
    """
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    if not path.is_file():
        raise StoreError("missing_database", f"Chưa có cơ sở dữ liệu tại {path}.")
    _refuse_not_sqlite(path)
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    # A WAL with committed pages must be read through; immutable would ignore it.
    immutable = not writable and not (wal.exists() and wal.stat().st_size > 0)
    created = writable and not wal.exists() and not shm.exists()
    uri = path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=busy_timeout)
        db = Database(conn)
        _refuse_foreign(db)
        _refuse_newer(db)
        if desk_migrations.pending(db):
            db = _migrated_copy(conn)
            conn.close()
            if created:
                tidy_after_read(path)
            return db, False
    except (sqlite3.Error, StoreError) as exc:
        if conn is not None:
            conn.close()
        if created:
            tidy_after_read(path)
        if isinstance(exc, StoreError):
            raise
        raise classify(exc, path) from exc
    return db, created


def _migrated_copy(conn: sqlite3.Connection) -> Database:
    """An older schema is read through an up-to-date copy in memory; the file stays as it is."""
    memory = sqlite3.connect(":memory:", check_same_thread=False)
    conn.backup(memory)
    db = Database(memory)
    with immediate(memory):
        desk_migrations.apply(db)
    return db


def tidy_after_read(path: Path) -> None:
    """Remove the empty -wal and -shm files a read-only connection had to create.

    A read-only connection cannot delete them itself. An ordinary connection that closes last
    does, and SQLite keeps them if another program still has the database open, so this never
    pulls them from under a writer. Nothing is written to the database file.
    """
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # leaving two empty files is harmless; failing the read for them is not


@contextlib.contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction that takes the write lock at BEGIN, waiting up to the busy timeout.

    A deferred transaction that reads first and writes later cannot wait for another writer
    (SQLite answers "database is locked" at once, to avoid a deadlock), so every write
    transaction starts IMMEDIATE and writers queue instead of failing.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    try:
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def _stamped(db: Database) -> bool:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    user_version = db.execute("PRAGMA user_version").fetchone()[0]
    return bool(app_id == APPLICATION_ID and user_version == len(desk_migrations.names))


def _refuse_not_sqlite(path: Path) -> None:
    """A file that does not start like an SQLite database is something else (or wholly destroyed)."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _os_error(exc, path) from exc
    if head and head != SQLITE_MAGIC:
        raise StoreError(
            "not_database",
            f"Tệp {path} không phải là cơ sở dữ liệu (có thể chọn nhầm tệp, hoặc tệp đã bị ghi đè hoàn toàn). "
            "Hãy kiểm tra lại đường dẫn. Nếu đúng là tệp của quầy: " + recovery_hint(path),
        )


def _refuse_foreign(db: Database) -> None:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise StoreError("not_desk_db", "Tệp này không phải cơ sở dữ liệu của phần mềm Một cửa.")


def _refuse_newer(db: Database) -> None:
    """A file migrated by a newer desk_app has schema this version does not know: never touch it."""
    known = set(desk_migrations.names)
    applied = {m.name for m in desk_migrations.applied(db)}
    unknown = sorted(applied - known)
    user_version = db.execute("PRAGMA user_version").fetchone()[0]
    if unknown or user_version > len(known):
        raise NewerDatabaseError(
            "newer_database",
            "Cơ sở dữ liệu này do phiên bản mới hơn của desk-app tạo ra "
            f"({', '.join(unknown) or f'lược đồ {user_version}'}; phiên bản đang chạy là {__version__}). "
            "Hãy cập nhật desk-app lên phiên bản mới nhất rồi mở lại; dữ liệu không bị thay đổi.",
        )


def read_only_error(path: Path | None) -> StoreError:
    where = f" {path}" if path else ""
    return StoreError(
        "read_only",
        f"Cơ sở dữ liệu{where} chỉ đọc được (ổ đĩa hoặc thẻ nhớ đang chống ghi, hoặc không có quyền ghi): "
        "lệnh này cần ghi nên không thực hiện được, không có gì thay đổi. Các lệnh xem (search, show, "
        "catalog list, calendar show) vẫn dùng được; muốn ghi, hãy chép tệp sang ổ đĩa ghi được.",
    )


def _os_error(exc: OSError, path: Path) -> StoreError:
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:  # a write-protected medium
        return read_only_error(path)
    return StoreError("cannot_open", f"Không mở được tệp cơ sở dữ liệu {path}: {exc.strerror or exc}.")


def classify(exc: sqlite3.Error, path: Path | None = None) -> StoreError:
    """Turn SQLite's environmental failures into messages a receptionist can act on.

    ``path`` (when known) lets a damaged database's message name its backups and the
    command that restores one.
    """
    text = str(exc).lower()
    where = f" {path}" if path else ""
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(
            "disk_full",
            f"Ổ đĩa chứa cơ sở dữ liệu{where} đã đầy: không ghi được, không có gì thay đổi. "
            "Hãy giải phóng dung lượng (xóa tệp không cần, chép bớt bản sao lưu cũ sang ổ khác) rồi làm lại.",
        )
    if "locked" in text or "busy" in text:
        return StoreError(
            "locked",
            "Cơ sở dữ liệu đang bị chương trình khác khóa, đã chờ mà chưa được giải phóng (cửa sổ Một cửa, "
            "một lệnh desk-app, bản sao lưu hoặc phần mềm khác đang ghi). Không có gì thay đổi; "
            "hãy thử lại sau ít phút, hoặc đóng chương trình đang giữ tệp.",
        )
    if "readonly" in text or "read-only" in text:
        return read_only_error(path)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            "corrupt",
            f"Tệp cơ sở dữ liệu{where} bị hỏng ({exc}). "
            + (recovery_hint(path) if path else "Hãy khôi phục từ bản sao lưu gần nhất (lệnh desk-app restore)."),
        )
    if "unable to open" in text:
        return StoreError(
            "cannot_open", f"Không mở được tệp cơ sở dữ liệu{where} (kiểm tra đường dẫn và quyền truy cập)."
        )
    return StoreError("database_error", f"Lỗi cơ sở dữ liệu: {exc}")
