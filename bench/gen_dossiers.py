"""Generate N dossiers straight into a new desk database, fast: benchmark data, never real data.

Reception rules are too slow for a million rows (about 1 ms a dossier), so this writes rows
directly: names, IDs and phones from the demo commune's lists, appointments from the real work
calendar (cached per day and procedure), plausible statuses and channels, each dossier's documents
(its procedure's mandatory list), its fee row and its reception audit entry, and its history: one
row per change of status in ``status_history`` (what the report reads, the rows migration 0015's
triggers would have written, with the changes' real times) and in ``dossier_steps`` (the
lifecycle's steps, the returns with the citizen's rating most of the time). The search index is
then built by the store's own code (store/search.py). Indexes and the history triggers are
dropped during the load and rebuilt after it, which is much faster than updating them row by row
(the triggers would also write one row per dossier, at its final status). Outbox events are not
generated.

    python bench/gen_dossiers.py bench/out/ledger-100000.sqlite3 100000

``cached(count)`` reuses bench/out/dossiers-<count>-<generator version>.sqlite3 (a changed
generator, schema or index writes a new file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from sqlite_utils import Database

from desk_app.domain.dossier import Status
from desk_app.domain.handover import DEFAULT_RATING_SCALE
from desk_app.domain.steps import action_between
from desk_app.domain.text import sort_key
from desk_app.services import demo
from desk_app.services.desk import Desk
from desk_app.store import migrations, search
from desk_app.store.store import Store

ZONE = demo.DEMO_ZONE
OUT = Path(__file__).resolve().parent / "out"


def version() -> str:
    """What the generated data depends on: this generator, the schema and the index writer."""
    digest = hashlib.sha256()
    for module in (__file__, migrations.__file__, search.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:10]


def cached(count: int, *, seed: int = 1) -> Path:
    """A generated database of ``count`` dossiers under bench/out/, made once per version."""
    path = OUT / f"dossiers-{count}-seed{seed}-{version()}.sqlite3"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        started = time.perf_counter()
        generate(partial, count, seed=seed)
        partial.rename(path)
        print(f"generated {count:,} dossiers in {time.perf_counter() - started:.0f} s -> {path.name}",
              file=sys.stderr)
    return path


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
    history = random.Random(seed + 1)  # channels, step times, ratings: the first stream stays as it was

    @lru_cache(maxsize=None)
    def documents_of(code: str) -> list[object]:
        return [d for d in procedures[code].documents if d.mandatory]

    @lru_cache(maxsize=None)
    def due_of(day: dt.date, code: str, late: bool) -> tuple[dt.datetime, str]:
        # One real calendar computation per day, procedure and side of the 15:00 cut-off.
        procedure = procedures[code]
        received = dt.datetime.combine(day, dt.time(15, 30) if late else dt.time(9, 0), ZONE)
        assert procedure.time is not None
        result = calendar.due(received, procedure.time, same_day=procedure.same_day)
        return result.due_at, result.reason

    def rows() -> Iterator[tuple[tuple[object, ...], list[tuple[object, ...]], tuple[object, ...], tuple[object, ...],
                                 list[Change]]]:
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
                channel = history.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
                changes = _changes(history, received, status, finished, now)
                dossier_code = f"{demo.DEMO_UNIT_CODE}-{day:%y%m%d}-{sequence:04d}"
                yield (
                    dossier_id, str(uuid.UUID(int=rng.getrandbits(128), version=4)), dossier_code,
                    code, procedure.name, "bench", person.name, person.id_number,
                    person.birth_date.isoformat(), person.sex.value, person.phone, person.address,
                    channel, "desk", received.isoformat(), due.isoformat(), reason, status.value,
                    1, 1, 1, 0, "", day.year, _ledger_no(day.year), 1, "bench", finished,
                    sort_key(person.name), changes[-1][0],
                ), [
                    (dossier_id, position, doc.name, doc.form.value, doc.count)
                    for position, doc in enumerate(documents_of(code), start=1)
                ], (
                    dossier_id, 0, "", None, received.isoformat(),
                ), (
                    received.isoformat(timespec="seconds"), "bench", "dossier.receive", "dossier", dossier_code,
                    "{}",
                ), [(dossier_id, due.isoformat(), person.name, *change) for change in changes]

    ledger_numbers: dict[int, int] = {}

    def _ledger_no(year: int) -> int:
        ledger_numbers[year] = ledger_numbers.get(year, 0) + 1
        return ledger_numbers[year]

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")  # one bulk load into a new file: nothing to roll back to
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('dossiers', 'dossier_documents', 'fees', 'audit', 'status_history', 'dossier_steps')"
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    # The history is written below with the changes' real times, in bulk: the triggers would add
    # one row per dossier (at its final status) and cost a row-by-row insert each.
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'dossiers' "
                            "AND name LIKE 'status_history%'").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("BEGIN")
    inserts = (
        "INSERT INTO dossiers (id, uuid, code, procedure_code, procedure_name, statutory_time, applicant_name, "
        "id_number, birth_date, sex, phone, address, channel, return_method, received_at, due_at, due_reason, "
        "status, sets, pages, copies, fee_vnd, fee_detail, ledger_year, ledger_no, desk_no, receiver, finished_at, "
        f"applicant_sort, last_change_at) VALUES ({', '.join('?' * 30)})",
        "INSERT INTO dossier_documents (dossier_id, position, name, form, count) VALUES (?, ?, ?, ?, ?)",
        "INSERT INTO fees (dossier_id, amount_vnd, detail, receipt_no, collected_at) VALUES (?, ?, ?, ?, ?)",
        "INSERT INTO audit (at, actor, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
    )
    batches: tuple[list[tuple[object, ...]], ...] = ([], [], [], [])
    changes: list[tuple[object, ...]] = []

    def flush() -> None:
        for sql, batch in zip(inserts, batches):
            conn.executemany(sql, batch)
            batch.clear()
        write_history(conn, changes)
        changes.clear()

    for dossier_row, document_rows, fee_row, audit_row, change_rows in rows():
        batches[0].append(dossier_row)
        batches[1].extend(document_rows)
        batches[2].append(fee_row)
        batches[3].append(audit_row)
        changes.extend(change_rows)
        if len(batches[0]) >= 20_000:
            flush()
    flush()
    for name, sql in indexes + triggers:
        conn.execute(sql)
    conn.executemany(
        "INSERT OR REPLACE INTO ledger_sequences (year, desk_no, last_no) VALUES (?, 1, ?)", ledger_numbers.items()
    )
    search.rebuild(Database(conn))
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    return path


# (time, status before or None for the reception, status, rating's position on the scale or None)
Change = tuple[str, str | None, str, int | None]
CHANNELS = ("direct", "online", "postal")
CHANNEL_WEIGHTS = (80, 17, 3)
RATED_SHARE = 0.7  # returns where the citizen gave a rating
RATING_WEIGHTS = (45, 40, 10, 5)  # on DEFAULT_RATING_SCALE, best first


def _changes(rng: random.Random, received: dt.datetime, status: Status, finished: str | None,
             now: dt.datetime) -> list[Change]:
    """Each change of status from the reception to ``status``, none after ``now``; a return's rating."""
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
    rated = None
    if status is Status.RETURNED and rng.random() < RATED_SHARE:
        rated = rng.choices(range(1, len(DEFAULT_RATING_SCALE) + 1), weights=RATING_WEIGHTS)[0]
    before = [None, *(step.value for _, step in steps[:-1])]
    return [(at.isoformat(), previous, step.value, rated if step is Status.RETURNED else None)
            for (at, step), previous in zip(steps, before)]


