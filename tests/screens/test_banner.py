"""Every station screen says the same when the hall cannot be reached, and takes it back
the same way: one banner, written once (``console.tui.banner``)."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from console.tui.banner import HallBanner
from tests.conftest import clerk
from tests.screens.conftest import MANAGER, loaded, station_app
from tests.tui.conftest import desk_app, until
from tests.tui.test_login_live import FlakyHall

STATIONS = {
    "floor": lambda hall: station_app(hall, "floor", actor=MANAGER),
    "reception": lambda hall: station_app(hall, "reception", actor=clerk("1002")),
    "board": lambda hall: station_app(hall, "board"),
    "desk": lambda hall: desk_app(hall),
}


@pytest.mark.parametrize("station", list(STATIONS))
async def test_the_banner_shows_while_the_hall_is_down_and_goes_when_it_answers(desk_hall, station):
    flaky = FlakyHall(desk_hall)
    app = STATIONS[station](desk_hall)
    app.service = flaky
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, HallBanner)
        banner = app.screen.query_one("#banner", Static)
        assert not banner.has_class("-shown")
        flaky.down = True
        await until(pilot, lambda: banner.has_class("-shown"))
        assert "disk I/O error" in str(banner.render())
        assert app.screen.unavailable
        flaky.down = False
        await until(pilot, lambda: not banner.has_class("-shown"))
        assert not app.screen.unavailable
        if station == "desk":  # the clerk is told on the status line too
            status = str(app.screen.query_one("#status", Static).render())
            assert status == app.t("desk.reachable")
