"""The sync benchmark's reference figures, measured in one run on the same generated events.

    bash bench/peers/setup.sh                  # once, as root: Node, PostgreSQL, npm packages, Kinto's venv
    .venv/bin/python bench/sync_peers.py [--records 100000] [--kinto-records 10000] [--json]

- floor: SQLite executemany of the event rows (WAL, synchronous=FULL, UNIQUE uuid and
  (desk, epoch, seq), commits of 500): what the hub's writes cost at the least;
- PouchDB: a local PouchDB replicating the events to pouchdb-server (LevelDB on disk);
- Kinto: POST /v1/batch creating the events as records, on PostgreSQL.

Prints a table, or with --json a list of {"name", "value", "unit"}. The events are generated
once per (count, seed, generator version) into bench/out/ and reused.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sync_data
from peers import kinto_peer, pouchdb_peer, sqlite_floor

OUT = Path(__file__).resolve().parent / "out"
PEERS = ("sqlite", "pouchdb", "kinto")


def events_file(count: int, seed: int) -> Path:
    # The generator's own hash in the name: a changed generator never reuses stale events.
    version = hashlib.sha256(Path(sync_data.__file__).read_bytes()).hexdigest()[:8]
    path = OUT / f"events-{count}-seed{seed}-{version}.jsonl"
    if not path.exists():
        partial = path.with_suffix(".partial")
        sync_data.write_jsonl(partial, count, seed=seed)
        partial.rename(path)
    return path


def load(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as lines:
        return [json.loads(line) for line in lines]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="events for the floor and PouchDB")
    parser.add_argument("--kinto-records", type=int, default=10_000, help="events for Kinto (about 110/s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default=",".join(PEERS), help=f"comma-separated subset of {','.join(PEERS)}")
    parser.add_argument("--pouchdb-in-memory", action="store_true", help="pouchdb-server --in-memory")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    chosen = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(chosen) - set(PEERS)
    if unknown:
        parser.error(f"unknown peers: {', '.join(sorted(unknown))}")

    big = events_file(args.records, args.seed)
    small = events_file(args.kinto_records, args.seed) if "kinto" in chosen else big
    runs: dict[str, tuple[str, int, Callable[[], float]]] = {
        "sqlite": ("sqlite_executemany_floor", args.records, lambda: sqlite_floor.measure(load(big))),
        "pouchdb": ("pouchdb_replicate_to_pouchdb_server" + ("_in_memory" if args.pouchdb_in_memory else ""),
                    args.records, lambda: pouchdb_peer.measure(big, in_memory=args.pouchdb_in_memory)),
        "kinto": ("kinto_batch_postgresql", args.kinto_records, lambda: kinto_peer.measure(load(small))),
    }
    load_before = os.getloadavg()[0]
    figures: list[dict[str, Any]] = []
    for peer in chosen:
        name, count, run = runs[peer]
        print(f"measuring {name} on {count} events ...", file=sys.stderr)
        figures.append({"name": name, "value": round(run(), 1), "unit": "records/s", "records": count})
    load_after = os.getloadavg()[0]

    if args.json:
        print(json.dumps([{k: f[k] for k in ("name", "value", "unit")} for f in figures], indent=2))
    else:
        print(f"{'peer':<48} {'events':>8} {'records/s':>11}")
        for f in figures:
            print(f"{f['name']:<48} {f['records']:>8} {f['value']:>11,.1f}")
    # Other engineers' test runs share this machine's 2 cores: say how busy it was.
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after, on {os.cpu_count()} cores",
          file=sys.stderr)


if __name__ == "__main__":
    main()
