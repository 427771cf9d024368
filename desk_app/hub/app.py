"""The hub's web application: ``create_app(db_url)`` builds it (no import-time state).

Routes: ``POST /v1/enroll`` (JSON), ``POST /v1/push`` (a signed batch: gzip body, header and
signature in X-Sync-Header / X-Sync-Signature), ``POST /v1/pull`` (a signed JSON request; the
answer is a signed hub package, same encoding), ``GET /v1/stats`` (JSON), ``GET /`` (dashboard).
Every response carries the hub's clock in ``X-Hub-Time``; refusals are JSON
``{"error": code, "message": Vietnamese, "hub_time": …}``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from desk_app.hub import dashboard
from desk_app.hub.reports import month_ranking
from desk_app.hub.service import Clock, Hub, HubError, utc_now
from desk_app.hub.storage.database import HubDatabaseError
from desk_app.sync.protocol import HUB_TIME_FIELD, Envelope, ProtocolError, RefusalCode

log = logging.getLogger(__name__)

ENV_DB = "DESK_HUB_DB"
MAX_REQUEST_BYTES = 32 * 1024 * 1024

HTTP_STATUS = {
    RefusalCode.MALFORMED: 400, RefusalCode.UNSUPPORTED_PROTOCOL: 400, RefusalCode.BODY_MISMATCH: 400,
    RefusalCode.TOO_LARGE: 413, RefusalCode.BAD_SIGNATURE: 401, RefusalCode.UNKNOWN_DESK: 401,
    RefusalCode.REVOKED_DESK: 403, RefusalCode.WRONG_DESK: 403, RefusalCode.CODE_INVALID: 403,
    RefusalCode.CODE_USED: 403, RefusalCode.CODE_EXPIRED: 403, RefusalCode.UNIT_MISMATCH: 403,
}


def create_app(db_url: str, *, clock: Clock = utc_now) -> FastAPI:
    """The hub on the database at ``db_url`` (``sqlite:///…`` or ``postgresql://…``)."""
    hub = Hub.open(db_url, clock=clock)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        hub.close()

    app = FastAPI(title="desk-app hub", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.hub = hub

    def refusal(status: int, code: str, message: str) -> JSONResponse:
        return JSONResponse({"error": code, "message": message, "hub_time": hub.now()}, status_code=status)

    @app.middleware("http")
    async def hub_time(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers[HUB_TIME_FIELD] = hub.now()
        return response

    @app.exception_handler(ProtocolError)
    async def on_protocol_error(request: Request, exc: ProtocolError) -> JSONResponse:
        log.info("refused %s: %s", request.url.path, exc.code.value)
        return refusal(HTTP_STATUS[exc.code], exc.code.value, exc.message)

    @app.exception_handler(HubError)
    async def on_hub_error(request: Request, exc: HubError) -> JSONResponse:
        return refusal(404 if exc.code.startswith("unknown") else 400, exc.code, exc.message)

    @app.exception_handler(HubDatabaseError)
    async def on_database_error(request: Request, exc: HubDatabaseError) -> JSONResponse:
        log.error("hub database: %s", exc)
        return refusal(503, "database_unavailable", f"máy chủ tạm thời không ghi được dữ liệu: {exc}")

    async def body_of(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
            raise ProtocolError(RefusalCode.TOO_LARGE)
        body = await request.body()
        if len(body) > MAX_REQUEST_BYTES:
            raise ProtocolError(RefusalCode.TOO_LARGE)
        return body

    async def json_of(request: Request) -> Any:
        import json

        try:
            return json.loads(await body_of(request))
        except ValueError:
            raise ProtocolError(RefusalCode.MALFORMED, "nội dung không phải JSON") from None

    @app.post("/v1/enroll")
    async def enroll(request: Request) -> JSONResponse:
        data = await json_of(request)
        if not isinstance(data, dict) or not all(isinstance(data.get(k), str) and data.get(k)
                                                 for k in ("code", "desk_uuid", "public_key")):
            raise ProtocolError(RefusalCode.MALFORMED, "cần code, desk_uuid và public_key")
        given = data.get("facts")
        facts: dict[str, Any] = given if isinstance(given, dict) else {}
        enrollment = await run_in_threadpool(lambda: hub.enroll(
            code=data["code"], desk_uuid=data["desk_uuid"], public_key=data["public_key"], facts=facts))
        return JSONResponse(enrollment.to_dict())

    @app.post("/v1/push")
    async def push(request: Request) -> JSONResponse:
        envelope = Envelope.from_http(request.headers, await body_of(request))
        result = await run_in_threadpool(hub.push, envelope)
        return JSONResponse(result.to_dict())

    @app.post("/v1/pull")
    async def pull(request: Request) -> Response:
        envelope = await run_in_threadpool(hub.pull, await json_of(request))
        return Response(envelope.body, headers=envelope.http_headers(), media_type="application/gzip")

    @app.get("/v1/stats")
    def stats() -> JSONResponse:
        return JSONResponse(hub.stats())

    @app.get("/", response_class=HTMLResponse)
    def home() -> HTMLResponse:
        return HTMLResponse(dashboard.render(hub.stats(), month_ranking(hub.db, hub.clock())))

    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory`` with several worker processes: the URL comes from DESK_HUB_DB."""
    return create_app(os.environ[ENV_DB])
