"""Choosing a backup to restore, in the window: the backups beside the database, and who may restore."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path

from desk_app.domain.accounts import Permission
from desk_app.paths import daily_backups
from desk_app.services import accounts
from desk_app.services.desk import Desk
from desk_app.store.copies import DeskCard, read_card
from desk_app.store.store import Store


@dataclass(frozen=True)
class BackupFile:
    path: Path
    modified: dt.datetime
    size: int  # bytes
    card: DeskCard | None  # None: the file cannot be read as a desk database


def backup_file(path: Path) -> BackupFile:
    stat = path.stat()
    return BackupFile(path, dt.datetime.fromtimestamp(stat.st_mtime).astimezone(), stat.st_size, read_card(path))


def list_backups(database: Path) -> list[BackupFile]:
    """The daily backups of ``database`` (``backups/`` beside it), newest first."""
    return [backup_file(path) for path in reversed(daily_backups(database))]


def sign_in_from_backup(backup: Path, username: str, password: str) -> tuple[str, str]:
    """An administrator of the backup, for a restore when the current database cannot be opened
    (a damaged file has no readable accounts): the backup is opened read-only, nothing recorded.
    Returns (login, full name); a backup without accounts: the system user."""
    store = Store.open(backup, read_only=True)
    try:
        desk = Desk(store, actor=getpass.getuser())
        if accounts.accounts_exist(desk):
            accounts.sign_in(desk, username, password, via="window")
        desk.require(Permission.RESTORE)
        return desk.login, desk.officer.full_name if desk.officer else ""
    finally:
        store.close()
