"""A printer's failure is stored as a reason code and said in the reader's language: the
floor's alert and reception's print line on a zh-CN screen carry no printer English."""

from __future__ import annotations

import dataclasses
import re

from textual.widgets import OptionList, Static

from console.domain import Actor
from console.printing import process_pending
from console.printing_local import LocalJobs, local_printers
from printers.testing import FakePrinter
from tests.conftest import ADMIN
from tests.screens.conftest import MANAGER, loaded, plain, station_app, until
from tests.tui.english import SENTENCE


def alerts(app) -> str:
    """The alert list on one line (the screen wraps it, between two Chinese characters too)."""
    joined = re.sub(r" *\n {2,}", " ", plain(app, "#floor-alert-list"))
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", joined)


def english(text: str) -> list[str]:
    """English sentences in ``text`` (lists of service codes, capitals only, are not)."""
    return [s for s in SENTENCE.findall(text) if not s.isupper()]


def print_line(app) -> str:
    return str(app.screen.query_one("#rcp-print-state", Static).render())


async def test_the_floor_says_a_kiosk_printer_out_of_paper_in_chinese(desk_hall, clock):
    with FakePrinter("paper_out") as fake:
        desk_hall.add_printer(ADMIN, name="kiosk-1", connection="network", address=fake.address)
        jobs = LocalJobs(desk_hall.path, clock, "kiosk-1", local_printers("kiosk-1"))
        try:
            number = desk_hall.issue(ADMIN, "ID", print_ticket=True).ticket.number
            process_pending(jobs)
        finally:
            jobs.close()
    [job] = desk_hall.list_print_jobs()
    assert job.reason == "printer.paper_out" and "out of paper" in (job.error or "")
    async with station_app(desk_hall, "floor", lang="zh-CN",
                           actor=MANAGER).run_test(size=(160, 50)) as pilot:  # fmt: skip
        await loaded(pilot, lambda: "kiosk-1" in alerts(pilot.app))
        shown = alerts(pilot.app)
        assert f"{number}的号票未能确认打出：打印机 kiosk-1 缺纸：装纸后重印" in shown, shown
        assert english(shown) == [], shown


async def test_reception_says_its_printer_out_of_paper_in_chinese(desk_hall):
    with FakePrinter("paper_out") as fake:
        desk_hall.add_printer(ADMIN, name="entrance", connection="network",
                              address=fake.address, station="reception-1")  # fmt: skip
        receptionist = Actor(staff_no="1001", role="clerk", station="reception-1")
        app = station_app(desk_hall, "reception", lang="zh-CN", actor=receptionist)
        app.settings = dataclasses.replace(app.settings, station="reception-1")
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot, lambda: pilot.app.screen.query_one(OptionList).option_count)
            await until(pilot, lambda: pilot.app.screen.printer is not None)
            await pilot.press("enter")
            await until(
                pilot,
                lambda: "缺纸" in print_line(pilot.app),
                timeout=30,
                what=f"the print line said {print_line(pilot.app)!r}",
            )
            line = print_line(pilot.app)
            assert "打印机 entrance 缺纸：装纸后重印" in line, line
            assert english(line) == [], line
