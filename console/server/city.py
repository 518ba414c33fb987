"""The city's routes on a hall server: what the city's process reads, and nothing personal.

The city's process (``qconsole city serve``) follows every hall of a city with a station
token of the ``city`` role (``qconsole stations add city --city``). That token may read
these routes and nothing else (``app.Gate`` answers 403 to it anywhere else, before the
body is read); no other station may read them. They only read:

* ``GET /api/v1/city/snapshot`` — the hall now (:mod:`console.engine.city_figures`);
* ``GET /api/v1/city/catalogue`` — the services and matters, by code and name;
* ``GET /api/v1/city/days?day=D`` (or ``from``/``to``) — ended days' totals per service
  (:mod:`console.reports.city_days`);
* ``GET /api/v1/city/stream`` — the change feed as city-safe notices (an event's id, time,
  kind and counter number: never its ticket, actor or changes), which resumes from
  ``Last-Event-ID`` as a station's stream does, so a city link down for an hour replays
  what it missed (or is told ``resync`` and reads the snapshot afresh).

Nothing here names a person, a ticket or a note; ``tests/server/test_city_hall.py`` reads
every route after a day with names, notes and green-channel reasons and finds none.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from console.domain.errors import AuthError
from console.engine import city_figures
from console.reports.city_days import ended_days
from console.reports.dates import day_range
from console.server import routes
from console.server.auth import Principal

CITY_API = "/api/v1/city/"
SNAPSHOT_FRESH_S = 0.5
"""A snapshot (its estimates cost ~0.1 s in a one-stop hall) is made at most this often."""
NOTICE_FIELDS = ("id", "at", "kind", "counter_number")
"""What the city's stream tells of an event."""


def city_may(path: str) -> bool:
    """Whether a city token may use this path: the city's own routes only."""
    return path.startswith(CITY_API)


router = APIRouter(prefix="/api/v1/city", tags=["city"], responses=routes.ERRORS,
                   redirect_slashes=False)  # fmt: skip


# -- what the city reads ---------------------------------------------------------------------
class CitySession(BaseModel):
    name: str
    opens: str = Field(description="HH:MM")
    closes: str = Field(description="HH:MM")
    night: bool = Field(description="A night session (opens at 17:00 or later)")


class CityService(BaseModel):
    code: str
    name_zh: str
    name_en: str
    waiting: int
    green_waiting: int
    longest_wait_s: float = Field(description="The oldest waiting ticket's wait, as of `now`")
    target_wait_min: int
    estimated_wait_min: int | None = Field(
        description="What a ticket issued now would be told; null while the hall is closed or "
        "no counter that serves it is open"
    )
    counters_open: int = Field(description="Counters serving it that are open or paused")
    issued: int = Field(description="Today's tickets")
    served: int = Field(description="Today's tickets done")
    called: int = Field(description="Today's tickets called")
    within_target: int = Field(description="Of them called within the target wait")
    rated: int
    rating_avg: float | None = Field(description="1 to 5")


class CityMatter(BaseModel):
    code: str
    service: str = Field(description="The service whose queue it is called in")
    department: str
    waiting: int
    longest_wait_s: float
    target_wait_min: int
    issued: int
    estimated_wait_min: int | None


class CityAlert(BaseModel):
    kind: str = Field(description="wait | idle | paused | recalled | low_position | printer")
    since: float = Field(description="When it became an alert (Unix seconds)")
    minutes: int
    counter: int | None = None
    service: str | None = None
    count: int = Field(0, description="Tickets waiting (wait, idle) or recalls (recalled)")


class CitySnapshot(BaseModel):
    hall: str
    now: float = Field(description="The hall's clock (Unix seconds)")
    day: str = Field(description="The hall's service day (YYYY-MM-DD)")
    as_of_event: int = Field(description="The newest event these figures reflect")
    catalogue_event: int = Field(description="Moves when the services or matters change: "
                                 "read /catalogue again")  # fmt: skip
    state: str = Field(description="open | night | closed")
    session: str | None = Field(description="The session open now")
    next_opens: str | None = Field(description="'YYYY-MM-DD HH:MM name' while closed")
    closed_for: list[str] | None = Field(description="[zh, en] name of a closed day")
    sessions_today: list[CitySession]
    counters_open: int
    services: list[CityService]
    matters: list[CityMatter] = Field(description="Matters issued today (a one-stop hall)")
    alerts: list[CityAlert] = Field(description="The floor's alerts, newest first")


class CityServiceName(BaseModel):
    code: str
    name_zh: str
    name_en: str
    target_wait_min: int


class CityMatterName(BaseModel):
    code: str
    name_zh: str
    name_en: str
    service: str
    department: str
    target_wait_min: int


class CityCatalogue(BaseModel):
    services: list[CityServiceName]
    matters: list[CityMatterName]


class CityServiceDay(BaseModel):
    figures: dict[str, Any] = Field(
        description="The report's counts of the service's tickets that day (issued, served, "
        "called, within_target, no_show, …) and its histograms of whole seconds (waits, "
        "handling, …: {seconds: tickets}) and ratings ([ones, …, fives]): added across days "
        "and halls, they give the report's figures exactly"
    )
    night_issued: int = Field(description="Of its tickets, issued in a night session")


class CityDay(BaseModel):
    day: str
    kept: bool = Field(description="Read from the totals kept at the day change")
    services: dict[str, CityServiceDay] = Field(description="By service code")


