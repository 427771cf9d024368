"""One measured figure beside its floor, its goal, and the table and JSON that show them."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Goal:
    """``value ≤ limit`` (``on="value"``) or ``value / floor ≤ limit`` (``on="ratio"``)."""

    limit: float
    on: str = "ratio"

    def text(self, unit: str) -> str:
        return f"≤ {self.limit:g}× floor" if self.on == "ratio" else f"≤ {self.limit:g} {unit}"

    def met(self, value: float, ratio: float | None) -> bool | None:
        measured = ratio if self.on == "ratio" else value
        return None if measured is None else measured <= self.limit


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | None
    unit: str
    floor: float | None
    ratio: float | None
    goal: str
    met: bool | None
    note: str  # what the floor is; or "not measured: why"

    def row(self) -> dict[str, object]:
        return asdict(self)


def measured(name: str, value: float, unit: str, floor: float | None, goal: Goal | None, note: str) -> Figure:
    ratio = round(value / floor, 3) if floor else None
    return Figure(name, round(value, 3), unit, None if floor is None else round(floor, 3), ratio,
                  goal.text(unit) if goal else "", goal.met(value, ratio) if goal else None, note)


def not_measured(name: str, unit: str, goal: Goal | None, why: str) -> Figure:
    return Figure(name, None, unit, None, None, goal.text(unit) if goal else "", None, f"not measured: {why}")


def median_ms(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile, interpolated between the nearest ranks (as numpy's default)."""
    ordered = sorted(values)
    position = 0.95 * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def machine() -> dict[str, object]:
    """What the figures were measured on, and how busy it was."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=False).stdout.strip()
    except OSError:
        commit = ""
    return {"cpu": model or platform.processor(), "cores": os.cpu_count(), "memory": memory,
            "python": platform.python_version(), "system": platform.platform(terse=True), "commit": commit,
            "when": dt.datetime.now().astimezone().isoformat(timespec="seconds")}


def table(figures: Sequence[Figure]) -> str:
    header = ("figure", "value", "floor", "ratio", "goal", "met")
    rows = [header]
    for f in figures:
        value = "—" if f.value is None else f"{f.value:,.2f} {f.unit}"
        floor = "—" if f.floor is None else f"{f.floor:,.2f} {f.unit}"
        ratio = "—" if f.ratio is None else f"{f.ratio:.2f}×"
        met = {True: "yes", False: "NO", None: "—"}[f.met]
        rows.append((f.name, value, floor, ratio, f.goal, met))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    notes = [f"  {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join([*lines, "", "floors and notes:", *notes])


def to_json(figures: Sequence[Figure]) -> str:
    """A list of {"name", "value", "unit", "floor", "ratio", "goal", "met", "note"}."""
    return json.dumps([f.row() for f in figures], ensure_ascii=False, indent=1)
