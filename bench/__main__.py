"""Every figure of issue 11 beside its floor, measured in one run: ``python -m bench [--json] [--quick]``.

Rows: cold start to a usable window (from source and from the bundle, against a bare PySide6
window), the papers of one dossier (against bare reportlab pages, and against a .docx template
converted by headless LibreOffice), receive + commit + papers at 1,000,000 dossiers, search as you
type (against the first index design), the ledger's first paint and memory, the bundle's size, and
the figures of the other benchmarks that exist on this branch (monthly report, hub ingest, sync
peers); a figure that cannot be measured here is listed as "not measured: <why>", never guessed.

``--quick``: 100,000 dossiers, fewer runs, no LibreOffice, no sync peers (a smoke run of a few
minutes). The first full run generates the 1,000,000 dossiers (about 3 minutes) into bench/out/.
The machine's description and its load before and after go to stderr; the table or the JSON
(a list of {"name", "value", "unit", "floor", "ratio", "goal", "met", "note"}) to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import papers_bench, search_bench, startup_bench  # noqa: E402
from bench.figures import ROOT, Figure, Goal, machine, measured, not_measured, table, to_json  # noqa: E402

BENCH = ROOT / "bench"
BUNDLE_DIR = ROOT / "dist" / "desk-app"
SECTIONS = ("startup", "papers", "search", "ledger", "bundle", "report", "hub", "sync peers")


def startup(quick: bool) -> list[Figure]:
    runs = 3 if quick else 7
    figures = []
    for where, command in (("from source", startup_bench.SOURCE), ("from the bundle", [str(startup_bench.BUNDLE)])):
        name = f"cold start to a usable reception window ({where})"
        if where == "from the bundle" and not startup_bench.BUNDLE.exists():
            figures.append(not_measured(name, "ms", Goal(1.5), "no bundle at dist/desk-app (bash scripts/build_bundle.sh)"))
            continue
        m = startup_bench.measure(runs, command)
        note = (f"floor: a bare PySide6 window's first paint, started from source; ready = the first paint with "
                f"the desk attached and the form enabled; first paint alone {m['first']:.0f} ms "
                f"({m['first'] / m['bare']:.2f}×); median of {runs}, alternated")
        figures.append(measured(name, m["ready"], "ms", m["bare"], Goal(1.5), note))
    return figures


def ledger(count: int) -> list[Figure]:
    done = subprocess.run([sys.executable, str(BENCH / "ledger_bench.py"), "--rows", str(count), "--json"],
                          capture_output=True, text=True, timeout=1800, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
    m = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        measured(f"ledger first paint at {count:,} dossiers", m["first_paint_ms"], "ms", m["floor_ms"],
                 Goal(m["goal_first_paint_ms"], on="value"),
                 "floor: a bare QTableView over an empty model; median of three fresh opens, "
                 f"{', '.join(f'{v:.0f}' for v in m['paints_ms'])} ms"),
        measured(f"ledger added memory after scrolling all {count:,}", m["added_mib"], "MiB", m["floor_mib"],
                 Goal(m["goal_added_mib"], on="value"),
                 "worst added RSS (first page, middle, end, dragged end to end); floor: what showing a bare "
                 "QTableView added"),
    ]


def bundle_size() -> list[Figure]:
    name = "bundle size on disk (dist/desk-app)"
    if not BUNDLE_DIR.exists():
        return [not_measured(name, "MB", Goal(180, on="value"), "not built (bash scripts/build_bundle.sh)")]
    size = sum(p.stat().st_size for p in BUNDLE_DIR.rglob("*") if p.is_file() and not p.is_symlink())
    return [measured(name, size / 1e6, "MB", None, Goal(180, on="value"),
                     "no floor: an absolute goal; files counted once, symlinks not")]


def report(count: int, quick: bool) -> list[Figure]:
    """The monthly report's own benchmark (issue 10), when it exists on this branch."""
    script = BENCH / "report_bench.py"
    name = f"monthly report at {count:,} dossiers"
    if not script.exists():
        return [not_measured(name, "ms", Goal(1000, on="value"), "bench/report_bench.py is not on this branch yet")]
    return external(script, ["--json", "--rows", str(count), *(["--quick"] if quick else [])], name,
                    Goal(1000, on="value"))


def external(script: Path, args: list[str], name: str, goal: Goal) -> list[Figure]:
    """Another engineer's benchmark printing a JSON list of {"name", "value", "unit", "floor", …}."""
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=3600)
    try:
        rows = json.loads(done.stdout)
        assert isinstance(rows, list) and all({"name", "value", "unit"} <= set(r) for r in rows)
    except (ValueError, AssertionError):
        why = f"{script.name} {' '.join(args)} did not print a JSON list of figures (exit {done.returncode})"
        return [not_measured(name, "", goal, why)]
    figures = []
    for r in rows:
        floor = r.get("floor")
        if floor is None:
            figures.append(Figure(r["name"], r["value"], r["unit"], None, None, str(r.get("goal", "")), r.get("met"),
                                  str(r.get("note", "no floor given by the benchmark"))))
        else:
            # A row the benchmark holds to the goal ("held_to_goal") is judged against it here.
            figures.append(measured(r["name"], r["value"], r["unit"], floor, goal if r.get("held_to_goal") else None,
                                    str(r.get("note", ""))))
    return figures