def write_history(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    """Rows of (dossier id, appointment, applicant, *Change) as the desk records them: status_history
    (what migration 0015's triggers write) and the lifecycle's dossier_steps (store.lifecycle)."""
    conn.executemany("INSERT INTO status_history (dossier_id, at, from_status, status, due_at) VALUES (?, ?, ?, ?, ?)",
                     [(dossier_id, at, before, after, due) for dossier_id, due, _, at, before, after, _ in rows])
    steps = []
    for dossier_id, due, applicant, at, before, after, rated in rows:
        if before is None:
            continue  # the reception has no lifecycle step
        action = action_between(Status(str(before)), Status(str(after)))
        detail = {}
        if after == Status.RETURNED.value:
            rating = None if rated is None else {"value": rated, "label": DEFAULT_RATING_SCALE[int(str(rated)) - 1],
                                                 "scale_size": len(DEFAULT_RATING_SCALE)}
            detail = {"handover": {"recipient": applicant, "authorised": False, "authorisation": "",
                                   "originals": [], "rating": rating}}
        steps.append((dossier_id, action.value if action else "", before, after, at, "bench", due, due,
                      json.dumps(detail, ensure_ascii=False)))
    conn.executemany("INSERT INTO dossier_steps (dossier_id, action, from_status, to_status, at, actor, due_before, "
                     "due_after, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", steps)


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
