"""The reception and the desk screens print over the hall server as they do over the hall
file: the hall server in its own process, each screen on a station token, its print
worker claiming its station's jobs, holding them on a lease and reporting them through
the service. Each slip reaches the station's own (file) printer once, and the job is
recorded done."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from console.local import LocalHall
from console.remote import RemoteHall
from console.tui.app import build_app
from console.tui.dialogs import FinishDialog
from console.tui.settings import Settings
from tests.server.conftest import ADMIN, PIN, Server, build_hall, free_port, register
from tests.tui.conftest import open_dialog, ready, until


@pytest.fixture
def lan(tmp_path) -> Iterator[Server]:
    """A hall whose reception and counter 1 each drive a file printer of their own."""
    db = tmp_path / "hall.db"
    build_hall(db, clerks=2, counters=1)
    hall = LocalHall(db)
    try:
        hall.add_printer(ADMIN, name="entrance", connection="file", purpose="ticket",
                         address=str(tmp_path / "tickets.bin"), station="reception-1")  # fmt: skip
        hall.add_printer(ADMIN, name="counter-1", connection="file", purpose="receipt",
                         address=str(tmp_path / "receipts.bin"), station="desk-1",
                         counter_number=1)  # fmt: skip
    finally:
        hall.close()
    server = Server(db, free_port())
    server.tokens["reception-1"] = register(db, "reception-1")
    server.tokens["desk-1"] = register(db, "desk-1")
    server.start()
    yield server
    server.stop()


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def printed_jobs(hall: RemoteHall) -> list[tuple[str, str, str | None]]:
    return [(j.kind, j.status, j.printer) for j in hall.list_print_jobs()]


async def test_reception_prints_its_tickets_over_the_server(lan: Server, tmp_path: Path):
    hall = RemoteHall(lan.url, token=lan.tokens["reception-1"])
    try:
        actor = hall.login("1001", PIN, "reception-1")
        settings = Settings(lang="en", station="reception-1", actor=actor, screen="reception",
                            cursor_blink=False, live_timeout=0.2)  # fmt: skip
        async with build_app(hall, settings).run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            await until(pilot, lambda: pilot.app.screen.printer is not None)
            await pilot.press("enter")
            await until(pilot, lambda: pilot.app.screen.last is not None)
            number = pilot.app.screen.last.ticket.number
            state = "#rcp-print-state"
            await until(pilot, lambda: "printed" in shown(pilot.app, state), timeout=15)
        assert printed_jobs(hall) == [("ticket", "done", "entrance")]
        assert (tmp_path / "tickets.bin").read_bytes().count(number.encode()) == 1
    finally:
        hall.close()


async def test_the_desk_prints_its_receipts_over_the_server(lan: Server, tmp_path: Path):
    hall = RemoteHall(lan.url, token=lan.tokens["desk-1"])
    try:
        actor = hall.login("1002", PIN, "desk-1")
        hall.open_counter(actor, 1)
        hall.issue(actor, "ID")
        settings = Settings(counter=1, lang="en", station="desk-1", actor=actor,
                            cursor_blink=False, live_timeout=0.2)  # fmt: skip
        async with build_app(hall, settings).run_test(size=(100, 34)) as pilot:
            await ready(pilot)
            await until(pilot, lambda: pilot.app.screen.printer is not None)
            await pilot.press("n")
            await until(pilot, lambda: pilot.app.screen.view.current is not None)
            number = pilot.app.screen.view.current.number
            await open_dialog(pilot, "d", FinishDialog)
            await pilot.press("enter")
            await until(pilot, lambda: pilot.app.screen.view.current is None)
            await pilot.press("e")
            status = "#status"
            await until(pilot, lambda: "printed" in shown(pilot.app, status), timeout=15)
        assert printed_jobs(hall) == [("receipt", "done", "counter-1")]
        assert (tmp_path / "receipts.bin").read_bytes().count(number.encode()) == 1
    finally:
        hall.close()
