"""The desk's main states as pictures, at 80x24 and 120x40, in zh-CN and English.

The clock is pinned (the demo hall at 09:30), the live worker is off and the
cursor does not blink, so a frame depends only on the keys pressed.
Update after a deliberate change: uv run pytest tests/tui --snapshot-update
"""

from __future__ import annotations

import pytest

from tests.tui.conftest import desk_app, ready, until

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


async def serving(pilot) -> None:
    await ready(pilot)
    await pilot.press("n")  # call the next ticket (a green-channel one in the demo)
    await until(pilot, lambda: pilot.app.screen.view.current is not None)
    await pilot.press("r")  # recall it once
    await until(pilot, lambda: pilot.app.screen.view.current.recall_count == 1)
    await pilot.press("s")  # the citizen arrived: start serving
    await until(pilot, lambda: pilot.app.screen.view.current.status == "serving")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("size", list(SIZES))
class TestDesk:
    def test_idle(self, snap_compare, desk_hall, lang, size):
        app = desk_app(desk_hall, lang=lang, live=False)
        assert snap_compare(app, terminal_size=SIZES[size], run_before=ready)

    def test_serving(self, snap_compare, desk_hall, lang, size):
        app = desk_app(desk_hall, lang=lang, live=False)
        assert snap_compare(app, terminal_size=SIZES[size], run_before=serving)


class TestScreens:
    def test_login_en(self, snap_compare, desk_hall):
        app = desk_app(desk_hall, lang="en", logged_in=False, live=False)
        assert snap_compare(app, terminal_size=(80, 24))

    def test_help_zh(self, snap_compare, desk_hall):
        async def run_before(pilot) -> None:
            await ready(pilot)
            await pilot.press("f1")  # the help screen

        app = desk_app(desk_hall, lang="zh-CN", live=False)
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_finish_dialog_en(self, snap_compare, desk_hall):
        async def run_before(pilot) -> None:
            await serving(pilot)
            await pilot.press("d")  # the finish dialog
            await pilot.press("down", "space")  # outcome: materials incomplete
            await pilot.press("4")  # rating 4

        app = desk_app(desk_hall, lang="en", live=False)
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_park_reason_picker_zh(self, snap_compare, desk_hall):
        async def run_before(pilot) -> None:
            await serving(pilot)
            await pilot.press("p")  # park: why?
            await pilot.press(*"bp")  # pinyin initials of 补拍照片

        app = desk_app(desk_hall, lang="zh-CN", live=False)
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("size", list(SIZES))
class TestContrastTheme:
    """Large means large: the number twice as high where the card has room (120x40), and at
    80x24 every line of the card (hint, times, materials) still on screen."""

    def test_serving(self, snap_compare, desk_hall, lang, size):
        app = desk_app(desk_hall, lang=lang, theme="contrast", live=False)
        assert snap_compare(app, terminal_size=SIZES[size], run_before=serving)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
class TestThreeServices:
    """Counter 4 calls three services: at 80x24 each keeps its name above its waits."""

    def test_three_services_80x24(self, snap_compare, desk_hall, lang):
        app = desk_app(desk_hall, counter=4, staff_no="1004", lang=lang, live=False)
        assert snap_compare(app, terminal_size=(80, 24), run_before=ready)

    async def test_my_day_stays_on_screen_at_80x24(self, desk_hall, lang):
        """The clerk's own figures are the panel's last lines: the list of next tickets gives
        up rows for them, never the other way round."""
        from textual.widgets import Static

        from console.tui.widgets import QueuePanel

        app = desk_app(desk_hall, counter=4, staff_no="1004", lang=lang, live=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            await pilot.pause()
            panel = app.screen.query_one(QueuePanel)
            mine = app.screen.query_one("#queue-mine", Static)
            assert len(app.screen.view.services) == 3
            assert mine.region.bottom <= panel.content_region.bottom
            view = app.screen.view
            avg = round(view.avg_handling_s / 60)
            figures = app.t("desk.mine_figures", served=view.served_today, avg=avg,
                            no_shows=view.no_shows_today)  # fmt: skip
            assert figures in str(mine.render()).replace("\n", " ")
