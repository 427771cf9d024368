"""A real ``desk-app hub serve`` process on a free port, and the administrator's commands beside it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peers.process import free_port, server


def desk_app() -> list[str]:
    """The desk-app command of the running virtualenv."""
    script = Path(sys.executable).parent / "desk-app"
    return [str(script)] if script.exists() else [sys.executable, "-m", "desk_app"]


@dataclass(frozen=True)
class Served:
    base: str  # http://127.0.0.1:PORT
    pid: int


@contextmanager
def hub_serve(db_url: str, folder: Path) -> Iterator[Served]:
    """Serve the hub on ``db_url`` until the block ends."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [*desk_app(), "hub", "serve", "--db", db_url, "--port", str(port)]
    with server(command, cwd=folder, ready_url=f"{base}/v1/stats", log=folder / f"hub-serve-{port}.log") as process:
        yield Served(base, process.pid)


def admin(db_url: str, *args: str) -> str:
    """``desk-app hub ACTION --db URL ARGS…``; its standard output (it must succeed)."""
    done = subprocess.run([*desk_app(), "hub", args[0], "--db", db_url, *args[1:]], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"desk-app hub {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def enrolment_code(db_url: str, unit_code: str, desk_no: int) -> str:
    # The one-time code is the last word of `hub enroll`'s output.
    return admin(db_url, "enroll", "--unit-code", unit_code, "--desk", str(desk_no)).split()[-1]


def stats(db_url: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(admin(db_url, "stats", "--json"))
    return data
