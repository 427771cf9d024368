"""CPU seconds used by other processes (Linux /proc), to count a round's work beside its wall time.

On a shared, loaded machine wall time swings with the neighbours; the CPU time of every process
that did the work (the desk, the hub server, PostgreSQL's processes) is steadier.
"""

from __future__ import annotations

import os
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    return text.rsplit(")", 1)[1].split()


def process_seconds(pid: int) -> float:
    """User and system CPU seconds of a live process and of its children that ended (0 if it is gone)."""
    fields = _stat(pid)
    return sum(int(f) for f in fields[11:15]) / _TICK if fields else 0.0


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def tree_seconds(pids: list[int]) -> float:
    """CPU seconds of ``pids`` and their children (e.g. a postmaster and its backends)."""
    return sum(process_seconds(p) + sum(process_seconds(c) for c in children(p)) for p in pids)
