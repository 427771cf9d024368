"""Read a procedure catalogue from JSON or CSV; any bad row rejects the whole file with its line."""

from __future__ import annotations

import csv
import datetime as dt
import io
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
from desk_app.domain.text import nfc

_E = TypeVar("_E", bound=Enum)

CSV_COLUMNS = (
    "code", "name", "field", "time_value", "time_unit", "same_day", "max_extension_days",
    "fees", "documents", "legal_basis", "effective_from", "effective_to", "notes",
)


class CatalogueError(Exception):
    """The file has bad rows; ``problems`` lists (line number, Vietnamese message)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"Dòng {line}: {msg}" for line, msg in problems))


class _RowError(ValueError):
    pass


def _date(value: Any, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _RowError(f"{what} '{value}' không phải ngày dạng YYYY-MM-DD") from None


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
    raise _RowError(f"{what} '{value}' phải là có/không (true/false, 1/0)")


def _int(value: Any, what: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise _RowError(f"{what} '{value}' không phải số nguyên")
    try:
        number = int(str(value).strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        raise _RowError(f"{what} '{value}' không phải số nguyên") from None
    if number < minimum:
        raise _RowError(f"{what} phải từ {minimum} trở lên")
    return number


def _enum(kind: type[_E], value: Any, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise _RowError(f"{what} '{value}' không hợp lệ (chọn: {allowed})") from None


def _fee(raw: dict[str, Any]) -> FeeRule:
    if not isinstance(raw, dict):
        raise _RowError("mỗi quy tắc phí phải là một đối tượng JSON")
    kind = _enum(FeeKind, raw.get("kind"), "Loại phí")
    raw_tiers = raw.get("tiers") or []
    if not isinstance(raw_tiers, list) or not all(isinstance(t, dict) for t in raw_tiers):
        raise _RowError("tiers phải là danh sách các bậc {from_page, amount}")
    channels = raw.get("channels") or []
    if isinstance(channels, str):
        channels = [channels]
    bad = [c for c in channels if c not in ("direct", "online", "postal")]
    if bad:
        raise _RowError(f"kênh '{bad[0]}' không hợp lệ (chọn: direct, online, postal)")
    tiers = tuple(
        PageTier(_int(t.get("from_page"), "Trang bắt đầu", minimum=1), _int(t.get("amount"), "Mức phí"))
        for t in raw_tiers
    )
    if kind is FeeKind.PER_PAGE and not tiers:
        raise _RowError("phí theo trang cần ít nhất một bậc (tiers)")
    if kind is FeeKind.FLAT and "amount" not in raw:
        raise _RowError("phí cố định cần số tiền (amount)")
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
        raise _RowError("mỗi giấy tờ phải là một đối tượng {name, form, count}")
    name = nfc(str(raw.get("name", "")))
    if not name:
        raise _RowError("giấy tờ thiếu tên")
    return RequiredDocument(
        name=name,
        form=_enum(DocForm, raw.get("form", DocForm.ORIGINAL.value), "Hình thức giấy tờ"),
        count=_int(raw.get("count", 1), "Số lượng giấy tờ", minimum=1),
        mandatory=_bool(raw.get("mandatory", True), "Bắt buộc"),
    )


def procedure_from_dict(raw: dict[str, Any]) -> Procedure:
    """Build one procedure from its JSON shape; raises ValueError with a Vietnamese message."""
    if raw.get("code") is not None and not isinstance(raw.get("code"), str):
        raise _RowError("mã thủ tục phải là chuỗi (số như 2.000720 mất chữ số 0 cuối)")
    code = nfc(str(raw.get("code") or ""))
    name = nfc(str(raw.get("name") or ""))
    if not code:
        raise _RowError("thiếu mã thủ tục")
    if not name:
        raise _RowError("thiếu tên thủ tục")
    time_raw = raw.get("time")
    time = None
    if time_raw is not None:
        try:
            value = Decimal(str(time_raw.get("value")))
        except (InvalidOperation, AttributeError):
            raise _RowError("thời hạn giải quyết không phải số") from None
        if not value.is_finite() or value < 0:
            raise _RowError("thời hạn giải quyết phải là số không âm")
        time = ProcessingTime(value, _enum(TimeUnit, time_raw.get("unit"), "Đơn vị thời hạn"))
    fees = raw.get("fees") or [{"kind": "free"}]
    documents = raw.get("documents") or []
    if not isinstance(fees, list) or not isinstance(documents, list):
        raise _RowError("fees và documents phải là danh sách")
    return Procedure(
        code=code,
        name=name,
        field=nfc(str(raw.get("field") or "")),
        time=time,
        same_day=_bool(raw.get("same_day", False), "Trả trong ngày"),
        fees=tuple(_fee(f) for f in fees),
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
                raise _RowError("mỗi thủ tục phải là một đối tượng JSON")
            parsed.append((line, procedure_from_dict(raw)))
        except _RowError as exc:
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


def _csv_row_to_dict(row: dict[str, str]) -> dict[str, Any]:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    unit = cell("time_unit") or TimeUnit.WORKING_DAYS.value
    documents: list[dict[str, Any]] = []
    for item in filter(None, (part.strip() for part in cell("documents").split(";"))):
        parts = [p.strip() for p in item.split("|")]
        doc: dict[str, Any] = {"name": parts[0]}
        if len(parts) > 1 and parts[1]:
            doc["form"] = parts[1]
        if len(parts) > 2 and parts[2]:
            doc["count"] = parts[2]
        if len(parts) > 3 and parts[3]:
            doc["mandatory"] = parts[3]
        documents.append(doc)
    try:
        fees = json.loads(cell("fees")) if cell("fees") else [{"kind": "free"}]
    except json.JSONDecodeError:
        raise _RowError("cột fees phải là JSON (ví dụ [{\"kind\": \"flat\", \"amount\": 10000}])") from None
    return {
        "code": cell("code"),
        "name": cell("name"),
        "field": cell("field"),
        "time": None if cell("time_value") == "" else {"value": cell("time_value"), "unit": unit},
        "same_day": cell("same_day"),
        "max_extension_days": cell("max_extension_days") or 0,
        "fees": fees if isinstance(fees, list) else [fees],
        "documents": documents,
        "legal_basis": cell("legal_basis"),
        "effective_from": cell("effective_from"),
        "effective_to": cell("effective_to"),
        "notes": cell("notes"),
    }


def parse_csv(text: str, *, version: str) -> Catalogue:
    """Parse the flat CSV form (columns CSV_COLUMNS; documents "name|form|count" joined by ";")."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("code", "name", "time_value") if c not in (reader.fieldnames or [])]
    if missing:
        raise CatalogueError([(1, f"thiếu cột: {', '.join(missing)}")])
    problems: list[tuple[int, str]] = []
    parsed: list[tuple[int, Procedure]] = []
    line = 1
    end_of_previous = reader.line_num  # the header's last line
    for row in reader:
        # A quoted cell may span lines: report the line where the record starts.
        line, end_of_previous = end_of_previous + 1, reader.line_num
        try:
            parsed.append((line, procedure_from_dict(_csv_row_to_dict(row))))
        except _RowError as exc:
            problems.append((line, str(exc)))
    _check_unique(parsed, problems)
    if problems:
        raise CatalogueError(problems)
    if not parsed:
        raise CatalogueError([(line, "tệp không có thủ tục nào")])
    return Catalogue(nfc(version), tuple(p for _, p in parsed))


def catalogue_to_json(catalogue: Catalogue) -> str:
    body = {
        "version": catalogue.version,
        "source": catalogue.source,
        "procedures": [procedure_to_dict(p) for p in catalogue.procedures],
    }
    return json.dumps(body, ensure_ascii=False, indent=1)
