"""How long a test may wait, and the one way it waits: for a condition, never for the clock.

On a loaded machine (two cores with other work beside the suite) everything runs several
times slower, and a deadline written for an idle machine fails tests whose code is right.
So every deadline in the suite is written for an idle machine and multiplied by the
machine's *slowness*: ``QCONSOLE_TEST_SLOWNESS`` when it is set (``1`` on a quiet machine
to find a real slowdown, ``5`` on a CI box known to be crowded), otherwise the load per
core at the moment of the wait (the larger of the 1- and 5-minute load averages: it rises
with a new load within a minute and stays up a while after a burst), never below 1 and
never above ``MAX_SLOWNESS``.

A deadline only matters when the awaited thing never happens: a passing test waits as
long as its event takes and not a moment more, so generous deadlines cost nothing.
Durations a test hands to the code under test because the code must finish within them
(a client's timeout for a request that should succeed) are scaled the same way, with
``scaled``. Waiting by the clock (``time.sleep`` and hoping the thing has happened) is
not done outside this module; ``tests/quality/test_waiting.py`` keeps it so.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TypeVar

SLOWNESS_ENV = "QCONSOLE_TEST_SLOWNESS"
MAX_SLOWNESS = 30.0
"""A load beyond this is a machine that cannot run the suite, not one to wait longer for."""
POLL_S = (0.01, 0.25)
"""The first pause between two looks, and the longest: quick events are seen at once, and a
long wait does not keep a busy machine busier."""

T = TypeVar("T")


def slowness() -> float:
    """How many times slower than an idle machine this one is now (at least 1)."""
    setting = os.environ.get(SLOWNESS_ENV, "").strip()
    if setting:
        try:
            return min(max(float(setting), 1.0), MAX_SLOWNESS)
        except ValueError:
            raise ValueError(f"{SLOWNESS_ENV} must be a number, not {setting!r}") from None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    one, five, _ = os.getloadavg()
    return min(max(max(one, five) / (cores or 1), 1.0), MAX_SLOWNESS)


def scaled(seconds: float) -> float:
    """``seconds`` on an idle machine, in this machine's seconds now."""
    return seconds * slowness()


class Deadline:
    """A scaled deadline started now; ``expired`` says whether it has passed."""

    def __init__(self, seconds: float):
        self.factor = slowness()
        self.seconds = seconds * self.factor
        self.end = time.monotonic() + self.seconds
        self.idle_seconds = seconds
        self._pause = POLL_S[0]

    @property
    def expired(self) -> bool:
        return time.monotonic() > self.end

    @property
    def left(self) -> float:
        return max(self.end - time.monotonic(), 0.0)

    def pause(self) -> None:
        """The pause between two looks at what a loop is waiting for (longer each time)."""
        time.sleep(self._pause)
        self._pause = min(self._pause * 1.5, POLL_S[1])

    def explain(self, what: str) -> str:
        return (
            f"{what}: not within {self.seconds:.1f} s ({self.idle_seconds:g} s on an idle "
            f"machine × slowness {self.factor:.1f}; set {SLOWNESS_ENV} to wait longer)"
        )


def wait_until(condition: Callable[[], T], timeout: float = 10.0, what: str = "") -> T:
    """Poll ``condition`` until it returns something true, and return that; fail with
    ``what`` if it has not within ``timeout`` idle-machine seconds (scaled)."""
    deadline = Deadline(timeout)
    while True:
        value = condition()
        if value:
            return value
        if deadline.expired:
            raise AssertionError(deadline.explain(what or "the awaited condition"))
        deadline.pause()


async def until(
    pilot, condition: Callable[[], object], timeout: float = 5.0, what: str = ""
) -> None:
    """Let a Textual app run until ``condition()`` is true (its workers run in threads, so
    the screen changes when they post back); fail after ``timeout`` idle seconds (scaled)."""
    deadline = Deadline(timeout)
    while not condition():
        if deadline.expired:
            raise AssertionError(deadline.explain(what or "the screen never showed it"))
        await pilot.pause(POLL_S[0])  # a look at the screen is cheap: no need to back off
    await pilot.pause()
