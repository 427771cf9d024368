"""Where a dossier stands against its appointment: early / on time / late, or how soon it is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from desk_app.domain.dossier import FINISHED, Status


class Timeliness(str, Enum):
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"
    PAUSED = "paused"  # waiting for the citizen's supplement: the clock restarts when it arrives
    DONE_EARLY = "done_early"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"


TIMELINESS_LABELS = {
    Timeliness.OVERDUE: "Quá hạn",
    Timeliness.DUE_TODAY: "Đến hạn hôm nay",
    Timeliness.DUE_SOON: "Sắp đến hạn",
    Timeliness.ON_TRACK: "Trong hạn",
    Timeliness.PAUSED: "Chờ bổ sung",
    Timeliness.DONE_EARLY: "Trả sớm",
    Timeliness.DONE_ON_TIME: "Trả đúng hạn",
    Timeliness.DONE_LATE: "Trả muộn",
}

# The words scripts read ("timeliness" in the command line's JSON): early / on time / late once
# finished; in time / due soon / overdue / paused while open. Due today is due soon.
PUBLIC_NAMES = {
    Timeliness.DONE_EARLY: "early",
    Timeliness.DONE_ON_TIME: "on_time",
    Timeliness.DONE_LATE: "late",
    Timeliness.ON_TRACK: "in_time",
    Timeliness.DUE_SOON: "due_soon",
    Timeliness.DUE_TODAY: "due_soon",
    Timeliness.OVERDUE: "overdue",
    Timeliness.PAUSED: "paused",
}

# The appointment clock runs only while the desk or the deciding agency holds a complete dossier
# (NĐ 61 Art. 19(4): a supplement request stops it, and it restarts from zero).
CLOCK_RUNNING = (Status.RECEIVED, Status.IN_PROCESS)


@dataclass(frozen=True)
class DueWindow:
    """The moment dossiers are judged at, and the end of the "due soon" window.

    ``soon_until`` comes from the work calendar (e.g. the end of the second working day after
    today), so on a Friday "soon" reaches into next week rather than covering only the weekend.
    """

    now: dt.datetime
    soon_until: dt.datetime
    # Due dates (from, until) whose apology may still be sent and must be by the end of the soon
    # window: the "apology" alert. None: not computed (no calendar at hand).
    apology_from: dt.datetime | None = None
    apology_until: dt.datetime | None = None

    def __post_init__(self) -> None:
        if self.now.tzinfo is None or self.soon_until.tzinfo is None:
            raise ValueError("DueWindow needs aware datetimes (the desk's offset)")

    @property
    def end_of_today(self) -> dt.datetime:
        return dt.datetime.combine(self.now.date() + dt.timedelta(days=1), dt.time(0), self.now.tzinfo)


def judge_moment(moment: dt.datetime, due_at: dt.datetime) -> Timeliness:
    """Something done at ``moment`` against the appointment ``due_at``, in the appointment's own
    offset (the desk's): the same rule as a finished dossier (``judge_finished``)."""
    return judge_finished(due_at, moment, due_at.tzinfo)


def judge(status: Status, due_at: dt.datetime, finished_at: dt.datetime | None, window: DueWindow) -> Timeliness | None:
    """One dossier's standing; None when it ended without a result (refused, withdrawn, stopped).

    Finished: early when done on a day before the appointment's day, on time when done by the
    appointment on its day, late after it (TT 01/2018 scores 2 / 1 / 0). Running: overdue once
    the appointment has passed, then due today, due soon (before ``window.soon_until``), on track.
    """
    if status in FINISHED:
        if finished_at is None:  # finished before finishing times were recorded (schema 0001)
            return None
        return judge_finished(due_at, finished_at, window.now.tzinfo)
    if status is Status.SUPPLEMENT_REQUESTED:
        return Timeliness.PAUSED
    if status not in CLOCK_RUNNING:
        return None
    if due_at < window.now:
        return Timeliness.OVERDUE
    if due_at < window.end_of_today:
        return Timeliness.DUE_TODAY
    return Timeliness.DUE_SOON if due_at < window.soon_until else Timeliness.ON_TRACK


def judge_finished(due_at: dt.datetime, finished_at: dt.datetime, zone: dt.tzinfo | None) -> Timeliness:
    """Early, on time or late: the one rule for a finished dossier (the ledger, the reports, the hub).

    Early when done on a day (in ``zone``, the desk's offset) before the appointment's day, on
    time when done by the appointment on its day, late after it.
    """
    if finished_at > due_at:
        return Timeliness.DONE_LATE
    if finished_at.astimezone(zone).date() < due_at.astimezone(zone).date():
        return Timeliness.DONE_EARLY
    return Timeliness.DONE_ON_TIME
