"""An unreachable hub is explained in Vietnamese, each cause with its own reason, over real
sockets; the technical text (errno, TLS alert) goes to the log only."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest

from desk_app.sync import reasons
from desk_app.sync.client import HubClient, HubProtocolError, HubUnreachable


def _enroll(url: str, timeout: httpx.Timeout | float = 2.0) -> str:
    with HubClient(url, timeout=timeout) as client:
        with pytest.raises((HubUnreachable, HubProtocolError)) as caught:
            client.enroll("X", desk_uuid="d", public_key="k", facts={})
    message = caught.value.message
    assert "Errno" not in message and "Connection" not in message and "SSL" not in message, message
    return message


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serving(handler: type[BaseHTTPRequestHandler], tls: ssl.SSLContext | None = None) -> Iterator[int]:
    server = HTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_a_closed_port_is_a_refused_connection_and_the_log_keeps_the_errno(caplog):
    with caplog.at_level(logging.INFO, logger="desk_app.sync.client"):
        message = _enroll(f"http://127.0.0.1:{_free_port()}")
    assert message.endswith(reasons.REFUSED)
    assert "Connection refused" in caplog.text


def test_a_name_that_does_not_resolve():
    assert _enroll("http://khong-co-may-chu.invalid").endswith(reasons.NAME)  # .invalid never resolves


def test_a_server_that_never_answers_times_out():
    class Silent(_Quiet):
        def do_POST(self) -> None:  # noqa: N802
            threading.Event().wait(2)

    with _serving(Silent) as port:
        assert _enroll(f"http://127.0.0.1:{port}", timeout=httpx.Timeout(0.3)).endswith(reasons.READ_TIMEOUT)


def test_a_server_whose_queue_is_full_does_not_take_the_connection_in_time():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)  # never accepts: once the queue is full, further handshakes get no answer
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(listener.getsockname())
            fillers.append(filler)
        message = _enroll(f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=httpx.Timeout(0.5))
        assert message.endswith(reasons.CONNECT_TIMEOUT)
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def test_a_connection_dropped_before_any_answer_is_cut():
    class Hangs(_Quiet):
        def do_POST(self) -> None:  # noqa: N802
            self.connection.shutdown(socket.SHUT_RDWR)

    with _serving(Hangs) as port:
        assert _enroll(f"http://127.0.0.1:{port}").endswith(reasons.CUT)


def test_https_to_a_plain_http_server_is_a_tls_failure():
    with _serving(_Quiet) as port:
        assert _enroll(f"https://127.0.0.1:{port}").endswith(reasons.TLS)


def _self_signed(folder: Path) -> ssl.SSLContext:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


def test_a_certificate_nobody_vouches_for(tmp_path):
    with _serving(_Quiet, tls=_self_signed(tmp_path)) as port:
        assert _enroll(f"https://127.0.0.1:{port}").endswith(reasons.CERTIFICATE)


@pytest.mark.parametrize(("status", "words", "kind"), [
    (502, "tạm thời không phục vụ được (mã HTTP 502)", HubUnreachable),
    (500, "gặp lỗi bên trong (mã HTTP 500)", HubUnreachable),
    (404, "không phải máy chủ đồng bộ (mã HTTP 404)", HubProtocolError),
    (407, "không cho phép truy cập (mã HTTP 407)", HubProtocolError),
])
def test_http_statuses_without_a_hub_error_are_explained(status, words, kind):
    class Status(_Quiet):
        def do_POST(self) -> None:  # noqa: N802
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>Bad Gateway</html>")

    with _serving(Status) as port:
        with HubClient(f"http://127.0.0.1:{port}", timeout=2) as client:
            with pytest.raises(kind) as caught:
                client.enroll("X", desk_uuid="d", public_key="k", facts={})
    assert words in caught.value.message and "Bad Gateway" not in caught.value.message
