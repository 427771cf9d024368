"""The HTTP client's failures are told apart: unreachable (retry later), refused, bad answer."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest

from desk_app.sync import protocol as p
from desk_app.sync.client import HubClient, HubProtocolError, HubRefused, HubUnreachable


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_nothing_listening_is_unreachable():
    with HubClient(f"http://127.0.0.1:{_closed_port()}", timeout=2) as client:
        with pytest.raises(HubUnreachable, match="không kết nối được"):
            client.enroll("X", desk_uuid="d", public_key="k", facts={})


class _Slow(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        threading.Event().wait(2)

    def log_message(self, *args: object) -> None:
        pass


def test_a_hub_that_does_not_answer_in_time_is_unreachable():
    server = HTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with HubClient(f"http://127.0.0.1:{server.server_port}", timeout=httpx.Timeout(0.3)) as client:
            with pytest.raises(HubUnreachable, match="không trả lời kịp"):
                client.enroll("X", desk_uuid="d", public_key="k", facts={})
    finally:
        server.shutdown()
        server.server_close()


def _fake(status: int, body: bytes, headers: dict[str, str] | None = None) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"X-Hub-Time": "2026-11-27T02:00:00+00:00",
                                                             **(headers or {})})

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_server_errors_are_retryable_and_refusals_carry_the_hub_words():
    with pytest.raises(HubUnreachable, match="HTTP 503"):
        HubClient("http://hub", http=_fake(503, '{"error":"database_unavailable","message":"tạm thời"}'.encode())).enroll(
            "X", desk_uuid="d", public_key="k", facts={})
    with pytest.raises(HubRefused) as refused:
        HubClient("http://hub", http=_fake(403, '{"error":"revoked_desk","message":"quầy đã bị thu hồi"}'.encode())
                  ).enroll("X", desk_uuid="d", public_key="k", facts={})
    assert (refused.value.code, refused.value.status, refused.value.message) == (
        "revoked_desk", 403, "quầy đã bị thu hồi")


def test_malformed_answers_are_protocol_errors():
    with pytest.raises(HubProtocolError):
        HubClient("http://hub", http=_fake(418, b"teapot")).enroll("X", desk_uuid="d", public_key="k", facts={})
    with pytest.raises(HubProtocolError):
        HubClient("http://hub", http=_fake(200, b"{}")).enroll("X", desk_uuid="d", public_key="k", facts={})
    key = p.SigningKey.generate()
    with pytest.raises(HubProtocolError):  # a pull answer with no signed package
        HubClient("http://hub", http=_fake(200, b"plain")).pull(
            key=key, desk_uuid="d", after_seq=0, hub_epoch=None, hub_public_key=key.public_text, at="t")


def test_hub_time_is_remembered_from_every_reply():
    client = HubClient("http://hub", http=_fake(403, b'{"error":"x","message":"y"}'))
    with pytest.raises(HubRefused):
        client.enroll("X", desk_uuid="d", public_key="k", facts={})
    assert client.last_hub_time == "2026-11-27T02:00:00+00:00"
