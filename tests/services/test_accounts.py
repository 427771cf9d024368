"""Accounts: the first administrator, signing in with lock-out, roles checked by the services."""

import datetime as dt

import pytest
from argon2 import PasswordHasher, profiles

from desk_app.domain.accounts import Role
from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import Action
from desk_app.services import accounts, lifecycle
from desk_app.services.accounts import SignInFailed
from desk_app.services.reception import ReceptionRequest, receive
from desk_app.store import accounts as rows

CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)  # the real one costs ~0.3 s a hash
ADMIN, CLERK, CHIEF = "quantri", "binh", "truong"


def audit_rows(desk, action=None):
    sql = "SELECT actor, actor_name, action, entity_id, detail FROM audit"
    rows_ = desk.store.db.execute(sql + (" WHERE action = ?" if action else "") + " ORDER BY id",
                                  [action] if action else []).fetchall()
    return rows_


@pytest.fixture
def staffed(desk):
    """A desk with an administrator, a receptionist and a leader; nobody signed in."""
    accounts.add_officer(desk, username=ADMIN, full_name="Nguyễn Văn Quản", roles=frozenset({Role.ADMIN}),
                         password="quantri-2026", hasher=CHEAP)
    desk.sign_in(rows.find(desk.store, ADMIN).officer)
    accounts.add_officer(desk, username=CLERK, full_name="Trần Thị Bình", roles=frozenset({Role.RECEPTIONIST}),
                         password="binh-2026!", hasher=CHEAP)
    accounts.add_officer(desk, username=CHIEF, full_name="Lê Văn Trưởng", roles=frozenset({Role.LEADER}),
                         password="truong-2026", hasher=CHEAP)
    desk.sign_out()
    return desk


def clerk_receives(desk, name="Phạm Thị Dân"):
    return receive(desk, ReceptionRequest(procedure_code="2.000815", name=name, pages=3)).dossier


def test_the_first_account_must_be_an_administrator(desk):
    with pytest.raises(DomainError) as err:
        accounts.add_officer(desk, username="binh", full_name="Trần Thị Bình", roles=frozenset({Role.RECEPTIONIST}),
                             password="binh-2026!", hasher=CHEAP)
    assert err.value.code == "first_account_admin"
    assert not rows.has_officers(desk.store)


def test_without_accounts_the_set_up_administrator_does_everything(desk):
    assert desk.officer is None
    assert clerk_receives(desk).receiver == "tester"  # the system login, as before accounts


def test_once_accounts_exist_nobody_acts_without_signing_in(staffed):
    before = staffed.store.dossiers.count()
    with pytest.raises(DomainError) as err:
        clerk_receives(staffed)
    assert err.value.code == "sign_in_required" and "đăng nhập" in err.value.message
    assert staffed.store.dossiers.count() == before


def test_the_officers_full_name_is_on_the_dossier_and_both_names_in_the_audit(staffed):
    officer = accounts.sign_in(staffed, "Binh", "binh-2026!", via="test", hasher=CHEAP)
    assert officer.full_name == "Trần Thị Bình"
    dossier = clerk_receives(staffed)
    assert dossier.receiver == "Trần Thị Bình"  # printed under "Người tiếp nhận hồ sơ" / "Người thu tiền"
    assert staffed.dossier(dossier.code).receiver == "Trần Thị Bình"
    assert audit_rows(staffed, "dossier.receive")[-1][:3] == ("binh", "Trần Thị Bình", "dossier.receive")
    assert audit_rows(staffed, "officer.login")[-1][:4] == ("binh", "Trần Thị Bình", "officer.login", "binh")


