"""The fault proxy does to requests exactly what its plan says, seen from both ends of the line."""

from __future__ import annotations

import http.client
import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.sync.faultproxy import Fault, FaultPlan, FaultProxy


class Upstream(ThreadingHTTPServer):
    """A tiny server that records every request it received whole and answers with its running count."""

    daemon_threads = True
    request_queue_size = 128  # many clients at once: no dropped connections (and 1 s retransmits)

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Recorder)
        self.lock = threading.Lock()
        self.received: list[tuple[str, str, bytes, dict[str, str]]] = []
        self.short_bodies = 0  # requests whose body ended before their Content-Length

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.server_address[1])

    def bodies(self) -> list[bytes]:
        with self.lock:
            return [body for _, _, body, _ in self.received]


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Upstream

    def do_GET(self) -> None:
        self._apply(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if len(body) < length:
            with self.server.lock:
                self.server.short_bodies += 1
            self.close_connection = True
            return  # a cut upload is not applied and gets no answer
        self._apply(body)

    def _apply(self, body: bytes) -> None:
        with self.server.lock:
            self.server.received.append((self.command, self.path, body, dict(self.headers.items())))
            count = len(self.server.received)
        answer = json.dumps({"count": count, "length": len(body), "echo": body.decode("utf-8", "replace")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def proxy(upstream: Upstream) -> Iterator[FaultProxy]:
    with FaultProxy(upstream.address) as running:
        yield running


def post(proxy: FaultProxy, body: bytes, path: str = "/push", headers: dict[str, str] | None = None) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=5)
    try:
        conn.request("POST", path, body=body, headers=headers or {})
        response = conn.getresponse()
        assert response.status == 200, response.status
        return json.loads(response.read())
    finally:
        conn.close()


BATCH = "Nguyễn Thị Thuỳ Dương, Đặng Văn Hoà — lô 1".encode() * 20


def test_without_faults_requests_pass_through_once_each(proxy: FaultProxy, upstream: Upstream) -> None:
    answers = [post(proxy, BATCH + bytes([i])) for i in range(5)]
    assert [a["count"] for a in answers] == [1, 2, 3, 4, 5]
    assert upstream.bodies() == [BATCH + bytes([i]) for i in range(5)]
    counts = proxy.counts
    assert (counts.requests, counts.forwarded, counts.answered) == (5, 5, 5)
    assert all(counts[f] == 0 for f in Fault)


def test_duplicate_sends_each_request_twice_and_answers_with_the_second(proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.set_plan(FaultPlan(duplicate=1.0))
    answers = [post(proxy, f"lô {i}".encode()) for i in range(3)]
    assert [a["count"] for a in answers] == [2, 4, 6]
    assert upstream.bodies() == [b for i in range(3) for b in [f"lô {i}".encode()] * 2]
    counts = proxy.counts
    assert (counts.requests, counts.forwarded, counts[Fault.DUPLICATE]) == (3, 6, 3)


def test_reset_after_forwarding_fails_the_client_although_upstream_applied_it(
        proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.set_plan(FaultPlan(reset=1.0))
    with pytest.raises(ConnectionResetError) as caught:
        post(proxy, BATCH)
    assert not isinstance(caught.value, http.client.RemoteDisconnected)  # an RST, not a clean close
    assert upstream.bodies() == [BATCH]
    assert proxy.counts[Fault.RESET] == 1 and proxy.counts.answered == 0


def test_drop_before_forwarding_fails_the_client_and_upstream_never_sees_it(
        proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.set_plan(FaultPlan(drop=1.0, duplicate=1.0, reset=1.0))  # a drop excludes everything else
    with pytest.raises(http.client.RemoteDisconnected):
        post(proxy, BATCH)
    assert upstream.bodies() == []
    counts = proxy.counts
    assert (counts.requests, counts.forwarded, counts[Fault.DROP], counts[Fault.DUPLICATE]) == (1, 0, 1, 0)


def test_delay_holds_the_request_back(proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.set_plan(FaultPlan(delay=1.0, delay_ms=150))
    start = time.perf_counter()
    assert post(proxy, BATCH)["length"] == len(BATCH)
    assert time.perf_counter() - start >= 0.15
    assert proxy.counts[Fault.DELAY] == 1


def test_truncated_upload_reaches_upstream_short_and_the_client_gets_a_502(
        proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.set_plan(FaultPlan(truncate_request=1.0))
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=5)
    conn.request("POST", "/push", body=BATCH)
    assert conn.getresponse().status == 502
    conn.close()
    assert upstream.bodies() == [] and upstream.short_bodies == 1
    assert proxy.counts[Fault.TRUNCATE_REQUEST] == 1 and proxy.counts.upstream_errors == 1


def test_relabelled_truncation_delivers_a_complete_request_with_half_the_body(
        proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.set_plan(FaultPlan(truncate_request=1.0, relabel_truncated=True))
    assert post(proxy, BATCH)["length"] == len(BATCH) // 2
    assert upstream.bodies() == [BATCH[: len(BATCH) // 2]]


def test_truncated_response_leaves_the_client_with_an_incomplete_read(
        proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.set_plan(FaultPlan(truncate_response=1.0))
    with pytest.raises(http.client.IncompleteRead):
        post(proxy, BATCH)
    assert upstream.bodies() == [BATCH]  # applied upstream all the same
    assert proxy.counts[Fault.TRUNCATE_RESPONSE] == 1 and proxy.counts.answered == 0


def test_requests_without_a_body_are_never_counted_as_truncated(proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.set_plan(FaultPlan(truncate_request=1.0))
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=5)
    conn.request("GET", "/pull?since=3")
    assert conn.getresponse().status == 200
    conn.close()
    assert proxy.counts[Fault.TRUNCATE_REQUEST] == 0
    assert upstream.received[0][:2] == ("GET", "/pull?since=3")


def test_faults_hit_only_the_chosen_paths(proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.set_plan(FaultPlan(duplicate=1.0, paths=("/sync/push",)))
    post(proxy, b"enrol", path="/enroll")
    post(proxy, b"batch", path="/sync/push")
    assert upstream.bodies() == [b"enrol", b"batch", b"batch"]


def test_chunked_and_expect_continue_uploads_are_forwarded_with_a_length(
        proxy: FaultProxy, upstream: Upstream) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=5)
    conn.request("POST", "/push", body=iter([w.encode() for w in ("Đặng ", "Thị ", "Hoà")]),
                 headers={"Transfer-Encoding": "chunked"}, encode_chunked=True)
    assert conn.getresponse().read()
    conn.close()
    # What curl does for bodies over 1 KB: headers, wait for "100 Continue", then the body.
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as raw:
        raw.sendall(b"POST /push HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        assert raw.recv(64).startswith(b"HTTP/1.1 100 Continue")
        raw.sendall(b"body")
        answer = b""
        while chunk := raw.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200") and b"Connection: close" in answer
    assert upstream.bodies() == ["Đặng Thị Hoà".encode(), b"body"]
    assert upstream.received[0][3]["Content-Length"] == str(len("Đặng Thị Hoà".encode()))
    assert "Transfer-Encoding" not in upstream.received[0][3]


def test_a_keep_alive_client_reconnects_after_each_answer(proxy: FaultProxy, upstream: Upstream) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=5)
    for i in range(3):
        conn.request("POST", "/push", body=bytes([i]))
        response = conn.getresponse()
        assert response.getheader("Connection") == "close"
        assert json.loads(response.read())["count"] == i + 1
    conn.close()


def test_a_client_that_gives_up_leaves_no_traceback(proxy: FaultProxy, upstream: Upstream,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    proxy.set_plan(FaultPlan(delay=1.0, delay_ms=200))
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as impatient:
        impatient.sendall(b"POST /push HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
        impatient.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # leave with an RST
    time.sleep(0.4)
    assert upstream.bodies() == [b"hi"]  # forwarded all the same
    assert "Traceback" not in capsys.readouterr().err
    assert post(proxy, b"next")["count"] == 2  # and the proxy goes on


def test_an_unreachable_upstream_answers_502() -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        dead = placeholder.getsockname()
    with FaultProxy(dead) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=5)
        conn.request("POST", "/push", body=b"x")
        assert conn.getresponse().status == 502
        conn.close()
        assert proxy.counts.upstream_errors == 1


def test_many_clients_at_once_are_all_served_and_counted(proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.set_plan(FaultPlan(duplicate=0.3, seed=3))
    errors: list[BaseException] = []

    def desk(number: int) -> None:
        try:
            for i in range(4):
                post(proxy, f"quầy {number} lô {i}".encode())
        except BaseException as error:  # reported below: a thread's assert would vanish
            errors.append(error)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = proxy.counts
    assert counts.requests == counts.answered == 160
    assert len(upstream.bodies()) == counts.forwarded == 160 + counts[Fault.DUPLICATE]
    assert {b.decode() for b in upstream.bodies()} == {f"quầy {n} lô {i}" for n in range(40) for i in range(4)}


def run_mixed(upstream: Upstream, seed: int, n: int) -> tuple[list[frozenset[Fault]], FaultProxy]:
    plan = FaultPlan.every(0.15, seed=seed, delay_ms=1)
    with FaultProxy(upstream.address, plan) as proxy:
        for i in range(n):
            try:
                post(proxy, f"sự kiện {i}".encode())
            except (OSError, http.client.HTTPException, AssertionError):
                pass  # what a client sees under faults; the counters say which
    return [d.faults for d in proxy.history], proxy


def test_a_seeded_mixed_plan_repeats_and_its_counters_add_up(upstream: Upstream) -> None:
    first, proxy = run_mixed(upstream, seed=42, n=150)
    counts = proxy.counts
    assert run_mixed(upstream, seed=42, n=150)[0] == first
    assert run_mixed(upstream, seed=43, n=150)[0] != first
    assert counts.requests == 150
    for fault in Fault:  # 150 draws at p=0.15: each fault happens, none everywhere
        assert 5 <= counts[fault] <= 45, (fault, counts[fault])
    assert counts.forwarded == 150 - counts[Fault.DROP] + counts[Fault.DUPLICATE]
    # A cut upload gets a 502 (an answer all the same) unless the client connection is reset first.
    assert counts.answered == sum(1 for faults in first if not faults & {Fault.DROP, Fault.RESET, Fault.TRUNCATE_RESPONSE})
    assert counts.upstream_errors == sum(
        1 for faults in first if Fault.TRUNCATE_REQUEST in faults and Fault.RESET not in faults)


def test_plans_refuse_impossible_values() -> None:
    with pytest.raises(ValueError):
        FaultPlan(reset=1.5)
    with pytest.raises(ValueError):
        FaultPlan(delay_ms=-1)
