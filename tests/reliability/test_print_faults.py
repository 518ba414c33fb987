"""Printer faults end to end from the reception screen: a network ticket printer (a
``FakePrinter`` on 127.0.0.1) that is offline, out of paper, or unplugged in the middle of
a job.

Each time: F2 issues the ticket and the ticket is stored whatever the printer does; the
print job is recorded failed with the printer's reason (unconfirmed when the printer went
away mid-job: it may not have printed) and the screen says so; once the
printer is back, F6 reprints, the new job is done, and the number went onto paper once.
"""

from __future__ import annotations

import pytest

from console.tui.screens.reception import ReceptionScreen
from printers.testing import FakePrinter, parse_escpos
from tests.conftest import ADMIN, clerk
from tests.screens.conftest import loaded, station_app, until
from tests.tui.conftest import demo_template, desk_hall  # noqa: F401  (fixtures)

RECEPTIONIST = clerk("1001")

FAULTS = {
    "offline": ("failed", "Printing failed", "offline"),
    "paper_out": ("failed", "Printing failed", "out of paper"),
    "drop": ("unconfirmed", "Unconfirmed", "may not have printed"),
}
"""FakePrinter mode → the job's status, what the reception screen and the job record say."""


def state(app) -> str:
    return str(app.screen.query_one("#rcp-print-state").render())


def printed(fake: FakePrinter, number: str) -> int:
    """How many connections carried a whole ticket with this number."""
    with fake._lock:
        jobs = [bytes(c) for c in fake.connections]
    count = 0
    for data in jobs:
        for n in (1, 2, 3, 4):
            data = data.replace(b"\x10\x04" + bytes((n,)), b"")
        if data and any(number in line for line in parse_escpos(data).lines):
            count += 1
    return count


@pytest.mark.parametrize("mode", list(FAULTS))
async def test_a_printer_fault_at_reception_loses_nothing_and_reprints_once(desk_hall, mode):  # noqa: F811
    tickets_before = len(desk_hall.list_tickets())
    with FakePrinter(mode, drop_after=60) as fake:
        desk_hall.add_printer(ADMIN, name="entrance", connection="network",
                              address=fake.address, purpose="ticket")  # fmt: skip
        app = station_app(desk_hall, "reception", actor=RECEPTIONIST)
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot, lambda: pilot.app.screen.printer is not None)
            screen = pilot.app.screen
            assert isinstance(screen, ReceptionScreen)
            await pilot.press("f2")
            await until(pilot, lambda: screen.last is not None)
            ticket = screen.last.ticket
            assert desk_hall.get_ticket(f"#{ticket.id}").status == "waiting"  # stored anyway
            status, shown, reason = FAULTS[mode]
            await until(pilot, lambda: shown in state(pilot.app), timeout=10)
            assert "F6 reprints" in state(pilot.app)
            assert status == "unconfirmed" or reason in state(pilot.app)
            [job] = [j for j in desk_hall.list_print_jobs() if j.ticket_id == ticket.id]
            assert job.status == status and reason in (job.error or "")
            assert printed(fake, ticket.number) == 0

            fake.mode = "online"  # paper in, cable back, printer on
            await pilot.press("f6")
            await until(pilot, lambda: "printed" in state(pilot.app), timeout=10)
            jobs = [j for j in desk_hall.list_print_jobs() if j.ticket_id == ticket.id]
            assert sorted(j.status for j in jobs) == ["done", status]
            assert printed(fake, ticket.number) == 1
            assert screen.last.ticket.number == ticket.number  # the same ticket, not a new one
        assert len(desk_hall.list_tickets()) == tickets_before + 1  # a reprint is no new ticket
