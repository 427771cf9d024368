"""Backups of the desk database: on request, and one a day kept for two weeks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from desk_app.domain.errors import DomainError
from desk_app.services.desk import Desk
from desk_app.store.backups import check_backup, database_file

DAILY_PREFIX = "desk-"
KEEP_DAILY = 14


@dataclass(frozen=True)
class Backup:
    path: Path
    dossiers: int
    at: dt.datetime


def backup_to(desk: Desk, destination: Path) -> Backup:
    """Copy the live database with SQLite's backup API (safe while the desk works), then verify it.

    The copy is checked by opening it: integrity_check must pass and it must hold as many
    dossiers as the desk. A backup that is not verified is not a backup.
    """
    destination = destination.expanduser()
    live = database_file(desk.store)
    if live is not None and destination.resolve() == live.resolve():
        raise DomainError("backup_onto_itself", "Không thể sao lưu đè lên chính cơ sở dữ liệu đang dùng.")
    now = desk.clock()
    with desk.store.transaction():
        desk.store.add_audit(actor=desk.actor, action="database.backup", entity="database",
                             entity_id=destination.name, detail={"path": str(destination)}, at=now)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    desk.store.backup(partial)
    expected = desk.store.count_dossiers()
    check = check_backup(partial)
    if not check.intact or check.dossiers != expected:
        partial.unlink(missing_ok=True)
        raise DomainError("backup_unverified", "Bản sao lưu không kiểm tra được (tệp hỏng hoặc thiếu dữ liệu); "
                          "hãy thử lại hoặc chọn ổ đĩa khác.")
    partial.replace(destination)  # only a verified copy takes the final name
    return Backup(destination, check.dossiers, now)


def daily_backup(desk: Desk, folder: Path, *, keep: int = KEEP_DAILY) -> Backup | None:
    """Today's backup if there is none yet (``desk-YYYYMMDD.sqlite3``); keeps the newest ``keep``."""
    today = desk.clock().date()
    target = folder / f"{DAILY_PREFIX}{today:%Y%m%d}.sqlite3"
    made = None
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        made = backup_to(desk, target)
    daily = sorted(folder.glob(f"{DAILY_PREFIX}[0-9]*.sqlite3"))
    for old in daily[:-keep] if keep > 0 else []:
        old.unlink()
    return made
