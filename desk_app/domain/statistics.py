"""The counting rules of the period report (DOMAIN §8): one dossier's history in, its place in the figures out.

The desk and the hub hand the same facts to these functions, so a commune's figures are the
same wherever they are counted. A dossier is described by its status steps (status and
appointment after each change, in order); the rules read its state at the period's edges:

- **received**: *new* when received inside the period, *carried over* when received before it
  and still open (waiting for a supplement included) when it began; by channel for the new ones
  (Biểu mẫu báo cáo: "trong kỳ: trực tuyến, trực tiếp, bưu chính; từ kỳ trước chuyển qua").
- at the period's end each dossier received (new or carried over) is in exactly one place:
  **resolved** (result ready: early / on time / late, judged on its first result against the
  appointment then in force), **refused**, **withdrawn**, **stopped**, **paused** (waiting for a
  supplement: its clock stands still), or **in progress** (within time / overdue, judged at the
  end of the period, or now for a period that has not ended);
- besides: **supplement requested** (dossiers asked for a supplement during the period) and
  **returned** (results handed back during the period, whenever they were resolved).

Statuses are read as text: a status this version does not know (a newer desk's) counts as open
with its clock running, never as an error.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple
from enum import Enum

from desk_app.domain.dossier import FINISHED, Channel, Status
from desk_app.domain.timeliness import Timeliness, judge_finished

PAUSED = Status.SUPPLEMENT_REQUESTED.value
RETURNED = Status.RETURNED.value
RESULT_STATUSES = frozenset(s.value for s in FINISHED)
# Ends without a result; each has its own count.
ENDED_STATUSES = frozenset({Status.REFUSED.value, Status.WITHDRAWN.value, Status.STOPPED.value})
CLOSED_STATUSES = RESULT_STATUSES | ENDED_STATUSES
NO_FIELD = "Chưa phân lĩnh vực"


# Step, DossierFacts and Outcome are NamedTuples, not dataclasses: a monthly report at a million
# dossiers builds some fifty thousand of each, and a frozen dataclass costs several times more to make.
class Step(NamedTuple):
    """A dossier's status from ``at`` on, and the appointment in force from then."""

    at: dt.datetime
    status: str
    due_at: dt.datetime


class DossierFacts(NamedTuple):
    """What the rules need of one dossier. ``steps`` are its changes in the order they happened,
    from its reception; ``rating`` is the citizen's rating at the return (a value of the scale).

    A source may leave out the history of a dossier that has not changed since before the period
    began and give only its last step: ``earlier_supplements`` then says how many times it was
    sent back for a supplement before that step (the rules need nothing else of its past).
    """

    received_at: dt.datetime
    channel: str
    procedure_code: str
    procedure_name: str
    field: str
    steps: tuple[Step, ...]
    rating: str | None = None
    earlier_supplements: int = 0


@dataclass(frozen=True)
class Period:
    """The days ``first`` … ``last`` (inclusive) in ``now``'s offset; ``now`` is the clock of whoever asks."""

    first: dt.date
    last: dt.date
    now: dt.datetime

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("a period needs an aware 'now' (the desk's offset)")
        if self.last < self.first:
            raise ValueError("a period ends on or after the day it starts")

    @cached_property
    def zone(self) -> dt.tzinfo:
        assert self.now.tzinfo is not None
        return self.now.tzinfo

    @cached_property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(0), self.zone)

    @cached_property
    def end(self) -> dt.datetime:
        """Midnight after the last day: the period is [start, end)."""
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(0), self.zone)

    @cached_property
    def judged_at(self) -> dt.datetime:
        """When open dossiers are judged overdue or not: the period's end, or now if that is sooner."""
        return min(self.end, self.now)


class Place(str, Enum):
    """Where a received dossier stands at the end of the period."""

    RESOLVED_EARLY = "resolved_early"
    RESOLVED_ON_TIME = "resolved_on_time"
    RESOLVED_LATE = "resolved_late"
    IN_PROGRESS_ON_TIME = "in_progress_on_time"
    IN_PROGRESS_OVERDUE = "in_progress_overdue"
    PAUSED = "paused"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"


_RESOLVED = {
    Timeliness.DONE_EARLY: Place.RESOLVED_EARLY,
    Timeliness.DONE_ON_TIME: Place.RESOLVED_ON_TIME,
    Timeliness.DONE_LATE: Place.RESOLVED_LATE,
}
_ENDED = {Status.REFUSED.value: Place.REFUSED, Status.WITHDRAWN.value: Place.WITHDRAWN,
          Status.STOPPED.value: Place.STOPPED}


