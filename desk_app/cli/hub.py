"""``desk-app hub …``: run and administer the hub (serve, enrol desks, decide, publish, USB files)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import hashlib
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from desk_app.cli.report import date_arg
from desk_app.domain import events as ev
from desk_app.domain.catalogue_csv import parse_csv
from desk_app.domain.catalogue_io import CatalogueError, parse_json, procedure_to_dict
from desk_app.domain.csv_files import decode
from desk_app.domain.dossier import Status
from desk_app.domain.schedule_io import ScheduleError, parse_schedule_csv
from desk_app.paths import AppPaths
from desk_app.sync.protocol import Envelope, ProtocolError

log = logging.getLogger(__name__)

EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 3
# The web server and the PostgreSQL driver: left out of the desk's bundle (build.spec), which
# keeps the hub's SQLite commands; a district runs `hub serve` from a Python install.
SERVER_PACKAGES = frozenset({"fastapi", "starlette", "uvicorn", "pydantic", "psycopg", "psycopg_pool"})
ENV_DB = "DESK_HUB_DB"

ANSWER_WORDS = {"applied": "ghi mới", "duplicate": "đã có (bỏ qua)", "rejected": "bị từ chối", "held": "chờ số trước"}


def default_db_url() -> str:
    """DESK_HUB_DB, else a SQLite file beside the desk's data (DESK_APP_HOME moves both)."""
    return os.environ.get(ENV_DB) or f"sqlite:///{AppPaths.from_environment().home / 'hub.sqlite3'}"


def add_hub_commands(sub: Any) -> None:
    """Add ``hub`` and its actions to the top-level subparsers ``sub``."""
    hub = sub.add_parser("hub", help="máy chủ đồng bộ cấp trên: chạy, ghi danh quầy, ra quyết định, tệp USB")
    actions = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True, parser_class=type(hub))

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = actions.add_parser(name, help=help_text)
        p.add_argument("--db", dest="hub_db", default=None,
                       help="sqlite:///tệp.db hoặc postgresql://… (mặc định: biến DESK_HUB_DB hoặc hub.sqlite3 "
                            "trong thư mục dữ liệu)")
        return p

    p = action("serve", "chạy máy chủ đồng bộ (HTTP)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8750)
    p.add_argument("--workers", type=int, default=1, help="số tiến trình (PostgreSQL: nhiều tiến trình dùng chung)")

    p = action("enroll", "cấp mã ghi danh một lần cho một quầy")
    p.add_argument("--unit-code", required=True, help="mã định danh của xã")
    p.add_argument("--desk", type=int, required=True, help="số quầy (1–10)")
    p.add_argument("--valid-hours", type=int, default=72, help="hiệu lực của mã (giờ, mặc định 72)")

    p = action("decide", "ghi quyết định của cơ quan giải quyết cho một hồ sơ (gửi xuống quầy)")
    p.add_argument("code", help="mã hồ sơ")
    p.add_argument("--status", required=True, choices=[s.value for s in sorted(ev.DECISION_STATUSES)])
    p.add_argument("--note", default="", help="ghi chú (ví dụ lý do từ chối)")
    p.add_argument("--by", default="", help="người/cơ quan quyết định (mặc định: tài khoản đang dùng)")
    p.add_argument("--json", action="store_true")

    p = action("stats", "số liệu: hồ sơ, sự kiện, các quầy")
    p.add_argument("--json", action="store_true")

    p = action("report", "báo cáo tình hình, kết quả giải quyết hồ sơ của một xã hoặc của tất cả các xã (xếp hạng "
                         "theo tỷ lệ đúng hạn): JSON hoặc Excel")
    p.add_argument("--from", dest="first", type=date_arg, required=True, metavar="NGÀY",
                   help="từ ngày: 01/10/2026 hoặc 2026-10-01")
    p.add_argument("--to", dest="last", type=date_arg, required=True, metavar="NGÀY", help="đến ngày (tính cả ngày này)")
    p.add_argument("--unit-code", metavar="MÃ", help="mã định danh của một xã (mặc định: tất cả các xã)")
    p.add_argument("--format", choices=["json", "xlsx"], default="json", help="json (mặc định) hoặc xlsx (Excel)")
    p.add_argument("--out", type=Path, metavar="TỆP",
                   help="tệp cần ghi (mặc định: JSON ra màn hình; Excel vào thư mục hiện tại)")

    p = action("import", "nhập tệp đồng bộ USB do một quầy xuất (nhập lại lần nữa không thay đổi gì)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")

    p = action("export", "xuất tệp USB cho một quầy: xác nhận đã nhận và các cập nhật")
    p.add_argument("--desk", required=True, help="mã quầy (UUID) hoặc MÃ_XÃ#SỐ_QUẦY")
    p.add_argument("--after", type=int, default=0, help="chỉ các cập nhật sau số này")
    p.add_argument("file", type=Path)

    p = action("revoke", "thu hồi quyền đồng bộ của một quầy (mất máy, thay máy)")
    p.add_argument("desk", help="mã quầy (UUID) hoặc MÃ_XÃ#SỐ_QUẦY")

    p = action("publish-catalogue", "phát hành danh mục thủ tục (JSON hoặc CSV) xuống mọi quầy")
    p.add_argument("file", type=Path)
    p.add_argument("--version", default="", help="phiên bản (mặc định: trong tệp JSON, hoặc ngày hôm nay)")

    p = action("publish-calendar", "phát hành lịch nghỉ lễ, nghỉ bù, làm bù (CSV date,name,kind) xuống mọi quầy")
    p.add_argument("file", type=Path)
    p.add_argument("--version", default="", help="phiên bản (mặc định: mã băm nội dung)")


def _emit(args: argparse.Namespace, data: Any, human: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1) if getattr(args, "json", False) else human)


