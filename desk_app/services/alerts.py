"""What needs the desk's attention now: overdue, due today, due within N working days, waiting
for a supplement, and the apologies still allowed that must go out before the window ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from desk_app.domain import events
from desk_app.domain.errors import DomainError
from desk_app.domain.lifecycle import last_apology_day
from desk_app.services import ledger
from desk_app.services.desk import Desk
from desk_app.store.ledger import LedgerSort, SortColumn

# Each alert's words, for the ledger's filter and the panel (N: the due-soon window).
ALERT_LABELS: Mapping[ledger.DueBucket, str] = MappingProxyType({
    "overdue": "Quá hạn",
    "due_today": "Đến hạn hôm nay",
    "due_soon": "Đến hạn trong {n} ngày làm việc",
    "paused": "Chờ bổ sung",
    "apology": "Cần xin lỗi, hẹn lại (còn kịp)",
})
REMINDERS_SHOWN = 50


@dataclass(frozen=True)
class ApologyReminder:
    code: str
    applicant_name: str
    due_at: dt.datetime
    last_day: dt.date  # the last day the apology (Mẫu 04) may be issued


@dataclass(frozen=True)
class Alerts:
    at: dt.datetime
    soon_working_days: int
    counts: Mapping[ledger.DueBucket, int]
    apologies: tuple[ApologyReminder, ...]  # the most urgent first, at most REMINDERS_SHOWN

    def label(self, bucket: ledger.DueBucket) -> str:
        return ALERT_LABELS[bucket].format(n=self.soon_working_days)

    @property
    def text(self) -> str:
        """One line for the panel: "Quá hạn: 3 · Đến hạn hôm nay: 1 · …", the empty ones left out."""
        parts = [f"{self.label(b)}: {n}" for b, n in self.counts.items() if n]
        last = [r for r in self.apologies if r.last_day == self.at.date()]
        if last:
            parts.append(f"hôm nay là ngày cuối để xin lỗi, hẹn lại {len(last)} hồ sơ")
        return " · ".join(parts) if parts else "Không có hồ sơ nào cần chú ý."


def alerts(desk: Desk, *, at: dt.datetime | None = None) -> Alerts:
    """The alerts at ``at`` (default now), judged with the work calendar."""
    window = ledger.window(desk, at)
    counts = {bucket: ledger.count(desk, ledger.LedgerFilter(due=bucket), at=window.now)
              for bucket in ledger.ALERT_BUCKETS}
    rows = ledger.page(desk, ledger.LedgerFilter(due="apology"), LedgerSort(SortColumn.DUE_AT, ascending=True),
                       offset=0, limit=REMINDERS_SHOWN, at=window.now)
    calendar = desk.calendar()
    reminders = tuple(ApologyReminder(r.code, r.applicant_name, r.due_at, last_apology_day(calendar, r.due_at))
                      for r in rows)
    return Alerts(window.now, ledger.soon_days(desk), MappingProxyType(counts), reminders)


def set_soon_working_days(desk: Desk, days: int) -> int:
    """Set N of "due within N working days" (1 to 10), through the recorder."""
    if not 1 <= days <= 10:
        raise DomainError("invalid_soon_days", "Số ngày làm việc báo sắp đến hạn phải từ 1 đến 10.", field="days")
    values = {ledger.SOON_SETTING: days}
    with desk.recorder.change(business_time=desk.clock()) as change:
        desk.store.settings.put(values)
        change.event(events.Kind.SETTINGS_CHANGED, desk.desk_uuid(), events.settings_changed(values))
        change.audit("desk.set_due_soon", "desk", ledger.SOON_SETTING, values)
    return days
