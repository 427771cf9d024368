"""The sync benchmark (issue 7, item 9): a desk pushing to and pulling from real hubs, against
the floor and the peers measured in the same run on the same records.

    bash bench/peers/setup.sh                 # once, as root: Node, PostgreSQL, pouchdb-server, Kinto
    .venv/bin/python bench/sync_bench.py [--json] [--save FILE] [--quick] [--events N] [--pull N] [--only …]

The desk is a real desk database whose outbox holds N ``dossier.received`` events of ~1.3 KB
(``sync_desk``, cached in bench/out/). For each hub (``desk-app hub serve`` on SQLite, WAL and
synchronous=FULL; and on a private PostgreSQL cluster with its default durability: fsync on,
synchronous_commit on), ``sync_rounds`` measures push, re-send (must apply 0 rows), pull of
``--pull`` hub decisions and the push of the status changes they made on the desk.
The same outbox records go to:

(a) a raw SQLite executemany (same WAL and synchronous=FULL, same page cache as the hub, one
    commit per desk batch; the median of three runs): goal hub ≥ 0.5 × its rate;
(b) PouchDB replicating them to pouchdb-server: goal ≥ 5×;
(c) Kinto's batch endpoint on PostgreSQL (the first ``--kinto-records``): goal ≥ 50×.

Prints a table, or with --json a list of {"name", "value", "unit", "floor", "ratio", "goal"}:
each reference alone (floor null), then each hub round once per reference, then each round's
events per CPU second (desk, hub and PostgreSQL processes together) against the floor's rows
per CPU second, steadier than wall time on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sync_desk
from desk_app.domain.events import canonical_json
from desk_app.hub.storage.database import SQLITE_CACHE_KIB
from desk_app.sync.protocol import DEFAULT_BATCH_SIZE
from peers import kinto_peer, pouchdb_peer, sqlite_floor
from peers.postgres_cluster import PostgresCluster
from sync_rounds import Round, measure_hub

HUBS = ("sqlite", "postgresql")
REFERENCES = ("sqlite_floor", "pouchdb", "kinto")
# The reference each goal is set against, its figure's name, and the goal (hub rate / reference rate).
GOALS = {"sqlite_floor": ("sqlite_executemany_floor", 0.5), "pouchdb": ("pouchdb_replicate_to_pouchdb_server", 5.0),
         "kinto": ("kinto_batch_postgresql", 50.0)}


def figure(name: str, value: float, unit: str, floor: str | None = None, ratio: float | None = None,
           goal: float | None = None) -> dict[str, Any]:
    return {"name": name, "value": round(value, 1), "unit": unit, "floor": floor,
            "ratio": None if ratio is None else round(ratio, 3), "goal": goal}


FLOOR_CPU = "sqlite_executemany_floor_per_cpu_second"
FLOOR_RUNS = 3


def compare(rounds: list[Round], references: dict[str, float], floor_cpu: float | None) -> list[dict[str, Any]]:
    """Each reference alone, then each round against each reference measured, then (steadier on
    a loaded machine) each round's events per CPU second against the floor's."""
    out = [figure(GOALS[ref][0], rate, "records/s") for ref, rate in references.items()]
    if floor_cpu is not None:
        out.append(figure(FLOOR_CPU, floor_cpu, "rows per CPU second"))
    for r in rounds:
        for ref, rate in references.items():
            name, goal = GOALS[ref]
            out.append(figure(r.name, r.rate, "events/s", name, r.rate / rate, goal))
    if floor_cpu is not None:
        out += [figure(f"{r.name}_per_cpu_second", r.cpu_rate, "events per CPU second", FLOOR_CPU,
                       r.cpu_rate / floor_cpu, GOALS["sqlite_floor"][1]) for r in rounds]
    return out


def _verdict(ratio: float, goal: float) -> str:
    return f"{ratio:,.2f}" + (" ok" if ratio >= goal else " NOT MET")


def table(rounds: list[Round], references: dict[str, float], floor_cpu: float | None) -> str:
    lines = [f"{'reference':<40} {'records/s':>11}"]
    lines += [f"{GOALS[ref][0]:<40} {rate:>11,.1f}" for ref, rate in references.items()]
    if floor_cpu is not None:
        lines.append(f"{'  the floor per CPU second':<40} {floor_cpu:>11,.1f}")
    heads = "".join(f" {'÷ ' + ref + f' (≥{GOALS[ref][1]:g})':>24}" for ref in references)
    cpu_head = f" {'per CPU s':>10} {'÷ floor/CPU s':>14}" if floor_cpu is not None else ""
    lines += ["", f"{'hub round':<24} {'events':>8} {'seconds':>8} {'events/s':>10}{heads}{cpu_head}"]
    for r in rounds:
        cells = "".join(f" {_verdict(r.rate / rate, GOALS[ref][1]):>24}" for ref, rate in references.items())
        if floor_cpu is not None:
            cells += f" {r.cpu_rate:>10,.0f} {_verdict(r.cpu_rate / floor_cpu, GOALS['sqlite_floor'][1]):>14}"
        lines.append(f"{r.name:<24} {r.count:>8} {r.seconds:>8.1f} {r.rate:>10,.0f}{cells}")
    return "\n".join(lines)


def _note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _timed(what: str, run: Callable[[], float]) -> float:
    _note(f"measuring {what} ...")
    start = time.perf_counter()
    rate = run()
    _note(f"  {rate:,.1f} records/s ({time.perf_counter() - start:.0f} s in all)")
    return rate


def references(chosen: list[str], records: list[dict[str, Any]], folder: Path, *, batch: int,
               kinto_records: int) -> tuple[dict[str, float], float | None]:
    """The rate of each chosen reference, and the floor's rows per CPU second (None if not run)."""
    jsonl = folder / "events.jsonl"
    jsonl.write_bytes(b"".join(canonical_json(r) + b"\n" for r in records))
    floor_cpu: list[float] = []

    def floor() -> float:
        # A few seconds of disk-bound work swing with the neighbours: the median of three runs.
        runs = [sqlite_floor.timed(records, batch=batch, cache_kib=SQLITE_CACHE_KIB) for _ in range(FLOOR_RUNS)]
        floor_cpu.append(len(records) / statistics.median(cpu for _, cpu in runs))
        return len(records) / statistics.median(seconds for seconds, _ in runs)

    runs: dict[str, tuple[str, Callable[[], float]]] = {
        "sqlite_floor": (f"the SQLite floor on {len(records)} rows (median of {FLOOR_RUNS})", floor),
        "pouchdb": (f"PouchDB → pouchdb-server on {len(records)} records", lambda: pouchdb_peer.measure(jsonl)),
        "kinto": (f"Kinto batch on PostgreSQL on {min(kinto_records, len(records))} records",
                  lambda: kinto_peer.measure(records[:kinto_records])),
    }
    rates = {ref: _timed(runs[ref][0], runs[ref][1]) for ref in REFERENCES if ref in chosen}
    return rates, (floor_cpu[0] if floor_cpu else None)


