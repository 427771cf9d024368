"""Roles and permissions as data; logins, names and passwords checked in Vietnamese."""

import datetime as dt

import pytest

from desk_app.domain.accounts import (
    ACTION_PERMISSIONS,
    PERMISSIONS,
    AccountPolicy,
    Officer,
    Permission,
    Role,
    check_full_name,
    check_password,
    check_username,
    parse_roles,
    require,
)
from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import Action


def test_the_permission_table_gives_each_role_its_work():
    assert Permission.RECEPTION in PERMISSIONS[Role.RECEPTIONIST]
    assert Permission.RETURN in PERMISSIONS[Role.RECEPTIONIST]
    assert Permission.CATALOGUE not in PERMISSIONS[Role.RECEPTIONIST]
    assert {Permission.SIGN_OFF, Permission.REPORTS} <= PERMISSIONS[Role.LEADER]
    assert Permission.RECEPTION not in PERMISSIONS[Role.LEADER]
    assert {Permission.CATALOGUE, Permission.CALENDAR, Permission.SETTINGS, Permission.ACCOUNTS,
            Permission.RESTORE} <= PERMISSIONS[Role.ADMIN]
    assert all(Permission.VIEW in granted for granted in PERMISSIONS.values())
    assert set(ACTION_PERMISSIONS) == set(Action)  # every lifecycle step needs a named permission


def test_an_officer_with_two_roles_may_do_both_and_a_disabled_one_nothing():
    both = Officer("an", "Nguyễn Văn An", frozenset({Role.ADMIN, Role.RECEPTIONIST}))
    assert both.can(Permission.RECEPTION) and both.can(Permission.CATALOGUE)
    assert not Officer("an", "Nguyễn Văn An", frozenset({Role.ADMIN}), active=False).can(Permission.VIEW)


def test_a_refusal_names_the_account_and_what_it_may_not_do():
    officer = Officer("binh", "Trần Thị Bình", frozenset({Role.RECEPTIONIST}))
    with pytest.raises(DomainError) as err:
        require(officer, Permission.CATALOGUE)
    assert err.value.code == "forbidden"
    assert "binh" in err.value.message and "sửa danh mục thủ tục" in err.value.message


@pytest.mark.parametrize("text, expected", [("An", "an"), (" tran.binh ", "tran.binh"), ("cb_01", "cb_01")])
def test_usernames_are_plain_lower_case(text, expected):
    assert check_username(text) == expected


@pytest.mark.parametrize("text", ["", "a", "Bình", "an binh", "-an", "x" * 33, "an@xa"])
def test_bad_usernames_are_refused_in_vietnamese(text):
    with pytest.raises(DomainError) as err:
        check_username(text)
    assert "Tên đăng nhập" in err.value.message


def test_full_names_are_nfc_with_single_spaces():
    assert check_full_name("  Nguye\u0302\u0303n  Thị\tBình ") == "Nguyễn Thị Bình"
    with pytest.raises(DomainError):
        check_full_name("   ")


def test_passwords_need_the_policy_length():
    assert check_password("mật khẩu dài", AccountPolicy()) == "mật khẩu dài"
    with pytest.raises(DomainError) as err:
        check_password("ngắn", AccountPolicy())
    assert "ít nhất 8 ký tự" in err.value.message


def test_roles_parse_by_name_and_one_is_required():
    assert parse_roles(["Admin", "receptionist"]) == {Role.ADMIN, Role.RECEPTIONIST}
    for bad in (["chief"], []):
        with pytest.raises(DomainError):
            parse_roles(bad)


def test_the_lock_out_starts_at_the_nth_failure():
    policy = AccountPolicy(max_failures=3, lockout_minutes=15)
    now = dt.datetime(2026, 11, 23, 9, 0)
    assert policy.after_failure(0, now) == (1, None)
    assert policy.after_failure(1, now) == (2, None)
    assert policy.after_failure(2, now) == (0, now + dt.timedelta(minutes=15))


def test_a_policy_out_of_range_is_refused():
    with pytest.raises(DomainError):
        AccountPolicy(max_failures=0)
    with pytest.raises(DomainError):
        AccountPolicy(idle_minutes=-1)
