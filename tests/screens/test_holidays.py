"""On a statutory holiday reception, the board and the floor say the hall is closed and
why; from December the floor warns of a next year the installed calendar lacks."""

from __future__ import annotations

from datetime import datetime

from console.engine.calendar import KNOWN_YEARS
from console.server.public_text import board_data
from tests.conftest import TZ
from tests.screens.conftest import MANAGER, loaded, plain, station_app, until

NATIONAL_DAY = datetime(2026, 10, 1, 10, 0, tzinfo=TZ).timestamp()


async def test_reception_on_national_day(desk_hall, clock):
    clock.t = NATIONAL_DAY
    app = station_app(desk_hall, "reception", actor=MANAGER)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        said = plain(pilot.app, "#rcp-session")
        assert "Closed today (National Day, 国庆节): tickets cannot be issued" in said
        assert "2026-10-08" in said
        await pilot.press("enter")
        await until(pilot, lambda: "Closed today" in plain(pilot.app, "#status"))


async def test_board_in_chinese_and_the_web_board_on_national_day(desk_hall, clock):
    clock.t = NATIONAL_DAY
    async with station_app(desk_hall, "board", lang="zh-CN").run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: "今日休息（国庆节）" in plain(pilot.app, "#board-header"))
    web = board_data(desk_hall.hall_view(), "政务服务中心", desk_hall.settings())
    assert not web["open"]
    assert web["closed"] == {
        "zh": "今日休息（国庆节）",
        "en": "Closed today (National Day, 国庆节)",
    }


async def test_floor_on_national_day_and_in_the_december_before_an_unknown_year(desk_hall, clock):
    clock.t = NATIONAL_DAY
    async with station_app(desk_hall, "floor", actor=MANAGER).run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: "closed today (National Day, 国庆节)" in
                    plain(pilot.app, "#header"))  # fmt: skip
    december = KNOWN_YEARS.stop - 1
    clock.t = datetime(december, 12, 7, 10, 0, tzinfo=TZ).timestamp()
    async with station_app(desk_hall, "floor", actor=MANAGER).run_test(size=(200, 40)) as pilot:
        await loaded(pilot)
        warning = (f"the official calendar for {december + 1} is not known to this install: "
                   "upgrade qconsole or add the days by hand")  # fmt: skip
        await until(pilot, lambda: warning in plain(pilot.app, "#header"))
