"""Time as the hall sees it: Unix seconds for arithmetic, the local date as the service day.

The engine never calls ``time.time()`` itself; it asks its clock, so tests, the
demo and rehearsals can set the time. ``QCONSOLE_NOW`` starts every clock a
process makes at a given moment, from which it runs at normal speed: a
rehearsal on a copy of the hall can replay a Monday morning, and a test hands
its own moment to the CLI and server processes it starts, so that every process
in one test agrees on the date whatever the real one is. ``MOMENT@REAL`` says
the moment was MOMENT when the real clock read REAL (both Unix seconds): every
process given the same value then shares one timeline, so a later process never
sees an earlier time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime, tzinfo
from datetime import time as clock_time

from console.domain.errors import BadInput

NOW_ENV = "QCONSOLE_NOW"
"""Environment variable: the moment clocks start at (Unix seconds, or ISO 8601 with an offset)."""


def parse_moment(text: str) -> float:
    """Unix seconds from ``1764120600`` or ``2026-11-26T09:30:00+08:00``."""
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(reason="clock.bad_moment", env=NOW_ENV, text=repr(text)) from None
    return moment.timestamp()


def wall_source() -> Callable[[], float]:
    """The time source for this process: the real clock, or one started at ``QCONSOLE_NOW``."""
    pinned = os.environ.get(NOW_ENV, "").strip()
    if not pinned:
        return time.time
    moment, _, real = pinned.partition("@")
    offset = parse_moment(moment) - (parse_moment(real) if real else time.time())
    return lambda: time.time() + offset


class Clock:
    """Wall-clock time in the hall's time zone (the machine's own unless given)."""

    def __init__(self, tz: tzinfo | None = None, source: Callable[[], float] | None = None):
        self.tz = tz
        self._source = source or wall_source()

    def now(self) -> float:
        return self._source()

    def local(self, ts: float | None = None) -> datetime:
        ts = self.now() if ts is None else ts
        if self.tz is None:
            return datetime.fromtimestamp(ts).astimezone()
        return datetime.fromtimestamp(ts, self.tz)

    def day(self, ts: float | None = None) -> str:
        return self.local(ts).date().isoformat()

    def midnight(self, ts: float | None = None) -> float:
        """When the local day of ``ts`` began. Not ``ts`` less the hours on the clock: the
        day a clock is put forward or back has 23 or 25 hours."""
        return datetime.combine(self.local(ts).date(), clock_time(), tzinfo=self.tz).timestamp()


class FixedClock(Clock):
    """A clock that only moves when told to: for tests, benchmarks and the demo's snapshots."""

    def __init__(self, start: float, tz: tzinfo | None = None):
        super().__init__(tz, self._read)
        self.t = start

    def _read(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds
