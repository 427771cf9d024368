"""The store's database handle: sqlite-utils' ``Database`` where it is needed, plain sqlite3 on the start path.

The store speaks SQL through ``db.execute``, ``db.atomic()``, ``db.conn`` and ``db.close()``
nearly everywhere; only a few writes (a calendar import, a catalogue version) and the migrations
use sqlite-utils' table helpers. Importing sqlite-utils (with click, dateutil and pluggy) costs
more than everything else the counter window needs to open the database, so this handle does
those four things on plain sqlite3 with sqlite-utils' exact semantics, and loads sqlite-utils
the first time anything else is asked of it (``table``, ``db[...]``, ``query``, …), handing it
the same connection.

For the type checker it *is* a ``sqlite_utils.Database`` (a subclass), so the store's
annotations stay as they are.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database as _SqliteUtilsDatabase

    _Base = _SqliteUtilsDatabase
else:
    _Base = object

# Statements that control the transaction themselves: execute() must not commit after them.
_TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}


class Database(_Base):
    """sqlite-utils' ``Database(conn)``, with sqlite-utils itself loaded only when first needed."""

    def __init__(self, conn: sqlite3.Connection) -> None:  # noqa: D107 - the class says it
        self.conn = conn
        self._full: _SqliteUtilsDatabase | None = None
        # As sqlite-utils does on opening (recursive_triggers=True, its default).
        conn.execute("PRAGMA recursive_triggers=on;")

    @property
    def full(self) -> _SqliteUtilsDatabase:
        """The sqlite-utils ``Database`` over the same connection, made (and imported) once."""
        if self._full is None:
            from sqlite_utils import Database as SqliteUtilsDatabase

            self._full = SqliteUtilsDatabase(self.conn)
        return self._full

    def __getattr__(self, name: str) -> Any:
        # Only called for what this class does not define: the rest of sqlite-utils' API.
        if name.startswith("__") or name in ("conn", "_full"):
            raise AttributeError(name)
        return getattr(self.full, name)

    def __getitem__(self, table_name: str) -> Any:
        return self.full[table_name]

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        """sqlite-utils' ``execute``: a write outside a transaction is committed at once; a failed
        statement that opened a transaction rolls it back."""
        was_in_transaction = self.conn.in_transaction
        try:
            cursor = self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        if (not was_in_transaction and self.conn.in_transaction and cursor.description is None
                and first_keyword(sql) not in _TRANSACTION_CONTROL):
            self.conn.execute("COMMIT")
        return cursor

    @contextlib.contextmanager
    def atomic(self) -> Generator[Database, None, None]:
        """sqlite-utils' ``atomic``: a transaction, or a savepoint inside one."""
        if self.conn.in_transaction:
            savepoint = f"sqlite_utils_{secrets.token_hex(16)}"
            self.conn.execute(f"SAVEPOINT {savepoint};")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:  # a RAISE(ROLLBACK) may have ended it already
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint};")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint};")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint};")
        else:
            self.conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise

    def close(self) -> None:
        self.conn.close()


def first_keyword(sql: str) -> str:
    """The statement's first keyword, upper-cased, past blanks, ``;``, a BOM and SQL comments."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in (";", "\ufeff"):
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            if newline == -1:
                return ""
            i = newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                return ""
            i = end + 2
        else:
            break
    end = i
    while end < n and (sql[end].isalpha() or sql[end] == "_"):
        end += 1
    return sql[i:end].upper()
