"""Following every hall of the city: one task per hall on one event loop.

Each hall's link reads the hall's snapshot, its catalogue (again whenever the snapshot's
``catalogue_event`` moves) and the ended days the city does not hold yet, then listens to
the hall's stream of change notices from the snapshot's event on (``Last-Event-ID``). A
notice marks the hall's figures stale; the link reads the snapshot again at once, or
:data:`COALESCE_S` after the last read, so a burst of calls costs a few reads, and
at least every :data:`REFRESH_S` (waits grow with no event at all). A new day in the
snapshot fetches the day that ended, and the last ended day is read again every hour (read
in the minute after midnight, it may still have held tickets the hall had not closed).

When the hall cannot be reached, the link says so in the city's database (the hall's last
figures stay, with the time they were read) and tries again after 1, 2, 4 … up to
:data:`RETRY_MAX_S` seconds. Back, it reads the snapshot and the ended days afresh and
resumes the stream where it stopped: every figure is the hall's own, replacing the last,
so an outage of an hour catches up with nothing counted twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
import time
from datetime import date, timedelta
from typing import Any

import httpx

from console.city.config import CityConfig, HallEntry
from console.city.store import CityWriter, hall_state, last_ended_day
from console.engine.clock import Clock
from console.servers import hall_tls

log = logging.getLogger("qconsole.city")

COALESCE_S = 0.2
"""Notices within this long of a read are answered by one more read."""
REFRESH_S = 30.0
"""A hall's figures are read at least this often (longest waits grow without events)."""
RETRY_MAX_S = 10.0
READ_TIMEOUT_S = 15.0
"""A stream silent this long (its pings come every 5 s) is a dead link."""
REREAD_DAYS_S = 3600.0
"""How often the last ended day is read again (besides at each new day)."""
BACKFILL_DAYS = 31
"""On first contact, how many ended days the city asks a hall for."""
DAYS_PER_REQUEST = 92


class HallDown(Exception):
    """The hall did not answer as a hall server answers the city."""


class HallLink:
    """The city's link to one hall."""

    def __init__(self, hall: HallEntry, writer: CityWriter, clock: Clock):
        self.hall = hall
        self.writer = writer
        self.clock = clock
        self.stale = asyncio.Event()
        self.day: str | None = None
        self.catalogue_event: int | None = None
        self.last_event = 0
        self.up = False
        self.days_read = 0.0

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.hall.url,
            headers={"Authorization": f"Bearer {self.hall.token}"},
            verify=hall_tls(self.hall.ca),
            timeout=httpx.Timeout(10.0, read=READ_TIMEOUT_S),
        )

    async def run(self) -> None:
        state = hall_state(self.writer.conn, self.hall.key)
        self.last_event = int(state["last_event"]) if state else 0
        self.catalogue_event = state["catalogue_event"] if state else None
        retry = 1.0
        while True:
            try:
                async with self.client() as http:
                    await self.read_snapshot(http)
                    self.up = True
                    retry = 1.0
                    async with asyncio.TaskGroup() as tasks:
                        tasks.create_task(self.listen(http))
                        tasks.create_task(self.refresh(http))
            except* Exception as group:  # whatever the link met, it is down until read again
                problem = _said(group.exceptions[0])
                if self.up or retry == 1.0:
                    log.warning("hall %s unreachable: %s", self.hall.key, problem)
                self.up = False
                self.writer.unreachable(self.hall.key, problem, self.clock.now())
            await asyncio.sleep(retry)
            retry = min(retry * 2, RETRY_MAX_S)

    async def _get(self, http: httpx.AsyncClient, path: str, **params: Any) -> Any:
        r = await http.get(path, params=params or None)
        if r.status_code != 200:
            raise HallDown(f"{path}: HTTP {r.status_code} {_message(r)}")
        return r.json()

    async def read_snapshot(self, http: httpx.AsyncClient) -> None:
        """The hall now; its catalogue if it changed; on a new day, the ended days not held."""
        snap = await self._get(http, "/api/v1/city/snapshot")
        if snap["catalogue_event"] != self.catalogue_event:
            catalogue = await self._get(http, "/api/v1/city/catalogue")
            self.writer.catalogue(self.hall.key, catalogue, snap["catalogue_event"])
            self.catalogue_event = snap["catalogue_event"]
        self.writer.snapshot(self.hall.key, snap, self.clock.now())
        if self.last_event > int(snap["as_of_event"]):
            self.stale.set()  # the hall answered its snapshot of a second ago: read again
        self.last_event = max(self.last_event, int(snap["as_of_event"]))
        moment = time.monotonic()
        if snap["day"] != self.day or moment - self.days_read > REREAD_DAYS_S:
            await self.read_ended_days(http, snap["day"])
            self.day, self.days_read = snap["day"], moment

    async def read_ended_days(self, http: httpx.AsyncClient, today: str) -> None:
        """The ended days after the last one held, and that one again (it may have been
        read in the minute after midnight, before the hall closed its open tickets)."""
        held = last_ended_day(self.writer.conn, self.hall.key)
        yesterday = date.fromisoformat(today) - timedelta(days=1)
        first = date.fromisoformat(held) if held else yesterday - timedelta(days=BACKFILL_DAYS - 1)
        while first <= yesterday:
            last = min(yesterday, first + timedelta(days=DAYS_PER_REQUEST - 1))
            got = await self._get(
                http, "/api/v1/city/days", **{"from": first.isoformat(), "to": last.isoformat()}
            )
            self.writer.ended_days(self.hall.key, got["days"], self.clock.now())
            first = last + timedelta(days=1)

    async def listen(self, http: httpx.AsyncClient) -> None:
        """The hall's notices from the last event seen: each marks the figures stale."""
        headers = {"Last-Event-ID": str(self.last_event)}
        async with http.stream("GET", "/api/v1/city/stream", headers=headers) as r:
            if r.status_code != 200:
                raise HallDown(f"stream: HTTP {r.status_code}")
            name = ""
            async for line in r.aiter_lines():
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name in ("change", "resync"):
                    data = json.loads(line[6:])
                    if name == "change":
                        self.last_event = max(self.last_event, int(data["id"]))
                    else:  # too far behind, or ahead of a hall restored from a backup
                        self.last_event = int(data["last_event_id"])
                    self.stale.set()
                elif line.startswith("data: ") and name == "bye":
                    break
        raise HallDown("the hall server closed the stream")

    async def refresh(self, http: httpx.AsyncClient) -> None:
        """Read the snapshot when a notice came (after a short pause), or every REFRESH_S."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stale.wait(), REFRESH_S)
            self.stale.clear()
            await self.read_snapshot(http)
            await asyncio.sleep(COALESCE_S)


def _message(r: httpx.Response) -> str:
    try:
        return str(r.json().get("message", ""))
    except ValueError:
        return ""


def _said(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


class Follower:
    """Every hall's link, on the running event loop."""

    def __init__(self, config: CityConfig, conn: sqlite3.Connection, clock: Clock | None = None):
        self.writer = CityWriter(conn)
        clock = clock or Clock()
        self.links = [HallLink(h, self.writer, clock) for h in config.halls]
        self._tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(link.run(), name=f"city:{link.hall.key}") for link in self.links
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
