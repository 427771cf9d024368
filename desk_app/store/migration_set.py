"""sqlite-utils' ``Migrations`` registry, with sqlite-utils loaded only when a migration must run.

Opening the database asks on every start which migrations are applied, to refuse a file written
by a newer desk-app and to migrate an older one. That question is one read of sqlite-utils'
``_sqlite_migrations`` table, answered here on plain sqlite3; ``apply`` hands the same named
migrations, in the same order, to ``sqlite_utils.migrations.Migrations``, which records them in
that table as before. Declaring migrations is unchanged: ``@desk_migrations(name="00NN_…")``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlite_utils import Database

    MigrationFunction = Callable[[Database], None]
    F = TypeVar("F", bound=MigrationFunction)

MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' table: one row per applied migration


@dataclass
class Migration:
    name: str
    fn: MigrationFunction


@dataclass(frozen=True)
class AppliedMigration:
    name: str
    applied_at: str


class MigrationSet:
    """Named migrations in order; the same API as the part of sqlite-utils' ``Migrations`` we use."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[Migration] = []

    def __call__(self, *, name: str) -> Callable[[F], F]:
        def register(fn: F) -> F:
            if any(m.name == name for m in self._migrations):
                raise ValueError(f"Migration '{name}' is already registered in set '{self.name}'")
            self._migrations.append(Migration(name, fn))
            return fn

        return register

    @property
    def names(self) -> list[str]:
        return [m.name for m in self._migrations]

    def applied(self, db: Database) -> list[AppliedMigration]:
        """The migrations applied to ``db``, in the order they were; reads only."""
        exists = db.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]).fetchone()
        if exists is None:
            return []
        rows = db.conn.execute(
            f"SELECT name, applied_at FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY rowid", [self.name])
        return [AppliedMigration(name, applied_at) for name, applied_at in rows]

    def pending(self, db: Database) -> list[Migration]:
        done = {m.name for m in self.applied(db)}
        return [m for m in self._migrations if m.name not in done]

    def apply(self, db: Database) -> None:
        """Run the pending migrations through sqlite-utils, each in its own transaction with its record."""
        from sqlite_utils.migrations import Migrations

        runner = Migrations(self.name)
        for migration in self._migrations:
            runner(name=migration.name)(migration.fn)
        runner.apply(db)
