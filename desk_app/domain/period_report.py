"""The period report: the counts of a whole desk (or commune, or province), by procedure field and by
procedure, with the QĐ 766 indicators and the ratings; and its JSON form (the command line's keys)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from desk_app.domain.indicators import (
    Indicator,
    RatingBreakdown,
    RatingScale,
    indicators,
    rating_breakdown,
)
from desk_app.domain.statistics import NO_FIELD, Counts, DossierFacts, Outcome, Period, Tally, outcome


@dataclass(frozen=True)
class Group:
    """One row of a breakdown: a procedure field (key = label) or a procedure (key = its code)."""

    key: str
    label: str
    counts: Counts


@dataclass(frozen=True)
class PeriodReport:
    """Everything the report shows. ``unit`` names whose figures they are; ``ratings`` is None when
    the source records no ratings; ``guidance_issued`` (Mẫu 02 given at the counter, no dossier
    registered) is None when the source does not know it."""

    period: Period
    unit: str
    totals: Counts
    by_field: tuple[Group, ...]
    by_procedure: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    ratings: RatingBreakdown | None
    guidance_issued: int | None = None


def build_report(
    facts: Iterable[DossierFacts], period: Period, *, unit: str, scale: RatingScale | None,
    guidance_issued: int | None = None, digitised: int | None = None, digitised_rule: str = "",
    repeated: Iterable[tuple[DossierFacts, int]] = (),
) -> PeriodReport:
    """Count ``facts`` for ``period`` once, into the totals and both breakdowns; each of
    ``repeated`` stands for that many dossiers counted alike (a source's groups of quiet ones).

    ``scale`` is the commune's rating scale when the source records ratings, else None (5.4 and
    the breakdown of ratings then say there is no data).
    """
    negative = scale.negative if scale else frozenset()
    # Dossiers of one procedure with the same outcome (most of those carried over) are tallied once.
    # The time each resolved one took is summed beside, so that it does not make every outcome unique.
    seen: Counter[tuple[str, str, Outcome]] = Counter()
    seconds: Counter[tuple[str, str]] = Counter()
    names: dict[str, str] = {}
    for item, times in itertools.chain(((item, 1) for item in facts), repeated):
        found = outcome(item, period)
        if found is not None:
            key = (item.field or NO_FIELD, item.procedure_code)
            if found.processing is not None:
                seconds[key] += int(found.processing.total_seconds()) * times
                found = Outcome(*found[:6], None, found[7])  # processing left out (_replace is slower)
            seen[(*key, found)] += times
            names.setdefault(item.procedure_code, item.procedure_name)
    totals = Tally(negative)
    fields: dict[str, Tally] = {}
    procedures: dict[str, Tally] = {}
    ratings: list[str] = []
    for (field, code, found), times in seen.items():
        totals.add(found, times)
        fields.setdefault(field, Tally(negative)).add(found, times)
        procedures.setdefault(code, Tally(negative)).add(found, times)
        if found.rating is not None:
            ratings += [found.rating] * times
    for (field, code), total in seconds.items():
        for tally in (totals, fields[field], procedures[code]):
            tally.add_seconds(total)
    counts = totals.counts()
    by_field = tuple(sorted((Group(name, name, t.counts()) for name, t in fields.items()),
                            key=lambda g: (-g.counts.received_total, g.label)))
    by_procedure = tuple(sorted((Group(code, names[code], t.counts()) for code, t in procedures.items()),
                                key=lambda g: (-g.counts.received_total, g.key)))
    return PeriodReport(
        period=period, unit=unit, totals=counts, by_field=by_field, by_procedure=by_procedure,
        indicators=indicators(counts, ratings_recorded=scale is not None, digitised=digitised,
                              digitised_rule=digitised_rule),
        ratings=rating_breakdown(ratings, scale) if scale is not None else None, guidance_issued=guidance_issued,
    )


def month_period(year: int, month: int, now: dt.datetime) -> Period:
    """The whole calendar month (a period may end after ``now``: open dossiers are judged at ``now``)."""
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period(first, following - dt.timedelta(days=1), now)


def last_months(now: dt.datetime, count: int) -> list[Period]:
    """The ``count`` calendar months up to and including ``now``'s, oldest first."""
    year, month = now.year, now.month
    months = []
    for _ in range(count):
        months.append(month_period(year, month, now))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def counts_json(c: Counts) -> dict[str, Any]:
    """The figures of one group under the command line's keys."""
    return {
        "received_total": c.received_total,
        "received_new": c.received_new,
        "received_carried_over": c.received_carried_over,
        "received_by_channel": c.by_channel(),
        "resolved_total": c.resolved_total,
        "resolved_early": c.resolved_early,
        "resolved_on_time": c.resolved_on_time,
        "resolved_late": c.resolved_late,
        "in_progress_total": c.in_progress_total,
        "in_progress_on_time": c.in_progress_on_time,
        "in_progress_overdue": c.in_progress_overdue,
        "paused": c.paused,
        "supplement_requested": c.supplement_requested,
        "refused": c.refused,
        "withdrawn": c.withdrawn,
        "stopped": c.stopped,
        "returned": c.returned,
        "average_processing_days": _round(c.average_processing_days),
    }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def indicator_json(i: Indicator) -> dict[str, Any]:
    return {"name": i.name, "formula": i.formula, "value": _round(i.value), "unit": i.unit,
            "numerator": _round(i.numerator), "denominator": i.denominator, "note": i.note}


def report_json(report: PeriodReport) -> dict[str, Any]:
    """The whole report as JSON: the totals at the top level, then breakdowns, indicators, ratings."""
    p = report.period
    ratings: dict[str, Any] | None = None
    if report.ratings is not None:
        ratings = {"total": report.ratings.total, "other": report.ratings.other,
                   "levels": [{"value": level.value, "label": level.label,
                               "count": report.ratings.counts.get(level.value, 0)}
                              for level in report.ratings.scale.levels]}
    return {
        "from": p.first.isoformat(),
        "to": p.last.isoformat(),
        "judged_at": p.judged_at.isoformat(timespec="seconds"),
        "unit": report.unit,
        **counts_json(report.totals),
        "guidance_issued": report.guidance_issued,
        "by_field": [{"field": g.label, **counts_json(g.counts)} for g in report.by_field],
        "by_procedure": [{"procedure_code": g.key, "procedure_name": g.label, **counts_json(g.counts)}
                         for g in report.by_procedure],
        "indicators": {i.code: indicator_json(i) for i in report.indicators},
        "ratings": ratings,
        "ratings_note": None if ratings is not None else "chưa có dữ liệu đánh giá của người dân",
    }
