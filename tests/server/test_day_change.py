"""Midnight over the LAN: a server whose clock crosses midnight with stations working.

The evening is worked in-process at 23:58 (a clerk has a ticket at the counter,
another waits); then the server starts a second before midnight on its own
clock, with the stations connected across it. After midnight the stations'
next writes find yesterday ended: the ticket at the counter is expired, not
finished, and the day's numbering starts again.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from console.domain import Actor
from console.domain.errors import Refused
from console.engine import FixedClock
from console.local import LocalHall
from console.remote import RemoteHall
from tests.conftest import ADMIN, TZ
from tests.server.conftest import PIN, Server, build_hall, free_port, register
from tests.waiting import wait_until

EVENING = datetime(2026, 11, 30, 23, 58, tzinfo=TZ).timestamp()
"""The last day of November, two minutes before midnight, in the hall's time zone."""

CLERK = Actor(staff_no="1001", role="clerk", station="desk-1")


@pytest.fixture
def late_server(tmp_path: Path):
    db = tmp_path / "hall.db"
    build_hall(db)
    hall = LocalHall(db, clock=FixedClock(EVENING, TZ))
    hall.open_counter(CLERK, 1)
    hall.issue(ADMIN, "ID")
    hall.issue(ADMIN, "ID")
    hall.call_next(CLERK, 1)
    hall.serve(CLERK, 1)
    hall.close()
    srv = Server(db, free_port(), now=EVENING + 119)
    for name, admin in (("admin-pc", True), ("desk-1", False)):
        srv.tokens[name] = register(db, name, admin)
    srv.start()
    yield srv
    srv.stop()


def wait_for_day(hall: RemoteHall, day: str, within_s: float = 30.0) -> None:
    wait_until(lambda: hall.clock.day() == day, within_s, f"the server's clock reaching {day}")


@pytest.mark.slow
def test_stations_cross_midnight_over_the_server(late_server: Server) -> None:
    admin = RemoteHall(late_server.url, late_server.tokens["admin-pc"])
    desk = RemoteHall(late_server.url, late_server.tokens["desk-1"])
    try:
        a = admin.actor
        assert a is not None
        clerk = desk.login("1001", PIN, "")
        wait_for_day(desk, "2026-12-01")
        view = desk.counter_view(1)  # before any write: the desk already shows the new day
        assert view.current is None and view.served_today == 0

        with pytest.raises(Refused, match="no current ticket"):
            desk.finish(clerk, 1)
        assert admin.get_ticket("2026-11-30/A001").status == "expired"  # was at the counter
        assert admin.get_ticket("2026-11-30/A002").status == "expired"  # was waiting
        with pytest.raises(Refused):
            desk.call_next(clerk, 1)  # yesterday's waiting ticket is not called today

        today = admin.issue(a, "ID").ticket
        assert (today.day, today.number) == ("2026-12-01", "A001")
        assert desk.call_next(clerk, 1).id == today.id
    finally:
        admin.close()
        desk.close()