def _fail(message: str, code: int) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return code


def run_hub(args: argparse.Namespace) -> int:
    from desk_app.hub.service import Hub, HubError
    from desk_app.hub.storage.database import DatabaseUrlError, HubDatabaseError

    url = args.hub_db or default_db_url()
    try:
        if args.hub_command == "serve":
            return _serve(args, url)
        hub = Hub.open(url)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in SERVER_PACKAGES:
            raise
        return _fail(f"bản cài này không kèm {exc.name} (bản đóng gói của quầy không có máy chủ hub và "
                     "PostgreSQL): chạy hub từ bản cài Python (pip install desk-app)", EXIT_ENVIRONMENT)
    except DatabaseUrlError as exc:
        return _fail(str(exc), EXIT_BAD_INPUT)
    except HubDatabaseError as exc:
        return _fail(str(exc), EXIT_ENVIRONMENT)
    try:
        COMMANDS[args.hub_command](args, hub)
        return 0
    except ProtocolError as exc:
        return _fail(f"tệp bị từ chối, không nhập gì: {exc.message}", EXIT_BAD_INPUT)
    except HubError as exc:
        return _fail(exc.message, EXIT_BAD_INPUT)
    except (CatalogueError, ScheduleError) as exc:
        return _fail(f"tệp có dòng không hợp lệ, không phát hành gì:\n{exc}", EXIT_BAD_INPUT)
    except HubDatabaseError as exc:
        return _fail(str(exc), EXIT_ENVIRONMENT)
    except OSError as exc:
        return _fail(f"không đọc/ghi được tệp: {exc.strerror or exc}", EXIT_ENVIRONMENT)
    finally:
        hub.close()


def _serve(args: argparse.Namespace, url: str) -> int:
    import uvicorn

    from desk_app.hub.app import ENV_DB as APP_ENV_DB, create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    print(f"Máy chủ đồng bộ: http://{args.host}:{args.port}/ (dữ liệu: {url})", flush=True)
    if args.workers > 1:
        # Each worker process builds its own app from the URL; state lives only in the database.
        os.environ[APP_ENV_DB] = url
        uvicorn.run("desk_app.hub.app:app_from_environment", factory=True, host=args.host, port=args.port,
                    workers=args.workers, log_level="info")
    else:
        uvicorn.run(create_app(url), host=args.host, port=args.port, log_level="info")
    return 0


def _enroll(args: argparse.Namespace, hub: Any) -> None:
    issued = hub.issue_code(args.unit_code, args.desk, valid_for=dt.timedelta(hours=args.valid_hours))
    until = dt.datetime.fromisoformat(issued.expires_at).astimezone(dt.timezone(dt.timedelta(hours=7)))
    # The code is the last word: scripts take it with `awk '{print $NF}'`.
    print(f"Mã ghi danh một lần cho quầy {issued.desk_no} của {issued.unit_code} "
          f"(hết hạn {until:%H:%M %d/%m/%Y}): {issued.code}")


def _decide(args: argparse.Namespace, hub: Any) -> None:
    update = hub.decide(args.code, Status(args.status), note=args.note, by=args.by or getpass.getuser())
    _emit(args, update.to_dict(), f"Đã ghi quyết định «{Status(args.status).label}» cho hồ sơ {args.code}; "
          f"quầy nhận được ở lần đồng bộ tới (cập nhật số {update.hub_seq}).")


def _stats(args: argparse.Namespace, hub: Any) -> None:
    stats = hub.stats()
    lines = [f"Hồ sơ: {stats['dossiers']} · sự kiện: {stats['events']} · chờ: {stats['held']} · "
             f"bị từ chối: {stats['rejected']} · cập nhật: {stats['updates']}"]
    lines += [f"  {d['unit_code']} quầy {d['desk_no']}: {d['events']} sự kiện, gửi lần cuối "
              f"{d['last_push'] or 'chưa có'}{' (ĐÃ THU HỒI)' if d['revoked_at'] else ''}" for d in stats["desks"]]
    lines += [f"  CẢNH BÁO nhật ký kiểm tra: {a['unit_code']} quầy {a['desk_no']}, mục {a['audit_id']}: "
              f"{'bị viết lại' if a['kind'] == 'fork' else 'bị lùi lại'} (dữ liệu hồ sơ vẫn được nhận)"
              for a in stats["audit_alerts"]]
    _emit(args, stats, "\n".join(lines))


