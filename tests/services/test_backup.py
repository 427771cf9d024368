import datetime as dt

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
    assert copy.count_dossiers() == 1
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


def test_a_copy_that_is_not_a_database_is_refused_in_words_not_a_traceback(desk, tmp_path, monkeypatch):
    from desk_app.store.backups import check_backup

    def garbled(destination):  # a USB stick that returns junk
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(b"\0" * 4096)

    monkeypatch.setattr(desk.store, "backup", garbled)
    with pytest.raises(DomainError) as err:
        backup_to(desk, tmp_path / "usb" / "copy.sqlite3")
    assert err.value.code == "backup_unverified"
    assert not (tmp_path / "usb" / "copy.sqlite3").exists() and not (tmp_path / "usb" / "copy.sqlite3.partial").exists()
    assert check_backup(tmp_path / "desk.sqlite3").intact  # the live file itself checks out
