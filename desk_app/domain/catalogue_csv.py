"""The catalogue as a flat CSV file an office edits in Excel or LibreOffice Calc, read and written.

One row per procedure. Fees are plain columns (``fee_kind``, ``fee_amount``, ``fee_per_copy``,
``fee_page_amounts``, ``fee_cap``, ``fee_channels``, ``fee_from``, ``fee_to``, ``fee_note``); a
procedure with several fee rules (by channel or by date) has one more row per rule, with the same
code, an empty name and only the fee columns filled. Documents are "name|form|count|mandatory"
joined by ";". Dates are dd/mm/yyyy (yyyy-mm-dd and Calc's dd/mm/yy are read too).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from typing import Any

from desk_app.domain.catalogue import Catalogue, FeeKind, FeeRule, Procedure, TimeUnit
from desk_app.domain.catalogue_io import CatalogueError, RowError, fee_from_dict, procedure_from_dict
from desk_app.domain.csv_files import CsvRow, read_table
from desk_app.domain.dates import format_date
from desk_app.domain.errors import DomainError
from desk_app.domain.text import fold, nfc

PROCEDURE_COLUMNS = ("code", "name", "field", "time_value", "time_unit", "same_day", "max_extension_days")
FEE_COLUMNS = (
    "fee_kind", "fee_amount", "fee_per_copy", "fee_page_amounts", "fee_cap", "fee_channels", "fee_from", "fee_to",
    "fee_note",
)
TAIL_COLUMNS = ("documents", "legal_basis", "effective_from", "effective_to", "notes")
CSV_COLUMNS = PROCEDURE_COLUMNS + FEE_COLUMNS + TAIL_COLUMNS

# What people type in the kind column besides the codes themselves (compared folded).
_FEE_KIND_WORDS = {
    "mien phi": FeeKind.FREE, "mien": FeeKind.FREE, "khong thu": FeeKind.FREE,
    "co dinh": FeeKind.FLAT, "theo truong hop": FeeKind.FLAT,
    "theo trang": FeeKind.PER_PAGE,
    "hdnd": FeeKind.LOCAL, "theo hdnd": FeeKind.LOCAL, "hdnd tinh": FeeKind.LOCAL,
}
_MONEY = re.compile(r"^\d{1,3}(?:[., \u00a0\u202f]\d{3})+$|^\d+$")
_TIER = re.compile(r"^(?:tu )?trang (\d+) ?: ?(.+)$")
# Excel outside Vietnam reads the national code 2.000720 as the number 2.00072 and writes it
# back so: national codes are always one digit, a dot and six digits, so the zeros come back.
_EXCEL_CODE = re.compile(r"^(\d)\.(\d{1,5})$")


def parse_csv(text: str, *, version: str) -> Catalogue:
    """Parse the CSV form; every bad row is reported with its line and nothing is returned."""
    table = read_table(text)
    problems = list(table.problems)
    if "fees" in table.columns:
        raise CatalogueError([(1, "cột fees (JSON) không còn dùng: phí ghi ở các cột " + ", ".join(FEE_COLUMNS)
                                  + " (xuất mẫu bằng: desk-app catalog export danh-muc.csv)")])
    missing = [c for c in ("code", "name", "time_value") if c not in table.columns]
    if missing:
        raise CatalogueError([(1, f"thiếu cột: {', '.join(missing)}")])
    mains: dict[str, CsvRow] = {}
    fee_rows: dict[str, list[CsvRow]] = {}
    for row in table.rows:
        code = _code(row.cells["code"])
        if not code:
            problems.append((row.line, "thiếu mã thủ tục"))
        elif row.cells["name"]:
            if code in mains:
                problems.append((row.line, f"mã thủ tục {code} trùng với dòng {mains[code].line}"))
            else:
                mains[code] = row
        else:
            fee_rows.setdefault(code, []).append(row)
    for code, rows in fee_rows.items():
        if code not in mains:
            problems.append((rows[0].line, f"thiếu tên thủ tục {code} (dòng chỉ ghi phí phải cùng mã với một "
                                           "dòng có tên thủ tục)"))
    parsed: list[Procedure] = []
    for code, row in mains.items():
        try:
            fees = _fees(row, fee_rows.get(code, []), problems)
            parsed.append(_procedure(code, row.cells, fees))
        except RowError as exc:
            problems.append((row.line, str(exc)))
    if problems:
        raise CatalogueError(sorted(problems))
    if not parsed:
        raise CatalogueError([(1, "tệp không có thủ tục nào")])
    return Catalogue(nfc(version), tuple(parsed))


def _code(text: str) -> str:
    match = _EXCEL_CODE.match(text)
    return f"{match.group(1)}.{match.group(2).ljust(6, '0')}" if match else nfc(text)


def _fees(main: CsvRow, extra: list[CsvRow], problems: list[tuple[int, str]]) -> list[FeeRule]:
    """The main row's fee rule, then each extra row's, in file order; errors keep their own line."""
    rules: list[FeeRule] = []
    first = _fee_rule(main.cells)
    if first is not None:
        rules.append(first)
    for row in extra:
        filled = [c for c in CSV_COLUMNS if c not in FEE_COLUMNS and c != "code" and row.cells.get(c)]
        try:
            if filled:
                raise RowError(f"dòng phí thêm của thủ tục {main.cells['code']} chỉ ghi các cột fee_…; "
                               f"cột {filled[0]} phải để trống")
            rule = _fee_rule(row.cells)
            if rule is None:
                raise RowError("dòng phí thêm không có loại phí (fee_kind)")
            rules.append(rule)
        except RowError as exc:
            problems.append((row.line, str(exc)))
    return rules or [FeeRule(FeeKind.FREE)]


def _fee_rule(cells: dict[str, str]) -> FeeRule | None:
    if not any(cells.get(c) for c in FEE_COLUMNS):
        return None
    raw: dict[str, Any] = {"kind": _fee_kind(cells.get("fee_kind", ""))}
    if cells.get("fee_amount"):
        raw["amount"] = _money(cells["fee_amount"], "Mức phí")
    if cells.get("fee_page_amounts"):
        raw["tiers"] = _tiers(cells["fee_page_amounts"])
    if cells.get("fee_cap"):
        raw["cap_per_copy"] = _money(cells["fee_cap"], "Mức trần mỗi bản")
    raw["per_copy"] = cells.get("fee_per_copy", "")
    raw["channels"] = [c for c in re.split(r"[;,\s]+", cells.get("fee_channels", "")) if c]
    raw["effective_from"] = cells.get("fee_from")
    raw["effective_to"] = cells.get("fee_to")
    raw["note"] = cells.get("fee_note", "")
    return fee_from_dict(raw)


def _fee_kind(text: str) -> str:
    if not text:
        raise RowError("thiếu loại phí (fee_kind: " + ", ".join(k.value for k in FeeKind) + ")")
    word = _FEE_KIND_WORDS.get(fold(text))
    return word.value if word else text.strip().lower()


def _money(text: str, what: str) -> int:
    """Đồng as typed or as a spreadsheet shows them: 10000, 10.000, 10,000, 10 000, 10.000 đ."""
    cleaned = re.sub(r"\s*(?:đ|đồng|d|dong|vnđ|vnd)$", "", nfc(text).lower()).strip()
    if not _MONEY.match(cleaned):
        raise RowError(f"{what} '{text}' không phải số tiền (đồng, số nguyên)")
    return int(re.sub(r"\D", "", cleaned))


def _tiers(text: str) -> list[dict[str, int]]:
    """"từ trang 1: 2000; từ trang 3: 1000" (a bare amount means from page 1)."""
    tiers = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        match = _TIER.match(fold(part))
        if match is None:
            try:
                if ";" in text:
                    raise RowError(part)
                return [{"from_page": 1, "amount": _money(part, "Phí mỗi trang")}]
            except RowError:
                raise RowError(f"phí theo trang '{part}' phải có dạng \"từ trang 1: 2000; từ trang 3: 1000\"") from None
        tiers.append({"from_page": int(match.group(1)), "amount": _money(match.group(2), "Phí mỗi trang")})
    return tiers


def _procedure(code: str, cells: dict[str, str], fees: list[FeeRule]) -> Procedure:
    unit = cells.get("time_unit") or TimeUnit.WORKING_DAYS.value
    documents: list[dict[str, Any]] = []
    for item in filter(None, (part.strip() for part in cells.get("documents", "").split(";"))):
        parts = [p.strip() for p in item.split("|")]
        doc: dict[str, Any] = {"name": parts[0]}
        for key, value in zip(("form", "count", "mandatory"), parts[1:]):
            if value:
                doc[key] = value
        documents.append(doc)
    time_value = cells.get("time_value", "").replace(",", ".")  # 0,5 from a decimal-comma locale
    procedure = procedure_from_dict({
        "code": code,
        "name": cells["name"],
        "field": cells.get("field", ""),
        "time": None if time_value == "" else {"value": time_value, "unit": unit},
        "same_day": cells.get("same_day", ""),
        "max_extension_days": cells.get("max_extension_days") or 0,
        "documents": documents,
        "legal_basis": cells.get("legal_basis", ""),
        "effective_from": cells.get("effective_from"),
        "effective_to": cells.get("effective_to"),
        "notes": cells.get("notes", ""),
    })
    return replace(procedure, fees=tuple(fees))  # the fee rules were checked row by row


# writing --------------------------------------------------------------------------------------


def catalogue_to_csv(catalogue: Catalogue, *, delimiter: str = ",") -> str:
    """The CSV form of ``catalogue``; ``parse_csv`` of it gives the same procedures back.

    Dates are written dd/mm/yyyy and yes/no as có/không: a spreadsheet opened in any regional
    setting writes them back as it read them.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    blank_procedure = [""] * (len(PROCEDURE_COLUMNS) - 1)
    for p in catalogue.procedures:
        fees = p.fees or (FeeRule(FeeKind.FREE),)
        writer.writerow(_procedure_cells(p) + _fee_cells(fees[0]) + _tail_cells(p))
        for rule in fees[1:]:
            writer.writerow([p.code, *blank_procedure, *_fee_cells(rule), *([""] * len(TAIL_COLUMNS))])
    return out.getvalue()