class Outcome(NamedTuple):
    """One dossier in one period. ``place`` is None for a dossier outside the period's received
    (it may still count as returned during it)."""

    place: Place | None
    carried_over: bool = False
    channel: str = ""
    supplement_requested: bool = False
    returned: bool = False
    rating: str | None = None  # given at a return during the period
    processing: dt.timedelta | None = None  # resolved: reception to result, supplement waits excluded
    # QĐ 766 counts a dossier sent back for supplements more than once as overdue.
    supplements: int = 0


def paused_time(steps: Sequence[Step], until: dt.datetime) -> dt.timedelta:
    """Time spent waiting for a supplement before ``until``."""
    total = dt.timedelta(0)
    for index, step in enumerate(steps):
        if step.status != PAUSED or step.at >= until:
            continue
        following = steps[index + 1].at if index + 1 < len(steps) else until
        total += max(dt.timedelta(0), min(following, until) - step.at)
    return total


def _supplements(steps: Sequence[Step]) -> int:
    """How many times the dossier was sent back for a supplement (entries into the paused status)."""
    count, previous = 0, ""
    for step in steps:
        if step.status == PAUSED and previous != PAUSED:
            count += 1
        previous = step.status
    return count


def outcome(facts: DossierFacts, period: Period) -> Outcome | None:
    """Where ``facts`` counts in ``period``; None when it does not count at all.

    One pass over the steps; a dossier whose last change came before the period (most of those
    carried over, and every one closed before it) takes a shorter path to the same answer.
    """
    steps = facts.steps
    start, end = period.start, period.end
    received = facts.received_at
    if not steps or received >= end:
        return None
    last = steps[-1]
    if last.at < start and received < start:  # nothing has happened since the period began
        if last.status in CLOSED_STATUSES:
            return None
        return Outcome(_open_place(last, period), True, facts.channel,
                       supplements=facts.earlier_supplements + _supplements(steps))
    before = at_end = first_result = None
    supplements, asked, returned, previous = facts.earlier_supplements, False, False, ""
    for step in steps:
        at, status = step.at, step.status
        if at < start:
            before = step
        if at < end:
            at_end = step
            if status != previous:
                if status == PAUSED:
                    supplements += 1
                    asked = asked or at >= start
                elif status == RETURNED and at >= start:
                    returned = True
        if first_result is None and status in RESULT_STATUSES:
            first_result = step
        previous = status
    rating = facts.rating if returned else None
    new = received >= start
    carried = not new and before is not None and before.status not in CLOSED_STATUSES
    if not (new or carried):
        return Outcome(None, returned=True, rating=rating) if returned else None
    state = at_end or steps[0]
    processing = None
    if state.status in RESULT_STATUSES and first_result is not None:
        place = _RESOLVED[judge_finished(first_result.due_at, first_result.at, period.zone)]
        processing = first_result.at - received - paused_time(steps, first_result.at)
    elif state.status in ENDED_STATUSES:
        place = _ENDED[state.status]
    else:
        place = _open_place(state, period)
    return Outcome(place, carried, facts.channel, asked, returned, rating, processing, supplements)


def _open_place(state: Step, period: Period) -> Place:
    if state.status == PAUSED:
        return Place.PAUSED
    return Place.IN_PROGRESS_OVERDUE if state.due_at < period.judged_at else Place.IN_PROGRESS_ON_TIME


