"""A fault-injecting HTTP/1.1 proxy for sync tests: seeded network faults between a client and a real server.

    with FaultProxy(("127.0.0.1", hub_port), FaultPlan(duplicate=0.1, reset=0.1, seed=7)) as proxy:
        push_everything(hub_url=proxy.url)
        assert proxy.counts[Fault.RESET] > 0

Each client connection carries one request: the proxy reads it whole (Content-Length or chunked),
draws its faults from the plan's seeded generator, forwards it upstream on a fresh connection,
reads the answer whole and relays it with ``Connection: close``. Forcing close keeps the proxy
simple and costs the client only a reconnect on loopback. What can go wrong and how the client
sees it:

- DROP: the request is read, never forwarded, and the connection closed: the server saw nothing,
  the client gets an empty answer (``http.client.RemoteDisconnected``).
- RESET: the request is forwarded and the server's whole answer read (the server DID apply it),
  then the client connection is reset (RST): the client gets ``ConnectionResetError`` and cannot
  tell whether its request took effect. The case that makes retries dangerous.
- DUPLICATE: the request goes upstream twice, one after the other, and the client gets the
  SECOND answer: it sees how the server answers a replay of what it just sent.
- DELAY: the request waits ``delay_ms`` before going upstream.
- TRUNCATE_REQUEST (requests with a body): only the first half of the body goes upstream. By
  default the original Content-Length is kept and the upstream connection is half-closed after
  the partial body (a link dying mid-upload); with ``relabel_truncated`` the request is complete
  and well-formed but carries a shorter body (a corrupted batch that only content checks catch).
- TRUNCATE_RESPONSE: the client gets the headers (with the full Content-Length) and half of the
  body, then the connection closes (``http.client.IncompleteRead``).

If the upstream cannot be reached or closes without answering, the client gets a 502, as from
the reverse proxy a province puts in front of its hub processes. Faults are drawn under a lock in
the order requests arrive, so one client sending sequentially sees the same faults for the same
seed. Standard library only.
"""

from __future__ import annotations

import logging
import random
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import BinaryIO

log = logging.getLogger(__name__)

_MAX_LINE = 65_536
_MAX_HEADERS = 200
_TIMEOUT = 30.0
# Hop-by-hop headers the proxy owns: it decides framing and connection lifetime itself.
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "expect", "te", "upgrade"}


class Fault(str, Enum):
    DROP = "drop"
    RESET = "reset"
    DUPLICATE = "duplicate"
    DELAY = "delay"
    TRUNCATE_REQUEST = "truncate_request"
    TRUNCATE_RESPONSE = "truncate_response"


@dataclass(frozen=True)
class FaultPlan:
    """The probability of each fault per request, and the seed that makes the sequence repeatable."""

    drop: float = 0.0
    reset: float = 0.0
    duplicate: float = 0.0
    delay: float = 0.0
    truncate_request: float = 0.0
    truncate_response: float = 0.0
    delay_ms: int = 100
    relabel_truncated: bool = False
    # Faults only hit requests whose path starts with one of these (e.g. the push endpoint);
    # empty: every request.
    paths: tuple[str, ...] = ()
    seed: int = 0

    def __post_init__(self) -> None:
        for fault in Fault:
            p = self.probability(fault)
            if not 0.0 <= p <= 1.0:
                raise ValueError(f"probability of {fault.value} must be within [0, 1], not {p}")
        if self.delay_ms < 0:
            raise ValueError("delay_ms must not be negative")

    @classmethod
    def every(cls, p: float, *, seed: int = 0, delay_ms: int = 20, paths: tuple[str, ...] = ()) -> FaultPlan:
        """Every fault with the same probability: the long fault run's plan."""
        return cls(drop=p, reset=p, duplicate=p, delay=p, truncate_request=p, truncate_response=p,
                   delay_ms=delay_ms, paths=paths, seed=seed)

    def probability(self, fault: Fault) -> float:
        value: float = getattr(self, fault.value)
        return value

    def applies_to(self, path: str) -> bool:
        return not self.paths or path.startswith(self.paths)


@dataclass(frozen=True)
class Decision:
    """What the proxy did to one request (numbered from 1 in arrival order)."""

    number: int
    method: str
    path: str
    faults: frozenset[Fault]


@dataclass(frozen=True)
class Counts:
    requests: int  # complete requests read from clients
    forwarded: int  # requests sent upstream; a duplicated request counts twice
    answered: int  # whole answers sent to clients (a 502 included)
    upstream_errors: int  # upstream unreachable or closed without an answer (client got 502)
    faults: Mapping[Fault, int] = field(default_factory=dict)

    def __getitem__(self, fault: Fault) -> int:
        return self.faults.get(fault, 0)


