"""The public board: the latest call large, a new call highlighted, the last eight calls,
the waiting per service, captions alternating, and the optional voice."""

from __future__ import annotations

import io
import stat
import sys

from rich.console import Console
from textual.widgets import Static

from console.tui.screens.board import BoardScreen, big_call
from tests.conftest import clerk
from tests.screens.conftest import loaded, station_app, until


def text(app, selector: str) -> str:
    """What a Static shows, as plain text (its content may be a Rich table)."""
    content = app.screen.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def board_app(hall, **kwargs):
    return station_app(hall, "board", **kwargs)


async def test_the_latest_call_and_the_last_eight(desk_hall):
    calls = desk_hall.hall_view().recent_calls
    async with board_app(desk_hall).run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(pilot.app.screen, BoardScreen)  # no login
        assert f"Counter {calls[0].counter_number}" in text(pilot.app, "#board-caption")
        shown = pilot.app.screen.recent_shown  # in large letters: as many as fit
        assert len(shown) >= 3 and shown == [t.number for t in calls[: len(shown)]]
        recent = pilot.app.screen.query_one("#board-recent", Static).content
        assert recent.plain.splitlines()[0].startswith(" ▄▀▄ ")  # "A" in half blocks
        newest = [s for s in recent.spans if "reverse" in str(s.style)]
        assert newest and newest[0].start == 0  # the newest call: one solid block
    async with board_app(desk_hall).run_test(size=(80, 12)) as pilot:  # too little room
        await loaded(pilot)
        recent = text(pilot.app, "#board-recent")
        assert recent.split()[0] == calls[0].number
        waiting = text(pilot.app, "#board-waiting")
        ident = next(s for s in desk_hall.hall_view().services if s.code == "ID")
        assert "ID card" in waiting and str(ident.waiting) in waiting


async def test_a_new_call_is_highlighted_for_a_few_seconds(desk_hall):
    async with board_app(desk_hall).run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        box = pilot.app.screen.query_one("#board-now")
        assert not box.has_class("-new")  # what was there before is not new
        ticket = desk_hall.call_next(clerk("1002"), 2)
        await until(pilot, lambda: box.has_class("-new"))
        assert "Counter 2" in text(pilot.app, "#board-caption")
        await until(pilot, lambda: pilot.app.screen.recent_shown[0] == ticket.number)
        for _ in range(7):
            pilot.app.screen.tick()
        assert box.has_class("-new")
        pilot.app.screen.tick()  # eight seconds on
        assert not box.has_class("-new")


async def test_a_recall_is_a_new_call_too(desk_hall):
    actor = clerk("1002")
    desk_hall.call_next(actor, 2)
    async with board_app(desk_hall, tick_s=0.05).run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        box = pilot.app.screen.query_one("#board-now")
        desk_hall.recall(actor, 2)
        await until(pilot, lambda: box.has_class("-new"))


async def test_captions_alternate_between_chinese_and_english(desk_hall):
    async with board_app(desk_hall, lang="zh-CN").run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        screen = pilot.app.screen
        assert "叫号" in text(pilot.app, "#board-caption")
        for _ in range(5):
            screen.tick()
        await pilot.pause()
        assert "Now calling" in text(pilot.app, "#board-caption")
        assert "ID card" in text(pilot.app, "#board-waiting")
        for _ in range(5):
            screen.tick()
        await pilot.pause()
        assert "身份证办理" in text(pilot.app, "#board-waiting")


def test_big_digits_fill_the_room_they_have():
    small = big_call("A023", 5, 76, 5)
    large = big_call("A023", 5, 200, 40)
    assert len(small) == 5 and max(map(len, small)) <= 76
    assert len(large) > len(small) and max(map(len, large)) <= 200
    assert big_call("A023", 5, 20, 2) == ["A023 → 5"]
    assert len(big_call("A023", 5, 40, 4)) == 3  # half blocks, the number alone


async def test_the_voice_says_each_call_in_both_languages(desk_hall, tmp_path):
    said = tmp_path / "said.txt"
    fake = tmp_path / "fake-tts"
    fake.write_text(f"#!{sys.executable}\nimport sys\n"
                    f"open({str(said)!r}, 'a').write(sys.argv[-1] + '\\n')\n")  # fmt: skip
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    app = board_app(desk_hall, voice=True, voice_command=str(fake))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        number = desk_hall.call_next(clerk("1002"), 2).number
        await until(pilot, lambda: said.exists() and len(said.read_text().splitlines()) == 2)
        assert said.read_text().splitlines() == [
            f"请 {number} 号到 2 号窗口",
            f"Ticket {number}, please go to counter 2",
        ]


async def test_without_a_voice_engine_the_board_says_so_and_goes_on(desk_hall):
    app = board_app(desk_hall, voice=True, voice_command="/nonexistent/espeak-ng")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert pilot.app.screen.announcer is None
        assert any("voice is off" in str(n.message) for n in pilot.app._notifications)
