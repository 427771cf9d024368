"""Read a days-off schedule (columns date,name,kind[,provisional]) from CSV, all or nothing."""

from __future__ import annotations

import datetime as dt

from desk_app.domain.csv_files import read_table
from desk_app.domain.dates import parse_date
from desk_app.domain.errors import DomainError
from desk_app.domain.holidays import DayEntry, DayKind
from desk_app.domain.text import fold, nfc

# The kinds as an office types them in Vietnamese (compared folded), besides the codes.
_KIND_WORDS = {
    "nghi le": DayKind.HOLIDAY, "le": DayKind.HOLIDAY, "ngay le": DayKind.HOLIDAY,
    "nghi bu": DayKind.COMPENSATORY,
    "lam bu": DayKind.SWAPPED_WORKDAY, "di lam bu": DayKind.SWAPPED_WORKDAY,
}
_YES = {"1", "true", "yes", "co", "x"}
_NO = {"", "0", "false", "no", "khong"}


class ScheduleError(Exception):
    """Bad rows; ``problems`` lists (line number, Vietnamese message)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"Dòng {line}: {msg}" for line, msg in problems))


def _kind(text: str) -> DayKind:
    word = _KIND_WORDS.get(fold(text))
    if word is not None:
        return word
    try:
        return DayKind(text.strip().lower())
    except ValueError:
        allowed = ", ".join(k.value for k in DayKind)
        raise ValueError(f"loại '{text}' không hợp lệ (chọn: {allowed}, hoặc nghỉ lễ, nghỉ bù, làm bù)") from None


def parse_schedule_csv(text: str) -> dict[int, list[DayEntry]]:
    """Entries grouped by year. A ``year`` column, if present, must agree with the date.

    Dates may be dd/mm/yyyy (as a spreadsheet shows them) or yyyy-mm-dd; the separator may be
    a comma or a semicolon.
    """
    table = read_table(text)
    missing = [c for c in ("date", "name", "kind") if c not in table.columns]
    if missing:
        raise ScheduleError([(1, f"thiếu cột: {', '.join(missing)} (cần date,name,kind)")])
    problems = list(table.problems)
    years: dict[int, list[DayEntry]] = {}
    seen: dict[dt.date, int] = {}
    for row in table.rows:
        line, cells = row.line, row.cells
        try:
            day = parse_date(cells["date"], century=2000)  # "01/01/30": a date Calc wrote back
        except DomainError as exc:
            problems.append((line, exc.message))
            continue
        name = nfc(cells["name"])
        if not name:
            problems.append((line, "thiếu tên ngày nghỉ"))
            continue
        try:
            kind = _kind(cells["kind"])
        except ValueError as exc:
            problems.append((line, str(exc)))
            continue
        year_text = cells.get("year", "")
        if year_text and year_text != str(day.year):
            problems.append((line, f"năm {year_text} không khớp với ngày {day:%d/%m/%Y}"))
            continue
        if kind is DayKind.SWAPPED_WORKDAY and day.weekday() < 5:
            problems.append((line, f"ngày làm bù {day:%d/%m/%Y} không phải thứ Bảy hoặc Chủ nhật"))
            continue
        if day in seen:
            problems.append((line, f"ngày {day:%d/%m/%Y} trùng với dòng {seen[day]}"))
            continue
        provisional = fold(cells.get("provisional", ""))
        if provisional not in _YES | _NO:
            problems.append((line, f"cột provisional '{cells['provisional']}' phải là có/không (1/0)"))
            continue
        seen[day] = line
        years.setdefault(day.year, []).append(DayEntry(day, name, kind, provisional in _YES))
    if problems:
        raise ScheduleError(sorted(problems))
    if not years:
        raise ScheduleError([(1, "tệp không có ngày nào")])
    return years
