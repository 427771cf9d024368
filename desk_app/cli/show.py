"""`desk-app show CODE`: the whole dossier as a person reads it (papers, fee, times, history)."""

from __future__ import annotations

from typing import Any

from desk_app.domain.steps import StatusEntry
from desk_app.domain.text import format_vnd
from desk_app.domain.timeliness import PUBLIC_NAMES, TIMELINESS_LABELS
from desk_app.services.dossier_record import DossierRecord, describe_step

TIME = "%H:%M %d/%m/%Y"


def show_text(record: DossierRecord) -> str:
    d, a = record.dossier, record.dossier.applicant
    lines = [f"HỒ SƠ {d.code} — {d.status.label}"]
    if d.official_code:
        lines.append(f"Mã hồ sơ trên hệ thống tỉnh: {d.official_code}")
    lines.append(f"Thủ tục: {d.procedure_name} ({d.procedure_code})")
    birth = a.birth_date.strftime("%d/%m/%Y") if a.birth_date else None
    person = [a.name, a.id_number and f"số định danh {a.id_number}", birth and f"sinh {birth}",
              a.sex and a.sex.label.lower(), a.phone and f"điện thoại {a.phone}"]
    lines.append("Người nộp: " + ", ".join(p for p in person if p))
    if a.address:
        lines.append(f"Địa chỉ: {a.address}")
    if a.email:
        lines.append(f"Thư điện tử: {a.email}")

    lines += ["", "THỜI GIAN"]
    lines.append(f"Tiếp nhận: {d.received_at:{TIME}} ({d.channel.label.lower()}, quầy {d.desk_no}"
                 + (f", người nhận {d.receiver}" if d.receiver else "") + ")")
    lines.append(f"Hẹn trả kết quả: {d.due_at:{TIME}} — {d.due_reason}")
    if d.statutory_time:
        lines.append(f"Thời hạn giải quyết theo quy định: {d.statutory_time}")
    if record.timeliness is not None:
        lines.append(f"Tình trạng hạn: {TIMELINESS_LABELS[record.timeliness]}")
    if d.finished_at:
        lines.append(f"Hoàn thành: {d.finished_at:{TIME}}")
    lines.append(f"Hình thức trả kết quả: {d.return_method.label}")
    lines.append(f"Sổ theo dõi: năm {d.ledger_year}, quầy {d.desk_no}, số {d.ledger_no}")

    lines += ["", f"GIẤY TỜ ({d.sets} bộ, {d.pages} trang, {d.copies} bản)"]
    lines += [f"  {i}. {doc.name} — {doc.form.label}, {doc.count}" for i, doc in enumerate(d.documents, start=1)]
    if not d.documents:
        lines.append("  (không ghi giấy tờ)")

    lines += ["", "PHÍ, LỆ PHÍ"]
    fee = record.fee
    if fee is None or fee.amount == 0:
        lines.append("  Không thu phí, lệ phí.")
    else:
        lines.append(f"  {format_vnd(fee.amount)}" + (f" ({fee.detail})" if fee.detail else ""))
        lines.append(f"  Biên lai: {fee.receipt or '—'}, thu lúc {fee.collected_at:{TIME}}")

    lines += ["", "LỊCH SỬ"]
    views = [e for e in record.history if e.action == "dossier.view"]
    for entry in record.history:
        if entry.action != "dossier.view":
            lines.append(f"  {entry.at:{TIME}}  {describe_step(entry)} ({entry.actor})")
    if views:
        last = views[-1]
        lines.append(f"  Đã được xem {len(views)} lần, lần cuối {last.at:{TIME}} ({last.actor}).")
    return "\n".join(lines)


def show_json(record: DossierRecord) -> dict[str, Any]:
    """The record's parts beyond the dossier fields (merged into the dossier's JSON): the status
    history in time order, the timeliness now, and the audit of every action on the dossier."""
    fee = record.fee
    return {
        "documents": [{"name": doc.name, "form": doc.form.value, "count": doc.count}
                      for doc in record.dossier.documents],
        "fee": None if fee is None else {
            "amount_vnd": fee.amount, "detail": fee.detail, "receipt_no": str(fee.receipt) if fee.receipt else None,
            "collected_at": fee.collected_at.isoformat(timespec="seconds"),
        },
        "timeliness": PUBLIC_NAMES[record.timeliness] if record.timeliness else None,
        "finished_at": record.dossier.finished_at.isoformat(timespec="seconds") if record.dossier.finished_at else None,
        "history": [status_json(e) for e in record.statuses],
        "audit": [{"at": e.at.isoformat(timespec="seconds"), "actor": e.actor, "action": e.action,
                   "text": describe_step(e), "detail": e.detail} for e in record.history],
        "view_audited": record.audited,
    }


def status_json(entry: StatusEntry) -> dict[str, Any]:
    data: dict[str, Any] = {"status": entry.status.value, "at": entry.at.isoformat(timespec="seconds"),
                            "by": entry.by, "note": entry.note}
    if entry.step is not None:
        data["step"] = entry.step.value
    if entry.due_at is not None:
        data["due_at"] = entry.due_at.isoformat(timespec="seconds")
    return data
