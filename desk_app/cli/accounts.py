"""``--user NAME`` and ``desk-app user …``: act as a named officer, manage the desk's accounts.

Passwords never go on the command line: the acting officer's comes from DESK_APP_PASSWORD or a
prompt; a new one (``user add``, ``passwd``, ``reset``) from DESK_APP_NEW_PASSWORD or a prompt
asked twice; ``init --admin`` takes the first administrator's from DESK_APP_PASSWORD or a prompt.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from desk_app.domain.accounts import Permission, Role, check_full_name, check_password, check_username, parse_roles
from desk_app.domain.errors import DomainError
from desk_app.services import accounts
from desk_app.services.desk import Desk
from desk_app.store.accounts import OfficerRow
from desk_app.store.connection import StoreError
from desk_app.store.store import Store

PASSWORD_ENV = "DESK_APP_PASSWORD"
NEW_PASSWORD_ENV = "DESK_APP_NEW_PASSWORD"
ROLE_NAMES = ", ".join(r.value for r in Role)


def add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", help=f"tên đăng nhập của cán bộ thực hiện lệnh (mật khẩu: biến {PASSWORD_ENV} "
                        "hoặc nhập khi được hỏi); bắt buộc khi quầy đã có tài khoản")


def add_init_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--admin", metavar="TÊN", help="tạo tài khoản quản trị đầu tiên với tên đăng nhập này "
                        f"(mật khẩu: biến {PASSWORD_ENV} hoặc nhập khi được hỏi)")
    parser.add_argument("--admin-name", metavar="HỌ_TÊN", help="họ tên đầy đủ của quản trị viên (in trên giấy tờ)")


def add_commands(sub: Any) -> None:
    user = sub.add_parser("user", help="tài khoản cán bộ: thêm, liệt kê, đổi mật khẩu, đặt lại, vô hiệu hoá")
    actions = user.add_subparsers(dest="user_command", metavar="LỆNH", required=True, parser_class=type(user))
    p = actions.add_parser("add", help=f"thêm tài khoản (mật khẩu mới: biến {NEW_PASSWORD_ENV} hoặc nhập hai lần)")
    p.add_argument("username", help="tên đăng nhập: chữ thường không dấu, số, . - _")
    p.add_argument("--name", required=True, help="họ tên đầy đủ (in dưới «Người tiếp nhận hồ sơ»)")
    p.add_argument("--role", action="append", required=True, help=f"vai trò, lặp lại được: {ROLE_NAMES}")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("list", help="liệt kê tài khoản")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("passwd", help=f"đổi mật khẩu của chính mình (mật khẩu mới: biến {NEW_PASSWORD_ENV} "
                           "hoặc nhập hai lần)")
    p.add_argument("--json", action="store_true")
    for name, help_text in (("reset", "quản trị viên đặt lại mật khẩu (và mở khoá) một tài khoản"),
                            ("disable", "vô hiệu hoá một tài khoản (không xoá: nhật ký vẫn ghi tên)"),
                            ("enable", "cho một tài khoản đã vô hiệu hoá đăng nhập lại")):
        p = actions.add_parser(name, help=help_text)
        p.add_argument("username")
        p.add_argument("--json", action="store_true")
    p = actions.add_parser("edit", help="đổi họ tên hoặc vai trò của một tài khoản")
    p.add_argument("username")
    p.add_argument("--name", help="họ tên mới")
    p.add_argument("--role", action="append", help=f"vai trò mới (thay toàn bộ), lặp lại được: {ROLE_NAMES}")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("policy", help="khoá tài khoản khi nhập sai, tự khoá màn hình (không có tham số: xem)")
    p.add_argument("--max-failures", type=int, help="số lần nhập sai liên tiếp thì khoá (mặc định 5)")
    p.add_argument("--lockout-minutes", type=int, help="khoá trong bao nhiêu phút (mặc định 15)")
    p.add_argument("--idle-minutes", type=int, help="cửa sổ tự khoá sau bao nhiêu phút không dùng (0: không khoá; "
                   "mặc định 10)")
    p.add_argument("--min-length", type=int, help="độ dài mật khẩu tối thiểu (mặc định 8)")
    p.add_argument("--json", action="store_true")


def _password(prompt: str, env: str, *, confirm: bool = False) -> str:
    """From ``env`` (scripts), else typed at a terminal, never echoed."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise DomainError("password_required", f"Cần mật khẩu: đặt biến môi trường {env}, hoặc chạy lệnh trong "
                          "cửa sổ dòng lệnh để nhập.", field="password")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise DomainError("password_mismatch", "Hai lần nhập mật khẩu không khớp.", field="password")
    return first


