"""Fixtures for the admin scripting tests: a small day worked by hand.

Exports and reports turn Unix seconds into local times with the process's time
zone (as the hall machine does); the shared clock fixture pins TZ to
Asia/Shanghai for every test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from console.engine import FixedClock
from console.local import LocalHall
from tests.conftest import ADMIN, MORNING, clerk


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def at(clock: FixedClock, minutes: float) -> None:
    """Set the clock to 09:30 + ``minutes`` on 2026-11-26."""
    clock.t = MORNING + minutes * 60


@pytest.fixture
def worked_day(small_hall: LocalHall, clock: FixedClock) -> LocalHall:
    """2026-11-26, worked by hand (times after 09:30; the figures are in test_report.py).

    A001 ID   issued +0,  called +12 at 1, served, finished +20 incomplete, rating 3
    A002 ID   issued +1,  called +15 at 2, no-show +17
    B001 PP   issued +2 green (elderly), called +10 at 3, finished +16 done, rating 5
    A003 ID   issued +3,  called +45 at 2, finished +55 done, rating 4
    B002 PP   issued +4 from appointment YY01 (name 张三), still waiting
    A004 ID   issued +5,  cancelled +20
    A005 ID   issued 18:30 in the night session, called 18:40 at 1, finished 18:45 done
    """
    h = small_hall
    h.add_session(ADMIN, name="日间 Day", opens="08:30", closes="17:30")
    h.add_session(ADMIN, name="夜间专场 Night", opens="18:00", closes="21:00")
    h.import_appointments(ADMIN, [{"code": "YY01", "service": "PP", "date": "2026-11-26",
                                   "name": "张三"}])  # fmt: skip
    c1, c2, c3 = clerk("1001"), clerk("1002"), clerk("1003")
    at(clock, 0)
    for actor, number in ((c1, 1), (c2, 2), (c3, 3)):
        h.open_counter(actor, number)
    h.issue(ADMIN, "ID")  # A001
    at(clock, 1)
    h.issue(ADMIN, "ID")  # A002
    at(clock, 2)
    h.issue(ADMIN, "PP", green_reason="elderly", green_note="坐轮椅")  # B001
    at(clock, 3)
    h.issue(ADMIN, "ID")  # A003
    at(clock, 4)
    h.check_in(ADMIN, "YY01")  # B002
    at(clock, 5)
    h.issue(ADMIN, "ID")  # A004
    at(clock, 10)
    assert h.call_next(c3, 3).number == "B001"
    h.serve(c3, 3)
    at(clock, 12)
    assert h.call_next(c1, 1).number == "A001"
    h.serve(c1, 1)
    at(clock, 15)
    assert h.call_next(c2, 2).number == "A002"
    at(clock, 16)
    h.finish(c3, 3, outcome="done", rating=5, note="办结，已告知取证时间")
    at(clock, 17)
    h.no_show(c2, 2)
    at(clock, 20)
    h.finish(c1, 1, outcome="incomplete", materials=["照片"], rating=3)
    h.cancel(ADMIN, "A004")
    at(clock, 45)
    assert h.call_next(c2, 2).number == "A003"
    h.serve(c2, 2)
    at(clock, 55)
    h.finish(c2, 2, outcome="done", rating=4)
    at(clock, 9 * 60)  # 18:30
    h.issue(ADMIN, "ID")  # A005
    at(clock, 9 * 60 + 10)
    assert h.call_next(c1, 1).number == "A005"
    h.serve(c1, 1)
    at(clock, 9 * 60 + 15)
    h.finish(c1, 1, outcome="done")
    return h


@pytest.fixture
def day_db(worked_day: LocalHall) -> Path:
    """The worked day's database file, closed so the CLI can open it."""
    path = Path(worked_day.path)
    worked_day.close()
    return path


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI subprocess: the test's clock, none of the caller's hall."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QCONSOLE_")}
    env.update(TZ="Asia/Shanghai", QCONSOLE_NOW=os.environ["QCONSOLE_NOW"], **extra)
    return env
