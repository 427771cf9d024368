import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from desk_app.domain.calendar import CalendarSettings, DueTime, WorkCalendar
from desk_app.domain.catalogue import ProcessingTime, TimeUnit
from desk_app.domain.holidays import DayKind
from desk_app.domain.schedule_io import ScheduleError, parse_schedule_csv

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "calendar" / "holidays.csv"


@pytest.fixture(scope="module")
def schedules():
    return parse_schedule_csv(SHIPPED.read_text(encoding="utf-8"))


@pytest.fixture
def cal(schedules):
    return WorkCalendar(CalendarSettings(), schedules)


def wd(n):
    return ProcessingTime(Decimal(n), TimeUnit.WORKING_DAYS)


def at(text):
    return dt.datetime.fromisoformat(text)


# Every block of days off in the confirmed 2025 and 2026 schedules: none is a working day,
# and the working day before each block is followed by the working day after it.
BLOCKS = [
    ("2025-01-01", "2025-01-01", "2024-12-31", "2025-01-02"),
    ("2025-01-27", "2025-01-31", "2025-01-24", "2025-02-03"),
    ("2025-04-07", "2025-04-07", "2025-04-04", "2025-04-08"),
    ("2025-04-30", "2025-05-02", "2025-04-29", "2025-05-05"),
    ("2025-09-01", "2025-09-02", "2025-08-29", "2025-09-03"),
    ("2026-01-01", "2026-01-02", "2025-12-31", "2026-01-05"),
    ("2026-02-16", "2026-02-20", "2026-02-13", "2026-02-23"),
    ("2026-04-27", "2026-04-27", "2026-04-24", "2026-04-28"),
    ("2026-04-30", "2026-05-01", "2026-04-29", "2026-05-04"),
    ("2026-08-31", "2026-09-02", "2026-08-28", "2026-09-03"),
]


@pytest.mark.parametrize("first, last, before, after", BLOCKS)
def test_holiday_blocks(cal, first, last, before, after):
    day = dt.date.fromisoformat(first)
    while day <= dt.date.fromisoformat(last):
        assert not cal.is_working_day(day), day
        day += dt.timedelta(days=1)
    assert cal.next_working_day(dt.date.fromisoformat(before)) == dt.date.fromisoformat(after)


def test_swapped_saturday_is_a_working_day(cal):
    assert cal.is_working_day(dt.date(2025, 4, 26))  # Saturday worked for Friday 2/5/2025
    assert cal.is_working_day(dt.date(2026, 1, 10))
    assert not cal.is_working_day(dt.date(2026, 1, 17))  # an ordinary Saturday
    # Received Friday 25/4/2025 09:00, 1 working day: the swapped Saturday 26/4 counts.
    result = cal.due(at("2025-04-25T09:00"), wd(1))
    assert result.due_at == at("2025-04-26T09:00")
    assert "làm bù 26/4" in result.reason


def test_compensatory_monday(cal):
    assert cal.entry(dt.date(2026, 4, 27)).kind is DayKind.COMPENSATORY
    # Friday 24/4/2026, 1 working day: Monday 27/4 is the day off for Giỗ Tổ on Sunday.
    assert cal.due(at("2026-04-24T10:00"), wd(1)).due_at == at("2026-04-28T10:00")


def test_working_days_skip_holidays_and_say_so(cal):
    result = cal.due(at("2026-04-28T09:15"), wd(3))
    assert result.due_at == at("2026-05-05T09:15")
    assert result.reason == "3 ngày làm việc; bỏ qua 30/4, 1/5"


def test_working_days_over_tet_2026(cal):
    assert cal.due(at("2026-02-12T08:00"), wd(3)).due_at == at("2026-02-24T08:00")


