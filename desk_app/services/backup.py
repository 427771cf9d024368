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
from desk_app.services.durable_files import write_durably
from desk_app.services.scan_files import ScanFiles, key_id, open_sealed
from desk_app.services.scan_keys import scan_files
from desk_app.store import scan_backup
from desk_app.store import scans as scan_rows
from desk_app.store.copies import DeskCard, is_sound, read_card, restore_copy, set_aside, verify_copy
from desk_app.store.identity import start_new_epoch
from desk_app.store.store import Store

DAILY_PREFIX = DAILY_BACKUP_PREFIX
KEEP_DAILY = 14
VIETNAM = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Backup:
    path: Path
    dossiers: int
    at: dt.datetime
    scans: int = 0  # scan files carried in the backup
    missing_scans: tuple[str, ...] = ()  # rows whose file was already missing on the desk


@dataclass(frozen=True)
class Restored:
    database: Path
    source: Path
    dossiers: int
    kept: Path | None  # where the replaced database (damaged or not) was set aside
    desk: DeskCard  # the desk restored: the backup's identity
    replaced: DeskCard | None  # the desk of the database replaced, when it could be read

    @property
    def other_desk(self) -> bool:
        return self.replaced is not None and self.replaced.desk_uuid != self.desk.desk_uuid


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
    files = scan_files(desk)
    carried, missing = 0, list[str]()
    if found is not None and files is not None:  # the scans join a copy that checked out
        carried, missing = _carry_scans(partial, files)
    if found is None or found < expected or (files is not None and not _scans_verified(partial, files, missing)):
        partial.unlink(missing_ok=True)
        raise DomainError("backup_unverified", "Bản sao lưu không kiểm tra được (tệp hỏng hoặc thiếu dữ liệu); "
                          "hãy thử lại hoặc chọn ổ đĩa khác.")
    _refuse_existing(destination, overwrite, partial)
    partial.replace(destination)  # only a verified copy takes the final name
    return Backup(destination, found, now, carried, tuple(missing))


def _carry_scans(partial: Path, files: ScanFiles) -> tuple[int, list[str]]:
    """The encrypted files of the scans the copy names, put into the copy (still encrypted: the
    key is not in the backup, docs/trust.md)."""
    hashes = sorted(scan_backup.referenced(partial))
    if not hashes:
        return 0, []

    def read(sha: str) -> bytes | None:
        try:
            return files.path(sha).read_bytes()
        except FileNotFoundError:
            return None

    missing = scan_backup.add_files(partial, hashes, read)
    return len(hashes) - len(missing), missing


def _scans_verified(partial: Path, files: ScanFiles, missing: list[str]) -> bool:
    """Every scan the copy names is in it (or was already missing on the desk) and opens with the
    desk's key: a backup whose scans cannot be read back is not a backup."""
    key = files.key()
    carried = set()
    for sha, sealed in scan_backup.files_in(partial):
        if key is not None:
            try:
                open_sealed(sealed, key, sha)
            except DomainError:
                return False
        carried.add(sha)
    return carried | set(missing) >= scan_backup.referenced(partial)


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


def describe(card: DeskCard) -> str:
    """A desk as an officer recognises it: unit code, desk number, commune, set-up date."""
    unit = card.unit_code or "(chưa cài đặt)"
    number = f"quầy số {card.desk_no}" if card.desk_no is not None else "quầy"
    commune = f", {card.commune}" if card.commune else ""
    return f"{number} của đơn vị {unit}{commune}, cài đặt ngày {_set_up_day(card.set_up_at)}"


def _set_up_day(stamp: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM)  # stored in UTC; the desk's day is Vietnam's
    return f"{moment:%d/%m/%Y}"


@dataclass(frozen=True)
class RestoreCheck:
    """What a restore would do, found without changing anything."""

    backup: Path
    database: Path
    dossiers: int
    desk: DeskCard  # the backup's desk
    replaced: DeskCard | None  # the current database's desk, when it can be read
    sound: bool  # the current database is not damaged