def hub_rounds(chosen: list[str], args: argparse.Namespace, folder: Path) -> list[Round]:
    rounds: list[Round] = []
    for hub in HUBS:
        if hub not in chosen:
            continue
        desk = sync_desk.fresh_copy(args.events, args.seed, folder / f"desk-{hub}.sqlite3")
        work = folder / hub
        work.mkdir()
        if hub == "sqlite":
            rounds += measure_hub("hub_sqlite", f"sqlite:///{work / 'hub.sqlite3'}", desk, work,
                                  batch_size=args.batch, decisions=args.pull)
        else:
            # Its own temporary folder: the cluster belongs to the postgres user, who must reach it.
            with tempfile.TemporaryDirectory(prefix="sync-bench-pg-") as pg_folder, \
                    PostgresCluster(Path(pg_folder)) as pg:
                pg.create_database("hub")
                rounds += measure_hub("hub_postgresql", pg.url("hub"), desk, work, batch_size=args.batch,
                                      decisions=args.pull, server_pids=(pg.pid(),))
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="dossier events in the desk's outbox")
    parser.add_argument("--pull", type=int, default=20_000,
                        help="decisions the hub sends down for the desk to pull and apply (at most --events)")
    parser.add_argument("--kinto-records", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH_SIZE, help="the desk's batch size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default=",".join(HUBS + REFERENCES),
                        help=f"comma-separated subset of {','.join(HUBS + REFERENCES)}")
    parser.add_argument("--quick", action="store_true", help="a small run: 5,000 events, Kinto on 1,000")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--save", type=Path, help="also write the --json list to this file")
    args = parser.parse_args()
    if args.quick:
        args.events, args.kinto_records = min(args.events, 5_000), min(args.kinto_records, 1_000)
    args.pull = min(args.pull, args.events)
    chosen = [c.strip() for c in args.only.split(",") if c.strip()]
    if unknown := set(chosen) - set(HUBS + REFERENCES):
        parser.error(f"unknown: {', '.join(sorted(unknown))}")

    load_before = os.getloadavg()
    start = time.perf_counter()
    _note(f"desk database with {args.events} events (built once, then cached in bench/out/) ...")
    template = sync_desk.template(args.events, args.seed)
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        folder = Path(tmp)
        records = sync_desk.outbox_records(template)
        refs, floor_cpu = references(chosen, records, folder, batch=args.batch, kinto_records=args.kinto_records)
        rounds = hub_rounds(chosen, args, folder)
    load_after = os.getloadavg()

    figures = json.dumps(compare(rounds, refs, floor_cpu), indent=2, ensure_ascii=False)
    if args.save:
        args.save.write_text(figures + "\n", encoding="utf-8")
    if args.json:
        print(figures)
    else:
        size = sum(len(canonical_json(r)) for r in records) / len(records)
        print(f"{len(records)} events of {size:,.0f} bytes on average (canonical JSON), desk batches of "
              f"{args.batch}; {args.pull} decisions pulled\n")
        print(table(rounds, refs, floor_cpu))
    # Other engineers' suites share this machine's cores: say how busy it was.
    _note(f"load average (1, 5, 15 min): before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}, on {os.cpu_count()} cores; "
          f"{time.perf_counter() - start:.0f} s in all")


if __name__ == "__main__":
    main()