def _report(args: argparse.Namespace, hub: Any) -> None:
    from desk_app.domain.period_report import counts_json, report_json
    from desk_app.domain.tables import communes_table, report_subtitle, report_tables
    from desk_app.domain.text import nfc
    from desk_app.hub import reports
    from desk_app.hub.service import HubError
    from desk_app.hub.storage import reports as storage

    if args.last < args.first:
        raise HubError("bad_period", f"ngày kết thúc ({args.last:%d/%m/%Y}) phải từ ngày bắt đầu "
                                     f"({args.first:%d/%m/%Y}) trở đi")
    unit = nfc(args.unit_code) if args.unit_code else None
    if unit and unit not in hub.db.run(storage.units, write=False):
        raise HubError("unknown_unit", f"máy chủ chưa có đơn vị mã {unit} (chưa quầy nào của xã này ghi danh)")
    report, communes = reports.period_report(hub.db, args.first, args.last, now=hub.clock(), unit_code=unit)
    if args.format == "xlsx":
        from desk_app.printing.xlsx import workbook

        tables = report_tables(report) + ([] if unit else [communes_table([(c.unit_code, c.counts) for c in communes])])
        path = args.out or Path(f"bao-cao-{unit or 'tat-ca'}-{args.first:%Y%m%d}-{args.last:%Y%m%d}.xlsx")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(workbook(tables, subtitle=report_subtitle(report)))
        print(f"Đã ghi báo cáo {report.unit} từ {args.first:%d/%m/%Y} đến {args.last:%d/%m/%Y} vào {path}.")
        return
    data = {**report_json(report), "unit_code": unit,
            "communes": [{"rank": rank, "unit_code": c.unit_code, **counts_json(c.counts),
                          "on_time_rate": None if c.on_time_rate is None else round(c.on_time_rate, 2)}
                         for rank, c in enumerate(communes, start=1)]}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
        print(f"Đã ghi báo cáo vào {args.out}.")
    else:
        print(text)


def _import(args: argparse.Namespace, hub: Any) -> None:
    result = hub.push(Envelope.from_file(args.file.read_bytes()))
    counts = Counter(a.status.value for a in result.answers)
    rejected = [a.to_dict() for a in result.answers if a.code is not None]
    human = f"Đã nhập {args.file.name}: " + ", ".join(
        f"{counts.get(k, 0)} {word}" for k, word in ANSWER_WORDS.items()) + "."
    human += "".join(f"\n  số {r['seq']}: {r['reason']}" for r in rejected)
    _emit(args, {"answers": dict(counts), "rejected": rejected, "hub_time": result.hub_time}, human)


def _export(args: argparse.Namespace, hub: Any) -> None:
    envelope = hub.export(args.desk, after_seq=args.after)
    args.file.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.file.with_name(args.file.name + ".part")
    tmp.write_bytes(envelope.to_file())
    tmp.replace(args.file)  # never a half-written file on the stick
    print(f"Đã xuất {args.file} cho quầy {envelope.header['unit_code']} ({envelope.header['count']} cập nhật).")


def _revoke(args: argparse.Namespace, hub: Any) -> None:
    desk = hub.revoke(args.desk)
    print(f"Đã thu hồi quyền đồng bộ của quầy {desk.desk_no} ({desk.unit_code}, {desk.desk_uuid}).")


def _publish_catalogue(args: argparse.Namespace, hub: Any) -> None:
    text = decode(args.file.read_bytes(), name=args.file.name)  # as a spreadsheet saved it
    if args.file.suffix.lower() == ".csv":
        catalogue = parse_csv(text, version=args.version or dt.date.today().isoformat())
    else:
        catalogue = parse_json(text, default_version=args.version or dt.date.today().isoformat())
    version = args.version or catalogue.version
    update, new = hub.publish(ev.Kind.CATALOGUE_UPDATED, version, {
        "source": catalogue.source, "procedures": [procedure_to_dict(p) for p in catalogue.procedures]})
    print(f"{'Đã phát hành' if new else 'Đã phát hành trước đó'} danh mục {version} "
          f"({len(catalogue.procedures)} thủ tục), cập nhật số {update.hub_seq}.")


def _publish_calendar(args: argparse.Namespace, hub: Any) -> None:
    text = decode(args.file.read_bytes(), name=args.file.name)
    years = parse_schedule_csv(text)
    version = args.version or hashlib.sha256(text.encode()).hexdigest()[:12]
    days = [{"date": e.date.isoformat(), "name": e.name, "kind": e.kind.value, "provisional": e.provisional}
            for year in sorted(years) for e in years[year]]
    update, new = hub.publish(ev.Kind.CALENDAR_UPDATED, version, {"years": sorted(years), "days": days})
    print(f"{'Đã phát hành' if new else 'Đã phát hành trước đó'} lịch {version} "
          f"(năm {', '.join(str(y) for y in sorted(years))}), cập nhật số {update.hub_seq}.")


COMMANDS = {
    "enroll": _enroll, "decide": _decide, "stats": _stats, "report": _report, "import": _import, "export": _export,
    "revoke": _revoke, "publish-catalogue": _publish_catalogue, "publish-calendar": _publish_calendar,
}