@dataclass(frozen=True)
class Counts:
    """The figures of one group (the whole desk, a field, a procedure) for one period."""

    received_carried_over: int = 0
    received_new: int = 0
    received_direct: int = 0
    received_online: int = 0
    received_postal: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    in_progress_on_time: int = 0
    in_progress_overdue: int = 0
    paused: int = 0
    supplement_requested: int = 0
    refused: int = 0
    withdrawn: int = 0
    stopped: int = 0
    returned: int = 0
    processing_seconds: int = 0  # summed over the resolved ones
    # 2.1's numerator: resolved early or on time, or in progress within time, sent back at most once.
    on_time_for_index: int = 0
    sent_back_twice: int = 0  # judged by 2.1 but sent back for supplements more than once: overdue there
    overdue_or_unhappy: int = 0  # judged by 2.1 and not on time there, or rated on a negative level (5.4)

    @property
    def received_total(self) -> int:
        return self.received_carried_over + self.received_new

    @property
    def resolved_total(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def in_progress_total(self) -> int:
        return self.in_progress_on_time + self.in_progress_overdue

    @property
    def on_time_rate(self) -> float | None:
        """QĐ 766 indicator 2.1 in %: resolved or running within time, of those judged (None: none)."""
        judged = self.resolved_total + self.in_progress_total
        return self.on_time_for_index / judged * 100 if judged else None

    @property
    def average_processing_days(self) -> float | None:
        """Average time to a result in days of 24 hours, supplement waits excluded."""
        if not self.resolved_total:
            return None
        return self.processing_seconds / self.resolved_total / 86400

    def by_channel(self) -> dict[str, int]:
        return {Channel.DIRECT.value: self.received_direct, Channel.ONLINE.value: self.received_online,
                Channel.POSTAL.value: self.received_postal}


# The dossiers QĐ 766's indicator 2.1 judges (resolved, or in progress with the clock running).
_ON_TIME = frozenset({Place.RESOLVED_EARLY, Place.RESOLVED_ON_TIME, Place.IN_PROGRESS_ON_TIME})
_JUDGED = _ON_TIME | {Place.RESOLVED_LATE, Place.IN_PROGRESS_OVERDUE}
_CHANNEL_FIELDS = {Channel.DIRECT.value: "received_direct", Channel.ONLINE.value: "received_online",
                   Channel.POSTAL.value: "received_postal"}


@dataclass
class Tally:
    """Adds outcomes up into Counts (mutable while counting; ``counts()`` is the value).

    ``negative``: the rating values that count against satisfaction.
    """

    negative: frozenset[str] = frozenset()
    values: dict[str, int] = field(default_factory=dict)

    def add(self, o: Outcome, times: int = 1) -> None:
        """Count ``o`` (``times`` dossiers with this same outcome)."""
        v = self.values
        if o.returned:
            v["returned"] = v.get("returned", 0) + times
        if o.place is None:
            return
        names = [o.place.value, "received_carried_over" if o.carried_over else "received_new"]
        if not o.carried_over and o.channel in _CHANNEL_FIELDS:
            names.append(_CHANNEL_FIELDS[o.channel])
        if o.supplement_requested:
            names.append("supplement_requested")
        on_time = False
        if o.place in _JUDGED and o.supplements > 1:
            names.append("sent_back_twice")
        elif o.place in _ON_TIME:
            names.append("on_time_for_index")
            on_time = True
        if o.place in _JUDGED and (not on_time or o.rating in self.negative):
            names.append("overdue_or_unhappy")
        for name in names:
            v[name] = v.get(name, 0) + times
        if o.processing is not None:
            v["processing_seconds"] = v.get("processing_seconds", 0) + int(o.processing.total_seconds()) * times

    def add_seconds(self, seconds: int) -> None:
        """Processing time of resolved dossiers counted without it (``add`` of outcomes stripped of it)."""
        self.values["processing_seconds"] = self.values.get("processing_seconds", 0) + seconds

    def counts(self) -> Counts:
        return Counts(**self.values)


def count(facts: Iterable[DossierFacts], period: Period, *, negative: frozenset[str] = frozenset()) -> Counts:
    """The figures of ``facts`` for ``period`` (no grouping)."""
    tally = Tally(negative)
    # Many dossiers share an outcome (most of those carried over do): each is tallied once, with its count.
    for found, times in Counter(outcome(item, period) for item in facts).items():
        if found is not None:
            tally.add(found, times)
    return tally.counts()


def count_each(facts: Iterable[DossierFacts], periods: Sequence[Period], *,
               negative: frozenset[str] = frozenset()) -> list[Counts]:
    """The figures of consecutive ``periods`` (in order, not overlapping) from one pass over ``facts``.

    A dossier is judged only in the periods it can count in: from the one it was received in (or
    the first) to the one of its last change, or to the last period while it is open. Before, it
    was not received; after, it was closed (both answers are None).
    """
    seen: list[Counter[Outcome | None]] = [Counter() for _ in periods]
    ends = [p.end for p in periods]
    for item in facts:
        if not item.steps:
            continue
        first = bisect.bisect_right(ends, item.received_at)
        last_step = item.steps[-1]
        closed = last_step.status in CLOSED_STATUSES
        stop = min(len(periods), bisect.bisect_right(ends, last_step.at) + 1) if closed else len(periods)
        for index in range(first, stop):
            seen[index][outcome(item, periods[index])] += 1
    tallies = [Tally(negative) for _ in periods]
    for tally, found in zip(tallies, seen):
        for o, times in found.items():
            if o is not None:
                tally.add(o, times)
    return [t.counts() for t in tallies]
