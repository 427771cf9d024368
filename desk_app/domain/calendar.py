"""The work calendar: office sessions, days off, and the appointment (due) time of a dossier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from desk_app.domain.catalogue import ProcessingTime, TimeUnit
from desk_app.domain.holidays import DayEntry, DayKind, derive_statutory

_DAY_LIMIT = 800  # no processing time reaches two years; guards a misconfigured calendar


class DueTime(str, Enum):
    """OPEN (DOMAIN.md §5): which clock time the due day carries."""

    SAME_TIME = "same_time"  # the receipt's clock time, N working days later (8 working hours = 1 day)
    END_OF_DAY = "end_of_day"  # the end of the last office session of the due day


@dataclass(frozen=True)
class Session:
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class CalendarSettings:
    """Per-commune office hours and the conventions DOMAIN.md §5 leaves open (all settings)."""

    sessions: tuple[Session, ...] = (
        Session(dt.time(7, 0), dt.time(11, 30)),
        Session(dt.time(13, 30), dt.time(17, 0)),
    )
    # Monday=0 … Friday=4 are working days; weekends only work when swapped in by the schedule.
    working_weekdays: frozenset[int] = frozenset(range(5))
    # Some wards open on Saturday morning to receive and return; that does not make Saturday a
    # working day for time limits.
    saturday_morning: bool = False
    same_day_cutoff: dt.time = dt.time(15, 0)
    # OPEN: received before this time, the receipt day counts as the first of N working days.
    # None (default): counting starts on the next working day.
    count_receipt_day_before: dt.time | None = None
    due_time: DueTime = DueTime.SAME_TIME

    @property
    def hours_per_day(self) -> Decimal:
        minutes = sum(_minutes(s.end) - _minutes(s.start) for s in self.sessions)
        return Decimal(minutes) / 60


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class DueResult:
    due_at: dt.datetime
    reason: str  # one line for the receptionist: "3 ngày làm việc; bỏ qua 30/4, 1/5"
    start_at: dt.datetime  # when the clock started (receipt moved into office hours)
    skipped: tuple[DayEntry, ...] = field(default=())


def _dm(day: dt.date) -> str:
    return f"{day.day}/{day.month}"


class WorkCalendar:
    """Working days from imported schedules, falling back to statutory days derived per year."""

    def __init__(
        self,
        settings: CalendarSettings,
        schedules: Mapping[int, Iterable[DayEntry]] | None = None,
        derive: Callable[[int], list[DayEntry]] = derive_statutory,
    ) -> None:
        self.settings = settings
        self._derive = derive
        self._years: dict[int, dict[dt.date, DayEntry]] = {}
        for year, entries in (schedules or {}).items():
            self._years[year] = {e.date: e for e in entries}

    def entries(self, year: int) -> list[DayEntry]:
        """Every day off and swapped working day of ``year`` (imported, else derived provisionally)."""
        return sorted(self._year(year).values(), key=lambda e: e.date)

    def _year(self, year: int) -> dict[dt.date, DayEntry]:
        if year not in self._years:
            self._years[year] = {e.date: e for e in self._derive(year)}
        return self._years[year]

    def entry(self, day: dt.date) -> DayEntry | None:
        return self._year(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        entry = self.entry(day)
        if entry is not None:
            return entry.kind is DayKind.SWAPPED_WORKDAY
        return day.weekday() in self.settings.working_weekdays

    def sessions_on(self, day: dt.date) -> tuple[Session, ...]:
        """Office sessions open on ``day`` (Saturday morning counts for reception only)."""
        if self.is_working_day(day):
            return self.settings.sessions
        if self.settings.saturday_morning and day.weekday() == 5 and self.entry(day) is None:
            return self.settings.sessions[:1]
        return ()

    def next_working_day(self, day: dt.date) -> dt.date:
        for _ in range(_DAY_LIMIT):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within two years: check the calendar")

    def day_end(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.settings.sessions[-1].end)

    def clock_start(self, at: dt.datetime) -> dt.datetime:
        """When counting starts: ``at`` if inside a working session, else the next session start.

        OPEN (DOMAIN.md §5): online and after-hours receipts start at the next opening.
        """
        day = at.date()
        for _ in range(_DAY_LIMIT):
            if self.is_working_day(day):
                for session in self.settings.sessions:
                    start = dt.datetime.combine(day, session.start)
                    end = dt.datetime.combine(day, session.end)
                    if at < end:
                        return max(at, start)
            day += dt.timedelta(days=1)
            at = dt.datetime.combine(day, dt.time(0, 0))
        raise ValueError("no working session within two years: check the calendar")

    def add_working_hours(self, start: dt.datetime, hours: Decimal) -> dt.datetime:
        """Walk ``hours`` of office time forward from ``start`` (itself inside a session)."""
        remaining = int(hours * 60)
        at = self.clock_start(start)
        for _ in range(_DAY_LIMIT * 4):
            for session in self.settings.sessions:
                end = dt.datetime.combine(at.date(), session.end)
                begin = dt.datetime.combine(at.date(), session.start)
                if at >= end:
                    continue
                at = max(at, begin)
                available = int((end - at).total_seconds() // 60)
                if remaining <= available:
                    return at + dt.timedelta(minutes=remaining)
                remaining -= available
                at = end
            at = dt.datetime.combine(self.next_working_day(at.date()), self.settings.sessions[0].start)
        raise ValueError("working hours beyond two years")

    def _days_off_between(self, first: dt.date, last: dt.date) -> tuple[DayEntry, ...]:
        """Holidays and compensatory days strictly after ``first`` up to ``last``: what was skipped."""
        skipped = []
        day = first + dt.timedelta(days=1)
        while day <= last:
            entry = self.entry(day)
            if entry is not None and entry.kind is not DayKind.SWAPPED_WORKDAY:
                skipped.append(entry)
            day += dt.timedelta(days=1)
        return tuple(skipped)

    def _swapped_between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        days = []
        day = first
        while day <= last:
            entry = self.entry(day)
            if entry is not None and entry.kind is DayKind.SWAPPED_WORKDAY:
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def due(
        self,
        received_at: dt.datetime,
        time: ProcessingTime,
        *,
        same_day: bool = False,
        extra_working_days: int = 0,
    ) -> DueResult:
        """The appointment for a complete dossier received at ``received_at``.

        Aware datetimes keep their offset; the arithmetic runs on the local wall clock.
        """
        tzinfo = received_at.tzinfo
        local = received_at.replace(tzinfo=None)
        start = self.clock_start(local)
        notes: list[str] = []
        if start != local:
            notes.append(f"nhận ngoài giờ, tính từ {start:%H:%M} {_dm(start.date())}")
        if same_day or (time.unit is TimeUnit.WORKING_DAYS and time.value == 0):
            due, label = self._same_day(start, notes)
        elif time.unit is TimeUnit.WORKING_DAYS:
            due, label = self._working_days(start, local, time.value, notes)
        elif time.unit is TimeUnit.CALENDAR_DAYS:
            due, label = self._calendar_days(start, int(time.value), notes)
        else:
            due = self.add_working_hours(start, time.value)
            label = time.label()
        if extra_working_days:
            for _ in range(extra_working_days):
                due = dt.datetime.combine(self.next_working_day(due.date()), due.time())
            label += f" + gia hạn {extra_working_days} ngày làm việc"
        skipped = self._days_off_between(start.date(), due.date())
        parts = [label, *notes]
        if skipped:
            parts.append("bỏ qua " + ", ".join(_dm(e.date) for e in skipped))
        swapped = self._swapped_between(start.date(), due.date())
        if swapped:
            parts.append("tính thứ Bảy làm bù " + ", ".join(_dm(d) for d in swapped))
        return DueResult(due.replace(tzinfo=tzinfo), "; ".join(parts), start.replace(tzinfo=tzinfo), skipped)

    def _same_day(self, start: dt.datetime, notes: list[str]) -> tuple[dt.datetime, str]:
        cutoff = dt.datetime.combine(start.date(), self.settings.same_day_cutoff)
        if start <= cutoff:
            return self.day_end(start.date()), "trả trong ngày"
        notes.append(f"nhận sau {self.settings.same_day_cutoff:%H:%M}")
        return self.day_end(self.next_working_day(start.date())), "trả ngày làm việc tiếp theo"

    def _working_days(
        self, start: dt.datetime, received: dt.datetime, value: Decimal, notes: list[str]
    ) -> tuple[dt.datetime, str]:
        whole = int(value)
        fraction = value - whole
        day = start.date()
        threshold = self.settings.count_receipt_day_before
        counts_today = threshold is not None and start == received and received.time() < threshold
        steps = whole - 1 if counts_today and whole > 0 else whole
        if counts_today and whole > 0:
            notes.append("tính cả ngày tiếp nhận")
        for _ in range(steps):
            day = self.next_working_day(day)
        if self.settings.due_time is DueTime.END_OF_DAY:
            due = self.day_end(day)
        else:
            due = dt.datetime.combine(day, start.time())
        if fraction:
            due = self.add_working_hours(due, fraction * self.settings.hours_per_day)
        label = f"{format(value.normalize(), 'f').replace('.', ',')} ngày làm việc"
        return due, label

    def _calendar_days(self, start: dt.datetime, days: int, notes: list[str]) -> tuple[dt.datetime, str]:
        # A period whose last day is a day off ends on the next working day (BLDS 2015 Art. 148).
        day = start.date() + dt.timedelta(days=days)
        if not self.is_working_day(day):
            day = self.next_working_day(day)
            notes.append("ngày cuối là ngày nghỉ, chuyển sang ngày làm việc tiếp theo")
        if self.settings.due_time is DueTime.END_OF_DAY:
            return self.day_end(day), f"{days} ngày"
        return dt.datetime.combine(day, start.time()), f"{days} ngày"
