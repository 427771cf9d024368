"""A private PostgreSQL cluster in a temporary folder, started without systemd, for one run.

Debian's binaries live in /usr/lib/postgresql/<version>/bin. ``initdb`` refuses to run as root,
so as root the cluster belongs to the ``postgres`` OS user (``runuser``). The server listens on
a Unix socket in the folder only (no TCP), with PostgreSQL's default durability (fsync on,
synchronous commit), and trusts local connections.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from types import TracebackType

from peers.process import free_port


def postgres_bin() -> Path:
    """The newest installed PostgreSQL's binaries."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (bash bench/peers/setup.sh)")
    return versions[-1].parent


class PostgresCluster:
    """``with PostgresCluster(folder) as pg: pg.create_database("kinto"); pg.url("kinto")``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.bin = postgres_bin()

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")

    def __enter__(self) -> PostgresCluster:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        # --no-sync only skips initdb's own fsync of the empty cluster; the server still syncs.
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale",
                  "--no-sync")
        options = f"-k {self.folder} -p {self.port} -c listen_addresses=''"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options, "-w", "start")
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def pid(self) -> int:
        """The postmaster's process id (its first line of postmaster.pid)."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def create_database(self, name: str) -> None:
        self._run("createdb", "-h", str(self.folder), "-p", str(self.port), "-U", "postgres", name)

    def url(self, database: str) -> str:
        """A libpq/SQLAlchemy URL over the cluster's Unix socket."""
        return f"postgresql://postgres@/{database}?host={self.folder}&port={self.port}"
