"""One simulated day: the real engine, on an in-memory hall, driven by a fixed clock.

Every ticket is issued, called, served and finished through the engine's own
operations (``issue``, ``call_next``, ``serve``, ``finish``, ``pause_counter``…), so
the calling policy, the estimate and the write path are the ones the hall runs.
The clock jumps from one event to the next: a day takes seconds, not hours.

Counters behave as clerks do: a free counter calls as soon as a ticket it may take
is waiting; a pause or the end of a shift waits for the ticket at the desk; at the
hall's closing time issuing stops and the counters still open serve whoever waits,
until midnight, where the simulated day ends (the engine would expire the day's queue):
whoever still waits then was not called, and a ticket still at a desk is not finished.

Runs are paired by common random numbers: each service draws its arrivals, and each
ticket its green and low-position flags, its matter (in a one-stop queue) and its
handling time, from the service's own stream; each counter draws its pauses from its
own. Two runs with the same seed differ only where the hall differs — a counter added for
ID leaves every VEH citizen's arrival and handling time as they were — so a what-if
shows the change, not the noise.
"""

from __future__ import annotations

import heapq
import itertools
import random
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from console.domain import Actor
from console.engine import Engine, FixedClock
from console.simulate.model import Day
from console.store import connect
from console.store.migrations import migrate

MIDNIGHT = datetime(2026, 1, 5, tzinfo=UTC).timestamp()
"""The simulated day's midnight (a Monday; the in-memory hall keeps UTC)."""
LAST_ISSUE = 23 + 59 / 60
"""The simulated hall's session ends at 23:59: a day simulates no later arrival."""
DAY_END = 24 * 3600
"""Seconds after midnight where the simulated day ends."""
ADMIN = Actor(staff_no="simulation", role="admin", station="simulation")

Observer = Callable[[Engine, sqlite3.Row, float], float]
"""Called right after each issue with the new ticket's row and the time; its value
(e.g. an estimate, in seconds) is kept with the ticket. The benchmarks use it."""


@dataclass
class TicketRecord:
    service: str
    green: bool
    low: bool
    issued: float
    """Seconds after midnight, as are the other times."""
    called: float | None = None
    finished: float | None = None
    counter: int | None = None
    observed: tuple[float, ...] = ()
    matter: str | None = None

    @property
    def wait(self) -> float | None:
        return None if self.called is None else self.called - self.issued


@dataclass
class DayRun:
    """What happened in one simulated day."""

    tickets: list[TicketRecord]
    busy: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    """Per counter, the (start, end) of each ticket served."""
    staffed: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    """Per counter, the (start, end) of each stretch it was open or paused."""


