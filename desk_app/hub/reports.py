"""The period report on the hub: one commune's, or every commune's with a ranking by on-time rate.

The same rules as on a desk (desk_app.domain.statistics) over the same facts, read from the hub's
tables (hub.storage.reports). Communes' clocks are UTC+7: periods are their calendar days.
Ratings are those the desks' return events carry, on the default scale (a commune's own words
are added as seen); guidance slips are counted from their events. Scans: "no data".
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from desk_app.domain.catalogue_io import parse_json
from desk_app.domain.handover import DEFAULT_RATING_SCALE
from desk_app.domain.indicators import rating_scale
from desk_app.domain.period_report import PeriodReport, build_report
from desk_app.domain.scans import DigitisedRule
from desk_app.domain.statistics import Counts, DossierFacts, Period, count
from desk_app.hub.storage import reports as storage
from desk_app.hub.storage import scans
from desk_app.hub.storage.database import Database, Tx
from desk_app.paths import resources_dir

VN = dt.timezone(dt.timedelta(hours=7))
ALL_UNITS = "Tất cả các đơn vị"


@dataclass(frozen=True)
class CommuneFigures:
    """One commune's counts for the period and its QĐ 766 indicator 2.1 (None: nothing judged)."""

    unit_code: str
    counts: Counts

    @property
    def on_time_rate(self) -> float | None:
        return self.counts.on_time_rate


@functools.cache
def shipped_fields() -> dict[str, str]:
    """Procedure code → field, from the catalogue shipped with the program."""
    text = (resources_dir() / "catalogue" / "catalogue.json").read_text(encoding="utf-8")
    return {p.code: p.field for p in parse_json(text).procedures}


def _facts(db: Database, period: Period, unit_code: str | None) -> list[tuple[str, DossierFacts]]:
    def read(tx: Tx) -> list[tuple[str, DossierFacts]]:
        fields = {**shipped_fields(), **storage.published_fields(tx)}
        return storage.dossier_facts(tx, period.start, period.end, unit_code, fields)

    return db.run(read, write=False)


def _guidance(db: Database, period: Period, unit_code: str | None) -> int:
    return db.run(lambda tx: storage.guidance_issued(tx, period.start, period.end, unit_code), write=False)


def ranking(found: list[tuple[str, DossierFacts]], period: Period, units: list[str]) -> list[CommuneFigures]:
    """Every commune (with dossiers or not) ranked by 2.1, best first; those with nothing judged last."""
    by_unit: dict[str, list[DossierFacts]] = {unit: [] for unit in units}
    for unit, facts in found:
        by_unit.setdefault(unit, []).append(facts)
    figures = [CommuneFigures(unit, count(facts, period)) for unit, facts in by_unit.items()]
    return sorted(figures, key=lambda f: (f.on_time_rate is None, -(f.on_time_rate or 0),
                                          -f.counts.received_total, f.unit_code))


def period_report(db: Database, first: dt.date, last: dt.date, *, now: dt.datetime,
                  unit_code: str | None = None) -> tuple[PeriodReport, list[CommuneFigures]]:
    """The report of ``unit_code`` (or of all communes) and the communes ranked by on-time rate."""
    period = Period(first, last, now.astimezone(VN))
    found = _facts(db, period, unit_code)
    every = [facts for _, facts in found]
    scale = rating_scale(DEFAULT_RATING_SCALE, (f.rating for f in every if f.rating))
    digitised = db.run(lambda tx: scans.digitised(tx, period.start, period.end, unit_code), write=False)
    report = build_report(every, period, unit=unit_code or ALL_UNITS, scale=scale,
                          guidance_issued=_guidance(db, period, unit_code),
                          digitised=digitised, digitised_rule=DigitisedRule.ALL_PAPERS.label)
    units = [unit_code] if unit_code else db.run(storage.units, write=False)
    return report, ranking(found, period, units)


def month_ranking(db: Database, now: dt.datetime) -> tuple[Period, list[CommuneFigures]]:
    """This month so far, for the dashboard: every commune ranked by on-time rate."""
    local = now.astimezone(VN)
    period = Period(local.date().replace(day=1), local.date(), local)
    return period, ranking(_facts(db, period, None), period, db.run(storage.units, write=False))
