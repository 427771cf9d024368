"""Backups of the desk database: on request, one a day kept for two weeks, and restoring one."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from desk_app.domain.accounts import Permission
from desk_app.domain.errors import DomainError
from desk_app.paths import DAILY_BACKUP_PREFIX
from desk_app.services.desk import Desk
from desk_app.store.copies import is_sound, restore_copy, set_aside, verify_copy
from desk_app.store.identity import start_new_epoch
from desk_app.store.store import Store

DAILY_PREFIX = DAILY_BACKUP_PREFIX
KEEP_DAILY = 14


@dataclass(frozen=True)
class Backup:
    path: Path
    dossiers: int
    at: dt.datetime


@dataclass(frozen=True)
class Restored:
    database: Path
    source: Path
    dossiers: int
    kept: Path | None  # where the replaced (damaged) database was set aside


def backup_to(desk: Desk, destination: Path, *, overwrite: bool = False) -> Backup:
    """Copy the live database with SQLite's backup API (safe while the desk works), then verify it.

    The copy is checked by opening it: integrity_check must pass and it must hold as many
    dossiers as the desk. A backup that is not verified is not a backup. An existing file is
    replaced only with ``overwrite`` (it may be last week's only good copy).
    """
    desk.require(Permission.VIEW)
    destination = destination.expanduser()
    if desk.store.path is not None and destination.resolve() == desk.store.path.resolve():
        raise DomainError("backup_onto_itself", "Không thể sao lưu đè lên chính cơ sở dữ liệu đang dùng.")
    _refuse_existing(destination, overwrite)
    now = desk.clock()
    with desk.store.transaction():
        desk.audit("database.backup", "database", destination.name, {"path": str(destination)}, now)
    # One partial file per process: two programs making the daily backup at once never share one.
    partial = destination.with_name(f"{destination.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    expected = desk.store.dossiers.count()  # counted first: other programs may add dossiers meanwhile
    desk.store.copies.backup(partial)
    found = verify_copy(partial)
    if found is None or found < expected:
        partial.unlink(missing_ok=True)
        raise DomainError("backup_unverified", "Bản sao lưu không kiểm tra được (tệp hỏng hoặc thiếu dữ liệu); "
                          "hãy thử lại hoặc chọn ổ đĩa khác.")
    _refuse_existing(destination, overwrite, partial)
    partial.replace(destination)  # only a verified copy takes the final name
    return Backup(destination, found, now)


def _refuse_existing(destination: Path, overwrite: bool, partial: Path | None = None) -> None:
    if overwrite or not destination.exists():
        return
    if partial is not None:
        partial.unlink(missing_ok=True)
    raise DomainError("backup_exists", f"Đã có tệp {destination}: không ghi đè. Chọn tên khác, "
                      "hoặc thêm --force nếu chắc chắn muốn thay tệp đó.", field="destination")


def daily_backup(desk: Desk, folder: Path, *, keep: int = KEEP_DAILY) -> Backup | None:
    """Today's backup if there is none yet (``desk-YYYYMMDD.sqlite3``); keeps the newest ``keep``."""
    today = desk.clock().date()
    target = folder / f"{DAILY_PREFIX}{today:%Y%m%d}.sqlite3"
    made = None
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Another program may finish today's copy first; both are verified, either may stay.
        made = backup_to(desk, target, overwrite=True)
    daily = sorted(folder.glob(f"{DAILY_PREFIX}[0-9]*.sqlite3"))
    for old in daily[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    return made


def restore_from(backup: Path, database: Path, *, at: dt.datetime, actor: str, force: bool = False,
                 actor_name: str = "") -> Restored:
    """Put a verified backup in place of ``database``; the file it replaces is kept beside it.

    A database that is still sound is replaced only with ``force``: dossiers received after the
    backup would be lost from the working file (they stay in the set-aside file).
    """
    backup, database = backup.expanduser(), database.expanduser()
    if not backup.is_file():
        raise DomainError("file_not_found", f"Không tìm thấy tệp sao lưu {backup}.", field="backup")
    if database.exists() and backup.resolve() == database.resolve():
        raise DomainError("restore_onto_itself", "Tệp sao lưu chính là cơ sở dữ liệu đang dùng.", field="backup")
    dossiers = verify_copy(backup)
    if dossiers is None:
        raise DomainError("backup_damaged", f"Tệp {backup} không dùng được để khôi phục (hỏng, hoặc không phải bản sao lưu); hãy chọn bản khác "
                          "(các bản cũ hơn trong cùng thư mục, hoặc bản trên USB).", field="backup")
    if database.exists() and not force and is_sound(database):
        raise DomainError("database_sound", f"Cơ sở dữ liệu {database} không bị hỏng. Khôi phục sẽ thay nó bằng "
                          "bản sao lưu: các hồ sơ ghi sau lần sao lưu sẽ không còn trong tệp đang dùng (tệp cũ được "
                          "giữ lại bên cạnh). Nếu chắc chắn, thêm --force.")
    kept = set_aside(database, at) if database.exists() else None
    restore_copy(backup, database)
    store = Store.open(database)  # migrates a backup made by an older version
    try:
        with store.transaction():
            # The backup's outbox sequence is behind what the hub may already hold from this desk:
            # a new epoch keeps (epoch, seq) from ever naming two different events.
            epoch = start_new_epoch(store, at=at, reason=f"restore:{backup.name}")
            store.audit.add(actor=actor, actor_name=actor_name, action="database.restore", entity="database",
                            entity_id=backup.name,
                            detail={"from": str(backup), "kept": str(kept) if kept else None, "epoch": epoch}, at=at)
    finally:
        store.close()
    return Restored(database, backup, dossiers, kept)
