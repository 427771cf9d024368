"""``desk-app scan …``: attach a scan to a paper of a dossier, list a dossier's scans, export one
paper's scans (audited: personal data), check the scans folder, and the scan settings."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desk_app.domain.scans import Scan
from desk_app.services import scans
from desk_app.services.desk import Desk


def add_commands(sub: Any) -> None:
    scan = sub.add_parser("scan", help="bản quét giấy tờ của hồ sơ: gắn, liệt kê, xuất, kiểm tra")
    actions = scan.add_subparsers(dest="scan_command", metavar="LỆNH", required=True, parser_class=type(scan))
    p = actions.add_parser("attach", help="gắn tệp quét (PDF, PNG, JPEG, TIFF) vào một giấy tờ của hồ sơ")
    p.add_argument("code", help="mã hồ sơ")
    p.add_argument("--paper", type=int, required=True, metavar="N", help="số thứ tự giấy tờ trong hồ sơ (từ 1)")
    p.add_argument("file", type=Path, help="tệp quét")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("list", help="các bản quét của hồ sơ, theo giấy tờ")
    p.add_argument("code", help="mã hồ sơ")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("export", help="xuất bản quét của một giấy tờ ra tệp (được ghi nhật ký)")
    p.add_argument("code", help="mã hồ sơ")
    p.add_argument("--paper", type=int, required=True, metavar="N", help="số thứ tự giấy tờ")
    p.add_argument("out", type=Path, help="tệp cần tạo (nhiều bản quét: thêm -1, -2…)")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("check", help="đối chiếu thư mục bản quét với cơ sở dữ liệu: xoá tệp mồ côi, báo tệp "
                           "thiếu")
    p.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không xoá")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("settings", help="thư mục máy quét theo dõi, quy tắc tính chỉ số 4.2")
    p.add_argument("--folder", type=Path, help="thư mục máy quét lưu tệp vào")
    p.add_argument("--rule", choices=["all_papers", "any_paper"],
                   help="hồ sơ được tính là đã số hoá khi mọi giấy tờ (all_papers) hay ít nhất một (any_paper) có "
                   "bản quét")
    p.add_argument("--json", action="store_true")


def _scan_json(scan: Scan) -> dict[str, Any]:
    return {"paper": scan.paper, "paper_name": scan.paper_name, "sha256": scan.sha256,
            "media_type": scan.media_type.value, "pages": scan.pages, "size": scan.size, "name": scan.name,
            "attached_at": scan.attached_at.isoformat(timespec="seconds"), "attached_by": scan.attached_by}


def _emit(args: argparse.Namespace, data: Any, human: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else human)


def run(args: argparse.Namespace, desk: Desk) -> None:
    action = args.scan_command
    if action == "attach":
        scan = scans.attach_file(desk, args.code, args.paper, args.file)
        _emit(args, {"code": desk.dossier(args.code).code, **_scan_json(scan)},
              f"Đã gắn bản quét {scan.name} ({scan.pages} trang) vào giấy tờ số {scan.paper}: {scan.paper_name}.")
    elif action == "list":
        marks = scans.paper_marks(desk, args.code)
        found = scans.scans_of(desk, args.code)
        papers = [{"paper": m.position, "name": m.name, "digitised": m.digitised, "pages": m.pages,
                   "scans": [_scan_json(s) for s in found if s.paper == m.position]} for m in marks]
        lines = [f"{m.position}. {m.name}: " + (f"đã số hoá, {m.scans} bản quét, {m.pages} trang" if m.digitised
                                                 else "chưa có bản quét") for m in marks]
        _emit(args, {"code": desk.dossier(args.code).code, "papers": papers}, "\n".join(lines))
    elif action == "export":
        written = scans.export(desk, args.code, args.paper, args.out)
        _emit(args, {"files": [str(p) for p in written]},
              "Đã xuất: " + ", ".join(str(p) for p in written))
    elif action == "check":
        result = scans.check_files(desk, dry_run=args.dry_run)
        verb = "Tệp mồ côi" if args.dry_run else "Đã xoá tệp mồ côi"
        _emit(args, {"orphans": [str(p) for p in result.orphans], "missing": result.missing},
              f"{verb}: {len(result.orphans)}. Bản quét thiếu tệp: {len(result.missing)}"
              + "".join(f"\n  thiếu {sha}" for sha in result.missing))
    else:
        scans.set_scan_settings(desk, inbox_folder=args.folder, rule=args.rule)
        folder = scans.inbox(desk)
        rule = scans.digitised_rule(desk)
        _emit(args, {"folder": str(folder) if folder else None, "rule": rule.value},
              f"Thư mục máy quét: {folder or 'chưa đặt'}. Chỉ số 4.2: hồ sơ được tính là đã số hoá khi "
              f"{rule.label}.")
