"""Loaded only by `.ci/another-day`: Python's sleep, on libfaketime with real monotonic time.

Under libfaketime 0.9.10 neither setting of FAKETIME_DONT_FAKE_MONOTONIC works for
Python 3.11 as it is: with a faked monotonic clock, timed lock and condition waits
(``sem_clockwait``, which libfaketime does not wrap) wait until the real clock reaches
the faked one, i.e. for days; with real monotonic time, ``time.sleep``'s absolute
``clock_nanosleep`` is wrapped and fails with EINVAL. So the passes keep monotonic time
real and sleep through ``select``, whose relative timeout libfaketime leaves alone.
"""

import select
import time


def _sleep(seconds: float) -> None:
    select.select([], [], [], seconds)


time.sleep = _sleep
