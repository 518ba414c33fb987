"""The city process's application: the follower of every hall, and the city's read API.

``create_city_app(config, db)`` is what ``qconsole city serve`` runs on uvicorn (the API
below and the public "where to go now" page, :mod:`console.city.where_page`). Its
lifespan opens (or makes) the city's database, records the halls of city.toml and starts
one link per hall (:mod:`console.city.follow`); the routes read the database on their own
connections. Everything here only reads and holds nothing personal (the halls never send
any), so the API needs no token: who may reach it is decided by the address it listens
on. A phone's place, given to ``/where``, is used for that answer and kept nowhere (no
access log, no cookie).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from console.city import report, views, where_page
from console.city.config import CityConfig
from console.city.follow import Follower
from console.city.store import list_halls, open_city
from console.domain.errors import BadInput, NotFound, QConsoleError
from console.engine.clock import Clock
from console.reports.dates import day_range
from console.server.refusals import model_refusal, refusal_body

API = "/city/api/v1"


class Health(BaseModel):
    status: str
    halls: int
    reachable: int


class HallNow(BaseModel):
    """A hall as the city last read it (``figures`` fields are null until first read)."""

    key: str
    name: str
    district: str
    address: str
    lat: float | None
    lon: float | None
    reachable: bool
    problem: str | None = Field(description="Why the link is down")
    link_since: float | None = Field(description="When the link last went up or down")
    seen_at: float | None = Field(description="When these figures were read (city clock)")
    state: str | None = Field(description="open | night | closed; null: never read")
    hall_name: str | None = None
    day: str | None = None
    session: str | None = None
    next_opens: str | None = None
    closed_for: list[str] | None = None
    sessions_today: list[dict[str, Any]] = []
    night_today: bool = False
    counters_open: int = 0
    waiting: int = 0
    longest_wait_s: float = 0.0
    over_target_s: float = Field(
        0, description="The most any service's longest wait is over its target"
    )
    over_target: list[str] = Field([], description="Services whose longest wait is over target")
    issued: int = 0
    served: int = 0
    alerts: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    matters: list[dict[str, Any]] = []


class WhereHall(BaseModel):
    hall: str
    name: str
    district: str
    address: str
    lat: float | None
    lon: float | None
    distance_km: float | None
    reachable: bool
    seen_at: float | None
    state: str
    open_now: bool
    opens_later_today: bool
    session: str | None
    next_opens: str | None
    sessions_today: list[dict[str, Any]]
    night_today: bool
    service: str = Field(description="The queue the citizen joins")
    waiting: int
    longest_wait_s: float
    estimated_wait_min: int | None
    target_wait_min: int
    counters_open: int


class Where(BaseModel):
    kind: str = Field(description="service | matter")
    code: str | None
    name_zh: str | None = None
    name_en: str | None = None
    known: bool = Field(description="Some hall offers it")
    now: float
    halls: list[WhereHall]


class Offered(BaseModel):
    code: str
    name_zh: str
    name_en: str
    target_wait_min: int
    service: str | None = None
    department: str | None = None
    halls: list[str]


class Catalogue(BaseModel):
    services: list[Offered]
    matters: list[Offered]


class Readers:
    """One read connection per thread (the routes run in FastAPI's thread pool)."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = open_city(self.path)
            with self._lock:
                self._opened.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._opened:
                conn.close()


class WhereFigures:
    """What the public "where to go now" page reads (``console.city.where_page``): the
    halls offering a service or matter, from the city's database."""

    def __init__(self, readers: Readers, clock: Clock):
        self.readers = readers
        self.clock = clock
        self.tz = clock.tz

    def catalogue(self) -> dict[str, list[dict[str, Any]]]:
        return views.catalogue(self.readers.conn())

    def where(self, service: str | None, matter: str | None) -> dict[str, Any] | None:
        now = self.clock.now()
        found = views.where(self.readers.conn(), now, service=service, matter=matter)
        if not found["known"]:
            return None
        kind = found["kind"]
        named = {k: found[k] for k in ("code", "name_zh", "name_en")}
        if kind == "matter":
            named["service"] = found["halls"][0]["service"] if found["halls"] else None
        halls = [
            {
                "id": h["hall"],
                "name": h["name"],
                "district": h["district"],
                "address": h["address"],
                "lat": h["lat"],
                "lon": h["lon"],
                "state": h["state"],
                "next_opens": h["next_opens"],
                "sessions_today": h["sessions_today"],
                "waiting": h["waiting"],
                "estimated_wait_min": h["estimated_wait_min"],
                "counters_open": h["counters_open"],
                "seen_at": h["seen_at"],
                "stale": not h["reachable"],
            }
            for h in found["halls"]
        ]
        return {"now": now, kind: named, "halls": halls}


class ErrorBody(BaseModel):
    error: str = Field(description="bad_input | not_found")
    message: str
    reason: str | None = None
    params: dict[str, Any] | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such hall in city.toml"},
    422: {"model": ErrorBody, "description": "Bad input"},
}
router = APIRouter(prefix=API, tags=["city"], responses=ERRORS)