def test_a_receptionist_cannot_import_a_catalogue_and_nothing_is_written(staffed, tmp_path):
    accounts.sign_in(staffed, CLERK, "binh-2026!", via="test", hasher=CHEAP)
    audit_before = staffed.store.tables.count("audit")
    with pytest.raises(DomainError) as err:
        staffed.import_catalogue(tmp_path / "danh-muc.csv")  # refused before the file is even read
    assert err.value.code == "forbidden"
    assert "binh" in err.value.message and "không có quyền sửa danh mục thủ tục" in err.value.message
    for refused in (lambda: staffed.import_calendar(tmp_path / "lich.csv"), lambda: staffed.set_printer("HP"),
                    lambda: staffed.set_fee_receipt_book(series="AB/26T"),
                    lambda: accounts.list_officers(staffed)):
        with pytest.raises(DomainError, match="không có quyền"):
            refused()
    assert staffed.store.tables.count("audit") == audit_before


def test_each_role_does_only_its_own_work(staffed):
    accounts.sign_in(staffed, CLERK, "binh-2026!", via="test", hasher=CHEAP)
    code = clerk_receives(staffed).code
    accounts.sign_in(staffed, CHIEF, "truong-2026", via="test", hasher=CHEAP)
    with pytest.raises(DomainError, match="không có quyền chuyển bước xử lý hồ sơ"):
        lifecycle.apply(staffed, code, Action.FORWARD)
    with pytest.raises(DomainError, match="không có quyền tiếp nhận hồ sơ"):
        clerk_receives(staffed)
    assert staffed.view_dossier(code).code == code  # every role may look a dossier up
    accounts.sign_in(staffed, ADMIN, "quantri-2026", via="test", hasher=CHEAP)
    with pytest.raises(DomainError, match="không có quyền tiếp nhận hồ sơ"):
        clerk_receives(staffed)
    staffed.set_printer("HP-LaserJet")  # an admin's setting
    accounts.sign_in(staffed, CLERK, "binh-2026!", via="test", hasher=CHEAP)
    assert lifecycle.apply(staffed, code, Action.FORWARD).code == code


def test_wrong_passwords_lock_the_account_for_a_while(staffed, clock):
    accounts.sign_in(staffed, ADMIN, "quantri-2026", via="test", hasher=CHEAP)
    accounts.set_policy(staffed, max_failures=3, lockout_minutes=15)
    staffed.sign_out()
    for _ in range(2):
        with pytest.raises(SignInFailed) as err:
            accounts.sign_in(staffed, CLERK, "sai-mat-khau", via="test", hasher=CHEAP)
        assert err.value.message == "Sai tên đăng nhập hoặc mật khẩu."
    with pytest.raises(SignInFailed) as err:
        accounts.sign_in(staffed, CLERK, "sai-mat-khau", via="test", hasher=CHEAP)
    assert "tạm khoá" in err.value.message and "09:30" in err.value.message
    with pytest.raises(SignInFailed) as err:  # even the right password waits for the lock to end
        accounts.sign_in(staffed, CLERK, "binh-2026!", via="test", hasher=CHEAP)
    assert err.value.reason == "locked"
    assert staffed.officer is None
    failed = audit_rows(staffed, "officer.login_failed")
    assert [row[0] for row in failed] == [CLERK] * 4
    assert '"reason": "locked"' in failed[-1][4]
    clock.now += dt.timedelta(minutes=16)
    assert accounts.sign_in(staffed, CLERK, "binh-2026!", via="test", hasher=CHEAP).username == CLERK
    assert rows.find(staffed.store, CLERK).failed_attempts == 0


def test_an_unknown_login_gets_the_same_answer_as_a_wrong_password(staffed):
    with pytest.raises(SignInFailed) as err:
        accounts.sign_in(staffed, "khong-co", "whatever-1", via="test", hasher=CHEAP)
    assert (err.value.reason, err.value.message) == ("unknown_user", "Sai tên đăng nhập hoặc mật khẩu.")
    assert audit_rows(staffed, "officer.login_failed")[-1][0] == "khong-co"


