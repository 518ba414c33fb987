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
import re
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from console.domain.errors import AuthError, BadInput, QConsoleError
from console.engine import Clock
from console.server import city, kiosk, public, public_audio, routes
from console.server.auth import Unauthenticated
from console.server.direct import add_direct_routes
from console.server.fencing import Fence
from console.server.hall import ServerHall
from console.server.limits import PUBLIC_STREAMS
from console.server.operations import body_limit
from console.server.public import SECURITY_HEADERS
from console.server.public_feed import PublicFeed
from console.server.refusals import model_refusal, refusal_body
from console.server.schemas import Health
from console.store.connection import sqlite_failure

if TYPE_CHECKING:
    from console.server.replication import ReplicaWatch

VERSION = "1"
access_log = logging.getLogger("qconsole.access")
HTTP_REASONS: dict[int, tuple[str, tuple[str, ...]]] = {
    404: ("request.no_route", ("path",)),
    405: ("request.wrong_method", ("path", "method")),
    422: ("request.body", ()),
}
"""The web framework's own refusals (no such address, a method the address does not take,
a body it cannot read) as reason codes, with the parameters each names."""
PUBLIC_CODE = re.compile(r"^/([tf])/[^/]+")
"""A public page's code is a key to that ticket's page: the access log leaves it out."""


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
                path = scope["path"]
                line = json.dumps({
                    "at": round(time.time(), 3),
                    "client": client[0],
                    "method": scope["method"],
                    "path": PUBLIC_CODE.sub(r"/\1/…", path) if path[2:3] == "/" else path,
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                    "who": state.get("who"),
                    "key": state.get("key"),
                }, ensure_ascii=False)  # fmt: skip
                # handed to the handlers as is: info() would first walk the stack for the
                # caller's file and line, which the line does not show
                access_log.handle(access_log.makeRecord(access_log.name, logging.INFO, "", 0,
                                                        line, None, None))  # fmt: skip


