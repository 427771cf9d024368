"""Kinto, from pip in its own virtualenv, on a private PostgreSQL: records/s through POST /v1/batch.

The server is ``kinto start`` (Pyramid's pserve with waitress, 4 threads) on a generated .ini
with the PostgreSQL storage, cache and permission backends. The client sends the events as
record creations in one bucket/collection, ``batch_max_requests`` (25 by default) per call, on
one keep-alive connection, and checks afterwards that the collection holds every record.
"""

from __future__ import annotations

import base64
import http.client
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from peers.postgres_cluster import PostgresCluster
from peers.process import free_port, server

HERE = Path(__file__).resolve().parent
KINTO = HERE / ".venv-kinto" / "bin" / "kinto"
BUCKET, COLLECTION = "desk", "events"
AUTH = "Basic " + base64.b64encode(b"bench:bench-password").decode()

INI = """\
[app:main]
use = egg:kinto
kinto.storage_backend = kinto.core.storage.postgresql
kinto.storage_url = {url}
kinto.cache_backend = kinto.core.cache.postgresql
kinto.cache_url = {url}
kinto.permission_backend = kinto.core.permission.postgresql
kinto.permission_url = {url}
kinto.userid_hmac_secret = sync-bench-not-secret
multiauth.policies = basicauth
kinto.bucket_create_principals = system.Authenticated

[server:main]
use = egg:waitress#main
host = 127.0.0.1
port = %(http_port)s

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = plain

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
formatter = plain

[formatter_plain]
format = %%(asctime)s %%(levelname)s %%(name)s %%(message)s
"""


def measure(records: list[dict[str, Any]]) -> float:
    """Records per second that Kinto's batch endpoint creates, on a fresh cluster and server."""
    if not KINTO.exists():
        raise RuntimeError(f"{KINTO} is missing (bash bench/peers/setup.sh)")
    with tempfile.TemporaryDirectory(prefix="kinto-bench-") as tmp, PostgresCluster(Path(tmp)) as pg:
        pg.create_database("kinto")
        ini = Path(tmp) / "kinto.ini"
        ini.write_text(INI.format(url=pg.url("kinto")))
        subprocess.run([str(KINTO), "migrate", "--ini", str(ini)], check=True, capture_output=True)
        port = free_port()
        command = [str(KINTO), "start", "--ini", str(ini), "--port", str(port)]
        with server(command, cwd=Path(tmp), ready_url=f"http://127.0.0.1:{port}/v1/", log=Path(tmp) / "kinto.log"):
            client = _Client(port)
            limit = int(client.call("GET", "/v1/")["settings"]["batch_max_requests"])
            client.call("PUT", f"/v1/buckets/{BUCKET}", {"data": {}})
            client.call("PUT", f"/v1/buckets/{BUCKET}/collections/{COLLECTION}", {"data": {}})
            start = time.perf_counter()
            for i in range(0, len(records), limit):
                client.batch(records[i:i + limit])
            seconds = time.perf_counter() - start
            held = client.count()
            if held != len(records):
                raise RuntimeError(f"Kinto holds {held} of {len(records)} records")
    return len(records) / seconds


class _Client:
    """Kinto's HTTP API on one keep-alive connection (standard library only)."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.path = f"/buckets/{BUCKET}/collections/{COLLECTION}/records"

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        self.conn.request(method, path, body=data, headers={"Authorization": AUTH, "Content-Type": "application/json"})
        response = self.conn.getresponse()
        payload = response.read()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:500]!r}")
        return json.loads(payload) if payload else None

    def batch(self, records: list[dict[str, Any]]) -> None:
        body = {
            "defaults": {"method": "POST", "path": self.path},
            "requests": [{"body": {"data": dict(record, id=record["event_uuid"])}} for record in records],
        }
        answers = self.call("POST", "/v1/batch", body)["responses"]
        failed = [a for a in answers if a["status"] not in (200, 201)]
        if failed:
            raise RuntimeError(f"batch refused {len(failed)} records: {failed[0]}")

    def count(self) -> int:
        self.conn.request("HEAD", f"/v1{self.path}", headers={"Authorization": AUTH})
        response = self.conn.getresponse()
        response.read()
        return int(response.getheader("Total-Records") or response.getheader("Total-Objects") or -1)
