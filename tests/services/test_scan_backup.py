"""Backups carry the scans (still encrypted, verified before the final name); a backup restored
on another machine opens its scans once an administrator signs in there, and not before."""

import datetime as dt
import shutil

import pytest
from argon2 import PasswordHasher, profiles

from desk_app.domain.accounts import Role
from desk_app.domain.errors import DomainError
from desk_app.services import accounts, scans
from desk_app.services.backup import backup_to, restore_from
from desk_app.services.desk import Desk
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store import scan_backup
from desk_app.store.store import Store
from tests import scan_samples

CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)
VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def scanned(desk):
    accounts.add_officer(desk, username="quantri", full_name="Nguyễn Văn Quản", roles=frozenset({Role.ADMIN, Role.RECEPTIONIST}),
                         password="mat-khau-dai-1", hasher=CHEAP)
    accounts.sign_in(desk, "quantri", "mat-khau-dai-1", via="test", hasher=CHEAP)
    code = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Đặng Thị Hoà")).dossier.code
    png, pdf = scan_samples.image(), scan_samples.pdf(2)
    scans.attach(desk, code, 1, png)
    scans.attach(desk, code, 2, pdf)
    return code, png, pdf


def test_the_backup_carries_the_scans_encrypted(desk, scanned, tmp_path):
    made = backup_to(desk, tmp_path / "usb" / "copy.sqlite3")
    assert made.scans == 2 and made.missing_scans == ()
    carried = dict(scan_backup.files_in(made.path))
    assert len(carried) == 2
    raw = made.path.read_bytes()
    assert scanned[1] not in raw and scanned[2] not in raw  # the plain images are nowhere in the file


def test_restored_on_another_machine_opens_its_scans_after_an_admin_signs_in(desk, scanned, tmp_path):
    code, png, pdf = scanned
    made = backup_to(desk, tmp_path / "usb" / "copy.sqlite3")
    other = tmp_path / "other-machine"
    other.mkdir()
    usb_copy = other / "from-usb.sqlite3"
    shutil.copy(made.path, usb_copy)  # only the backup travels: no key file, no scans folder
    database = other / "desk.sqlite3"
    restore_from(usb_copy, database, at=dt.datetime(2026, 11, 24, 8, 0, tzinfo=VN), actor="quantri")
    store = Store.open(database)
    try:
        restored = Desk(store, actor="quantri")
        restored.officer = None
        found = scans.scans_of  # before sign-in the desk refuses anyone (accounts exist)
        with pytest.raises(DomainError):
            found(restored, code)
        files = scans.files_of(restored)
        assert len(files.hashes()) == 2 and files.key() is None
        with pytest.raises(DomainError) as refused:
            files.read(next(iter(files.hashes())))
        assert refused.value.code == "scan_key_missing" and "quản trị" in refused.value.message
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(restored, "quantri", "sai-mat-khau", via="test", hasher=CHEAP)
        assert files.key() is None
        accounts.sign_in(restored, "quantri", "mat-khau-dai-1", via="test", hasher=CHEAP)
        assert files.key() is not None
        opened = {s.paper: scans.open_scan(restored, code, s) for s in scans.scans_of(restored, code)}
        assert opened == {1: png, 2: pdf}
        assert store.db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'backup_scan_files'").fetchone()[0] == 0
    finally:
        store.close()


def test_a_backup_whose_scan_does_not_open_is_not_made(desk, scanned, tmp_path, monkeypatch):
    import desk_app.services.backup as backup

    real = scan_backup.add_files

    def damaged(partial, hashes, read):
        return real(partial, hashes, lambda sha: b"DSKSCAN1" + b"\0" * 60)

    monkeypatch.setattr(backup.scan_backup, "add_files", damaged)
    with pytest.raises(DomainError) as refused:
        backup_to(desk, tmp_path / "usb" / "copy.sqlite3")
    assert refused.value.code == "backup_unverified"
    assert not list((tmp_path / "usb").glob("copy.sqlite3*"))


def test_a_password_change_rewraps_and_a_reset_drops_the_copy(desk, scanned):
    from desk_app.store import scans as rows

    before = rows.key_wrap(desk.store, "quantri")
    accounts.change_password(desk, old="mat-khau-dai-1", new="mat-khau-moi-22", hasher=CHEAP)
    after = rows.key_wrap(desk.store, "quantri")
    assert after is not None and after[1] != before[1]  # a new salt: wrapped under the new password
    accounts.reset_password(desk, "quantri", "mat-khau-ba-333", hasher=CHEAP)
    assert rows.key_wrap(desk.store, "quantri") is None


def test_a_desk_that_scanned_without_accounts_wraps_its_key_for_the_first_admin(store, clock, tmp_path):
    from desk_app.store import scans as rows

    desk = Desk(store, clock=clock, actor="tester", device_clock=clock)
    desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49",
                    desk_no=1)
    code = receive(desk, ReceptionRequest(procedure_code="1.004837", name="Lý Văn Nam")).dossier.code
    scans.attach(desk, code, 1, scan_samples.image())
    assert rows.key_wraps(desk.store) == []
    accounts.add_officer(desk, username="quantri", full_name="Nguyễn Văn Quản", roles=frozenset({Role.ADMIN}),
                         password="mat-khau-dai-1", hasher=CHEAP)
    assert [w[0] for w in rows.key_wraps(desk.store)] == ["quantri"]


def test_restored_over_a_fresh_desk_the_backups_key_comes_back(desk, scanned, tmp_path, clock):
    """The new machine was set up afresh (its admin's sign-in made a key) before the backup was
    restored over it: that key is set aside, the backup's comes back with the admin's sign-in."""
    code, png, _ = scanned
    made = backup_to(desk, tmp_path / "usb" / "copy.sqlite3")
    other = tmp_path / "other-machine"
    other.mkdir()
    fresh = Store.open(other / "desk.sqlite3")
    new_desk = Desk(fresh, clock=clock, actor="tester", device_clock=clock)
    new_desk.initialise(commune="Xã Tân Phú", authority="Ủy ban nhân dân xã Tân Phú", unit_code="000.21.33.H49",
                        desk_no=1)
    accounts.add_officer(new_desk, username="moi", full_name="Người Mới", roles=frozenset({Role.ADMIN}),
                         password="mat-khau-moi-1", hasher=CHEAP)
    accounts.sign_in(new_desk, "moi", "mat-khau-moi-1", via="test", hasher=CHEAP)
    assert scans.files_of(new_desk).key() is not None
    fresh.close()
    # A desk set up afresh has its own identity: taking the backup's is the explicit --other-desk case.
    restore_from(made.path, other / "desk.sqlite3", at=dt.datetime(2026, 11, 24, 8, 0, tzinfo=VN), actor="moi",
                 force=True, other_desk=True)
    assert list(other.glob("desk-scans.key.replaced-*"))
    store = Store.open(other / "desk.sqlite3")
    try:
        restored = Desk(store, actor="quantri")
        accounts.sign_in(restored, "quantri", "mat-khau-dai-1", via="test", hasher=CHEAP)
        first = next(s for s in scans.scans_of(restored, code) if s.paper == 1)
        assert scans.open_scan(restored, code, first) == png
    finally:
        store.close()
