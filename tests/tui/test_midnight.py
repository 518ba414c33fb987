"""Midnight at a station: the screens turn to the new service day by themselves."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Static

from tests.conftest import TZ
from tests.screens.conftest import MANAGER, station_app
from tests.tui.conftest import desk_app, until

NEXT_MORNING = datetime(2026, 11, 27, 0, 0, 5, tzinfo=TZ).timestamp()


def status_text(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def test_the_desk_turns_the_day_and_says_what_became_of_its_ticket(desk_hall, clock):
    async with desk_app(desk_hall).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        await until(pilot, lambda: app.screen.view is not None)
        await pilot.press("n")
        await until(pilot, lambda: app.screen.view.current is not None)
        number = app.screen.view.current.number
        await pilot.press("s")
        await until(pilot, lambda: app.screen.view.current.status == "serving")

        clock.t = NEXT_MORNING  # nothing is written: the screen notices midnight itself
        await until(pilot, lambda: app.screen.view.current is None)
        assert f"A new service day began: {number} ended as expired" in status_text(app)
        assert app.screen.view.served_today == 0
        assert app.screen.view.parked == []


async def test_the_floor_starts_the_new_day_empty(desk_hall, clock):
    async with station_app(desk_hall, "floor", actor=MANAGER).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        await until(pilot, lambda: getattr(app.screen, "view", None) is not None)
        assert sum(s.waiting for s in app.screen.view.services) > 0
        clock.t = NEXT_MORNING
        await until(pilot, lambda: app.screen.view.day == "2026-11-27")
        assert sum(s.waiting for s in app.screen.view.services) == 0
