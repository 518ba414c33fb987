"""The lost call: a desk called a citizen on the primary, the primary acknowledged it and
died before the replica had it. On the standby the ticket waits again; the desk calls it
back to its own counter by itself, and the standby holds "call next" for its first seconds
so no other counter calls that citizen first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.domain.errors import Refused
from console.local import LocalHall
from console.remote import RemoteHall
from console.reports.backup import backup
from tests.server.conftest import ADMIN, PIN, Server, build_hall, free_port, register
from tests.waiting import wait_until

HOLD_S = 3


def calls_of(db: Path, number: str) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute(
            "SELECT e.counter_number FROM events e JOIN tickets t ON t.id = e.ticket_id"
            " WHERE e.kind = 'called' AND t.number = ? ORDER BY e.id", (number,))]  # fmt: skip
    finally:
        conn.close()


@pytest.fixture
def halls(tmp_path: Path):
    db = tmp_path / "a" / "hall.db"
    db.parent.mkdir()
    build_hall(db)
    tokens = [register(db, "desk-1"), register(db, "desk-2")]
    (tmp_path / "b").mkdir()
    primary = Server(db, free_port())
    standby = Server(tmp_path / "b" / "hall.db", free_port())
    try:
        yield primary, standby, tokens
    finally:
        primary.stop()
        standby.stop()


def test_a_desk_calls_back_the_ticket_whose_call_the_standby_lacks(halls):
    primary, standby, tokens = halls
    primary.start()
    servers = f"{primary.url},{standby.url}"
    one, two = (RemoteHall(servers, t, retry_for=0.3) for t in tokens)
    try:
        clerks = [one.login("1001", PIN, ""), two.login("1002", PIN, "")]
        one.open_counter(clerks[0], 1)
        two.open_counter(clerks[1], 2)
        for _ in range(2):
            one.issue(clerks[0], "ID")
        # the replica as the primary dies: it has both tickets waiting, not the call below
        backup(primary.db, standby.db)
        copy = LocalHall(standby.db)
        try:
            copy.set_setting(ADMIN, "failover_call_hold_s", HOLD_S)
            copy.engine.record_failover()  # what `qconsole restore` records
        finally:
            copy.close()
        assert one.call_next(clerks[0], 1).number == "A001"  # acknowledged: the citizen walks
        primary.kill()
        standby.start()
        with pytest.raises(Refused, match="call next again in"):
            two.call_next(clerks[1], 2)  # the other counter must not take A001 meanwhile
        one.counter_view(1)  # the desk's next look: on the standby, it calls A001 back first
        assert [t.number for t in one.reclaimed] == ["A001"]
        assert one.counter_view(1).current.number == "A001"

        def call_once_the_hold_is_over():
            try:
                return two.call_next(clerks[1], 2)
            except Refused as refused:
                assert "call next again in" in refused.message
                return None

        called = wait_until(call_once_the_hold_is_over, timeout=HOLD_S + 10,
                            what="counter 2 calling after the hold")  # fmt: skip
        assert called.number == "A002"
    finally:
        one.close()
        two.close()
    assert calls_of(standby.db, "A001") == [1]  # called at counter 1 only, never at 2


async def test_the_desk_says_when_its_ticket_was_called_back_on_the_standby(desk_hall):
    """The station called the ticket back by itself (``RemoteHall.reclaimed``); the clerk
    reads why the same citizen is called again at this counter."""
    from textual.widgets import Static

    from tests.conftest import ADMIN as SHELL
    from tests.tui.conftest import desk_app, ready, until

    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("n")  # stands for the call the station made back on the standby
        await until(pilot, lambda: pilot.app.screen.view.current is not None)
        called = desk_hall.get_ticket(pilot.app.screen.view.current.number)
        desk_hall.reclaimed = [called]  # as RemoteHall keeps it (LocalHall never reclaims)
        # the next change this desk shows (a green ticket joins the top of its list): it
        # reads its view again; a ticket behind a full list would wait for the catch-up
        desk_hall.issue(SHELL, "ID", green_reason="elderly")
        status = pilot.app.screen.query_one("#status", Static)
        await until(pilot, lambda: "called back to this counter" in str(status.render()))
        assert called.number in str(status.render())
        assert desk_hall.reclaimed == []  # said once
