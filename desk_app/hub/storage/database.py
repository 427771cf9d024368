"""One small transaction interface over SQLite (sqlite3) and PostgreSQL (psycopg 3 + pool).

SQL is written once with ``?`` placeholders in the subset both databases accept (``ON CONFLICT``,
``RETURNING``); the PostgreSQL side rewrites the placeholders. Every unit of work runs through
``Database.run(fn)``: one transaction, retried when the database reports a transient clash
(another hub process inserted the same row first, a deadlock, SQLite busy), so correctness rests
on transactions and unique constraints, never on in-process locks.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import unquote, urlparse

from desk_app.hub.storage.pg_sql import copy_statement, pg_sql, with_arrays

log = logging.getLogger(__name__)

T = TypeVar("T")
Row = tuple[Any, ...]
RETRIES = 5
# SQLite page cache of each hub connection, KiB: a server's working set (the uuid indexes of
# events and dossiers) outgrows the 2 MB default.
SQLITE_CACHE_KIB = 65536


class DatabaseUrlError(ValueError):
    """The --db URL names no database this hub can use."""


class HubDatabaseError(Exception):
    """The hub database could not be reached or used (environment, not input)."""


class Tx(Protocol):
    dialect: str
    # "FOR UPDATE" on PostgreSQL; SQLite has no row locks (its write lock covers the whole file).
    for_update: str

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class Database(Protocol):
    dialect: str
    url: str

    def run(self, fn: Callable[[Tx], T], *, write: bool = True) -> T: ...

    def close(self) -> None: ...


def placeholders(count: int) -> str:
    return ",".join("?" * count)


def open_database(url: str) -> Database:
    """``sqlite:///relative.db``, ``sqlite:////absolute.db`` or ``postgresql://…``."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        return SqliteDatabase(url)
    if scheme in ("postgresql", "postgres"):
        return PostgresDatabase(url)
    raise DatabaseUrlError(f"địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite:/// hoặc postgresql:// (nhận: {url})")


# SQLite ---------------------------------------------------------------------------------------


class _SqliteTx:
    dialect = "sqlite"
    for_update = ""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._conn.execute(sql, params).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._conn.execute(sql, params).rowcount

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)


def sqlite_path(url: str) -> str:
    # sqlite:///hub.db → "hub.db"; sqlite:////var/hub.db → "/var/hub.db"; sqlite:///:memory: too.
    if not url.startswith("sqlite:///"):
        raise DatabaseUrlError(f"địa chỉ SQLite phải có dạng sqlite:///đường/dẫn.db (nhận: {url})")
    return unquote(url[len("sqlite:///"):])


class SqliteDatabase:
    """A handful of connections handed out one per transaction (uvicorn runs sync routes in
    threads). WAL and synchronous=FULL: the same durability as the desk."""

    dialect = "sqlite"

    def __init__(self, url: str, *, size: int = 4) -> None:
        self.url = url
        self._path = sqlite_path(url)
        if self._path != ":memory:":
            Path(self._path).parent.mkdir(parents=True, exist_ok=True)
        self._pool: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._all: list[sqlite3.Connection] = []
        for _ in range(1 if self._path == ":memory:" else size):
            self._pool.put(self._connect())

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        except sqlite3.Error as exc:
            raise HubDatabaseError(f"không mở được cơ sở dữ liệu {self._path}: {exc}") from exc
        self._all.append(conn)
        return conn

    def run(self, fn: Callable[[Tx], T], *, write: bool = True) -> T:
        conn = self._pool.get()
        try:
            for attempt in range(RETRIES):
                try:
                    # IMMEDIATE takes the write lock up front: two writers never both read, then clash.
                    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                    try:
                        result = fn(_SqliteTx(conn))
                    except BaseException:
                        conn.execute("ROLLBACK")
                        raise
                    conn.execute("COMMIT")
                    return result
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc) or attempt == RETRIES - 1:
                        raise HubDatabaseError(f"lỗi cơ sở dữ liệu: {exc}") from exc
                    log.warning("sqlite busy, retrying (%s)", exc)
            raise AssertionError("unreachable")
        finally:
            self._pool.put(conn)

    def close(self) -> None:
        for conn in self._all:
            conn.close()
        self._all.clear()


# PostgreSQL -----------------------------------------------------------------------------------

class _PostgresTx:
    dialect = "postgresql"
    for_update = "FOR UPDATE"

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        sql, values = with_arrays(sql, params)
        with self._conn.cursor() as cur:
            cur.execute(pg_sql(sql), values)
            return list(cur.fetchall()) if cur.description else []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        sql, values = with_arrays(sql, params)
        with self._conn.cursor() as cur:
            cur.execute(pg_sql(sql), values)
            return int(cur.rowcount)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        copy = copy_statement(sql)
        with self._conn.cursor() as cur:
            if copy is not None and len(rows) > 1:
                with cur.copy(copy) as stream:
                    for row in rows:
                        stream.write_row(row)
            else:
                cur.executemany(pg_sql(sql), rows)  # psycopg 3 pipelines these: one round trip


class PostgresDatabase:
    """A psycopg connection pool; several hub processes may share the database."""

    dialect = "postgresql"

    def __init__(self, url: str, *, max_size: int = 8) -> None:
        import psycopg_pool

        self.url = url
        try:
            self._pool = psycopg_pool.ConnectionPool(url, min_size=1, max_size=max_size, open=True, timeout=30)
            self._pool.wait(timeout=30)
        except psycopg_pool.PoolTimeout as exc:
            raise HubDatabaseError(f"không kết nối được PostgreSQL ({_redacted(url)}): {exc}") from exc

    def run(self, fn: Callable[[Tx], T], *, write: bool = True) -> T:
        import psycopg
        from psycopg import errors

        transient = (errors.UniqueViolation, errors.SerializationFailure, errors.DeadlockDetected)
        for attempt in range(RETRIES):
            try:
                with self._pool.connection() as conn:
                    with conn.transaction():
                        return fn(_PostgresTx(conn))
            except transient as exc:
                # Another hub process wrote the same row first: run again; it now sees that row.
                if attempt == RETRIES - 1:
                    raise HubDatabaseError(f"lỗi cơ sở dữ liệu: {exc}") from exc
                log.info("transaction clashed with another hub process, retrying: %s", exc)
            except psycopg.OperationalError as exc:
                raise HubDatabaseError(f"lỗi kết nối PostgreSQL: {exc}") from exc
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._pool.close()


def _redacted(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


@contextmanager
def opened(url: str) -> Iterator[Database]:
    db = open_database(url)
    try:
        yield db
    finally:
        db.close()
