"""Officers, their roles and what each role may do, as data; the lock-out and idle-lock policy."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import Action
from desk_app.domain.text import nfc


class Role(str, Enum):
    RECEPTIONIST = "receptionist"  # công chức một cửa: reception, lifecycle steps, return
    LEADER = "leader"  # lãnh đạo: signs apologies and extensions, reads reports
    ADMIN = "admin"  # quản trị: catalogue, calendar, settings, accounts, restore, audit

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: Mapping[Role, str] = MappingProxyType({
    Role.RECEPTIONIST: "Tiếp nhận và trả kết quả",
    Role.LEADER: "Lãnh đạo",
    Role.ADMIN: "Quản trị",
})


class Permission(str, Enum):
    VIEW = "view"  # search and open dossiers (personal data: every view is audited)
    RECEPTION = "reception"  # receive a dossier, issue a supplement guidance slip (Mẫu 02)
    LIFECYCLE = "lifecycle"  # forward, record the result, withdraw
    RETURN = "return"  # hand the result back to the citizen
    SIGN_OFF = "sign_off"  # apology and extension (Mẫu 04) sign-off
    REPORTS = "reports"
    CATALOGUE = "catalogue"
    CALENDAR = "calendar"
    SETTINGS = "settings"  # desk profile, printer, fee receipt book, account and retention policy
    ACCOUNTS = "accounts"
    RESTORE = "restore"
    AUDIT = "audit"  # read and export the audit trail
    PERSONAL_DATA = "personal_data"  # export one citizen's records, purge what is past retention

    @property
    def label(self) -> str:
        return PERMISSION_LABELS[self]


PERMISSION_LABELS: Mapping[Permission, str] = MappingProxyType({
    Permission.VIEW: "xem hồ sơ",
    Permission.RECEPTION: "tiếp nhận hồ sơ",
    Permission.LIFECYCLE: "chuyển bước xử lý hồ sơ",
    Permission.RETURN: "trả kết quả",
    Permission.SIGN_OFF: "ký văn bản xin lỗi, gia hạn",
    Permission.REPORTS: "xem báo cáo",
    Permission.CATALOGUE: "sửa danh mục thủ tục",
    Permission.CALENDAR: "sửa lịch nghỉ lễ",
    Permission.SETTINGS: "thay đổi cài đặt quầy",
    Permission.ACCOUNTS: "quản lý tài khoản",
    Permission.RESTORE: "khôi phục dữ liệu",
    Permission.AUDIT: "xem nhật ký hệ thống",
    Permission.PERSONAL_DATA: "xuất hoặc xoá dữ liệu cá nhân",
})

# The permission table. An officer may hold several roles (a small commune's admin also
# receives dossiers); each role grants its row. Every role may look dossiers up.
PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType({
    Role.RECEPTIONIST: frozenset({Permission.VIEW, Permission.RECEPTION, Permission.LIFECYCLE, Permission.RETURN}),
    Role.LEADER: frozenset({Permission.VIEW, Permission.SIGN_OFF, Permission.REPORTS}),
    Role.ADMIN: frozenset({
        Permission.VIEW, Permission.CATALOGUE, Permission.CALENDAR, Permission.SETTINGS, Permission.ACCOUNTS,
        Permission.RESTORE, Permission.AUDIT, Permission.PERSONAL_DATA,
    }),
})

# Which permission each lifecycle step needs.
ACTION_PERMISSIONS: Mapping[Action, Permission] = MappingProxyType({
    Action.FORWARD: Permission.LIFECYCLE,
    Action.RECORD_RESULT: Permission.LIFECYCLE,
    Action.WITHDRAW: Permission.LIFECYCLE,
    Action.REQUEST_SUPPLEMENT: Permission.LIFECYCLE,
    Action.RECEIVE_SUPPLEMENT: Permission.LIFECYCLE,
    Action.REFUSE: Permission.LIFECYCLE,
    Action.STOP: Permission.LIFECYCLE,
    # The receptionist records the apology; the leader's sign-off is checked on its own
    # (services.lifecycle.may_sign_off: an officer holding SIGN_OFF).
    Action.APOLOGIZE: Permission.LIFECYCLE,
    Action.RETURN_RESULT: Permission.RETURN,
})


@dataclass(frozen=True)
class Officer:
    """A person who signs in at the desk. ``full_name`` is what papers and history show."""

    username: str
    full_name: str
    roles: frozenset[Role]
    active: bool = True

    def can(self, permission: Permission) -> bool:
        return self.active and any(permission in PERMISSIONS[role] for role in self.roles)

    @property
    def roles_label(self) -> str:
        return ", ".join(role.label for role in Role if role in self.roles)


def require(officer: Officer, permission: Permission) -> None:
    """DomainError (``forbidden``, Vietnamese) unless ``officer`` may do ``permission``."""
    if not officer.can(permission):
        raise DomainError(
            "forbidden",
            f"Tài khoản {officer.username} ({officer.roles_label}) không có quyền {permission.label}. "
            "Hãy nhờ người có quyền, hoặc quản trị viên cấp thêm vai trò.",
        )


@dataclass(frozen=True)
class AccountPolicy:
    """Settings with documented defaults: lock-out after ``max_failures`` wrong passwords in a
    row for ``lockout_minutes``; the window locks after ``idle_minutes`` without input (0: never)."""

    max_failures: int = 5
    lockout_minutes: int = 15
    idle_minutes: int = 10
    min_password_length: int = 8

    def __post_init__(self) -> None:
        if not 1 <= self.max_failures <= 100:
            raise DomainError("invalid_policy", "Số lần nhập sai tối đa phải từ 1 đến 100.", field="max_failures")
        if not 1 <= self.lockout_minutes <= 24 * 60:
            raise DomainError("invalid_policy", "Thời gian khoá phải từ 1 đến 1.440 phút.", field="lockout_minutes")
        if not 0 <= self.idle_minutes <= 24 * 60:
            raise DomainError("invalid_policy", "Thời gian tự khoá màn hình phải từ 0 đến 1.440 phút.",
                              field="idle_minutes")
        if not 6 <= self.min_password_length <= 128:
            raise DomainError("invalid_policy", "Độ dài mật khẩu tối thiểu phải từ 6 đến 128.",
                              field="min_password_length")

    def after_failure(self, failed_attempts: int, now: dt.datetime) -> tuple[int, dt.datetime | None]:
        """The failure count after one more wrong password, and until when the account is locked."""
        failed = failed_attempts + 1
        if failed >= self.max_failures:
            return 0, now + dt.timedelta(minutes=self.lockout_minutes)
        return failed, None


_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MAX_FULL_NAME = 100


def check_username(text: str) -> str:
    """A login: 2–32 lower-case letters without diacritics, digits, dot, dash or underscore."""
    username = nfc(text).strip().lower()
    if not _USERNAME.fullmatch(username):
        raise DomainError(
            "invalid_username",
            "Tên đăng nhập gồm 2–32 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới "
            "(bắt đầu bằng chữ hoặc số).",
            field="username",
        )
    return username


def check_full_name(text: str) -> str:
    """The officer's name as papers print it under "Người tiếp nhận hồ sơ"."""
    name = " ".join(nfc(text).split())
    if not name or len(name) > MAX_FULL_NAME or any(not ch.isprintable() for ch in name):
        raise DomainError("invalid_full_name", f"Họ tên cán bộ không được để trống, tối đa {MAX_FULL_NAME} ký tự.",
                          field="full_name")
    return name


def check_password(text: str, policy: AccountPolicy) -> str:
    """A new password: at least ``policy.min_password_length`` characters, not only spaces."""
    if len(text) < policy.min_password_length or not text.strip():
        raise DomainError("weak_password", f"Mật khẩu cần ít nhất {policy.min_password_length} ký tự.",
                          field="password")
    if len(text) > 1024:
        raise DomainError("weak_password", "Mật khẩu quá dài (tối đa 1.024 ký tự).", field="password")
    return text


def parse_roles(values: Iterable[str]) -> frozenset[Role]:
    """Roles from their names (``receptionist``, ``leader``, ``admin``); at least one."""
    roles = set()
    for value in values:
        try:
            roles.add(Role(value.strip().lower()))
        except ValueError:
            names = ", ".join(r.value for r in Role)
            raise DomainError("invalid_role", f"Không có vai trò '{value}' (các vai trò: {names}).",
                              field="roles") from None
    if not roles:
        raise DomainError("invalid_role", "Tài khoản cần ít nhất một vai trò.", field="roles")
    return frozenset(roles)
