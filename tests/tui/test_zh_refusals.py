"""A zh-CN counter console driven through refusals shows no English sentence."""

from __future__ import annotations

from textual.widgets import Input, Static

from console.tui.dialogs import FinishDialog, PickDialog
from tests.tui.conftest import desk_app, open_dialog, ready, until
from tests.tui.english import english_sentences, screen_text


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def test_refusals_on_the_chinese_desk_are_chinese(desk_hall):
    async with desk_app(desk_hall, lang="zh-CN").run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for key in ("d", "x", "t", "p", "g", "r"):
            await pilot.press(key)
            await until(pilot, lambda: "没有在办的号" in status(pilot.app))
            assert english_sentences(pilot.app) == [], key
        await open_dialog(pilot, "c", PickDialog)
        pilot.app.screen.query_one(Input).value = "Z999"
        await pilot.press("enter")
        await until(pilot, lambda: "Z999" in status(pilot.app))
        assert "今天没有 Z999 这个号" in status(pilot.app)
        assert english_sentences(pilot.app) == []
        await pilot.press("n")
        await until(pilot, lambda: pilot.app.screen.view.current is not None)
        await pilot.press("n")  # a ticket is held: the engine refuses
        await until(pilot, lambda: "请先办结" in status(pilot.app))
        assert english_sentences(pilot.app) == []


async def test_a_refused_finish_keeps_what_was_entered_and_retries_with_the_same_key(desk_hall):
    from console.domain.errors import Unavailable

    keys: list[str] = []
    real_finish = desk_hall.finish

    def flaky_finish(*args, **kwargs):
        keys.append(kwargs["key"])
        if len(keys) == 1:
            raise Unavailable(reason="server.unreachable_not_done", url="http://hall", detail="x")
        return real_finish(*args, **kwargs)

    desk_hall.finish = flaky_finish
    async with desk_app(desk_hall, lang="zh-CN").run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await until(pilot, lambda: pilot.app.screen.view.current is not None)
        number = pilot.app.screen.view.current.number
        await open_dialog(pilot, "d", FinishDialog)
        dialog = pilot.app.screen
        await pilot.press("4")
        dialog.query_one("#finish-note", Input).value = "复印件已收"
        await pilot.press("enter")
        error = dialog.query_one("#finish-error", Static)
        await until(pilot, lambda: "按回车重试" in str(error.render()))
        assert pilot.app.screen is dialog
        assert "连不上大厅服务器" in str(error.render())
        assert english_sentences(pilot.app) == [], screen_text(pilot.app)
        assert dialog.choice().rating == 4 and dialog.choice().note == "复印件已收"
        assert desk_hall.get_ticket(number).status == "called"
        await pilot.press("enter")
        await until(pilot, lambda: pilot.app.screen is not dialog)
        await until(pilot, lambda: desk_hall.get_ticket(number).status == "done")
        done = desk_hall.get_ticket(number)
        assert (done.rating, done.note) == (4, "复印件已收")
        assert len(keys) == 2 and keys[0] == keys[1]


async def test_refusals_at_reception_and_on_the_floor_are_chinese(desk_hall):
    from tests.conftest import clerk
    from tests.screens.conftest import MANAGER, station_app

    app = station_app(desk_hall, "reception", actor=clerk("1001"), lang="zh-CN", live=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: getattr(pilot.app.screen, "view", None) is not None)
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(pilot.app.screen, PickDialog))
        await pilot.press(*"YY123", "enter")
        await until(pilot, lambda: "YY123" in status(pilot.app))
        assert "没有预约号 YY123" in status(pilot.app)
        assert english_sentences(pilot.app) == [], screen_text(pilot.app)
    app = station_app(desk_hall, "floor", actor=MANAGER, lang="zh-CN", live=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: getattr(pilot.app.screen, "view", None) is not None)
        await pilot.press("o")  # counter 1 is closed: opening it for nobody is refused
        await until(pilot, lambda: status(pilot.app).strip() != "")
        await pilot.pause()
        found = [s for s in english_sentences(pilot.app) if "Demo Service Hall" not in s]
        assert found == [], screen_text(pilot.app)