def test_same_day_before_and_after_15h(cal):
    same = ProcessingTime(Decimal(0), TimeUnit.WORKING_DAYS)
    assert cal.due(at("2026-11-23T15:00"), same, same_day=True).due_at == at("2026-11-23T17:00")
    late = cal.due(at("2026-11-23T15:01"), same, same_day=True)
    assert late.due_at == at("2026-11-24T17:00")
    assert "nhận sau 15:00" in late.reason
    # After 15:00 on a Friday before a holiday: the next working day is after the block.
    assert cal.due(at("2026-04-29T16:00"), same, same_day=True).due_at == at("2026-05-04T17:00")


def test_same_day_extension_keeps_hour_and_date(cal):
    same = ProcessingTime(Decimal(0), TimeUnit.WORKING_DAYS)
    result = cal.due(at("2026-11-23T09:00"), same, same_day=True, extra_working_days=2)
    assert result.due_at == at("2026-11-25T17:00")
    assert "gia hạn 2" in result.reason


def test_after_hours_receipt_starts_at_next_opening(cal):
    result = cal.due(at("2026-11-27T18:30"), wd(1))  # Friday evening, online
    assert result.start_at == at("2026-11-30T07:00")
    assert result.due_at == at("2026-12-01T07:00")
    lunch = cal.due(at("2026-11-23T12:00"), wd(1))
    assert lunch.start_at == at("2026-11-23T13:30")


def test_calendar_days_end_on_next_working_day(cal):
    days = ProcessingTime(Decimal(15), TimeUnit.CALENDAR_DAYS)
    assert cal.due(at("2026-11-23T09:00"), days).due_at == at("2026-12-08T09:00")
    # 15 days from 15/4/2026 is 30/4, a holiday: the period ends Monday 4/5.
    assert cal.due(at("2026-04-15T09:00"), days).due_at == at("2026-05-04T09:00")


def test_hours_count_only_office_time(cal):
    hours = ProcessingTime(Decimal(8), TimeUnit.HOURS)
    assert cal.due(at("2026-11-23T16:00"), hours).due_at == at("2026-11-24T16:00")
    two = ProcessingTime(Decimal(2), TimeUnit.HOURS)
    assert cal.due(at("2026-11-23T11:00"), two).due_at == at("2026-11-23T15:00")


def test_half_day_uses_working_hours(cal):
    assert cal.due(at("2026-11-23T09:00"), wd("0.5")).due_at == at("2026-11-23T15:00")


def test_open_convention_count_receipt_day(schedules):
    settings = CalendarSettings(count_receipt_day_before=dt.time(10, 0), due_time=DueTime.END_OF_DAY)
    cal = WorkCalendar(settings, schedules)
    assert cal.due(at("2026-11-23T08:00"), wd(3)).due_at == at("2026-11-25T17:00")
    assert cal.due(at("2026-11-23T11:00"), wd(3)).due_at == at("2026-11-26T17:00")


def test_saturday_morning_office_does_not_count_as_working_day(schedules):
    cal = WorkCalendar(CalendarSettings(saturday_morning=True), schedules)
    saturday = dt.date(2026, 11, 28)
    assert len(cal.sessions_on(saturday)) == 1
    assert not cal.is_working_day(saturday)
    assert cal.due(at("2026-11-28T09:00"), wd(1)).due_at == at("2026-12-01T07:00")


def test_year_without_schedule_is_derived_and_provisional(cal):
    entries = cal.entries(2028)
    assert entries and all(e.provisional for e in entries)
    assert dt.date(2028, 4, 30) in {e.date for e in entries}


def test_imported_year_replaces_derived(cal):
    entries = cal.entries(2026)
    assert not any(e.provisional for e in entries)
    assert dt.date(2026, 8, 22) in {e.date for e in entries if e.kind is DayKind.SWAPPED_WORKDAY}


def test_schedule_csv_rejects_whole_file_with_line_numbers():
    text = "date,name,kind\n2030-01-01,Tết Dương lịch,holiday\n2030-02-30,Sai,holiday\n2030-03-01,X,party\n"
    with pytest.raises(ScheduleError) as err:
        parse_schedule_csv(text)
    assert [line for line, _ in err.value.problems] == [3, 4]
