"""Start a server process for a benchmark, wait until it answers, and always stop it."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A localhost port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_http(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers (any HTTP status); fail with the server's log if it died."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no answer from {url} after {timeout:.0f} s") from None
            time.sleep(0.2)


@contextmanager
def server(command: Sequence[str], *, cwd: Path, ready_url: str, log: Path,
           env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` (output to ``log``) until the block ends; ready once ``ready_url`` answers."""
    with log.open("wb") as out:
        process = subprocess.Popen(list(command), cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for_http(ready_url, process, log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