@dataclass
class _Message:
    start: str  # request line or status line
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    def encode(self, *, content_length: int | None = None) -> bytes:
        """Start line, end-to-end headers, our own framing and ``Connection: close``; no body."""
        lines = [self.start]
        lines += [f"{k}: {v}" for k, v in self.headers if k.lower() not in _HOP_BY_HOP | {"content-length"}]
        lines.append(f"Content-Length: {len(self.body) if content_length is None else content_length}")
        lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class _BadMessage(Exception):
    pass


class FaultProxy:
    """The proxy, listening on a free localhost port in a background thread until ``stop()``."""

    def __init__(self, upstream: tuple[str, int], plan: FaultPlan | None = None) -> None:
        self.upstream = upstream
        self._lock = threading.Lock()
        self._plan = plan or FaultPlan()
        self._rng = random.Random(self._plan.seed)
        self._history: list[Decision] = []
        self._counts: dict[str, int] = {}
        self._server = _Server(self)
        self._thread: threading.Thread | None = None

    # Lifecycle -------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        port: int = self._server.server_address[1]
        return port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        # A short poll interval so stop() returns at once (the default half second adds up in tests).
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="faultproxy",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Plan and counters -------------------------------------------------------------------------

    def set_plan(self, plan: FaultPlan) -> None:
        """Change the plan (and reseed) between phases, e.g. no faults for the final convergence sync."""
        with self._lock:
            self._plan = plan
            self._rng = random.Random(plan.seed)

    @property
    def counts(self) -> Counts:
        with self._lock:
            c = dict(self._counts)
        return Counts(requests=c.get("requests", 0), forwarded=c.get("forwarded", 0), answered=c.get("answered", 0),
                      upstream_errors=c.get("upstream_errors", 0),
                      faults={f: c[f.value] for f in Fault if f.value in c})

    @property
    def history(self) -> list[Decision]:
        with self._lock:
            return list(self._history)

    def _count(self, name: str, n: int = 1) -> None:
        with self._lock:
            self._counts[name] = self._counts.get(name, 0) + n

    def _decide(self, request: _Message) -> tuple[frozenset[Fault], FaultPlan]:
        method, path = _method_and_path(request)
        with self._lock:
            plan = self._plan
            # One draw per fault, always in the same order, so request n's faults depend only on
            # the seed and n, whatever the earlier requests' shapes were.
            draws = {fault: self._rng.random() for fault in Fault}
            chosen = {f for f, x in draws.items() if x < plan.probability(f)} if plan.applies_to(path) else set()
            if Fault.DROP in chosen:  # nothing reaches the server, so nothing else can happen
                chosen = {Fault.DROP}
            if Fault.RESET in chosen:  # no answer reaches the client to be truncated
                chosen.discard(Fault.TRUNCATE_RESPONSE)
            if not request.body:
                chosen.discard(Fault.TRUNCATE_REQUEST)
            self._counts["requests"] = self._counts.get("requests", 0) + 1
            for fault in chosen:
                self._counts[fault.value] = self._counts.get(fault.value, 0) + 1
            decision = Decision(len(self._history) + 1, method, path, frozenset(chosen))
            self._history.append(decision)
        log.debug("request %d %s %s: %s", decision.number, method, path, sorted(f.value for f in chosen))
        return decision.faults, plan

    # One client connection ---------------------------------------------------------------------

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(_TIMEOUT)
        reader = client.makefile("rb")
        try:
            request = _read_message(reader, client=client)
        except (_BadMessage, OSError) as error:
            log.debug("unreadable request: %s", error)
            return
        finally:
            reader.close()
        if request is None:
            return
        faults, plan = self._decide(request)
        try:
            self._answer(client, request, faults, plan)
        except OSError as error:  # the client went away first: nothing left to do for it
            log.debug("client lost: %s", error)

    def _answer(self, client: socket.socket, request: _Message, faults: frozenset[Fault], plan: FaultPlan) -> None:
        if Fault.DROP in faults:
            return  # the handler closes the socket: a clean FIN, no answer
        if Fault.DELAY in faults:
            time.sleep(plan.delay_ms / 1000)
        outgoing = _upstream_bytes(request, truncate=Fault.TRUNCATE_REQUEST in faults,
                                   relabel=plan.relabel_truncated)
        answer = self._exchange(outgoing, request)
        if Fault.DUPLICATE in faults:
            answer = self._exchange(outgoing, request)
        if Fault.RESET in faults:
            # SO_LINGER with a zero timeout turns close() into an RST.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        if answer is None:
            self._count("upstream_errors")
            answer = _Message("HTTP/1.1 502 Bad Gateway", [("Content-Type", "text/plain")], b"upstream failed\n")
        head = answer.encode()
        if Fault.TRUNCATE_RESPONSE in faults:
            client.sendall(head + answer.body[: len(answer.body) // 2] if answer.body else head[: len(head) // 2])
            return
        # Counted before sending: a client holding the answer must find it counted.
        self._count("answered")
        client.sendall(head + answer.body)

    def _exchange(self, outgoing: tuple[bytes, bool], request: _Message) -> _Message | None:
        """Send one request upstream on a fresh connection; its whole answer, or None if it fails."""
        data, half_close = outgoing
        self._count("forwarded")
        try:
            with socket.create_connection(self.upstream, timeout=_TIMEOUT) as upstream:
                upstream.sendall(data)
                if half_close:
                    upstream.shutdown(socket.SHUT_WR)
                with upstream.makefile("rb") as reader:
                    return _read_message(reader, request_method=_method_and_path(request)[0])
        except (_BadMessage, OSError) as error:
            log.debug("upstream failed: %s", error)
            return None


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The default backlog of 5 drops connections when fifty desks push at once; a dropped SYN
    # costs the client a one-second retransmit, which is not a fault the plan asked for.
    request_queue_size = 128

    def __init__(self, proxy: FaultProxy) -> None:
        self.proxy = proxy
        super().__init__(("127.0.0.1", 0), _Handler)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        # The base class half-closes first, which sends a FIN before close() could send the RST
        # that a RESET fault needs; a plain close sends a FIN by itself otherwise.
        self.close_request(request)


class _Handler(socketserver.BaseRequestHandler):
    server: _Server
    request: socket.socket

    def handle(self) -> None:
        self.server.proxy._serve(self.request)


# HTTP/1.1 framing ------------------------------------------------------------------------------


def _method_and_path(request: _Message) -> tuple[str, str]:
    parts = request.start.split(" ")
    return parts[0], parts[1] if len(parts) > 1 else "/"


def _upstream_bytes(request: _Message, *, truncate: bool, relabel: bool) -> tuple[bytes, bool]:
    """The bytes to send upstream, and whether to half-close after them (a cut upload)."""
    if not truncate:
        return request.encode() + request.body, False
    part = request.body[: len(request.body) // 2]
    if relabel:
        return _Message(request.start, request.headers, part).encode() + part, False
    return request.encode(content_length=len(request.body)) + part, True


def _read_message(reader: BinaryIO, *, client: socket.socket | None = None,
                  request_method: str | None = None) -> _Message | None:
    """Read one whole request (``request_method`` None) or response; None on a clean EOF before it.

    Bodies are de-chunked: the proxy re-frames everything with Content-Length.
    """
    start = reader.readline(_MAX_LINE)
    if not start:
        return None
    # 1xx interim answers carry no body; skip to the final one.
    while True:
        headers = _read_headers(reader)
        if request_method is None or not start.startswith(b"HTTP/1.1 1"):
            break
        start = reader.readline(_MAX_LINE)
    text = start.decode("latin-1").rstrip("\r\n")
    message = _Message(text, headers, b"")
    if request_method is None and client is not None and (message.header("expect") or "").lower() == "100-continue":
        client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    if request_method is not None and not _response_has_body(text, request_method):
        return message
    if "chunked" in (message.header("transfer-encoding") or "").lower():
        message.body = _read_chunked(reader)
    elif (length := message.header("content-length")) is not None:
        try:
            size = int(length)
        except ValueError:
            raise _BadMessage(f"bad Content-Length {length!r}") from None
        message.body = reader.read(size)
        if len(message.body) < size:
            raise _BadMessage(f"body cut at {len(message.body)} of {size} bytes")
    elif request_method is not None:
        message.body = reader.read()  # an answer framed by the end of the connection
    return message


def _read_headers(reader: BinaryIO) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    while True:
        line = reader.readline(_MAX_LINE)
        if not line:
            raise _BadMessage("connection closed inside the headers")
        if line in (b"\r\n", b"\n"):
            return headers
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep or len(headers) >= _MAX_HEADERS:
            raise _BadMessage(f"bad header line {line[:80]!r}")
        headers.append((name.strip(), value.strip()))


def _read_chunked(reader: BinaryIO) -> bytes:
    body = bytearray()
    while True:
        size_line = reader.readline(_MAX_LINE)
        try:
            size = int(size_line.split(b";")[0].strip(), 16)
        except ValueError:
            raise _BadMessage(f"bad chunk size {size_line[:40]!r}") from None
        if size == 0:
            _read_headers(reader)  # trailers, dropped
            return bytes(body)
        chunk = reader.read(size)
        if len(chunk) < size or reader.readline(_MAX_LINE) not in (b"\r\n", b"\n"):
            raise _BadMessage("chunk cut short")
        body += chunk


def _response_has_body(status_line: str, request_method: str) -> bool:
    parts = status_line.split(" ")
    code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 200
    return request_method != "HEAD" and code not in (204, 304)
