"""Read a days-off schedule (columns date,name,kind[,provisional]) from CSV, all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io

from desk_app.domain.holidays import DayEntry, DayKind
from desk_app.domain.text import nfc


class ScheduleError(Exception):
    """Bad rows; ``problems`` lists (line number, Vietnamese message)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"Dòng {line}: {msg}" for line, msg in problems))


def parse_schedule_csv(text: str) -> dict[int, list[DayEntry]]:
    """Entries grouped by year. A ``year`` column, if present, must agree with the date."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("date", "name", "kind") if c not in (reader.fieldnames or [])]
    if missing:
        raise ScheduleError([(1, f"thiếu cột: {', '.join(missing)} (cần date,name,kind)")])
    problems: list[tuple[int, str]] = []
    years: dict[int, list[DayEntry]] = {}
    seen: dict[dt.date, int] = {}
    end_of_previous = reader.line_num
    for row in reader:
        line, end_of_previous = end_of_previous + 1, reader.line_num
        try:
            day = dt.date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            problems.append((line, f"ngày '{row.get('date')}' không đúng dạng YYYY-MM-DD"))
            continue
        name = nfc(row.get("name") or "")
        if not name:
            problems.append((line, "thiếu tên ngày nghỉ"))
            continue
        try:
            kind = DayKind((row.get("kind") or "").strip())
        except ValueError:
            allowed = ", ".join(k.value for k in DayKind)
            problems.append((line, f"loại '{row.get('kind')}' không hợp lệ (chọn: {allowed})"))
            continue
        year_text = (row.get("year") or "").strip()
        if year_text and year_text != str(day.year):
            problems.append((line, f"năm {year_text} không khớp với ngày {day.isoformat()}"))
            continue
        if kind is DayKind.SWAPPED_WORKDAY and day.weekday() < 5:
            problems.append((line, f"ngày làm bù {day:%d/%m/%Y} không phải thứ Bảy hoặc Chủ nhật"))
            continue
        if day in seen:
            problems.append((line, f"ngày {day:%d/%m/%Y} trùng với dòng {seen[day]}"))
            continue
        seen[day] = line
        provisional = (row.get("provisional") or "").strip().lower() in ("1", "true", "yes")
        years.setdefault(day.year, []).append(DayEntry(day, name, kind, provisional))
    if problems:
        raise ScheduleError(problems)
    if not years:
        raise ScheduleError([(1, "tệp không có ngày nào")])
    return years