def _prefix(index: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[index % 26] * (1 + index // 26)


def build_engine(day: Day) -> Engine:
    """An empty in-memory hall with ``day``'s services, counters and settings."""
    conn = connect(":memory:")
    migrate(conn, "simulation")
    engine = Engine(conn, FixedClock(MIDNIGHT, UTC), "simulation")
    engine.add_session(ADMIN, name="simulated day", opens="00:00", closes="23:59")
    for index, s in enumerate(day.services):
        engine.add_service(
            ADMIN,
            code=s.code,
            name_zh=s.name or s.code,
            name_en=s.name or s.code,
            prefix=s.prefix or _prefix(index),
            target_wait_min=s.target_wait_min,
            handling_min=max(0.1, s.mean_s / 60),
        )
        for m in s.matters:
            engine.add_matter(
                ADMIN,
                code=m.code,
                name_zh=m.code,
                department="SIM",
                service=s.code,
                handling_min=max(0.1, m.handling.mean_s / 60),
            )
    for c in day.counters:
        engine.add_counter(
            ADMIN,
            number=c.number,
            services=list(c.services),
            low_position=c.low_position,
            green_channel=c.green_channel,
        )
    for name, value in day.settings.items():
        engine.set_setting(ADMIN, name, value)
    return engine


@dataclass(frozen=True)
class _Arrival:
    """A citizen on the way: drawn in advance from the service's own stream."""

    service: str
    green: bool
    low: bool
    handling_s: float
    matter: str | None = None


@dataclass
class _Desk:
    number: int
    codes: set[str]
    low: bool
    state: str = "closed"  # closed | idle | busy | paused
    pending: str | None = None  # pause | close, once the ticket at the desk is finished
    ticket: int | None = None
    since: float = 0.0
    staffed_since: float = 0.0
    break_s: float = 0.0


def simulate_day(day: Day, seed: int, observers: Sequence[Observer] = ()) -> DayRun:
    """Run ``day`` once with random stream ``seed``."""
    engine = build_engine(day)
    clock = engine.clock
    assert isinstance(clock, FixedClock)
    choose = random.Random(f"{seed}:choose")
    low_served = {s.code for s in day.services} & {
        code for c in day.counters if c.low_position for code in c.codes
    }
    heap: list[tuple[float, int, str, object]] = []
    order = itertools.count()

    def at(t: float, kind: str, what: object) -> None:
        heapq.heappush(heap, (t, next(order), kind, what))

    for s in day.services:
        stream = random.Random(f"{seed}:service:{s.code}")
        for hour, rate in enumerate(s.arrivals_per_hour):
            lo, hi = max(hour, day.opens) * 3600, min(hour + 1, day.closes, LAST_ISSUE) * 3600
            t = lo
            while rate > 0 and t < hi:
                t += stream.expovariate(rate / 3600)
                if t < hi:
                    green = stream.random() < day.green_share
                    low = stream.random() < day.low_share and s.code in low_served
                    matter = (
                        stream.choices(s.matters, weights=[m.share for m in s.matters])[0]
                        if s.matters
                        else None
                    )
                    handling = matter.handling if matter else s.handling
                    arrival = _Arrival(
                        s.code, green, low, handling.draw(stream), matter and matter.code
                    )
                    at(t, "arrive", arrival)
    desks = {c.number: _Desk(c.number, c.codes, c.low_position) for c in day.counters}
    for c in day.counters:
        breaks = random.Random(f"{seed}:counter:{c.number}")
        for start, end in c.hours:
            at(start * 3600, "open", c.number)
            if end < day.closes:
                at(end * 3600, "close", c.number)
            if day.pause_share > 0:
                gap = day.pause_mean_min * 60 * (1 - day.pause_share) / day.pause_share
                t = start * 3600
                while True:
                    t += breaks.expovariate(1 / gap)
                    if t >= min(end, day.closes) * 3600:
                        break
                    at(t, "pause", (c.number, breaks.expovariate(1 / (day.pause_mean_min * 60))))
    waiting: dict[tuple[str, bool], int] = {}
    records: dict[int, TicketRecord] = {}
    run = DayRun(tickets=[])

    def call(desk: _Desk, now: float) -> None:
        if not any(
            waiting.get((code, False)) or (desk.low and waiting.get((code, True)))
            for code in desk.codes
        ):
            return
        ticket = engine.call_next(ADMIN, desk.number)
        engine.serve(ADMIN, desk.number)
        rec = records[ticket.id]
        rec.called, rec.counter = now, desk.number
        waiting[(rec.service, rec.low)] -= 1
        desk.state, desk.ticket, desk.since = "busy", ticket.id, now
        at(now + handling_s[ticket.id], "finish", desk.number)

    def leave(desk: _Desk, now: float, kind: str) -> None:
        if kind == "close":
            engine.close_counter(ADMIN, desk.number)
            run.staffed.setdefault(desk.number, []).append((desk.staffed_since, now))
            desk.state = "closed"
        else:
            engine.pause_counter(ADMIN, desk.number, "break")
            desk.state = "paused"
            at(now + desk.break_s, "resume", desk.number)
        desk.pending = None

    handling_s: dict[int, float] = {}
    while heap:
        now, _, kind, what = heapq.heappop(heap)
        if now >= DAY_END:
            break
        clock.t = MIDNIGHT + now
        if isinstance(what, _Arrival):
            code, green, low = what.service, what.green, what.low
            issued = engine.issue(
                ADMIN,
                code,
                green_reason="elderly" if green else None,
                low_position=low,
                matter=what.matter,
            )
            handling_s[issued.ticket.id] = what.handling_s
            rec = TicketRecord(code, green, low, now, matter=what.matter)
            if observers:
                row = engine.conn.execute(
                    "SELECT * FROM tickets WHERE id = ?", (issued.ticket.id,)
                ).fetchone()
                rec.observed = tuple(o(engine, row, MIDNIGHT + now) for o in observers)
            records[issued.ticket.id] = rec
            run.tickets.append(rec)
            waiting[(code, low)] = waiting.get((code, low), 0) + 1
            free = [
                d
                for d in desks.values()
                if d.state == "idle" and code in d.codes and (d.low or not low)
            ]
            if free:
                call(choose.choice(free), now)
            continue
        if kind == "pause":
            number, desk_break = what
            desks[number].break_s = desk_break
            what = number
        desk = desks[int(str(what))]
        if kind == "finish":
            engine.finish(ADMIN, desk.number)
            records[desk.ticket or 0].finished = now
            run.busy.setdefault(desk.number, []).append((desk.since, now))
            desk.state, desk.ticket = "idle", None
            if desk.pending:
                leave(desk, now, desk.pending)
            else:
                call(desk, now)
        elif kind == "open" and desk.state == "closed":
            engine.open_counter(ADMIN, desk.number, take=False)
            desk.state, desk.staffed_since = "idle", now
            call(desk, now)
        elif kind in ("close", "pause") and desk.state in ("idle", "busy"):
            if desk.state == "busy":
                desk.pending = kind
            else:
                leave(desk, now, kind)
        elif kind == "close" and desk.state == "paused":
            desk.pending = "close"
        elif kind == "resume" and desk.state == "paused":
            engine.resume_counter(ADMIN, desk.number)
            desk.state = "idle"
            if desk.pending == "close":
                leave(desk, now, "close")
            else:
                call(desk, now)
    end = min(DAY_END, max([day.closes * 3600] + [r.finished or 0 for r in run.tickets]))
    for desk in desks.values():
        if desk.state != "closed":
            run.staffed.setdefault(desk.number, []).append((desk.staffed_since, end))
    engine.conn.close()
    return run
