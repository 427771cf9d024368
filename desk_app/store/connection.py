"""Open the desk database durably and bring its schema up to date (or refuse a newer one)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from desk_app.store.migrations import desk_migrations

APPLICATION_ID = 0x44534B31  # "DSK1": marks the file as a desk database


class StoreError(Exception):
    """An environmental problem with the database, with a Vietnamese message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NewerDatabaseError(StoreError):
    pass


def connect(path: Path | str) -> Database:
    """Open (creating if needed) and migrate the database at ``path``.

    WAL with synchronous=FULL: a dossier committed before a power cut is on disk after it.
    """
    target = str(path)
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        # The GUI's single store worker owns the connection; it may not be the creating thread.
        conn = sqlite3.connect(target, check_same_thread=False, timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        db = Database(conn)
        _refuse_foreign(db)
        _refuse_newer(db)
        desk_migrations.apply(db)
        db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        db.execute(f"PRAGMA user_version={len(desk_migrations._migrations)}")
    except sqlite3.DatabaseError as exc:
        raise classify(exc) from exc
    return db


def _refuse_foreign(db: Database) -> None:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise StoreError("not_desk_db", "Tệp này không phải cơ sở dữ liệu của phần mềm Một cửa.")


def _refuse_newer(db: Database) -> None:
    """A file migrated by a newer desk_app has schema this version does not know: never touch it."""
    known = {m.name for m in desk_migrations._migrations}
    applied = {m.name for m in desk_migrations.applied(db)}
    unknown = sorted(applied - known)
    user_version = db.execute("PRAGMA user_version").fetchone()[0]
    if unknown or user_version > len(known):
        raise NewerDatabaseError(
            "newer_database",
            "Cơ sở dữ liệu này do phiên bản mới hơn của phần mềm tạo ra "
            f"({', '.join(unknown) or f'lược đồ {user_version}'}). "
            "Hãy cài phiên bản mới nhất; dữ liệu không bị thay đổi.",
        )


def classify(exc: sqlite3.Error) -> StoreError:
    """Turn SQLite's environmental failures into messages a receptionist can act on."""
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError("disk_full", "Ổ đĩa đã đầy: không ghi được dữ liệu. Hãy giải phóng dung lượng.")
    if "locked" in text or "busy" in text:
        return StoreError("locked", "Cơ sở dữ liệu đang bị chương trình khác khóa. Hãy thử lại.")
    if "readonly" in text or "read-only" in text:
        return StoreError("read_only", "Không có quyền ghi vào tệp cơ sở dữ liệu.")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError("corrupt", "Tệp cơ sở dữ liệu bị hỏng. Hãy khôi phục từ bản sao lưu gần nhất.")
    if "unable to open" in text:
        return StoreError("cannot_open", "Không mở được tệp cơ sở dữ liệu (kiểm tra đường dẫn và quyền).")
    return StoreError("database_error", f"Lỗi cơ sở dữ liệu: {exc}")
