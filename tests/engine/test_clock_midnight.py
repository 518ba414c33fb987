"""When a hall's day began: the figures "issued today" count from it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from console.engine.clock import Clock, FixedClock

BERLIN = ZoneInfo("Europe/Berlin")


def test_the_day_a_clock_goes_forward_began_at_its_midnight() -> None:
    """29 March 2026 in Berlin has 23 hours: at 10:00 the day is 9 hours old, not 10."""
    ten = datetime(2026, 3, 29, 10, 0, tzinfo=BERLIN).timestamp()
    clock = FixedClock(ten, BERLIN)
    assert clock.midnight() == datetime(2026, 3, 29, tzinfo=BERLIN).timestamp()
    assert ten - clock.midnight() == 9 * 3600


def test_the_day_a_clock_goes_back_is_25_hours_long() -> None:
    late = datetime(2026, 10, 25, 23, 59, tzinfo=BERLIN).timestamp()
    clock = Clock(BERLIN, lambda: late)
    assert late - clock.midnight() == 25 * 3600 - 60


def test_a_hall_in_the_machine_s_zone_and_one_in_shanghai_agree() -> None:
    """The test run pins TZ=Asia/Shanghai: the machine's zone and the named one match."""
    now = datetime(2026, 11, 26, 9, 30, 15, 500_000, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
    named = Clock(ZoneInfo("Asia/Shanghai"), lambda: now).midnight()
    assert Clock(None, lambda: now).midnight() == named == now - (9.5 * 3600 + 15.5)
