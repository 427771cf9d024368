"""Real processes for the sync story and fault tests: `desk-app hub serve`, the desk's command
line on a DESK_APP_HOME, and the check that the hub holds exactly the union of the desks."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import httpx

INIT = ["init", "--commune", "Xã Tân Phú", "--authority", "Ủy ban nhân dân xã Tân Phú", "--unit-code"]


def desk_app() -> list[str]:
    script = Path(sys.executable).parent / "desk-app"
    return [str(script)] if script.exists() else [sys.executable, "-m", "desk_app"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(home: Path | None, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``desk-app ARGS`` with DESK_APP_HOME=home; ``check``: it must succeed."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if home is not None:
        env["DESK_APP_HOME"] = str(home)
    proc = subprocess.run([*desk_app(), *args], capture_output=True, text=True, env=env, timeout=timeout)
    if check:
        assert proc.returncode == 0, f"desk-app {' '.join(args)} → {proc.returncode}\n{proc.stderr}"
    return proc


class HubProcess:
    """`desk-app hub serve` on a SQLite file and a fixed port, so it can be killed and restarted."""

    def __init__(self, folder: Path) -> None:
        self.db_file = folder / "hub.sqlite3"
        self.url = f"sqlite:///{self.db_file}"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / "hub-serve.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> HubProcess:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([*desk_app(), "hub", "serve", "--db", self.url, "--port", str(self.port)],
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.base}/v1/stats", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"hub serve did not start:\n{self.log.read_text()}")
            time.sleep(0.1)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.process = None

    def admin(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``desk-app hub ACTION --db URL …`` (the administrator's commands, beside the server)."""
        return cli(None, "hub", args[0], "--db", self.url, *args[1:], check=check)

    def code(self, unit: str, desk_no: int) -> str:
        return self.admin("enroll", "--unit-code", unit, "--desk", str(desk_no)).stdout.split()[-1]


def _pairs(db_file: Path, sql: str) -> list[tuple[str, str]]:
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as db:
        return [(str(a), str(b)) for a, b in db.execute(sql)]


def desk_events(db_file: Path) -> list[tuple[str, str]]:
    return _pairs(db_file, "SELECT event_uuid, payload_hash FROM outbox")


def hub_events(db_file: Path) -> list[tuple[str, str]]:
    return _pairs(db_file, "SELECT event_uuid, payload_hash FROM events")


def checksum(pairs: Iterable[tuple[str, str]]) -> str:
    return hashlib.sha256("\n".join(sorted(f"{u} {h}" for u, h in pairs)).encode()).hexdigest()


def assert_hub_holds_the_union(hub_db: Path, desk_dbs: Iterable[Path]) -> int:
    """The hub holds exactly the events (uuid and hash) of the given desk databases, each once;
    returns how many."""
    union: set[tuple[str, str]] = set()
    for db in desk_dbs:
        union.update(desk_events(db))
    held = hub_events(hub_db)
    assert len(held) == len(set(held)), "the hub holds an event twice"
    assert (len(held), checksum(held)) == (len(union), checksum(union)), (
        f"hub {len(held)} events, desks {len(union)}; missing {len(union - set(held))}, extra {len(set(held) - union)}")
    return len(held)