def sign_in(args: argparse.Namespace, desk: Desk) -> None:
    """Act as ``--user``; required once the desk has accounts (else the set-up administrator acts)."""
    user: str | None = args.user
    if not accounts.accounts_exist(desk):
        if user:
            raise DomainError("no_accounts", "Quầy chưa có tài khoản nào; bỏ --user, hoặc tạo tài khoản quản trị "
                              "bằng: desk-app user add TÊN --name \"Họ tên\" --role admin", field="user")
        return
    if not user:
        raise DomainError("sign_in_required", f"Quầy đã có tài khoản cán bộ: hãy thêm --user TÊN_ĐĂNG_NHẬP (mật khẩu "
                          f"lấy từ biến {PASSWORD_ENV} hoặc nhập khi được hỏi).", field="user")
    command = " ".join(filter(None, [args.command, getattr(args, f"{args.command}_command", None)]))
    accounts.sign_in(desk, user, _password(f"Mật khẩu của {user}: ", PASSWORD_ENV), via=f"cli {command}")
    if desk.store.read_only:
        print("Ghi chú: cơ sở dữ liệu chỉ đọc, lần đăng nhập này không ghi được vào nhật ký.", file=sys.stderr)


def restore_signer(args: argparse.Namespace, database: Path, backup: Path) -> tuple[str, str]:
    """Who restores: an administrator of the current database if it opens, else of the backup.

    Returns (login, full name) for the audit; a desk without accounts: the system user.
    """
    for path, read_only in ((database, False), (backup, True)):
        if not path.exists():
            continue
        try:
            store = Store.open(path, read_only=read_only)
        except (StoreError, sqlite3.DatabaseError, OSError):  # a damaged file: the backup decides instead
            continue
        try:
            desk = Desk(store, actor=getpass.getuser())
            sign_in(args, desk)
            desk.require(Permission.RESTORE)
            return desk.login, desk.officer.full_name if desk.officer else ""
        finally:
            store.close()
    return getpass.getuser(), ""


def check_first_admin(args: argparse.Namespace) -> tuple[str, str, str] | None:
    """``init --admin``: the first administrator's login, name and password, checked before set-up."""
    if args.admin is None and args.admin_name is None:
        return None
    if not args.admin or not args.admin_name:
        raise DomainError("admin_incomplete", "Cần cả --admin (tên đăng nhập) và --admin-name (họ tên).", field="admin")
    username, full_name = check_username(args.admin), check_full_name(args.admin_name)
    password = _password(f"Mật khẩu cho {username}: ", PASSWORD_ENV, confirm=True)
    return username, full_name, password


def create_first_admin(desk: Desk, admin: tuple[str, str, str]) -> None:
    username, full_name, password = admin
    check_password(password, accounts.policy(desk))
    if accounts.accounts_exist(desk):
        raise DomainError("accounts_exist", "Quầy đã có tài khoản; thêm tài khoản bằng: desk-app user add …",
                          field="admin")
    officer = accounts.add_officer(desk, username=username, full_name=full_name, roles=frozenset({Role.ADMIN}),
                                   password=password)
    desk.sign_in(officer)  # the rest of the command (the day's backup) is the new administrator's


