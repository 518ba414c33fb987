"""A zh-CN counter console over the hall server, through refusals and a stopped server:
no English sentence on screen, and a finish entered while the server was down is kept
in its dialog and done, with the same key, once the server is back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Input, Static

from console.remote import RemoteHall
from console.tui.app import build_app
from console.tui.dialogs import FinishDialog
from console.tui.settings import Settings
from tests.server.conftest import PIN, Server, build_hall, free_port, register
from tests.tui.conftest import open_dialog, ready, until
from tests.tui.english import english_sentences, screen_text


@pytest.fixture
def own_server(tmp_path) -> Iterator[Server]:
    """A server this test may stop and start again."""
    db = tmp_path / "hall.db"
    build_hall(db, clerks=1, counters=1)
    srv = Server(db, free_port())
    srv.tokens["desk-1"] = register(db, "desk-1")
    srv.start()
    yield srv
    srv.stop()


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def test_the_chinese_desk_over_a_stopped_server_speaks_chinese(own_server):
    hall = RemoteHall(own_server.url, token=own_server.tokens["desk-1"], retry_for=0.5)
    try:
        actor = hall.login("1001", PIN, "desk-1")
        hall.open_counter(actor, 1)
        hall.issue(actor, "ID")
        settings = Settings(counter=1, lang="zh-CN", station="desk-1", actor=actor,
                            cursor_blink=False, live_timeout=0.2)  # fmt: skip
        async with build_app(hall, settings).run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("r")  # nothing called yet: refused by the server, in Chinese
            await until(pilot, lambda: "没有在办的号" in status(pilot.app))
            await pilot.press("n")
            await until(pilot, lambda: pilot.app.screen.view.current is not None)
            await open_dialog(pilot, "d", FinishDialog)
            dialog = pilot.app.screen
            dialog.query_one("#finish-note", Input).value = "已核对"
            own_server.stop()
            await pilot.press("enter")
            error = dialog.query_one("#finish-error", Static)
            await until(pilot, lambda: "按回车重试" in str(error.render()), timeout=15)
            await until(pilot, lambda: not hall.online, what="the live feed noticing the outage")
            assert english_sentences(pilot.app) == [], screen_text(pilot.app)
            assert pilot.app.screen is dialog
            own_server.start()
            await pilot.press("enter")
            await until(pilot, lambda: pilot.app.screen is not dialog, timeout=15)
            await until(pilot, lambda: pilot.app.screen.view.current is None, timeout=15)
            await pilot.press("escape")
            own_server.stop()
            await pilot.press("n")
            await until(pilot, lambda: "连不上大厅服务器" in status(pilot.app), timeout=15)
            await until(pilot, lambda: not hall.online, what="the live feed noticing the outage")
            assert english_sentences(pilot.app) == [], screen_text(pilot.app)
    finally:
        hall.close()
    own_server.start()
    check = RemoteHall(own_server.url, token=own_server.tokens["desk-1"])
    try:
        done = check.list_tickets(status="done")
        assert [(t.number, t.note) for t in done] == [("A001", "已核对")]
    finally:
        check.close()
