"""The desk's HTTP transport to the hub (httpx). It knows the wire protocol, not the desk's database.

Three failures, three exceptions, so the caller's retry policy is simple:

* ``HubUnreachable``: no answer (connection refused or reset, timeout, 5xx): try again later;
* ``HubRefused``: the hub answered no, with a machine ``code`` and a Vietnamese ``message``
  (unknown or revoked desk, bad signature, used enrolment code…): retrying will not help;
* ``HubProtocolError``: the answer is malformed or not signed by the hub's key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from desk_app.sync.protocol import (
    HUB_TIME_FIELD, DEFAULT_BATCH_SIZE, Enrollment, Envelope, HubPackage, ProtocolError, PullRequest, PushResult,
    SigningKey,
)
from desk_app.sync.reasons import status_reason, transport_reason

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=60.0, write=60.0, pool=5.0)


class SyncError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class HubUnreachable(SyncError):
    """The hub could not be reached or did not answer in time; nothing is known to have changed."""


class HubRefused(SyncError):
    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class HubProtocolError(SyncError):
    """The hub's answer cannot be trusted or read."""


@dataclass(frozen=True)
class PullResult:
    package: HubPackage
    hub_time: str

    @property
    def updates(self) -> tuple[Any, ...]:
        return self.package.updates

    @property
    def hub_epoch(self) -> str:
        return self.package.hub_epoch

    @property
    def resync_required(self) -> bool:
        return self.package.resync_required


class HubClient:
    """One hub, one connection pool. ``http`` lets tests pass FastAPI's TestClient (an httpx.Client)."""

    def __init__(self, hub_url: str, *, timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
                 http: httpx.Client | None = None) -> None:
        self.hub_url = hub_url.rstrip("/")
        self._own = http is None
        self._http = http if http is not None else httpx.Client(timeout=timeout)
        self.last_hub_time: str | None = None

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._own:
            self._http.close()

    def _post(self, path: str, **kwargs: Any) -> httpx.Response:
        url = f"{self.hub_url}{path}"
        try:
            response = self._http.post(url, **kwargs)
        except httpx.TransportError as exc:
            # The technical text (errno, TLS alert) is for the log (INFO: the window's log file,
            # not the command line's stderr); people get what to check.
            log.info("hub %s unreachable on %s: %s: %s", self.hub_url, path, type(exc).__name__, exc)
            raise HubUnreachable(f"không kết nối được máy chủ {self.hub_url}: {transport_reason(exc)}") from exc
        self.last_hub_time = response.headers.get(HUB_TIME_FIELD) or self.last_hub_time
        if response.status_code >= 500:
            log.info("hub %s answered HTTP %s on %s: %s", self.hub_url, response.status_code, path,
                        _message(response))
            raise HubUnreachable(f"không kết nối được máy chủ {self.hub_url}: {status_reason(response.status_code)}")
        if response.status_code >= 400:
            try:
                data = response.json()
                raise HubRefused(str(data["error"]), str(data["message"]), response.status_code)
            except (ValueError, KeyError, TypeError):
                log.info("hub %s answered HTTP %s on %s without a hub error: %s", self.hub_url,
                            response.status_code, path, _message(response))
                raise HubProtocolError(status_reason(response.status_code)) from None
        return response

    def enroll(self, code: str, *, desk_uuid: str, public_key: str, facts: dict[str, Any]) -> Enrollment:
        """Present a one-time code; the hub binds the desk's key to the code's commune and number."""
        response = self._post("/v1/enroll", json={"code": code, "desk_uuid": desk_uuid, "public_key": public_key,
                                                  "facts": facts})
        try:
            return Enrollment.from_dict(response.json())
        except (ValueError, ProtocolError) as exc:
            raise HubProtocolError(f"trả lời ghi danh không hợp lệ: {exc}") from exc

    def push(self, batch: Envelope) -> PushResult:
        response = self._post("/v1/push", content=batch.body, headers=batch.http_headers())
        try:
            result = PushResult.from_dict(response.json())
        except (ValueError, ProtocolError) as exc:
            raise HubProtocolError(f"trả lời gửi gói không hợp lệ: {exc}") from exc
        if len(result.answers) != batch.header.get("count"):
            raise HubProtocolError("số câu trả lời khác số sự kiện đã gửi")
        return result

    def pull(self, *, key: SigningKey, desk_uuid: str, after_seq: int, hub_epoch: str | None, hub_public_key: str,
             at: str, limit: int = DEFAULT_BATCH_SIZE) -> PullResult:
        """Updates after ``after_seq`` for this desk's commune, signed by the hub and checked here."""
        request = PullRequest(desk_uuid, after_seq, hub_epoch, limit, at)
        response = self._post("/v1/pull", json=request.signed(key))
        try:
            envelope = Envelope.from_http(response.headers, response.content)
            package = HubPackage.open(envelope, hub_public_key=hub_public_key, desk_uuid=desk_uuid)
        except ProtocolError as exc:
            raise HubProtocolError(f"gói cập nhật từ máy chủ bị từ chối: {exc.message}") from exc
        return PullResult(package, self.last_hub_time or package.created_at)


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json().get("message", ""))
    except (ValueError, AttributeError):
        return response.text[:200]
