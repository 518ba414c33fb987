"""The public board: the latest call large, a new call highlighted, the last eight calls,
the waiting per service, captions alternating, and the optional voice."""

from __future__ import annotations

import io
import shutil
import stat
import sys

import pytest
from rich.console import Console
from textual.widgets import Static

from console.domain.errors import Unavailable
from console.tui.screens import board as board_screen
from console.tui.screens.board import BoardScreen, big_call
from tests.conftest import ADMIN, clerk
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


def fake_player(tmp_path):
    """Stands in for the speakers: logs each WAV's length, and holds the first until the
    test opens the gate (so the calls after it pile up behind, as in a busy hall)."""
    log, gate = tmp_path / "played.txt", tmp_path / "gate"
    player = tmp_path / "fake-player"
    player.write_text(
        f"#!{sys.executable}\nimport os, sys, time, wave\n"
        f"with wave.open(sys.argv[-1]) as w: seconds = w.getnframes() / w.getframerate()\n"
        f"first = not os.path.exists({str(log)!r})\n"
        f"open({str(log)!r}, 'a').write(f'{{seconds:.2f}}\\n')\n"
        f"while first and not os.path.exists({str(gate)!r}): time.sleep(0.02)\n"
    )
    player.chmod(player.stat().st_mode | stat.S_IEXEC)
    return player, log, gate


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
async def test_ten_calls_in_one_second_are_all_announced_in_call_order(desk_hall, tmp_path):
    player, log, gate = fake_player(tmp_path)
    app = board_app(desk_hall, voice=True, voice_player=str(player))
    actor = clerk("1002")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, lambda: pilot.app.screen.voice.queue is not None)
        queue = pilot.app.screen.voice.queue
        called = []
        for i in range(5):  # ten calls: five tickets, each called and recalled at once
            if i:
                desk_hall.no_show(actor, 2)
            called.append(desk_hall.call_next(actor, 2).number)
            desk_hall.recall(actor, 2)
            called.append(called[-1])
        await until(pilot, lambda: log.exists() and queue.waiting == 9, timeout=20)
        gate.touch()  # the first announcement ends; nine wait behind it
        await until(pilot, lambda: len(queue.spoken) == 10, timeout=60)
        assert [s.call.number for s in queue.spoken] == called  # each recall said again
        assert {s.call.counter for s in queue.spoken} == {2}
        assert [s.turns for s in queue.spoken[1:]] == [1] * 8 + [2]  # only the newest in full
        lengths = [float(x) for x in log.read_text().split()]
        assert len(lengths) == 10 and lengths[-1] > lengths[1] + 2


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
async def test_a_changed_template_is_heard_from_the_next_call_on(desk_hall, tmp_path):
    player, log, gate = fake_player(tmp_path)
    gate.touch()
    app = board_app(desk_hall, voice=True, voice_player=str(player))
    actor = clerk("1002")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, lambda: pilot.app.screen.voice.queue is not None)
        queue = pilot.app.screen.voice.queue
        desk_hall.set_setting(ADMIN, "announce_template_zh", "请 {number} 号到 {counter} 号窗口")
        desk_hall.set_setting(ADMIN, "announce_langs", "zh-CN")
        number = desk_hall.call_next(actor, 2).number
        await until(pilot, lambda: len(queue.spoken) == 1, timeout=30)
        assert queue.spoken[0].call.number == number and len(log.read_text().split()) == 1
        assert queue.voice.settings.langs == ("zh-CN",)  # the voice the call was made with
        said = queue.voice.call(number, 2).sentences
        assert [s.lang for s in said] == ["zh-CN", "zh-CN"]
        assert said[0].text.endswith("hao4 chuang1 kou3")  # no 办理 any more


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
async def test_a_board_started_before_its_hall_answers_speaks_once_it_does(
    desk_hall, tmp_path, monkeypatch
):
    player, log, gate = fake_player(tmp_path)
    gate.touch()
    answers = desk_hall.settings
    asked = []

    def unreachable_at_first():
        asked.append(1)
        if len(asked) < 3:
            raise Unavailable(reason="hall.failure", kind="ConnectError", detail="refused")
        return answers()

    monkeypatch.setattr(desk_hall, "settings", unreachable_at_first)
    monkeypatch.setattr(board_screen, "VOICE_RETRY_S", 0.05)
    app = board_app(desk_hall, voice=True, voice_player=str(player))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: pilot.app.screen.voice.queue is not None, timeout=10)
        desk_hall.call_next(clerk("1002"), 2)
        await until(pilot, lambda: log.exists(), timeout=30)
        assert not any("Voice is off" in str(n.message) for n in pilot.app._notifications)


async def test_without_a_player_the_board_says_so_and_goes_on(desk_hall):
    app = board_app(desk_hall, voice=True, voice_player="/nonexistent/aplay")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: pilot.app.screen.voice is None)
        assert any("Voice is off: no audio player found" in str(n.message)
                   for n in pilot.app._notifications)  # fmt: skip
        desk_hall.call_next(clerk("1002"), 2)
        await until(pilot, lambda: pilot.app.screen.query_one("#board-now").has_class("-new"))


async def test_a_call_keeps_its_counter_after_the_ticket_is_transferred(desk_hall):
    ticket = desk_hall.call_next(clerk("1002"), 2)
    desk_hall.transfer(clerk("1002"), ticket.number, to_service="PP")
    assert desk_hall.get_ticket(ticket.number).counter_number is None  # waiting again
    call = next(t for t in desk_hall.hall_view().recent_calls if t.number == ticket.number)
    assert call.counter_number == 2  # the counter it was called to
    async with board_app(desk_hall).run_test(size=(80, 12)) as pilot:  # plain lines
        await loaded(pilot)
        line = next(x for x in text(pilot.app, "#board-recent").splitlines() if ticket.number in x)
        assert line.split() == [ticket.number, "→", "Counter", "2"]


async def test_the_chinese_header_at_2359_keeps_the_next_sessions_time(desk_hall, clock):
    from datetime import datetime

    from tests.conftest import ADMIN, TZ

    desk_hall.set_setting(ADMIN, "hall_name", "某某市公安局出入境管理支队政务服务大厅")
    clock.t = datetime(2026, 11, 26, 23, 59, 30, tzinfo=TZ).timestamp()  # the day is over
    async with board_app(desk_hall, lang="zh-CN").run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.pause()
        from tests.tui.english import screen_text

        header = screen_text(pilot.app).splitlines()[0]  # the one row the header has
        view = pilot.app.screen.view
        assert not view.session_open and view.next_session_opens
        assert view.next_session_opens in header and "23:59" in header, header
