"""The hub's dashboard page: each commune and desk, plain HTML and CSS in Vietnamese (no scripts)."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk_app.domain.statistics import Period
    from desk_app.hub.reports import CommuneFigures

VN = dt.timezone(dt.timedelta(hours=7))  # the communes' clocks; the hub stores UTC

CSS = """
body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;margin:0;background:#f4f6f8;color:#1d2733}
header{background:#7a1f1f;color:#fff;padding:14px 28px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;font-size:13px;opacity:.85}
main{padding:18px 28px;max-width:1200px}
.cards{display:flex;gap:14px;flex-wrap:wrap;margin-bottom:18px}
.card{background:#fff;border-radius:6px;padding:10px 14px;flex:1 1 0;min-width:110px;box-shadow:0 1px 2px #0002}
.card b{display:block;font-size:24px} .card span{font-size:13px;color:#52606d}
.card.warn b{color:#b54708}
section{background:#fff;border-radius:6px;padding:12px 18px;margin-bottom:16px;box-shadow:0 1px 2px #0002}
section h2{font-size:17px;margin:0 0 8px}
.facts{font-size:14px;color:#334155;margin-bottom:8px}
.facts span{margin-right:18px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e4e7eb;white-space:nowrap}
td.reason{white-space:normal}
th{background:#eef1f4;font-weight:600}
td.num,th.num{text-align:right}
.ok{color:#1a7f37}.late{color:#b54708}.off{color:#8a1c1c;font-weight:600}
footer{font-size:12px;color:#52606d;padding:0 28px 20px}
"""


def _time(text: str | None) -> str:
    if not text:
        return "chưa có"
    return f"{dt.datetime.fromisoformat(text).astimezone(VN):%H:%M %d/%m/%Y}"


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%".replace(".", ",")


def _card(value: Any, label: str, warn: bool = False) -> str:
    return f'<div class="card{" warn" if warn else ""}"><b>{escape(str(value))}</b><span>{escape(label)}</span></div>'


AUDIT_KINDS = {"fork": "nhật ký bị viết lại (rẽ nhánh)", "backwards": "nhật ký bị lùi lại (mất mục)"}


def _desk_rows(desks: list[dict[str, Any]], alerted: set[str]) -> str:
    rows = []
    for d in sorted(desks, key=lambda d: (d["desk_no"], d["enrolled_at"])):
        state = ('<span class="off">Đã thu hồi</span>' if d["revoked_at"] else '<span class="ok">Hoạt động</span>')
        if d["desk_uuid"] in alerted:
            state += ' <span class="off">· Nhật ký bất thường</span>'

        pending = f'<span class="late">{d["held"]}</span>' if d["held"] else "0"
        rows.append(
            f'<tr><td>Quầy {d["desk_no"]}</td><td>{_time(d["last_push"])}</td><td>{_time(d["last_seen"])}</td>'
            f'<td class="num">{d["events"]}</td><td class="num">{pending}</td><td class="num">{d["rejected"]}</td>'
            f'<td>{state}</td></tr>')
    return "".join(rows)


def _ranking(period: Period, communes: list[CommuneFigures]) -> str:
    """Communes ranked by QĐ 766 indicator 2.1 for the month so far (hub.reports.month_ranking)."""
    rows = []
    for rank, c in enumerate(communes, start=1):
        k = c.counts
        rows.append(
            f'<tr><td class="num">{rank}</td><td>{escape(c.unit_code)}</td><td class="num">{k.received_total}</td>'
            f'<td class="num">{k.resolved_total}</td><td class="num">{k.resolved_early + k.resolved_on_time}</td>'
            f'<td class="num">{k.resolved_late}</td><td class="num">{k.in_progress_on_time}</td>'
            f'<td class="num">{k.in_progress_overdue}</td><td class="num">{k.paused}</td>'
            f'<td class="num"><b>{_rate(None if c.on_time_rate is None else c.on_time_rate / 100)}</b></td></tr>')
    body = "".join(rows) or '<tr><td colspan="10">Chưa có đơn vị nào.</td></tr>'
    return (
        f'<section id="ranking"><h2>Xếp hạng đơn vị theo tỷ lệ giải quyết đúng hạn – tháng {period.first:%m/%Y} '
        f'(từ {period.first:%d/%m} đến {period.last:%d/%m/%Y})</h2>'
        '<table><thead><tr><th class="num">Hạng</th><th>Đơn vị</th><th class="num">Tiếp nhận</th>'
        '<th class="num">Đã giải quyết</th><th class="num">Trước và đúng hạn</th><th class="num">Quá hạn</th>'
        '<th class="num">Đang GQ trong hạn</th><th class="num">Đang GQ quá hạn</th><th class="num">Chờ bổ sung</th>'
        f'<th class="num">Chỉ số 2.1</th></tr></thead><tbody>{body}</tbody></table>'
        f'<p class="facts">Chỉ số 2.1 của tháng {period.first:%m/%Y} = (đã giải quyết trước và đúng hạn + đang giải '
        'quyết còn trong hạn) / (đã giải quyết + đang giải quyết), chỉ tính hồ sơ của tháng này; hồ sơ phải bổ '
        'sung quá một lần tính là quá hạn. Chi tiết: '
        '<code>desk-app hub report --from … --to … [--unit-code MÃ]</code>.</p></section>')


def _audit_section(alerts: list[dict[str, Any]]) -> str:
    """Desks whose audit chain forked or went backwards (their batches were still applied)."""
    if not alerts:
        return ""
    rows = "".join(
        f'<tr><td>{escape(str(a["unit_code"]))}</td><td>Quầy {a["desk_no"]}</td>'
        f'<td>{escape(AUDIT_KINDS.get(a["kind"], a["kind"]))}</td><td class="num">{a["audit_id"]}</td>'
        f'<td>{escape(a["epoch"][:8])}</td><td>{_time(a["detected_at"])}</td></tr>' for a in alerts)
    return ('<section id="audit-alerts"><h2>Cảnh báo nhật ký kiểm tra</h2>'
            '<p class="facts">Chuỗi băm nhật ký của quầy không còn khớp với đầu chuỗi máy chủ đã nhận: cần kiểm '
            'tra máy của quầy (<code>desk-app audit verify</code>). Dữ liệu hồ sơ của quầy vẫn được nhận.</p>'
            '<table><thead><tr><th>Đơn vị</th><th>Quầy</th><th>Bất thường</th><th class="num">Mục nhật ký</th>'
            f'<th>Kỳ dữ liệu quầy</th><th>Phát hiện lúc</th></tr></thead><tbody>{rows}</tbody></table></section>')


def render(stats: dict[str, Any], ranking: tuple[Period, list[CommuneFigures]] | None = None) -> str:
    """The whole page from ``Hub.stats()`` and, when given, the month's ranking of communes."""
    communes = {c["unit_code"]: c for c in stats["communes"]}
    alerts = stats.get("audit_alerts", [])
    alerted = {a["desk_uuid"] for a in alerts}
    desks_by_unit: dict[str, list[dict[str, Any]]] = {}
    for d in stats["desks"]:
        desks_by_unit.setdefault(d["unit_code"], []).append(d)
    sections = [_audit_section(alerts)] if alerts else []
    sections += [_ranking(*ranking)] if ranking is not None else []
    for unit in sorted(set(communes) | set(desks_by_unit)):
        c = communes.get(unit, {"dossiers": 0, "open": 0, "overdue": 0, "done": 0, "on_time_rate": None})
        desks = desks_by_unit.get(unit, [])
        sections.append(
            f'<section><h2>Đơn vị {escape(unit)}</h2><div class="facts">'
            f'<span>Hồ sơ: <b>{c["dossiers"]}</b></span><span>Đang giải quyết: <b>{c["open"]}</b></span>'
            f'<span>Đang quá hạn: <b class="{"late" if c["overdue"] else ""}">{c["overdue"]}</b></span>'
            f'<span>Đã có kết quả: <b>{c["done"]}</b></span>'
            f'<span>Có kết quả không trễ hẹn (từ trước đến nay): <b>{_rate(c["on_time_rate"])}</b></span></div>'
            '<table><thead><tr><th>Quầy</th><th>Gửi dữ liệu lần cuối</th><th>Liên lạc lần cuối</th>'
            '<th class="num">Sự kiện đã nhận</th><th class="num">Chờ xử lý</th><th class="num">Bị từ chối</th>'
            f'<th>Tình trạng</th></tr></thead><tbody>{_desk_rows(desks, alerted)}</tbody></table></section>')
    if not desks_by_unit and not communes:
        sections.append("<section><h2>Chưa có quầy nào</h2><p>Cấp mã ghi danh bằng lệnh "
                        "<code>desk-app hub enroll --unit-code MÃ --desk N</code>.</p></section>")
    rejections = "".join(
        f'<tr><td>{escape(str(r["unit_code"]))}</td><td>Quầy {r["desk_no"]}</td><td class="num">{r["seq"]}</td>'
        f'<td class="reason">{escape(r["reason"])}</td><td>{_time(r["received_at"])}</td></tr>'
        for r in stats["recent_rejections"])
    if rejections:
        sections.append(
            '<section><h2>Sự kiện bị từ chối gần đây</h2><table><thead><tr><th>Đơn vị</th><th>Quầy</th>'
            f'<th class="num">Số thứ tự</th><th>Lý do</th><th>Lúc nhận</th></tr></thead><tbody>{rejections}'
            '</tbody></table></section>')
    cards = "".join([
        _card(len(communes) or len(desks_by_unit), "đơn vị"), _card(len(stats["desks"]), "quầy đã ghi danh"),
        _card(stats["dossiers"], "hồ sơ"), _card(stats["events"], "sự kiện đã nhận"),
        _card(stats["held"], "sự kiện chờ (thiếu số trước)", warn=stats["held"] > 0),
        _card(stats["rejected"], "sự kiện bị từ chối", warn=stats["rejected"] > 0),
        _card(stats["updates"], "cập nhật gửi xuống quầy"),
        *([_card(len(alerted), "quầy có nhật ký bất thường", warn=True)] if alerted else []),
    ])
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>Máy chủ đồng bộ Một cửa</title><style>{CSS}</style></head><body>'
        '<header><h1>Máy chủ đồng bộ Bộ phận Một cửa</h1>'
        f'<p>Giờ máy chủ: {_time(stats["hub_time"])} · Kỳ dữ liệu: {escape(stats["hub_epoch"][:8])}</p></header>'
        f'<main><div class="cards">{cards}</div>{"".join(sections)}</main>'
        '<footer>Chờ xử lý: sự kiện đến trước khi nhận đủ các số thứ tự trước nó; sẽ tự ghi khi đủ. '
        'Mỗi đơn vị: số hồ sơ từ trước đến nay; «Có kết quả không trễ hẹn (từ trước đến nay)»: trong các hồ sơ đã có '
        'kết quả từ trước đến nay, tỷ lệ có kết quả trước hoặc đúng giờ hẹn (không tính hồ sơ đang giải quyết; '
        'khác chỉ số 2.1 của bảng xếp hạng, chỉ tính tháng này).</footer></body></html>')
