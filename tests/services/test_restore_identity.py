"""Restore checks that a backup is of this desk (its desk UUID), and says which desk it restored."""

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest

from desk_app.domain.errors import DomainError
from desk_app.services.backup import backup_to, restore_from, restored_text
from desk_app.services.reception import receive
from desk_app.store.identity import desk_uuid
from desk_app.store.store import Store
from tests.services.test_reception import simple_request
from tests.sync.conftest import make_desk


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def other_backup(tmp_path, clock):
    """A backup of another desk: desk 2 of another commune, set up the same day."""
    other = make_desk(tmp_path / "other" / "desk.sqlite3", clock, desk_no=2, unit="000.22.44.H50")
    receive(other, simple_request(name="Lê Thị Cúc"))
    made = backup_to(other, tmp_path / "usb" / "other-desk.sqlite3").path
    uuid = desk_uuid(other.store)
    other.store.close()
    return made, uuid


def test_a_backup_of_another_desk_is_refused_naming_both_and_nothing_changes(desk, clock, tmp_path, other_backup):
    receive(desk, simple_request())
    database = desk.store.path
    desk.store.close()
    before = sorted(p.name for p in database.parent.iterdir())
    digest = _digest(database)
    with pytest.raises(DomainError) as err:
        restore_from(other_backup[0], database, at=clock(), actor="tester", force=True)
    assert err.value.code == "other_desk"
    message = err.value.message
    assert "quầy số 2 của đơn vị 000.22.44.H50" in message and "quầy số 1 của đơn vị 000.21.33.H49" in message
    # the set-up date is when the database was made (the real clock, not the desk's)
    assert len(re.findall(r"cài đặt ngày \d\d/\d\d/\d{4}", message)) == 2 and "--other-desk" in message
    assert _digest(database) == digest and sorted(p.name for p in database.parent.iterdir()) == before


def test_other_desk_replaces_a_dead_pc_keeping_the_backups_identity_and_the_old_file(desk, clock, tmp_path,
                                                                                     other_backup):
    receive(desk, simple_request())
    mine = desk_uuid(desk.store)
    database = desk.store.path
    desk.store.close()
    made = restore_from(other_backup[0], database, at=clock(), actor="tester", force=True, other_desk=True)
    assert made.other_desk and made.kept == database.with_name("desk.sqlite3.replaced-20261123-091500")
    assert made.kept.exists() and made.replaced is not None and made.replaced.desk_uuid == mine
    restored = Store.open(database)
    try:
        assert desk_uuid(restored) == other_backup[1]  # the restored database keeps ITS identity
        detail = restored.db.execute("SELECT detail FROM audit WHERE action = 'database.restore'").fetchone()[0]
        assert '"other_desk":true' in detail.replace(" ", "") and mine in detail
    finally:
        restored.close()
    text = restored_text(made)
    assert "Máy này từ nay là quầy số 2 của đơn vị 000.22.44.H50" in text and str(made.kept) in text


def test_on_a_new_pc_the_backup_is_put_in_place_and_the_desk_named(clock, tmp_path, other_backup):
    database = tmp_path / "new-pc" / "home" / "desk.sqlite3"  # not even the folder exists yet
    made = restore_from(other_backup[0], database, at=clock(), actor="tester")
    assert made.kept is None and made.replaced is None and not made.other_desk
    assert made.desk.desk_uuid == other_backup[1] and made.desk.dossiers == 1
    assert "Đã khôi phục 1 hồ sơ của quầy số 2 của đơn vị 000.22.44.H50" in restored_text(made)


def test_a_sound_database_of_the_same_desk_is_set_aside_as_replaced_with_force(desk, clock, tmp_path):
    receive(desk, simple_request())
    copy = backup_to(desk, tmp_path / "backups" / "desk-20261123.sqlite3").path
    receive(desk, simple_request(name="Trần Văn Bình"))
    database = desk.store.path
    desk.store.close()
    clock.now += dt.timedelta(minutes=5)
    made = restore_from(copy, database, at=clock(), actor="tester", force=True)
    assert made.kept == database.with_name("desk.sqlite3.replaced-20261123-092000") and not made.other_desk
    kept = Store.open(made.kept, read_only=True)
    assert kept.dossiers.count() == 2  # the dossier received after the backup is still in the kept file
    kept.close()


def test_two_restores_in_the_same_second_keep_both_replaced_files(desk, clock, tmp_path):
    copy = backup_to(desk, tmp_path / "backups" / "desk-20261123.sqlite3").path
    database = desk.store.path
    desk.store.close()
    first = restore_from(copy, database, at=clock(), actor="tester", force=True)
    second = restore_from(copy, database, at=clock(), actor="tester", force=True)
    assert first.kept != second.kept and first.kept.exists() and second.kept.exists()
    assert second.kept.name == "desk.sqlite3.replaced-20261123-091500-2"
