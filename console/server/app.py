"""The hall server's application factory: the engine inside one process, behind FastAPI.

``create_app(hall_path)`` is what ``qconsole serve`` runs on uvicorn and what
the tests start in a subprocess. Errors of the product become their HTTP
status with ``{error, message}``; a malformed request is a 422 with the same
shape, never a 500. Every request is logged as one JSON line (who, what, how
long) on the ``qconsole.access`` logger.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from console.domain.errors import QConsoleError
from console.engine import Clock
from console.server import routes
from console.server.hall import ServerHall
from console.server.schemas import Health

VERSION = "1"
access_log = logging.getLogger("qconsole.access")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", ""))
    return "bad request: " + "; ".join(parts)


class AccessLog:
    """Pure ASGI middleware (safe for streams): one JSON line per request."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def sending(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                state = scope.get("state") or {}
                client = scope.get("client") or ("", 0)
                access_log.info(json.dumps({
                    "at": round(time.time(), 3),
                    "client": client[0],
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                    "who": state.get("who"),
                    "key": state.get("key"),
                }, ensure_ascii=False))  # fmt: skip


def create_app(hall_path: str | Path, *, clock: Clock | None = None) -> FastAPI:
    """The hall server over the database at ``hall_path`` (which must exist and be migrated)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hall = ServerHall(hall_path, clock=clock)
        app.state.hall = hall
        hall.hub.start()
        hall.printing.start()
        try:
            yield
        finally:
            hall.close()

    app = FastAPI(
        title="qconsole hall server",
        version=VERSION,
        description="Operations, views and the live change feed of one service hall. "
        "Every request but /health needs a station token (Authorization: Bearer); clerks "
        "log in at /api/v1/login and send X-QConsole-Session; every state change needs an "
        "Idempotency-Key header.",
        lifespan=lifespan,
        openapi_url=None,  # served below, behind the station token like everything but /health
        docs_url=None,
        redoc_url=None,
    )

    @app.exception_handler(QConsoleError)
    async def product_error(request: Request, exc: QConsoleError) -> JSONResponse:
        return JSONResponse(exc.to_dict(), status_code=exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "bad_input", "message": _validation_message(exc)},
                            status_code=422)  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {400: "bad_input", 401: "unauthenticated", 404: "not_found"}.get(
            exc.status_code, "error")  # fmt: skip
        return JSONResponse({"error": code, "message": str(exc.detail)},
                            status_code=exc.status_code, headers=exc.headers)  # fmt: skip

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> JSONResponse:
        return JSONResponse({"error": "bad_input", "message": f"number too large: {exc}"},
                            status_code=422)  # fmt: skip

    @app.get(
        "/health",
        tags=["operations"],
        operation_id="health",
        summary="Is the server up",
        description="Liveness for a load balancer or systemd: answers without a token.",
    )
    def health(request: Request) -> Health:
        """Liveness for a load balancer or systemd: answers without a token, says nothing."""
        return Health(status="ok", last_event_id=request.app.state.hall.hub.last)

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request, who: routes.Who) -> JSONResponse:
        """The OpenAPI description (needs a station token, as every route but /health)."""
        return JSONResponse(request.app.openapi())

    app.include_router(routes.router)
    app.add_middleware(AccessLog)
    return app