def officer_json(row: OfficerRow) -> dict[str, Any]:
    o = row.officer
    return {"username": o.username, "full_name": o.full_name, "roles": sorted(r.value for r in o.roles),
            "active": o.active, "locked_until": row.locked_until.isoformat() if row.locked_until else None,
            "last_login_at": row.last_login_at.isoformat() if row.last_login_at else None}


def _emit(args: argparse.Namespace, data: Any, human: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else human)


def run(args: argparse.Namespace, desk: Desk) -> None:
    """``desk-app user …``."""
    action = args.user_command
    if action == "add":
        password = _password(f"Mật khẩu mới cho {args.username}: ", NEW_PASSWORD_ENV, confirm=True)
        officer = accounts.add_officer(desk, username=args.username, full_name=args.name,
                                       roles=parse_roles(args.role), password=password)
        _emit(args, {"username": officer.username, "full_name": officer.full_name,
                     "roles": sorted(r.value for r in officer.roles)},
              f"Đã thêm tài khoản {officer.username} ({officer.full_name}; {officer.roles_label}).")
    elif action == "list":
        found, now = accounts.list_officers(desk), desk.device_clock()
        _emit(args, [officer_json(r) for r in found], "\n".join(
            f"{r.officer.username:16} {r.officer.full_name:28} {r.officer.roles_label}"
            + ("" if r.officer.active else "  (đã vô hiệu hoá)")
            + (f"  (tạm khoá đến {desk.localise(r.locked_until):%H:%M %d/%m/%Y})"
               if r.locked_until and r.locked_until > now else "")
            for r in found))
    elif action == "passwd":
        new = _password("Mật khẩu mới: ", NEW_PASSWORD_ENV, confirm=True)
        accounts.change_password(desk, old=_password("Mật khẩu hiện tại: ", PASSWORD_ENV), new=new)
        _emit(args, {"username": desk.login}, f"Đã đổi mật khẩu của {desk.login}.")
    elif action == "reset":
        accounts.reset_password(desk, args.username,
                                _password(f"Mật khẩu mới cho {args.username}: ", NEW_PASSWORD_ENV, confirm=True))
        _emit(args, {"username": args.username}, f"Đã đặt lại mật khẩu (và mở khoá) tài khoản {args.username}.")
    elif action in ("disable", "enable"):
        officer = accounts.update_officer(desk, args.username, active=action == "enable")
        _emit(args, {"username": officer.username, "active": officer.active},
              f"Tài khoản {officer.username} " + ("đã được mở lại." if officer.active else "đã bị vô hiệu hoá."))
    elif action == "edit":
        officer = accounts.update_officer(desk, args.username, full_name=args.name,
                                          roles=parse_roles(args.role) if args.role else None)
        _emit(args, {"username": officer.username, "full_name": officer.full_name,
                     "roles": sorted(r.value for r in officer.roles)},
              f"Tài khoản {officer.username}: {officer.full_name}; {officer.roles_label}.")
    elif action == "policy":
        changes = {"max_failures": args.max_failures, "lockout_minutes": args.lockout_minutes,
                   "idle_minutes": args.idle_minutes, "min_password_length": args.min_length}
        if all(v is None for v in changes.values()):
            policy = accounts.policy(desk)
        else:
            policy = accounts.set_policy(desk, **changes)
        _emit(args, {"max_failures": policy.max_failures, "lockout_minutes": policy.lockout_minutes,
                     "idle_minutes": policy.idle_minutes, "min_password_length": policy.min_password_length},
              f"Khoá tài khoản sau {policy.max_failures} lần nhập sai liên tiếp, trong {policy.lockout_minutes} phút; "
              f"cửa sổ tự khoá sau {policy.idle_minutes} phút không dùng"
              + (" (không tự khoá)" if policy.idle_minutes == 0 else "")
              + f"; mật khẩu ít nhất {policy.min_password_length} ký tự.")