def _conn(request: Request) -> sqlite3.Connection:
    return request.app.state.readers.conn()


def _now(request: Request) -> float:
    return request.app.state.clock.now()


@router.get("/halls", operation_id="city_halls", summary="Every hall now")
def list_halls_now(request: Request) -> list[HallNow]:
    """Every hall of city.toml with its latest figures: state, sessions, waiting, longest wait
    and how far over target, open counters, alerts, each service and matter; a hall cut off
    keeps its last figures, ``reachable`` false, with ``seen_at``."""
    return [HallNow(**h) for h in views.halls(_conn(request), _now(request))]


@router.get("/halls/{key}", operation_id="city_hall", summary="One hall now")
def one_hall(request: Request, key: Annotated[str, PathParam(max_length=40)]) -> HallNow:
    found = views.hall(_conn(request), key, _now(request))
    if found is None:
        raise NotFound(reason="city.no_such_hall", key=repr(key))
    return HallNow(**found)


@router.get("/catalogue", operation_id="city_catalogue", summary="What the halls offer")
def offered(request: Request) -> Catalogue:
    """Every service and matter some hall offers, with its names and the halls' keys."""
    return Catalogue(**views.catalogue(_conn(request)))


@router.get("/where", operation_id="city_where", summary="Where to go now")
def where(
    request: Request,
    service: Annotated[str | None, Query(max_length=16)] = None,
    matter: Annotated[str | None, Query(max_length=40)] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
) -> Where:
    """The halls that offer a service or a matter: open now first (a night session
    included), then those opening later today, then the rest; nearest first when ``lat``
    and ``lon`` are given (used for this answer only), else the shortest estimated wait."""
    if bool(service) == bool(matter):
        raise BadInput(reason="city.service_or_matter")
    if (lat is None) != (lon is None):
        raise BadInput(reason="city.lat_lon_together")
    return Where(
        **views.where(
            _conn(request), _now(request), service=service, matter=matter, lat=lat, lon=lon
        )
    )


DayQ = Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2}|today|yesterday)$")]


@router.get("/report", operation_id="city_report", summary="The report across halls")
def city_report(
    request: Request,
    day: DayQ = None,
    first: Annotated[DayQ, Query(alias="from")] = None,
    last: Annotated[DayQ, Query(alias="to")] = None,
) -> dict[str, Any]:
    """``qconsole city report --format json`` for a day (default yesterday) or a range:
    per hall and service issued, served, mean and p90 wait, within target, ratings and the
    night-session share, with totals, the comparison and the halls' days ``missing``."""
    from datetime import date

    today = date.fromisoformat(request.app.state.clock.day())
    days = day_range(day, first, last, today=today, default="yesterday")
    return report.compute(_conn(request), days)


def create_city_app(config: CityConfig, db: str | Path, *, clock: Clock | None = None) -> Any:
    """The city process over ``config``'s halls, keeping its figures in ``db``: its read API
    and the public page (``/where``, behind the page's rate limit and security headers)."""
    path = Path(db)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        writer = open_city(path, create=True)
        list_halls(writer, config)
        follower = Follower(config, writer, app.state.clock)
        follower.start()
        try:
            yield
        finally:
            await follower.stop()
            app.state.readers.close()
            writer.close()

    app = FastAPI(
        title="qconsole city",
        version="1",
        description="A city's halls as one: every hall's figures as the city last read "
        "them, where to go now, and the report across halls. Read-only; nothing personal.",
        lifespan=lifespan,
        openapi_url="/city/openapi.json",
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
    )
    app.state.config = config
    app.state.clock = clock or Clock()
    app.state.readers = Readers(path)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        refusal = model_refusal(exc.errors())
        return JSONResponse(refusal_body(refusal, request.headers.get("accept-language")),
                            status_code=422)  # fmt: skip

    @app.exception_handler(QConsoleError)
    async def product_error(request: Request, exc: QConsoleError) -> JSONResponse:
        return JSONResponse(refusal_body(exc, request.headers.get("accept-language")),
                            status_code=exc.http_status)  # fmt: skip

    @app.get("/health", operation_id="city_health", summary="Is the city process up")
    def health(request: Request) -> Health:
        rows = views.halls(_conn(request), _now(request))
        return Health(
            status="ok", halls=len(rows), reachable=sum(1 for h in rows if h["reachable"])
        )

    app.state.where = WhereFigures(app.state.readers, app.state.clock)
    app.include_router(router)
    app.include_router(where_page.router)
    return where_page.PageGate(app)