def hub(quick: bool) -> list[Figure]:
    """The hub's batch apply against a raw executemany (bench/hub_apply_bench.py, the sync issue's)."""
    script = BENCH / "hub_apply_bench.py"
    name = "hub ingest (push of signed batches, SQLite)"
    if not script.exists():
        return [not_measured(name, "events/s", None, "bench/hub_apply_bench.py is not on this branch")]
    events = 5_000 if quick else 20_000
    done = subprocess.run([sys.executable, str(script), "--events", str(events)], capture_output=True, text=True,
                          timeout=1800)
    push = re.search(r"^hub push\s+([\d,]+) events/s", done.stdout, re.M)
    floor = re.search(r"^floor\s+([\d,]+) rows/s", done.stdout, re.M)
    if done.returncode != 0 or not push or not floor:
        return [not_measured(name, "events/s", None, f"hub_apply_bench.py failed or changed its output "
                                                     f"(exit {done.returncode})")]
    value, base = (float(m[1].replace(",", "")) for m in (push, floor))
    # A rate: higher is better, so the goal (the sync issue's) is a lower bound on the ratio.
    return [Figure(name, value, "events/s", base, round(value / base, 3), "≥ 0.5× floor", value / base >= 0.5,
                   f"floor: raw executemany of the same rows, WAL, synchronous=FULL; {events:,} events")]


def sync_peers(quick: bool) -> list[Figure]:
    name = "sync peers (PouchDB, Kinto)"
    script = BENCH / "sync_peers.py"
    if not script.exists():
        return [not_measured(name, "records/s", None, "bench/sync_peers.py is not on this branch")]
    if quick:
        return [not_measured(name, "records/s", None, "--quick")]
    if not (BENCH / "peers" / "node_modules").exists():
        return [not_measured(name, "records/s", None, "peers not set up: bash bench/peers/setup.sh (as root)")]
    done = subprocess.run([sys.executable, str(script), "--json", "--records", "20000", "--kinto-records", "2000"],
                          capture_output=True, text=True, timeout=3600, cwd=BENCH)
    try:
        rows = {r["name"]: r for r in json.loads(done.stdout)}
        floor = rows.pop("sqlite_executemany_floor")["value"]
    except (ValueError, KeyError):
        return [not_measured(name, "records/s", None, f"sync_peers.py failed (exit {done.returncode})")]
    return [Figure(f"sync peer {n}", r["value"], r["unit"], floor, round(r["value"] / floor, 3), "", None,
                   "reference figure; floor: SQLite executemany of the same events") for n, r in rows.items()]


def run(section: str, action: Callable[[], list[Figure]]) -> list[Figure]:
    print(f"measuring: {section} …", file=sys.stderr, flush=True)
    try:
        return action()
    except Exception as exc:  # noqa: BLE001 - one broken section must not hide the others
        traceback.print_exc(file=sys.stderr)
        return [not_measured(section, "", None, f"{type(exc).__name__}: {exc}")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as a JSON list")
    parser.add_argument("--quick", action="store_true", help="100,000 dossiers, fewer runs, no LibreOffice")
    parser.add_argument("--count", type=int, help="dossiers in the generated database (default 1,000,000)")
    parser.add_argument("--only", choices=SECTIONS, action="append",
                        help="measure only this section (repeatable), e.g. --only startup")
    args = parser.parse_args(argv)
    count = args.count or (100_000 if args.quick else 1_000_000)
    about = machine()
    load_before = os.getloadavg()
    print(f"machine: {about['cpu']}, {about['cores']} cores, {about['memory']}; Python {about['python']}; "
          f"{about['system']}; commit {about['commit']}; {about['when']}", file=sys.stderr)
    sections: dict[str, Callable[[], list[Figure]]] = {
        "startup": lambda: startup(args.quick),
        "papers": lambda: papers_bench.figures(quick=args.quick, count=count),
        "search": lambda: [search_bench.measure(count)[0]],
        "ledger": lambda: ledger(count),
        "bundle": bundle_size,
        "report": lambda: report(count, args.quick),
        "hub": lambda: hub(args.quick),
        "sync peers": lambda: sync_peers(args.quick),
    }
    figures: list[Figure] = []
    for section, action in sections.items():
        if not args.only or section in args.only:
            figures += run(section, action)
    load_after = os.getloadavg()
    print(f"load average (1, 5, 15 min): before {', '.join(f'{v:.2f}' for v in load_before)}; after "
          f"{', '.join(f'{v:.2f}' for v in load_after)}; on {about['cores']} cores", file=sys.stderr)
    print(to_json(figures) if args.json else table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
