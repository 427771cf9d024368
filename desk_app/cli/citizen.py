"""``desk-app citizen …``: one citizen's records on request, and personal data past retention."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desk_app.domain.errors import DomainError
from desk_app.services import personal_data
from desk_app.services.desk import Desk


def add_commands(sub: Any) -> None:
    citizen = sub.add_parser("citizen", help="dữ liệu cá nhân: xuất hồ sơ của một công dân, thời hạn lưu trữ, xoá "
                             "dữ liệu quá hạn")
    actions = citizen.add_subparsers(dest="citizen_command", metavar="LỆNH", required=True, parser_class=type(citizen))
    p = actions.add_parser("export", help="xuất mọi hồ sơ của một số định danh ra tệp JSON (theo yêu cầu của "
                           "công dân; việc xuất được ghi nhật ký)")
    p.add_argument("--id-number", required=True, help="số định danh cá nhân (12 số)")
    p.add_argument("file", type=Path, help="tệp JSON cần tạo")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("retention", help="số năm giữ dữ liệu cá nhân sau khi hồ sơ kết thúc (không có tham số: "
                           "xem; mặc định 10)")
    p.add_argument("--years", type=int)
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("expired", help="liệt kê hồ sơ và phiếu đã quá thời hạn lưu trữ dữ liệu cá nhân")
    p.add_argument("--json", action="store_true")
    p = actions.add_parser("purge", help="xoá họ tên, số định danh, ngày sinh, điện thoại, địa chỉ, email khỏi hồ "
                           "sơ và phiếu quá hạn (không hoàn tác được; cần --yes)")
    p.add_argument("--yes", action="store_true", help="xác nhận xoá")
    p.add_argument("--json", action="store_true")


def _emit(args: argparse.Namespace, data: Any, human: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else human)


def _listing(found: personal_data.Expired) -> dict[str, Any]:
    return {"cutoff": found.cutoff.isoformat(timespec="seconds"),
            "dossiers": [{"code": c, "closed_at": t} for _, c, t in found.dossiers],
            "guidance_slips": [{"number": n, "issued_at": t} for _, n, t in found.slips]}


def run(args: argparse.Namespace, desk: Desk) -> None:
    action = args.citizen_command
    if action == "export":
        codes = personal_data.export_citizen(desk, args.id_number, args.file)
        _emit(args, {"file": str(args.file), "dossiers": codes},
              f"Đã xuất {len(codes)} hồ sơ của số định danh {args.id_number.strip()} vào {args.file}."
              if codes else f"Không có hồ sơ nào của số định danh {args.id_number.strip()}; tệp {args.file} ghi rõ "
              "điều đó.")
    elif action == "retention":
        policy = (personal_data.set_retention(desk, args.years) if args.years is not None
                  else personal_data.retention(desk))
        _emit(args, {"years": policy.years},
              f"Dữ liệu cá nhân được giữ {policy.years} năm sau khi hồ sơ kết thúc.")
    elif action == "expired":
        found = personal_data.expired(desk)
        _emit(args, _listing(found),
              f"Quá thời hạn lưu trữ (kết thúc trước {found.cutoff:%d/%m/%Y}): {len(found.dossiers)} hồ sơ, "
              f"{len(found.slips)} phiếu hướng dẫn."
              + "".join(f"\n  {c}  kết thúc {t[:10]}" for _, c, t in found.dossiers))
    else:
        if not args.yes:
            raise DomainError("confirm_required", "Xoá dữ liệu cá nhân không hoàn tác được: xem trước bằng "
                              "desk-app citizen expired, rồi chạy lại với --yes.")
        found = personal_data.purge(desk)
        _emit(args, _listing(found) | {"redacted_events": found.redacted_events,
                                       "waiting_events": found.waiting_events},
              f"Đã xoá dữ liệu cá nhân của {len(found.dossiers)} hồ sơ và {len(found.slips)} phiếu hướng dẫn "
              f"kết thúc trước {found.cutoff:%d/%m/%Y}; đã che {found.redacted_events} sự kiện đồng bộ đã gửi."
              + (f"\n{found.waiting_events} sự kiện chưa gửi lên máy chủ vẫn giữ dữ liệu: chúng sẽ được che ở lần "
                 "xoá sau, khi máy chủ đã nhận (hãy đồng bộ rồi chạy lại lệnh này)." if found.waiting_events else ""))