async def _answer(send: Any, status: int, error: QConsoleError, headers: dict) -> None:
    """Refuse from the gate with the error's code, reason and parameters, as a route would."""
    lang = headers.get(b"accept-language", b"").decode("latin-1")
    body = json.dumps(refusal_body(error, lang), ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


class Gate:
    """Pure ASGI middleware in front of every API route: the station token is checked before
    a byte of the body is read (a kiosk's token only opens the kiosk's routes, a city's
    token only the city's: 403 elsewhere), and the body is read here, up to the route's cap
    (413 beyond it), so no route ever parses more. A body that does not arrive in time is
    answered 408 by the connection's deadline (:mod:`console.server.protocol`)."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path.startswith("/api/") or path == "/openapi.json"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        try:
            station = scope["app"].state.hall.auth.station(
                token if scheme.lower() == "bearer" else None
            )
        except Unauthenticated as exc:
            await _answer(send, 401, exc, headers)
            return
        except sqlite3.DatabaseError as exc:
            await _answer(send, 503, sqlite_failure("hall database", exc), headers)
            return
        if station.role == "kiosk" and not kiosk.kiosk_may(scope["method"], path):
            scope.setdefault("state", {})["who"] = station.name
            refusal = AuthError(reason="station.kiosk_only", station=station.name)
            await _answer(send, 403, refusal, headers)
            return
        if station.role == "city" and not city.city_may(path):
            scope.setdefault("state", {})["who"] = station.name
            refusal = AuthError(reason="station.city_only", station=station.name)
            await _answer(send, 403, refusal, headers)
            return
        limit = body_limit(scope["method"], path)
        too_large = BadInput(reason="request.too_large", limit=limit)
        length = headers.get(b"content-length", b"0")
        if not length.isdigit() or int(length) > limit:
            await _answer(send, 413, too_large, headers)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > limit:
                await _answer(send, 413, too_large, headers)
                return
        replay: dict | None = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        scope.setdefault("state", {})["station"] = station  # the routes' principal starts here

        async def replayed() -> dict:
            nonlocal replay
            if replay is not None:
                message, replay = replay, None
                return message
            return await receive()

        await self.app(scope, replayed, send)


def methods_at(request: Request) -> set[str]:
    """Every method some route of the app answers at the request's path (for a 405's
    ``Allow``): the declared operations and the routes beside them, such as the kiosk's,
    asked the way the router itself matches (HEAD, which Starlette adds to every GET and
    no route documents, is left out)."""
    return {
        method
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.routes
        )
    }


def create_app(
    hall_path: str | Path, *, clock: Clock | None = None, warnings: tuple[str, ...] = (),
    printer_dir: str | Path | None = None, replication: ReplicaWatch | None = None,
    public_streams: int = PUBLIC_STREAMS,
) -> FastAPI:  # fmt: skip
    """The hall server over the database at ``hall_path`` (which must exist and be migrated).

    ``warnings`` are said on ``/health`` (plain HTTP beyond loopback); ``printer_dir`` is
    where file printers the server drives may write (besides printer devices).
    ``replication``, under ``serve --replica``, watches the replica (its lag, the hall's
    generation there: ``console.server.replication``); Litestream then does the WAL
    checkpoints, not the server. ``public_streams`` caps the live streams of the
    citizens' pages."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hall = ServerHall(hall_path, clock=clock, printer_dir=printer_dir,
                          checkpoints=replication is None)  # fmt: skip
        app.state.hall = hall
        hall.hub.start()
        if replication is not None:
            replication.start(lambda: hall.hub.last)
        hall.printing.start()
        settings = await hall.aread("settings")
        app.state.public = PublicFeed(hall, public_streams)
        app.state.public.start(settings)
        app.state.limits = public.Limits(settings["public_rate_per_min"])
        app.state.board_audio = public_audio.BoardAudio()
        try:
            yield
        finally:
            await app.state.public.stop()
            if replication is not None:
                replication.stop()
            hall.close()

    app = FastAPI(
        title="qconsole hall server",
        version=VERSION,
        description="Operations, views and the live change feed of one service hall. "
        "Every request but /health needs a station token (Authorization: Bearer); clerks "
        "log in at /api/v1/login and send X-QConsole-Session; every state change needs an "
        "Idempotency-Key header.",
        lifespan=lifespan,
        redirect_slashes=False,  # a redirect would echo the Host header back
        openapi_url=None,  # served below, behind the station token like everything but /health
        docs_url=None,
        redoc_url=None,
        # no OpenTelemetry in a hall: FastAPI would otherwise ask the global providers
        # whether to trace on every request
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.replication = replication
    app.state.fenced = lambda: replication.fenced if replication is not None else None

    @app.exception_handler(QConsoleError)
    async def product_error(request: Request, exc: QConsoleError) -> JSONResponse:
        cause = exc.__cause__
        if isinstance(cause, sqlite3.DatabaseError) and not isinstance(
            cause, sqlite3.OperationalError
        ):
            request.app.state.database_problem = exc.message
        return JSONResponse(refusal_body(exc, request.headers.get("accept-language")),
                            status_code=exc.http_status)  # fmt: skip

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        refusal = model_refusal(exc.errors())
        return JSONResponse(refusal_body(refusal, request.headers.get("accept-language")),
                            status_code=422)  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = 422 if exc.status_code == 400 else exc.status_code  # a body that is not JSON
        code = {422: "bad_input", 401: "unauthenticated", 404: "not_found"}.get(status, "error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first matching route's methods
            headers["Allow"] = ", ".join(sorted(methods_at(request) or {"GET"}))
        reason, params = HTTP_REASONS.get(status, ("", {}))
        body = {"error": code, "message": str(exc.detail)}
        if reason:
            said = {"path": request.url.path, "method": request.method}
            refusal = QConsoleError(reason=reason, **{k: said[k] for k in params})
            body = {**refusal_body(refusal, request.headers.get("accept-language")), "error": code}
        return JSONResponse(body, status_code=status, headers=headers)

    @app.exception_handler(sqlite3.DatabaseError)
    async def database_error(request: Request, exc: sqlite3.DatabaseError) -> JSONResponse:
        """A damaged or unreadable database file: the station is told, /health says so."""
        error = sqlite_failure(hall_path, exc)
        if not isinstance(exc, sqlite3.OperationalError):
            request.app.state.database_problem = error.message
        return JSONResponse(refusal_body(error, request.headers.get("accept-language")),
                            status_code=503)  # fmt: skip

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        """A fault of ours: the same refusal shape, and the pages' security headers even
        here (this answer is sent outside every middleware)."""
        return JSONResponse(
            {"error": "internal", "message": "internal error"},
            status_code=500,
            headers={k.decode(): v.decode() for k, v in SECURITY_HEADERS},
        )

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> JSONResponse:
        refusal = BadInput(reason="request.number_too_large", max=9223372036854775807)
        return JSONResponse(refusal_body(refusal, request.headers.get("accept-language")),
                            status_code=422)  # fmt: skip

    @app.get("/health", tags=["operations"], operation_id="health", summary="Is the server up",
             response_model=Health,
             description="Liveness for a load balancer, systemd and `qconsole doctor`: answers "
             "without a token; `warnings` name what an admin must fix (plain HTTP on the LAN, "
             "a damaged database, a replica behind); `generation` is the hall's generation "
             "this server serves; a server a standby replaced answers 503, `fenced`.")  # fmt: skip
    def health(request: Request) -> Any:
        problems = list(warnings)
        state = replication.state() if replication is not None else None
        if state is not None and state["problem"]:
            problems.append(state["problem"])
        damaged = getattr(request.app.state, "database_problem", None)
        if damaged:
            problems.append(damaged)
        fenced = replication is not None and replication.fenced is not None
        hall = request.app.state.hall
        health = Health(status="fenced" if fenced else "degraded" if damaged else "ok",
                        last_event_id=hall.hub.last, warnings=problems,
                        generation=hall.generation, replication=state)  # fmt: skip
        if fenced:
            return JSONResponse(health.model_dump(), status_code=503)
        return health

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request, who: routes.Who) -> JSONResponse:
        """The OpenAPI description (needs a station token, as every route but /health)."""
        return JSONResponse(request.app.openapi())

    app.include_router(routes.router)
    app.include_router(kiosk.router)
    app.include_router(city.router)
    add_direct_routes(app)
    app.include_router(public.router)
    app.include_router(public_audio.router)
    app.include_router(kiosk.page_router)
    app.add_middleware(Gate)
    app.add_middleware(Fence)
    app.add_middleware(public.PublicGate)
    app.add_middleware(AccessLog)
    return app
