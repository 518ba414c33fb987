"""Time as the hall sees it: Unix seconds for arithmetic, the local date as the service day.

The engine never calls ``time.time()`` itself; it asks its clock, so tests and
the demo can pin the time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, tzinfo


class Clock:
    """Wall-clock time in the hall's time zone (the machine's own unless given)."""

    def __init__(self, tz: tzinfo | None = None, source: Callable[[], float] = time.time):
        self.tz = tz
        self._source = source

    def now(self) -> float:
        return self._source()

    def local(self, ts: float | None = None) -> datetime:
        ts = self.now() if ts is None else ts
        if self.tz is None:
            return datetime.fromtimestamp(ts).astimezone()
        return datetime.fromtimestamp(ts, self.tz)

    def day(self, ts: float | None = None) -> str:
        return self.local(ts).date().isoformat()


class FixedClock(Clock):
    """A clock that only moves when told to: for tests, benchmarks and the demo's snapshots."""

    def __init__(self, start: float, tz: tzinfo | None = None):
        super().__init__(tz, self._read)
        self.t = start

    def _read(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds
