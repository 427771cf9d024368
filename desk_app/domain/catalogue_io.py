"""Read a procedure catalogue from JSON; any bad procedure rejects the whole file with its line.

The field checks here are shared with the CSV form (catalogue_csv.py)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from desk_app.domain.catalogue import (
    Catalogue,
    DocForm,
    FeeKind,
    FeeRule,
    PageTier,
    Procedure,
    ProcessingTime,
    RequiredDocument,
    TimeUnit,
)
from desk_app.domain.dates import parse_date
from desk_app.domain.errors import DomainError
from desk_app.domain.text import nfc

_E = TypeVar("_E", bound=Enum)

class CatalogueError(Exception):
    """The file has bad rows; ``problems`` lists (line number, Vietnamese message)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"Dòng {line}: {msg}" for line, msg in problems))


class RowError(ValueError):
    """One procedure (or one CSV row) is wrong; the message is Vietnamese."""


def _date(value: Any, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return parse_date(str(value), century=2000)  # "01/07/25": a date Calc wrote back
    except DomainError as exc:
        raise RowError(f"{what}: {exc.message}") from None


_TRUE = {"1", "true", "yes", "co", "có"}
_FALSE = {"0", "false", "no", "khong", "không", ""}


def _bool(value: Any, what: str) -> bool:
    """Strict yes/no: a typo must not silently become "yes"."""
    if isinstance(value, bool):
        return value
    text = nfc(str(value)).lower() if value is not None else ""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError(f"{what} '{value}' phải là có/không (true/false, 1/0)")


def _int(value: Any, what: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise RowError(f"{what} '{value}' không phải số nguyên")
    try:
        number = int(str(value).strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        raise RowError(f"{what} '{value}' không phải số nguyên") from None
    if number < minimum:
        raise RowError(f"{what} phải từ {minimum} trở lên")
    return number


def _enum(kind: type[_E], value: Any, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise RowError(f"{what} '{value}' không hợp lệ (chọn: {allowed})") from None


def fee_from_dict(raw: dict[str, Any]) -> FeeRule:
    if not isinstance(raw, dict):
        raise RowError("mỗi quy tắc phí phải là một đối tượng JSON")
    kind = _enum(FeeKind, raw.get("kind"), "Loại phí")
    raw_tiers = raw.get("tiers") or []
    if not isinstance(raw_tiers, list) or not all(isinstance(t, dict) for t in raw_tiers):
        raise RowError("tiers phải là danh sách các bậc {from_page, amount}")
    channels = raw.get("channels") or []
    if isinstance(channels, str):
        channels = [channels]
    bad = [c for c in channels if c not in ("direct", "online", "postal")]
    if bad:
        raise RowError(f"kênh '{bad[0]}' không hợp lệ (chọn: direct, online, postal)")
    tiers = tuple(
        PageTier(_int(t.get("from_page"), "Trang bắt đầu", minimum=1), _int(t.get("amount"), "Mức phí"))
        for t in raw_tiers
    )
    if kind is FeeKind.PER_PAGE and not tiers:
        raise RowError("phí theo trang cần ít nhất một bậc (tiers)")
    if kind is FeeKind.FLAT and "amount" not in raw:
        raise RowError("phí cố định cần số tiền (amount)")
    cap = raw.get("cap_per_copy")
    return FeeRule(
        kind=kind,
        amount=_int(raw.get("amount", 0), "Mức phí"),
        per_copy=_bool(raw.get("per_copy", False), "per_copy"),
        tiers=tiers,
        cap_per_copy=None if cap is None else _int(cap, "Mức trần"),
        channels=tuple(channels),
        effective_from=_date(raw.get("effective_from"), "Ngày hiệu lực phí"),
        effective_to=_date(raw.get("effective_to"), "Ngày hết hiệu lực phí"),
        note=nfc(str(raw.get("note", ""))),
    )


def _document(raw: dict[str, Any]) -> RequiredDocument:
    if not isinstance(raw, dict):
        raise RowError("mỗi giấy tờ phải là một đối tượng {name, form, count}")
    name = nfc(str(raw.get("name", "")))
    if not name:
        raise RowError("giấy tờ thiếu tên")
    return RequiredDocument(
        name=name,
        form=_enum(DocForm, raw.get("form", DocForm.ORIGINAL.value), "Hình thức giấy tờ"),
        count=_int(raw.get("count", 1), "Số lượng giấy tờ", minimum=1),
        mandatory=_bool(raw.get("mandatory", True), "Bắt buộc"),
    )


def procedure_from_dict(raw: dict[str, Any]) -> Procedure:
    """Build one procedure from its JSON shape; raises ValueError with a Vietnamese message."""
    if raw.get("code") is not None and not isinstance(raw.get("code"), str):
        raise RowError("mã thủ tục phải là chuỗi (số như 2.000720 mất chữ số 0 cuối)")
    code = nfc(str(raw.get("code") or ""))
    name = nfc(str(raw.get("name") or ""))
    if not code:
        raise RowError("thiếu mã thủ tục")
    if not name:
        raise RowError("thiếu tên thủ tục")
    time_raw = raw.get("time")
    time = None
    if time_raw is not None:
        try:
            value = Decimal(str(time_raw.get("value")))
        except (InvalidOperation, AttributeError):
            raise RowError("thời hạn giải quyết không phải số") from None
        if not value.is_finite() or value < 0:
            raise RowError("thời hạn giải quyết phải là số không âm")
        time = ProcessingTime(value, _enum(TimeUnit, time_raw.get("unit"), "Đơn vị thời hạn"))
    fees = raw.get("fees") or [{"kind": "free"}]
    documents = raw.get("documents") or []
    if not isinstance(fees, list) or not isinstance(documents, list):
        raise RowError("fees và documents phải là danh sách")
    return Procedure(
        code=code,
        name=name,
        field=nfc(str(raw.get("field") or "")),
        time=time,
        same_day=_bool(raw.get("same_day", False), "Trả trong ngày"),
        fees=tuple(fee_from_dict(f) for f in fees),
        documents=tuple(_document(d) for d in documents),
        legal_basis=nfc(str(raw.get("legal_basis") or "")),
        effective_from=_date(raw.get("effective_from"), "Ngày hiệu lực"),
        effective_to=_date(raw.get("effective_to"), "Ngày hết hiệu lực"),
        max_extension_days=_int(raw.get("max_extension_days", 0), "Số ngày gia hạn tối đa"),
        notes=nfc(str(raw.get("notes") or "")),
    )


def procedure_to_dict(p: Procedure) -> dict[str, Any]:
    """The JSON shape of a procedure (inverse of procedure_from_dict)."""

    def day(d: dt.date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "code": p.code,
        "name": p.name,
        "field": p.field,
        "time": None if p.time is None else {"value": float(p.time.value), "unit": p.time.unit.value},
        "same_day": p.same_day,
        "max_extension_days": p.max_extension_days,
        "fees": [
            {
                "kind": f.kind.value, "amount": f.amount, "per_copy": f.per_copy,
                "tiers": [{"from_page": t.from_page, "amount": t.amount} for t in f.tiers],
                "cap_per_copy": f.cap_per_copy, "channels": list(f.channels),
                "effective_from": day(f.effective_from), "effective_to": day(f.effective_to),
                "note": f.note,
            }
            for f in p.fees
        ],
        "documents": [
            {"name": d.name, "form": d.form.value, "count": d.count, "mandatory": d.mandatory}
            for d in p.documents
        ],
        "legal_basis": p.legal_basis,
        "effective_from": day(p.effective_from),
        "effective_to": day(p.effective_to),
        "notes": p.notes,
    }


def _check_unique(procedures: list[tuple[int, Procedure]], problems: list[tuple[int, str]]) -> None:
    seen: dict[str, int] = {}
    for line, proc in procedures:
        if proc.code in seen:
            problems.append((line, f"mã thủ tục {proc.code} trùng với dòng {seen[proc.code]}"))
        seen.setdefault(proc.code, line)


def parse_json(text: str, *, default_version: str = "") -> Catalogue:
    """Parse ``{"version": ..., "procedures": [...]}``; problems carry the line of each object."""
    text = text.lstrip("\ufeff")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError([(exc.lineno, f"JSON không hợp lệ: {exc.msg}")]) from None
    if not isinstance(data, dict) or not isinstance(data.get("procedures"), list):
        raise CatalogueError([(1, "tệp JSON phải là một đối tượng có danh sách 'procedures'")])
    lines = _object_lines(text, len(data["procedures"]))
    problems: list[tuple[int, str]] = []
    parsed: list[tuple[int, Procedure]] = []
    for line, raw in zip(lines, data["procedures"]):
        try:
            if not isinstance(raw, dict):
                raise RowError("mỗi thủ tục phải là một đối tượng JSON")
            parsed.append((line, procedure_from_dict(raw)))
        except RowError as exc:
            problems.append((line, str(exc)))
    _check_unique(parsed, problems)
    if problems:
        raise CatalogueError(problems)
    version = nfc(str(data.get("version") or default_version))
    return Catalogue(version, tuple(p for _, p in parsed), nfc(str(data.get("source", ""))))


def _object_lines(text: str, count: int) -> list[int]:
    """Line on which each element of the top-level "procedures" array starts."""
    decoder = json.JSONDecoder()
    start = text.find("[", text.find('"procedures"'))
    lines, pos = [], start + 1
    for _ in range(count):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        lines.append(text.count("\n", 0, pos) + 1)
        try:
            _, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            break
    return lines + [1] * (count - len(lines))


def catalogue_to_json(catalogue: Catalogue) -> str:
    body = {
        "version": catalogue.version,
        "source": catalogue.source,
        "procedures": [procedure_to_dict(p) for p in catalogue.procedures],
    }
    return json.dumps(body, ensure_ascii=False, indent=1)
