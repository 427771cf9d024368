"""``desk-app sync …``: the desk's side of sync from the command line (enrol, now, status, USB files).

A thin shell over ``services.sync`` and ``services.sync_usb``; failures are ``SyncFailed``
(DomainError) and leave through ``cli.main`` with a Vietnamese message: exit 2 for the officer's
input (no enrolment, a refused file), 3 for the network, the hub or the disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk_app.services.desk import Desk
from desk_app.services.sync import enroll, sync_now, sync_status
from desk_app.services.sync_usb import export_usb, import_usb


def add_sync_commands(sub: Any) -> None:
    """Add ``sync`` and its actions to the top-level subparsers ``sub``."""
    sync = sub.add_parser("sync", help="đồng bộ với máy chủ cấp trên: ghi danh, gửi và nhận, trạng thái, tệp USB")
    actions = sync.add_subparsers(dest="sync_command", metavar="VIỆC", required=True, parser_class=type(sync))

    p = actions.add_parser("enroll", help="ghi danh quầy với máy chủ bằng mã một lần do cấp trên cấp")
    p.add_argument("--hub", required=True, help="địa chỉ máy chủ, ví dụ http://192.168.1.10:8750")
    p.add_argument("--code", required=True, help="mã ghi danh một lần (desk-app hub enroll)")
    p.add_argument("--json", action="store_true")

    p = actions.add_parser("now", help="đồng bộ ngay: gửi các thay đổi chờ gửi, nhận quyết định và cập nhật")
    p.add_argument("--json", action="store_true")

    p = actions.add_parser("status", help="trạng thái đồng bộ: chờ gửi, lần cuối, bị từ chối (chỉ đọc)")
    p.add_argument("--json", action="store_true")

    p = actions.add_parser("export", help="xuất các thay đổi chờ gửi ra tệp USB (cho xã không có mạng)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")

    p = actions.add_parser("import", help="nhập tệp USB của máy chủ: xác nhận đã nhận và các cập nhật "
                           "(nhập lại lần nữa không thay đổi gì)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")


def _emit(args: argparse.Namespace, data: Any, human: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1, default=str) if args.json else human)


def _time(text: str | None) -> str:
    return f"{dt.datetime.fromisoformat(text):%H:%M %d/%m/%Y}" if text else "chưa có"


def _enroll(args: argparse.Namespace, desk: Desk) -> None:
    done = enroll(desk, args.hub, args.code)
    _emit(args, {"hub_url": done.hub_url, "unit_code": done.unit_code, "desk_no": done.desk_no,
                 "enrolled_at": done.enrolled_at},
          f"Đã ghi danh quầy {done.desk_no} của {done.unit_code} với máy chủ {done.hub_url}.")


def _now(args: argparse.Namespace, desk: Desk) -> None:
    report = sync_now(desk)
    lines = [f"Đã đồng bộ với {report.hub_url}: gửi {report.sent} thay đổi ({report.applied} ghi mới, "
             f"{report.duplicate} đã có, {report.rejected} bị từ chối, {report.held} chờ số trước); "
             f"nhận {report.pulled} cập nhật ({report.updates_applied} áp dụng). Còn {report.pending} chờ gửi."]
    lines += [f"  Không áp dụng được: {p}" for p in report.problems]
    lines += [f"  Cảnh báo: {w}" for w in report.warnings]
    _emit(args, report.to_dict(), "\n".join(lines))


def _status(args: argparse.Namespace, desk: Desk) -> None:
    status = sync_status(desk)
    lines = [status.summary()]
    if status.enrolled:
        lines.append(f"Máy chủ: {status.hub_url} · lần thử cuối: {_time(status.last_attempt)}")
    lines += [f"  Bị từ chối: {r.label} (số {r.seq}, {r.code}): {r.reason}" for r in status.rejected]
    lines += [f"  Cập nhật không áp dụng được: {p.label}: {p.reason}" for p in status.problems]
    lines += [f"  Cảnh báo: {w}" for w in status.warnings]
    _emit(args, status.to_dict(), "\n".join(lines))


def _export(args: argparse.Namespace, desk: Desk) -> None:
    made = export_usb(desk, args.file)
    if not made.files:
        human = "Không có thay đổi nào chờ gửi: không tạo tệp."
    else:
        human = (f"Đã xuất {made.events} thay đổi vào {', '.join(str(f) for f in made.files)}. Mang tệp lên cấp trên "
                 "để nhập (desk-app hub import), rồi nhập tệp trả lời của máy chủ (desk-app sync import).")
        if made.remaining:
            human += f"\nCòn {made.remaining} thay đổi: xuất tiếp sau khi nhập tệp trả lời."
    _emit(args, {"files": [str(f) for f in made.files], "events": made.events, "remaining": made.remaining}, human)


def _import(args: argparse.Namespace, desk: Desk) -> None:
    done = import_usb(desk, args.file)
    human = (f"Đã nhập {args.file.name}: {done.acknowledged} thay đổi được xác nhận ({done.rejected} bị từ chối, "
             f"{done.held} chờ số trước); {done.updates} cập nhật ({done.updates_applied} áp dụng).")
    if not done.changed:
        human += " Không có gì mới (tệp đã nhập trước đó)."
    human += "".join(f"\n  Không áp dụng được: {p}" for p in done.problems)
    _emit(args, {"file": str(done.file), "acknowledged": done.acknowledged, "rejected": done.rejected,
                 "held": done.held, "updates": done.updates, "updates_applied": done.updates_applied,
                 "problems": list(done.problems), "changed": done.changed}, human)


COMMANDS: dict[str, Callable[[argparse.Namespace, Desk], None]] = {
    "enroll": _enroll, "now": _now, "status": _status, "export": _export, "import": _import,
}


def run_sync(args: argparse.Namespace, desk: Desk) -> None:
    COMMANDS[args.sync_command](args, desk)
