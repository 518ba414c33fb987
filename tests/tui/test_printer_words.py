"""A printer's failure reaches the desk in the clerk's language, not in the printer's English."""

from __future__ import annotations

from textual.widgets import Static

from console.domain import Actor
from printers.testing import FakePrinter
from tests.tui.conftest import clerk, desk_app, ready, until

ADMIN = Actor(staff_no="admin", role="admin", station="admin-pc", name="Admin")


def status(app) -> str:
    """The desk's status line, under the receipt's text a failed print puts on top."""
    desk = next(s for s in app.screen_stack if s.query("#status"))
    return str(desk.query_one("#status", Static).render())


async def test_a_receipt_printer_out_of_paper_is_said_in_chinese(desk_hall):
    with FakePrinter("paper_out") as fake:
        desk_hall.add_printer(
            ADMIN, name="desk1-receipt", connection="network", address=fake.address,
            counter_number=1, purpose="receipt",
        )  # fmt: skip
        app = desk_app(desk_hall, lang="zh-CN")
        desk_hall.call_next(clerk("1001"), 1)
        desk_hall.finish(clerk("1001"), 1)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("e")  # the receipt of the ticket just finished here
            await until(pilot, lambda: "缺纸" in status(pilot.app), timeout=60)
            assert "打印机 desk1-receipt 缺纸：装纸后重印" in status(pilot.app)
            assert "out of paper" not in status(pilot.app)