class CityDays(BaseModel):
    hall: str
    first: str = Field(alias="from")
    last: str = Field(alias="to")
    days: list[CityDay]

    model_config = {"populate_by_name": True}


# -- who may ask -------------------------------------------------------------------------------
def city_station(who: routes.Who) -> Principal:
    """The city asking; any other station is refused."""
    if who.station.role != "city":
        raise AuthError(reason="station.not_city", station=who.station.name)
    return who


City = Annotated[Principal, Depends(city_station)]


class KeptSnapshot:
    """The latest snapshot, answered again for :data:`SNAPSHOT_FRESH_S`: a busy hall's
    notices (or several cities, or one city's burst after an outage) cost at most one
    snapshot every half second of the hall server's readers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: tuple[float, dict[str, Any]] | None = None

    def read(self, reader: Any) -> dict[str, Any]:
        with self._lock:
            kept = self._kept
        if kept is not None and time.monotonic() - kept[0] < SNAPSHOT_FRESH_S:
            return kept[1]
        data = city_figures.snapshot(reader)
        with self._lock:
            self._kept = (time.monotonic(), data)
        return data


def _kept(request: Request) -> KeptSnapshot:
    state = request.app.state
    if getattr(state, "city_snapshot", None) is None:
        state.city_snapshot = KeptSnapshot()
    return state.city_snapshot


@router.get("/snapshot", operation_id="city_snapshot", summary="The hall now, for the city",
            description="The hall's state (open, night session, closed) and sessions today; per "
            "service and matter: waiting, longest wait, target, the estimate for a new ticket, "
            "open counters and today's totals; the floor's alerts. Nothing personal; at most "
            "0.5 s old (`as_of_event`: the event it reflects). City tokens only.")  # fmt: skip
async def snapshot(request: Request, who: City) -> CitySnapshot:
    return CitySnapshot(**await routes.hall_of(request).aquery(_kept(request).read))


@router.get("/catalogue", operation_id="city_catalogue", summary="Services and matters",
            description="The active services and matters a citizen may come for, by code, with "
            "their names. City tokens only.")  # fmt: skip
async def catalogue(request: Request, who: City) -> CityCatalogue:
    data = await routes.hall_of(request).aquery(lambda r: city_figures.catalogue(r.engine.conn))
    return CityCatalogue(**data)


DayQ = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$",
                                   description="One ended day (YYYY-MM-DD)")]  # fmt: skip


@router.get("/days", operation_id="city_days", summary="Ended days' totals per service",
            description="For one ended day (`day`) or a range (`from`, `to`, at most 92 days): "
            "each service's figures and night-session tickets, from the totals the hall kept "
            "at the day change. A day not yet ended is refused (422). City tokens only.",
            response_model_by_alias=True)  # fmt: skip
async def days(request: Request, who: City, day: DayQ = None,
               first: Annotated[DayQ, Query(alias="from")] = None,
               last: Annotated[DayQ, Query(alias="to")] = None) -> CityDays:  # fmt: skip
    def read(reader: Any) -> dict[str, Any]:
        today = reader.engine.clock.day()
        wanted = day_range(day, first, last, today=date.fromisoformat(today), default=None)
        return {"hall": str(reader.engine.settings()["hall_name"]),
                **ended_days(reader.engine.conn, wanted, today)}  # fmt: skip

    return CityDays(**await routes.hall_of(request).aquery(read))


def notices(chunks: AsyncIterator[str]) -> AsyncIterator[str]:
    """The station stream's text with each change cut down to a city-safe notice (the hello,
    resync, ping and bye lines carry only event ids and pass as they are)."""

    async def cut() -> AsyncIterator[str]:
        try:
            async for chunk in chunks:
                if chunk.startswith("id: "):
                    head, _, data = chunk.partition("\ndata: ")
                    event = json.loads(data)
                    notice = {f: event.get(f) for f in NOTICE_FIELDS}
                    chunk = f"{head}\ndata: {json.dumps(notice, ensure_ascii=False)}\n\n"
                yield chunk
        finally:
            await chunks.aclose()  # type: ignore[attr-defined]

    return cut()


SSE = {200: {"content": {"text/event-stream": {"schema": {"type": "string"}}},
             "description": "Server-Sent Events: `hello`, `change` (id = event id; data: id, "
                            "at, kind, counter_number), `resync`, `bye`; a `: ping` comment "
                            "every few seconds."}}  # fmt: skip


@router.get("/stream", operation_id="city_stream", summary="The hall's change notices",
            description="Every event of the hall as a notice (its id, time, kind and counter "
            "number), resuming after `Last-Event-ID` (or `after`); `resync` when the gap is "
            "too large: read the snapshot afresh. City tokens only.",
            response_class=StreamingResponse, responses=SSE)  # fmt: skip
async def stream(request: Request, who: City,
                 after: Annotated[int | None, Query(ge=0, le=2**62)] = None,
                 last_event_id: Annotated[str | None, Header(
                     alias="Last-Event-ID", pattern=r"^[0-9]{1,18}$")] = None,
                 ) -> StreamingResponse:  # fmt: skip
    cursor = int(last_event_id) if last_event_id else after
    hub = routes.hall_of(request).hub
    return StreamingResponse(
        routes.while_valid(request, notices(hub.stream(cursor))),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
