import datetime as dt
from pathlib import Path

import pytest

from desk_app.domain.errors import DomainError
from desk_app.services.backup import backup_to, daily_backup
from desk_app.services.reception import receive
from desk_app.store.store import Store
from tests.services.test_reception import simple_request


def test_backup_is_verified_complete_and_audited(desk, tmp_path):
    receive(desk, simple_request())
    made = backup_to(desk, tmp_path / "usb" / "copy.sqlite3")
    assert made.dossiers == 1 and made.path.exists()
    assert not (tmp_path / "usb" / "copy.sqlite3.partial").exists()
    copy = Store.open(made.path)
    assert copy.dossiers.count() == 1
    assert copy.db.execute("SELECT count(*) FROM audit WHERE action = 'database.backup'").fetchone()[0] == 1
    copy.close()


def test_backup_refuses_to_overwrite_the_live_database(desk, tmp_path):
    with pytest.raises(DomainError) as err:  # the store fixture lives at tmp_path/desk.sqlite3
        backup_to(desk, tmp_path / "sub" / ".." / "desk.sqlite3")
    assert err.value.code == "backup_onto_itself"


def test_daily_backup_once_a_day_keeping_the_newest(desk, clock, tmp_path):
    folder = tmp_path / "backups"
    assert daily_backup(desk, folder, keep=3) is not None
    assert daily_backup(desk, folder, keep=3) is None  # same day: nothing new
    for _ in range(4):
        clock.now += dt.timedelta(days=1)
        daily_backup(desk, folder, keep=3)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["desk-20261125.sqlite3", "desk-20261126.sqlite3", "desk-20261127.sqlite3"]


def test_backup_refuses_to_overwrite_an_existing_file_unless_asked(desk, tmp_path):
    target = tmp_path / "usb" / "copy.sqlite3"
    target.parent.mkdir()
    target.write_bytes(b"an older copy")
    with pytest.raises(DomainError) as err:
        backup_to(desk, target)
    assert err.value.code == "backup_exists" and target.read_bytes() == b"an older copy"
    assert list(target.parent.iterdir()) == [target]  # no partial file left either
    assert backup_to(desk, target, overwrite=True).path == target


def test_restore_sets_the_damaged_file_aside_with_its_wal_and_puts_the_backup_in_place(desk, clock, tmp_path):
    from desk_app.services.backup import restore_from

    receive(desk, simple_request())
    copy = backup_to(desk, tmp_path / "backups" / "desk-20261123.sqlite3").path
    receive(desk, simple_request(name="Trần Văn Bình"))  # after the backup: kept only in the set-aside file
    database = desk.store.path
    desk.store.close()
    with database.open("r+b") as f:
        f.seek(100)
        f.write(b"\xff" * 3996)
    Path(f"{database}-wal").write_bytes(b"a stale log that must not be replayed into the copy")

    with pytest.raises(DomainError) as err:
        restore_from(tmp_path / "backups" / "missing.sqlite3", database, at=clock(), actor="tester")
    assert err.value.code == "file_not_found"
    made = restore_from(copy, database, at=clock(), actor="tester")
    assert made.dossiers == 1 and made.kept == database.with_name("desk.sqlite3.damaged-20261123-091500")
    assert Path(f"{made.kept}-wal").exists() and not Path(f"{database}-wal").exists()
    restored = Store.open(database)
    assert restored.dossiers.count() == 1
    assert restored.db.execute("SELECT count(*) FROM audit WHERE action = 'database.restore'").fetchone()[0] == 1
    from desk_app.store.identity import current_epoch
    epochs = [row[0] for row in restored.db.execute("SELECT epoch FROM sync_epochs ORDER BY id")]
    assert len(epochs) == 2 and current_epoch(restored) == epochs[-1]  # a restore starts a new epoch
    restored.close()
    with pytest.raises(DomainError) as err:  # now sound: replacing it again needs --force
        restore_from(copy, database, at=clock(), actor="tester")
    assert err.value.code == "database_sound"


def test_a_copy_that_is_not_a_database_is_refused_in_words_not_a_traceback(desk, tmp_path, monkeypatch):
    from desk_app.store.copies import verify_copy

    def garbled(destination):  # a USB stick that returns junk
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(b"\0" * 4096)

    monkeypatch.setattr(desk.store.copies, "backup", garbled)
    with pytest.raises(DomainError) as err:
        backup_to(desk, tmp_path / "usb" / "copy.sqlite3")
    assert err.value.code == "backup_unverified"
    assert not (tmp_path / "usb" / "copy.sqlite3").exists() and not (tmp_path / "usb" / "copy.sqlite3.partial").exists()
    assert verify_copy(tmp_path / "desk.sqlite3") is not None  # the live file itself checks out
