"""PouchDB replicating to pouchdb-server (both from npm): the usual offline-first choice, in records/s.

pouchdb-server runs with LevelDB in a temporary folder (``in_memory`` for its in-memory mode),
on a free port; ``pouchdb_replicate.js`` loads the events into a local PouchDB on disk and times
``db.replicate.to(remote)`` with PouchDB's default batching, then checks the remote count.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from peers.process import free_port, server

HERE = Path(__file__).resolve().parent
POUCHDB_SERVER = HERE / "node_modules" / ".bin" / "pouchdb-server"
SCRIPT = HERE / "pouchdb_replicate.js"


def measure(events_jsonl: Path, *, in_memory: bool = False) -> float:
    """Records per second replicated from a local PouchDB to a fresh pouchdb-server."""
    node = shutil.which("node")
    if node is None or not POUCHDB_SERVER.exists():
        raise RuntimeError("Node.js or pouchdb-server is missing (bash bench/peers/setup.sh)")
    with tempfile.TemporaryDirectory(prefix="pouchdb-bench-") as tmp:
        folder = Path(tmp)
        port = free_port()
        storage = ["--in-memory"] if in_memory else ["--dir", str(folder / "server")]
        # pouchdb-server writes config.json and log.txt into its working folder: keep it private.
        command = [str(POUCHDB_SERVER), "--port", str(port), "--host", "127.0.0.1", *storage]
        with server(command, cwd=folder, ready_url=f"http://127.0.0.1:{port}/", log=folder / "server.log"):
            remote = f"http://127.0.0.1:{port}/events"
            done = subprocess.run([node, str(SCRIPT), str(events_jsonl), remote, str(folder)],
                                  cwd=HERE, capture_output=True, text=True)
            if done.returncode:
                raise RuntimeError(f"pouchdb_replicate.js failed: {done.stderr[-3000:]}")
    result = json.loads(done.stdout)
    rate: float = result["records_per_s"]
    return rate
