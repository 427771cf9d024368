"""Generate N dossiers straight into a new desk database, fast: benchmark data, never real data.

Reception rules are too slow for a million rows (about 1 ms a dossier), so this writes rows
directly: names, IDs and phones from the demo commune's lists, appointments from the real work
calendar (cached per day and procedure), plausible statuses with their status history (the
report's status_history, migration 0015) and channels, and the folded full-text rows. Indexes and
triggers are dropped during the load and rebuilt after it, which is much faster than updating
them row by row. Documents, fees, outbox and audit rows are not generated. Channels and step
times come from a second random stream, so the dossiers themselves are those of earlier versions.

    python bench/gen_dossiers.py bench/out/ledger-100000.sqlite3 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from desk_app.domain.dossier import Status
from desk_app.domain.text import fold, sort_key
from desk_app.services import demo
from desk_app.services.desk import Desk
from desk_app.store.store import Store

ZONE = demo.DEMO_ZONE


def generate(path: Path, count: int, *, seed: int = 1, end: dt.date | None = None, per_day: int = 400) -> Path:
    """Create ``path`` with ``count`` dossiers received over the working days before ``end``."""
    if path.exists():
        raise FileExistsError(path)
    end = end or dt.date.today()
    now = dt.datetime.combine(end, dt.time(10, 30), ZONE)
    store = Store.open(path)
    desk = Desk(store, clock=lambda: now, actor="bench")
    desk.initialise(commune=demo.DEMO_COMMUNE, authority=demo.DEMO_AUTHORITY, unit_code=demo.DEMO_UNIT_CODE,
                    desk_no=demo.DEMO_DESK_NO, place="Tân Phú")
    procedures = {p.code: p for p in desk.procedures(on=end)}
    calendar = desk.calendar()
    codes = [c for c in demo.PROCEDURE_WEIGHTS if c in procedures and procedures[c].time is not None]
    weights = [demo.PROCEDURE_WEIGHTS[c] for c in codes]
    days = _working_days(calendar, end, -(-count // per_day))
    store.close()

    rng = random.Random(seed)
    history = random.Random(seed + 1)  # channels and step times: the first stream stays as it was

    @lru_cache(maxsize=None)
    def due_of(day: dt.date, code: str, late: bool) -> tuple[dt.datetime, str]:
        # One real calendar computation per day, procedure and side of the 15:00 cut-off.
        procedure = procedures[code]
        received = dt.datetime.combine(day, dt.time(15, 30) if late else dt.time(9, 0), ZONE)
        assert procedure.time is not None
        result = calendar.due(received, procedure.time, same_day=procedure.same_day)
        return result.due_at, result.reason

    def rows() -> Iterator[tuple[tuple[object, ...], tuple[object, ...]]]:
        per_day_share, extra = divmod(count, len(days))
        dossier_id = 0
        for index, day in enumerate(days):
            todays = per_day_share + (1 if index < extra else 0)
            seconds = sorted(rng.randrange(7 * 3600, 17 * 3600) for _ in range(todays))
            for sequence, second in enumerate(seconds, start=1):
                dossier_id += 1
                received = dt.datetime.combine(day, dt.time(0), ZONE) + dt.timedelta(seconds=second)
                code = rng.choices(codes, weights)[0]
                procedure = procedures[code]
                due, reason = due_of(day, code, received.hour >= 15)
                if not procedure.same_day:
                    due = due.replace(hour=received.hour, minute=received.minute, second=received.second)
                status, finished = _fate(rng, received, due, now)
                person = demo.make_person(rng, day)
                dossier_code = f"{demo.DEMO_UNIT_CODE}-{day:%y%m%d}-{sequence:04d}"
                channel = history.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
                steps = _steps(history, received, status, finished, now)
                yield (
                    dossier_id, str(uuid.UUID(int=rng.getrandbits(128), version=4)), dossier_code,
                    code, procedure.name, "bench", person.name, person.id_number,
                    person.birth_date.isoformat(), person.sex.value, person.phone, person.address,
                    channel, "desk", received.isoformat(), due.isoformat(), reason, status.value,
                    1, 1, 1, 0, "", day.year, _ledger_no(day.year), 1, "bench", finished,
                    sort_key(person.name), steps[-1][0],
                ), (
                    dossier_id, fold(dossier_code), _fold(person.name), person.id_number, person.phone,
                    _fold(f"{code} {procedure.name}"),
                ), [(dossier_id, at, before, step, due.isoformat()) for at, before, step in steps]

    ledger_numbers: dict[int, int] = {}

    def _ledger_no(year: int) -> int:
        ledger_numbers[year] = ledger_numbers.get(year, 0) + 1
        return ledger_numbers[year]

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")  # one bulk load into a new file: nothing to roll back to
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('dossiers', 'status_history') "
        "AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    # The steps are written here with their real times: the triggers would add one per row.
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'dossiers'"
                            ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("BEGIN")
    batch_d: list[tuple[object, ...]] = []
    batch_s: list[tuple[object, ...]] = []
    insert_d = (
        "INSERT INTO dossiers (id, uuid, code, procedure_code, procedure_name, statutory_time, applicant_name, "
        "id_number, birth_date, sex, phone, address, channel, return_method, received_at, due_at, due_reason, "
        "status, sets, pages, copies, fee_vnd, fee_detail, ledger_year, ledger_no, desk_no, receiver, finished_at, "
        "applicant_sort, last_change_at) "
        f"VALUES ({', '.join('?' * 30)})"
    )
    insert_steps = "INSERT INTO status_history (dossier_id, at, from_status, status, due_at) VALUES (?, ?, ?, ?, ?)"
    insert_s = (
        "INSERT INTO dossier_search (rowid, code, applicant_name, id_number, phone, procedure) "
        "VALUES (?, ?, ?, ?, ?, ?)"
    )
    batch_h: list[tuple[object, ...]] = []
    for dossier_row, search_row, step_rows in rows():
        batch_d.append(dossier_row)
        batch_s.append(search_row)
        batch_h += step_rows
        if len(batch_d) >= 20_000:
            conn.executemany(insert_d, batch_d)
            conn.executemany(insert_s, batch_s)
            conn.executemany(insert_steps, batch_h)
            batch_d.clear()
            batch_s.clear()
            batch_h.clear()
    conn.executemany(insert_d, batch_d)
    conn.executemany(insert_s, batch_s)
    conn.executemany(insert_steps, batch_h)
    for name, sql in indexes + triggers:
        conn.execute(sql)
    conn.executemany(
        "INSERT OR REPLACE INTO ledger_sequences (year, desk_no, last_no) VALUES (?, 1, ?)", ledger_numbers.items()
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    return path


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    return fold(text)


def _working_days(calendar: object, end: dt.date, needed: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = end
    while len(days) < needed:
        if calendar.is_working_day(day):  # type: ignore[attr-defined]
            days.append(day)
        day -= dt.timedelta(days=1)
    return days[::-1]


def _fate(rng: random.Random, received: dt.datetime, due: dt.datetime, now: dt.datetime) -> tuple[Status, str | None]:
    """A status and finishing time: old dossiers mostly returned, recent ones still open."""
    draw = rng.random()
    if draw < 0.03:
        return Status.REFUSED, None
    if draw < 0.05:
        return Status.WITHDRAWN, None
    if draw < 0.06:
        return Status.STOPPED, None
    if draw < 0.08:
        return Status.SUPPLEMENT_REQUESTED, None
    if draw < 0.10:
        return Status.IN_PROCESS, None  # stuck: overdue once its appointment has passed
    verdict = rng.random()
    if verdict < 0.08:
        finished = due + dt.timedelta(days=rng.randint(1, 5))
    elif verdict < 0.35:
        finished = max(received, due - dt.timedelta(hours=rng.randint(1, 6)))
    else:
        finished = max(received + dt.timedelta(hours=1), due - dt.timedelta(days=rng.randint(1, 3)))
    if finished > now:
        return (Status.RECEIVED if received.date() == now.date() else Status.IN_PROCESS), None
    returned = rng.random() < 0.95 or now - finished > dt.timedelta(days=60)
    return (Status.RETURNED if returned else Status.RESULT_READY), finished.isoformat()


CHANNELS = ("direct", "online", "postal")
CHANNEL_WEIGHTS = (80, 17, 3)


def _steps(rng: random.Random, received: dt.datetime, status: Status, finished: str | None,
           now: dt.datetime) -> list[tuple[str, str | None, str]]:
    """(time, status before, status) of each change, from the reception to ``status``; none after ``now``."""
    def later(hours: float) -> dt.datetime:
        return min(received + dt.timedelta(hours=hours), now)

    steps = [(received, Status.RECEIVED)]
    if status in (Status.REFUSED, Status.WITHDRAWN, Status.SUPPLEMENT_REQUESTED):
        steps.append((later(rng.uniform(2, 96)), status))
    elif status in (Status.IN_PROCESS, Status.STOPPED):
        steps.append((later(1), Status.IN_PROCESS))
        if status is Status.STOPPED:
            steps.append((later(rng.uniform(24, 96)), status))
    elif finished is not None:
        done = dt.datetime.fromisoformat(finished)
        steps.append((min(later(1), done), Status.IN_PROCESS))
        steps.append((done, Status.RESULT_READY))
        if status is Status.RETURNED:
            steps.append((min(done + dt.timedelta(hours=rng.uniform(0.1, 72)), now), Status.RETURNED))
    before = [None, *(step.value for _, step in steps[:-1])]
    return [(at.isoformat(), previous, step.value) for (at, step), previous in zip(steps, before)]


def cached(path: Path, count: int) -> Path:
    """``path`` when it already holds ``count`` generated dossiers with their status history; else
    made anew (a benchmark reuses its database between runs: generating a million takes minutes)."""
    if path.exists():
        with sqlite3.connect(path) as conn:
            done = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == count
            steps = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'status_history'").fetchone()[0]
        if done and steps:
            print(f"reusing {path.name}")
            return path
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    generate(path, count)
    print(f"generated {count:,} dossiers in {time.perf_counter() - started:.1f} s -> {path.name}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.path, args.count, seed=args.seed)
    print(f"{args.count:,} dossiers in {time.perf_counter() - started:.1f} s -> {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