def check_restore(backup: Path, database: Path, *, force: bool = False, other_desk: bool = False) -> RestoreCheck:
    """Every check of ``restore_from``, changing nothing: raises its DomainError, else says what it would do."""
    backup, database = backup.expanduser(), database.expanduser()
    if not backup.is_file():
        raise DomainError("file_not_found", f"Không tìm thấy tệp sao lưu {backup}.", field="backup")
    if database.exists() and backup.resolve() == database.resolve():
        raise DomainError("restore_onto_itself", "Tệp sao lưu chính là cơ sở dữ liệu đang dùng.", field="backup")
    dossiers = verify_copy(backup)
    card = read_card(backup) if dossiers is not None else None
    if dossiers is None or card is None:
        raise DomainError("backup_damaged", f"Tệp {backup} không dùng được để khôi phục (hỏng, hoặc không phải bản sao lưu); hãy chọn bản khác "
                          "(các bản cũ hơn trong cùng thư mục, hoặc bản trên USB).", field="backup")
    exists = database.exists()
    sound = exists and is_sound(database)
    current = read_card(database) if exists else None  # a damaged file may still say whose it is
    if current is not None and current.desk_uuid != card.desk_uuid and not other_desk:
        raise DomainError("other_desk", f"Bản sao lưu {backup.name} là của {describe(card)}; cơ sở dữ liệu đang dùng "
                          f"là của {describe(current)}. Đây là hai quầy khác nhau: không khôi phục gì. Nếu đang thay "
                          "máy của quầy kia (máy hỏng), thêm --other-desk: máy này sẽ mang danh tính của quầy trong "
                          "bản sao lưu, cơ sở dữ liệu hiện tại được giữ lại bên cạnh.", field="backup")
    if sound and not force:
        raise DomainError("database_sound", f"Cơ sở dữ liệu {database} không bị hỏng. Khôi phục sẽ thay nó bằng "
                          "bản sao lưu: các hồ sơ ghi sau lần sao lưu sẽ không còn trong tệp đang dùng (tệp cũ được "
                          "giữ lại bên cạnh). Nếu chắc chắn, thêm --force.")
    return RestoreCheck(backup, database, dossiers, card, current, sound)


def _set_aside_foreign_key(store: Store, files: ScanFiles, at: dt.datetime) -> None:
    """A key file that none of the restored database's wrapped copies names (a desk set up afresh
    on this machine, then restored over) is kept aside, so the next administrator's sign-in puts
    the backup's own key back."""
    key = files.key()
    ids = {key_id_ for _, key_id_, _, _, _ in scan_rows.key_wraps(store)}
    if key is not None and ids and key_id(key) not in ids:
        files.key_path.replace(files.key_path.with_name(f"{files.key_path.name}.replaced-{at:%Y%m%d-%H%M%S}"))


def restore_from(backup: Path, database: Path, *, at: dt.datetime, actor: str, force: bool = False,
                 actor_name: str = "", other_desk: bool = False) -> Restored:
    """Put a verified backup in place of ``database``; the file it replaces is kept beside it.

    The backup must be of this desk (same desk UUID) unless ``other_desk``: replacing a dead PC
    by restoring another desk's backup onto a machine that has a database of its own. The
    restored file then keeps the backup's identity; the replaced one is kept aside. A database
    that is still sound is replaced only with ``force``: dossiers received after the backup
    would be lost from the working file (they stay in the set-aside file). With no database
    (a new PC) the backup is simply put in place.
    """
    check = check_restore(backup, database, force=force, other_desk=other_desk)
    backup, database, card, current = check.backup, check.database, check.desk, check.replaced
    exists, sound, dossiers = database.exists(), check.sound, check.dossiers
    kept = set_aside(database, at, label="replaced" if sound else "damaged") if exists else None
    files = ScanFiles.beside(database)
    for sha, sealed in scan_backup.files_in(backup):  # files first: no restored row without its file
        if not files.has(sha):
            write_durably(files.path(sha), sealed)
    restore_copy(backup, database)
    store = Store.open(database)  # migrates a backup made by an older version
    try:
        _set_aside_foreign_key(store, files, at)
        with store.transaction():
            scan_backup.drop_files(store.db.conn)
            # The backup's outbox sequence is behind what the hub may already hold from this desk:
            # a new epoch keeps (epoch, seq) from ever naming two different events.
            epoch = start_new_epoch(store, at=at, reason=f"restore:{backup.name}")
            store.audit.add(actor=actor, actor_name=actor_name, action="database.restore", entity="database",
                            entity_id=backup.name,
                            detail={"from": str(backup), "kept": str(kept) if kept else None, "epoch": epoch,
                                    "desk_uuid": card.desk_uuid,
                                    "replaced_desk_uuid": current.desk_uuid if current else None,
                                    "other_desk": current is not None and current.desk_uuid != card.desk_uuid},
                            at=at)
    finally:
        store.close()
    return Restored(database, backup, dossiers, kept, card, current)


def restored_text(made: Restored) -> str:
    """What a restore did, for the officer (the window and the command line say the same)."""
    lines = [f"Đã khôi phục {made.dossiers} hồ sơ của {describe(made.desk)} từ {made.source} vào {made.database} "
             "(đã kiểm tra bản sao lưu)."]
    if made.other_desk and made.replaced is not None:
        lines.append(f"Máy này từ nay là {describe(made.desk)} (danh tính của bản sao lưu), không còn là "
                     f"{describe(made.replaced)}.")
    if made.kept is not None:
        lines.append(f"Tệp cũ được giữ lại tại {made.kept}.")
    elif made.replaced is None:
        lines.append("Chưa có cơ sở dữ liệu nào ở đây: không phải giữ lại tệp nào.")
    return "\n".join(lines)