def test_an_admin_resets_a_password_and_lifts_the_lock(staffed):
    for _ in range(5):
        with pytest.raises(SignInFailed):
            accounts.sign_in(staffed, CLERK, "sai-mat-khau", via="test", hasher=CHEAP)
    assert rows.find(staffed.store, CLERK).locked_until is not None
    accounts.sign_in(staffed, ADMIN, "quantri-2026", via="test", hasher=CHEAP)
    accounts.reset_password(staffed, CLERK, "mat-khau-moi-1", hasher=CHEAP)
    assert rows.find(staffed.store, CLERK).locked_until is None
    assert accounts.sign_in(staffed, CLERK, "mat-khau-moi-1", via="test", hasher=CHEAP).username == CLERK
    assert audit_rows(staffed, "officer.reset_password")[-1][:4] == (ADMIN, "Nguyễn Văn Quản",
                                                                     "officer.reset_password", CLERK)


def test_officers_change_their_own_password(staffed):
    accounts.sign_in(staffed, CLERK, "binh-2026!", via="test", hasher=CHEAP)
    with pytest.raises(DomainError, match="Mật khẩu hiện tại không đúng"):
        accounts.change_password(staffed, old="doan-bua", new="mat-khau-moi-2", hasher=CHEAP)
    with pytest.raises(DomainError, match="ít nhất 8 ký tự"):
        accounts.change_password(staffed, old="binh-2026!", new="ngan", hasher=CHEAP)
    accounts.change_password(staffed, old="binh-2026!", new="mat-khau-moi-2", hasher=CHEAP)
    staffed.sign_out()
    with pytest.raises(SignInFailed):
        accounts.sign_in(staffed, CLERK, "binh-2026!", via="test", hasher=CHEAP)
    accounts.sign_in(staffed, CLERK, "mat-khau-moi-2", via="test", hasher=CHEAP)


def test_a_disabled_account_cannot_sign_in_and_the_last_admin_stays(staffed):
    accounts.sign_in(staffed, ADMIN, "quantri-2026", via="test", hasher=CHEAP)
    accounts.update_officer(staffed, CLERK, active=False)
    with pytest.raises(SignInFailed, match="vô hiệu hoá"):
        accounts.sign_in(staffed, CLERK, "binh-2026!", via="test", hasher=CHEAP)
    accounts.sign_in(staffed, ADMIN, "quantri-2026", via="test", hasher=CHEAP)
    for change in ({"active": False}, {"roles": frozenset({Role.RECEPTIONIST})}):
        with pytest.raises(DomainError) as err:
            accounts.update_officer(staffed, ADMIN, **change)
        assert err.value.code == "last_admin"
    # With the admin role kept, one's own name and roles may change; the desk acts under the new name.
    accounts.update_officer(staffed, ADMIN, full_name="Nguyễn Văn Quản Trị",
                            roles=frozenset({Role.ADMIN, Role.RECEPTIONIST}))
    assert staffed.actor == "Nguyễn Văn Quản Trị"
    assert clerk_receives(staffed).receiver == "Nguyễn Văn Quản Trị"


def test_a_login_is_taken_once(staffed):
    accounts.sign_in(staffed, ADMIN, "quantri-2026", via="test", hasher=CHEAP)
    with pytest.raises(DomainError) as err:
        accounts.add_officer(staffed, username="BINH", full_name="Người Khác", roles=frozenset({Role.LEADER}),
                             password="mat-khau-khac", hasher=CHEAP)
    assert err.value.code == "username_taken"


def test_a_weak_hash_is_upgraded_at_the_next_sign_in(staffed):
    cheap_hash = rows.find(staffed.store, CLERK).password_hash
    accounts.sign_in(staffed, CLERK, "binh-2026!", via="test")  # the real hasher
    upgraded = rows.find(staffed.store, CLERK).password_hash
    assert upgraded != cheap_hash and upgraded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    staffed.sign_out()
    accounts.sign_in(staffed, CLERK, "binh-2026!", via="test")
