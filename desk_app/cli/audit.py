"""``desk-app audit …``: verify the hash chain of the audit trail, list it, export it to CSV."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desk_app.services import audit_trail
from desk_app.services.audit_trail import AuditFilter
from desk_app.services.desk import Desk

EXIT_TRAIL_BROKEN = 4  # the trail was edited, cut or reordered outside the program


def add_commands(sub: Any, date_type: Any) -> None:
    audit = sub.add_parser("audit", help="nhật ký hệ thống: kiểm tra chuỗi mã băm, xem, xuất CSV")
    actions = audit.add_subparsers(dest="audit_command", metavar="LỆNH", required=True, parser_class=type(audit))
    p = actions.add_parser("verify", help=f"kiểm tra nhật ký chưa bị sửa, xoá hay đổi thứ tự (mã thoát "
                           f"{EXIT_TRAIL_BROKEN} và tên mục hỏng đầu tiên nếu có)")
    p.add_argument("--json", action="store_true")
    for name, help_text in (("list", "xem các mục nhật ký, mới nhất trước"),
                            ("export", "xuất nhật ký ra tệp CSV (việc xuất được ghi nhật ký)")):
        p = actions.add_parser(name, help=help_text)
        if name == "export":
            p.add_argument("file", type=Path)
        p.add_argument("--officer", help="chỉ của một tên đăng nhập")
        p.add_argument("--action", help='chỉ một loại thao tác (tiền tố, ví dụ "dossier." hoặc "officer.login")')
        p.add_argument("--since", type=date_type, help="từ ngày (dd/mm/yyyy)")
        p.add_argument("--until", type=date_type, help="đến hết ngày (dd/mm/yyyy)")
        if name == "list":
            p.add_argument("--limit", type=int, default=100)
        p.add_argument("--json", action="store_true")


def _filter(args: argparse.Namespace) -> AuditFilter:
    return AuditFilter(actor=args.officer, action=args.action, since=args.since, until=args.until)


def run(args: argparse.Namespace, desk: Desk) -> int:
    """``desk-app audit …``; returns the exit code (EXIT_TRAIL_BROKEN for a broken chain)."""
    if args.audit_command == "verify":
        result = audit_trail.verify(desk)
        broken = result.broken
        data = {"ok": result.ok, "checked": result.checked, "head": audit_trail.head(desk),
                "broken": {"id": broken.id, "at": broken.at, "reason": broken.reason} if broken else None,
                "message": audit_trail.describe(result)}
        print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else data["message"])
        return 0 if result.ok else EXIT_TRAIL_BROKEN
    if args.audit_command == "export":
        count = audit_trail.export_csv(desk, args.file, _filter(args))
        print(json.dumps({"file": str(args.file), "entries": count}) if args.json
              else f"Đã xuất {count} mục nhật ký vào {args.file}.")
        return 0
    found = audit_trail.entries(desk, _filter(args), limit=args.limit)
    if args.json:
        print(json.dumps([{"id": e.id, "at": e.at, "device": e.device, "actor": e.actor, "actor_name": e.actor_name,
                           "action": e.action, "entity": e.entity, "entity_id": e.entity_id,
                           "detail": json.loads(e.detail), "hash": e.hash} for e in found],
                         ensure_ascii=False, indent=1))
    else:
        print("\n".join(f"{e.id:>7} {e.at}  {e.actor:12} {e.action:24} {e.entity_id}" for e in found)
              or "Không có mục nào.")
    return 0
