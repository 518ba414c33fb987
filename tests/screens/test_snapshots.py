"""The three hall-wide screens at 80x24 and 120x40, in Chinese and in English, on the demo
hall at 09:30 (the clock is pinned, live updates are off, the cursor does not blink)."""

from __future__ import annotations

import pytest

from console.tui.screens.board import RECENT, big_recent
from tests.screens.conftest import MANAGER, station_app, until

SIZES = [(80, 24), (120, 40)]
LANGS = ["zh-CN", "en"]


async def _floor_ready(pilot) -> None:
    await until(pilot, lambda: getattr(pilot.app.screen, "figures_ready", False))
    await pilot.pause()


async def _reception_issued(pilot) -> None:
    await until(pilot, lambda: getattr(pilot.app.screen, "view", None) is not None)
    await pilot.press("down")  # the second service in the list: ID card
    await pilot.press("enter")  # issue it (no printer here: the screen says so)
    await until(pilot, lambda: pilot.app.screen.last is not None)
    await pilot.pause()


async def _board_ready(pilot) -> None:
    """The view is in and the recent calls are drawn for the box's final height (the board
    draws them again once the lists have their height; a slow machine can be between)."""
    await until(pilot, lambda: getattr(pilot.app.screen, "view", None) is not None)
    screen = pilot.app.screen
    box = screen.query_one("#board-recent")

    def settled() -> bool:
        calls = screen.view.recent_calls[:RECENT]
        region = box.content_region
        if big_recent(calls, screen.tr, region.width, region.height) is None:
            return screen.recent_shown == [t.number for t in calls]
        return screen.recent_shown == [t.number for t in calls[: (region.height + 1) // 4]]

    await until(pilot, settled)
    await pilot.pause()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
class TestFloor:
    def test_floor(self, snap_compare, desk_hall, size, lang):
        app = station_app(desk_hall, "floor", actor=MANAGER, lang=lang, live=False)
        assert snap_compare(app, terminal_size=size, run_before=_floor_ready)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
class TestReception:
    def test_reception(self, snap_compare, desk_hall, size, lang):
        from tests.conftest import clerk

        app = station_app(desk_hall, "reception", actor=clerk("1001"), lang=lang, live=False)
        assert snap_compare(app, terminal_size=size, run_before=_reception_issued)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
class TestBoard:
    def test_board(self, snap_compare, desk_hall, size, lang):
        app = station_app(desk_hall, "board", lang=lang, live=False)
        assert snap_compare(app, terminal_size=size, run_before=_board_ready)


async def _reception_scrolled(pilot) -> None:
    await until(pilot, lambda: getattr(pilot.app.screen, "view", None) is not None)
    await pilot.press(*"zh")  # the one-stop window's matters, long names among them
    for _ in range(20):
        await pilot.press("down")  # far enough down that the list has scrolled
    await pilot.pause()


@pytest.mark.parametrize("lang", LANGS)
class TestReceptionScrolled:
    """Every line keeps its name (a long one ends in "…") beside the scrollbar at 80x24."""

    def test_reception_scrolled(self, snap_compare, desk_hall, lang):
        from tests.conftest import clerk

        app = station_app(desk_hall, "reception", actor=clerk("1001"), lang=lang, live=False)
        assert snap_compare(app, terminal_size=(80, 24), run_before=_reception_scrolled)
