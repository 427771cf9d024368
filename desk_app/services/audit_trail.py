"""The audit trail for people: verify its chain, list it with filters, export it (audited)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, replace
from pathlib import Path

from desk_app.domain.accounts import Permission
from desk_app.services.desk import Desk
from desk_app.store import audit
from desk_app.store.audit import AuditEntry, Verification

CSV_HEADER = ["id", "thời điểm", "thiết bị", "tên đăng nhập", "họ tên", "thao tác", "đối tượng", "mã đối tượng",
              "chi tiết", "mã băm"]


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None  # a login
    action: str | None = None  # a prefix: "dossier." finds every dossier action
    since: dt.date | None = None
    until: dt.date | None = None


def verify(desk: Desk) -> Verification:
    """Recompute the whole chain (any signed-in officer may ask; it shows no personal data)."""
    desk.require(Permission.VIEW)
    return audit.verify(desk.store.db)


def head(desk: Desk) -> str:
    """The latest entry's hash: what sync events can carry (see store.audit.audit_head)."""
    return audit.audit_head(desk.store.db)


def _when(at: str) -> str:
    try:
        return f"{dt.datetime.fromisoformat(at):%H:%M:%S %d/%m/%Y}"
    except ValueError:  # a hand-edited time: shown as it is
        return at or "—"


def describe(result: Verification) -> str:
    """The verdict in Vietnamese, naming the first broken entry (its number and time)."""
    broken = result.broken
    if broken is not None:
        broken = replace(broken, at=_when(broken.at))
    if broken is None:
        return f"Nhật ký nguyên vẹn: đã kiểm tra {result.checked} mục, chuỗi mã băm khớp đến mục cuối."
    if broken.reason == "edited":
        return (f"Nhật ký đã bị can thiệp: mục số {broken.id} (lúc {broken.at}) đã bị sửa sau khi ghi "
                "(mã băm không khớp nội dung).")
    if broken.reason == "link":
        return (f"Nhật ký đã bị can thiệp: mục số {broken.id} (lúc {broken.at}) không nối với mục liền trước "
                "(có mục trước nó đã bị xoá, chèn thêm, sửa hoặc đổi thứ tự).")
    return (f"Nhật ký đã bị can thiệp: các mục cuối đã bị xoá (mục cuối cùng được ghi là số {broken.id}; "
            f"mục còn lại cuối cùng lúc {broken.at}).")


def entries(desk: Desk, where: AuditFilter, *, limit: int = 1000) -> list[AuditEntry]:
    desk.require(Permission.AUDIT)
    return audit.query(desk.store.db, actor=where.actor, action=where.action, since=where.since, until=where.until,
                       limit=limit)


def actors(desk: Desk) -> list[str]:
    desk.require(Permission.AUDIT)
    return audit.actors(desk.store.db)


def export_csv(desk: Desk, path: Path, where: AuditFilter) -> int:
    """Write the filtered trail to a CSV file (UTF-8 with a BOM, for Excel); the export is audited."""
    found = entries(desk, where, limit=10_000_000)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for e in reversed(found):
        writer.writerow([e.id, e.at, e.device, e.actor, e.actor_name, e.action, e.entity, e.entity_id, e.detail, e.hash])
    path.write_text(out.getvalue(), encoding="utf-8-sig", newline="")
    now = desk.clock()
    desk.audit("audit.export", "audit", path.name,
               {"entries": len(found), "actor": where.actor, "action": where.action,
                "since": where.since.isoformat() if where.since else None,
                "until": where.until.isoformat() if where.until else None}, now)
    return len(found)