def _yes(value: bool) -> str:
    return "có" if value else "không"


def _day(value: Any) -> str:
    return format_date(value) if value else ""


def _procedure_cells(p: Procedure) -> list[str]:
    time_value = "" if p.time is None else format(p.time.value.normalize(), "f")
    time_unit = "" if p.time is None else p.time.unit.value
    return [p.code, p.name, p.field, time_value, time_unit, _yes(p.same_day), str(p.max_extension_days)]


def _fee_cells(rule: FeeRule) -> list[str]:
    amount = str(rule.amount) if rule.kind is FeeKind.FLAT or rule.amount else ""
    tiers = "; ".join(f"từ trang {t.from_page}: {t.amount}" for t in rule.tiers)
    cap = "" if rule.cap_per_copy is None else str(rule.cap_per_copy)
    return [rule.kind.value, amount, "có" if rule.per_copy else "", tiers, cap, "; ".join(rule.channels),
            _day(rule.effective_from), _day(rule.effective_to), rule.note]


def _tail_cells(p: Procedure) -> list[str]:
    for d in p.documents:
        if ";" in d.name or "|" in d.name:
            raise DomainError("csv_unsafe_document", f"Tên giấy tờ '{d.name}' của thủ tục {p.code} có dấu ; hoặc |, "
                              "không ghi được vào cột documents của CSV; hãy xuất dạng JSON.")
    documents = ";".join(f"{d.name}|{d.form.value}|{d.count}|{_yes(d.mandatory)}" for d in p.documents)
    return [documents, p.legal_basis, _day(p.effective_from), _day(p.effective_to), p.notes]
