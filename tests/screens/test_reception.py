"""Reception: search and issue, green channel and low position, the print job's state and
reprint, appointment check-in, and the closed hall."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from textual.widgets import Checkbox, Input, OptionList, Select, Static

from console.tui.dialogs import PickDialog
from console.tui.screens.hall_login import HallLoginScreen
from console.tui.screens.reception import ReceptionScreen
from tests.conftest import ADMIN, TZ, clerk
from tests.screens.conftest import loaded, station_app, until

RECEPTIONIST = clerk("1001")


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def reception_app(hall, **kwargs):
    return station_app(hall, "reception", actor=RECEPTIONIST, **kwargs)


def shown_services(app) -> list[str]:
    options = app.screen.query_one("#rcp-services", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def issued(pilot) -> None:
    await until(pilot, lambda: pilot.app.screen.last is not None)
    await pilot.pause()


async def test_login_as_any_clerk_opens_no_counter(desk_hall):
    async with station_app(desk_hall, "reception").run_test(size=(100, 30)) as pilot:
        assert isinstance(pilot.app.screen, HallLoginScreen)
        await pilot.press(*"1001", "enter", *"1234", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReceptionScreen))
        assert desk_hall.counter_view(1).counter.state == "closed"


async def test_search_then_enter_issues(desk_hall):
    # PP, in code order HH, ID, PP; the counters serving PP serve other services too, whose
    # tickets lengthen the wait but are not "ahead" in the PP queue
    ahead = desk_hall.hall_view().services[2].waiting
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        # the services first, as before; then the one-stop hall's matters
        assert shown_services(pilot.app)[:6] == ["HH", "ID", "PP", "RES", "VEH", "ZH"]
        assert shown_services(pilot.app)[6].startswith("m:")
        await pilot.press(*"passport")
        assert shown_services(pilot.app) == ["PP"]
        await pilot.press("enter")
        await issued(pilot)
        result = pilot.app.screen.last
        # "ahead" is the list's waiting count of the queue: one number for the citizen
        assert result.ticket.service_code == "PP" and result.ahead == ahead
        assert desk_hall.get_ticket(result.ticket.number).status == "waiting"
        info = text(pilot.app, "#rcp-info")
        assert f"{result.ahead} ahead" in info
        assert f"About {result.estimated_wait_min} min wait" in info
        assert f"Issued {result.ticket.number}" in text(pilot.app, "#status")


async def test_search_by_code_first_and_by_pinyin(desk_hall):
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await pilot.press(*"id")
        assert shown_services(pilot.app)[0] == "ID"  # before "Residence" (which has "id")
        await pilot.press("ctrl+u", *"hz")  # 护照 (hu zhao), then matters such as …核准
        assert shown_services(pilot.app)[0] == "PP"
        assert all(code.startswith("m:") for code in shown_services(pilot.app)[1:])
        await pilot.press("ctrl+u", *"huji")  # 户籍
        assert shown_services(pilot.app) == ["HH"]


async def test_arrows_move_in_the_list_while_typing(desk_hall):
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await pilot.press("down", "down", "f2")  # HH, ID, PP
        await issued(pilot)
        assert pilot.app.screen.last.ticket.service_code == "PP"


async def test_a_green_channel_ticket_for_the_low_counter(desk_hall):
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await pilot.press(*"ID")
        screen = pilot.app.screen
        screen.query_one("#rcp-green", Select).value = "other"
        screen.query_one("#rcp-low", Checkbox).value = True
        await pilot.press("f2")
        await until(pilot, lambda: "write the details" in text(pilot.app, "#status"))
        assert screen.last is None  # "other" needs the text
        screen.query_one("#rcp-note", Input).value = "broken leg"
        await pilot.press("f2")
        await issued(pilot)
        ticket = desk_hall.get_ticket(screen.last.ticket.number)
        assert (ticket.green_reason, ticket.green_note, ticket.low_position) == (
            "other",
            "broken leg",
            True,
        )
        assert "Green channel: other" in text(pilot.app, "#rcp-info")
        # the options are per citizen
        assert screen.query_one("#rcp-green", Select).value == "none"
        assert screen.query_one("#rcp-low", Checkbox).value is False


async def test_without_a_printer_print_is_off_and_said_once_calmly(desk_hall):
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await until(pilot, lambda: pilot.app.screen.has_printer is False)
        box = pilot.app.screen.query_one("#rcp-print", Checkbox)
        assert (box.value, box.disabled) == (False, True)
        assert "No ticket printer here" in text(pilot.app, "#rcp-print-state")
        await pilot.press("enter")
        await issued(pilot)
        assert "No ticket printer here" in text(pilot.app, "#rcp-print-state")
        assert "failed" not in text(pilot.app, "#rcp-print-state").lower()
        assert desk_hall.list_print_jobs() == []
        assert not pilot.app.screen.action_available("reprint")


async def test_after_each_ticket_the_search_is_empty_and_keeps_the_focus(desk_hall):
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        search = pilot.app.screen.query_one("#rcp-search", Input)
        await pilot.press(*"passport", "enter")
        await issued(pilot)
        assert pilot.app.screen.last.ticket.service_code == "PP"
        assert (search.value, search.has_focus) == ("", True)
        first = pilot.app.screen.last.ticket.number
        await pilot.press(*"id card", "enter")
        await until(pilot, lambda: pilot.app.screen.last.ticket.number != first)
        assert pilot.app.screen.last.ticket.service_code == "ID"
        await pilot.press(*"xyz")
        assert search.value == "xyz"
        await pilot.press("escape")
        assert (search.value, search.has_focus) == ("", True)
        assert shown_services(pilot.app)[:6] == [s.code for s in desk_hall.list_services()]


async def test_a_matter_by_its_pinyin_initials_is_issued_in_its_queue(desk_hall):
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await pilot.press(*"gtgsh")  # 个体工商户…
        shown = shown_services(pilot.app)
        assert shown and all(code.startswith("m:SCJG-") for code in shown)
        names = [desk_hall.get_matter(code[2:]).name_zh for code in shown]
        assert all(name.startswith("个体工商户") for name in names)
        await pilot.press("ctrl+u", *"gtgshsldj")  # 个体工商户设立登记 exactly
        assert shown_services(pilot.app) == ["m:SCJG-0001"]
        await pilot.press("enter")
        await issued(pilot)
        ticket = pilot.app.screen.last.ticket
        assert (ticket.matter_code, ticket.service_code) == ("SCJG-0001", "ZH")
        assert "Individual business: establishment registration" in text(pilot.app, "#rcp-info")
        assert desk_hall.get_ticket(ticket.number).matter_code == "SCJG-0001"


async def test_a_department_lists_its_matters_the_most_issued_first(desk_hall):
    matters = [m for m in desk_hall.list_matters() if m.department == "RSJ"]
    popular = matters[-1].code  # last in code order: only issuing can lift it to the top
    for _ in range(3):
        desk_hall.issue(ADMIN, matter=popular)
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await pilot.press(*"rlzy")  # 人力资源和社会保障局, by its initials
        shown = shown_services(pilot.app)
        assert shown[0] == f"m:{popular}"
        assert {code[2:] for code in shown} <= {m.code for m in matters}


async def test_a_matter_added_while_reception_runs_is_found_without_a_restart(desk_hall):
    """The catalogue changes during the day (an import, a new matter): the running screen
    searches what is there now, and a removed matter is no longer offered."""
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await pilot.press(*"zxsydwfrdj")  # 专项事业单位法人登记: not in the catalogue yet
        assert "m:SYDW-0001" not in shown_services(pilot.app)
        desk_hall.add_matter(ADMIN, code="SYDW-0001", name_zh="专项事业单位法人登记",
                             department="SYDW", department_zh="事业单位登记管理局",
                             service="ZH")  # fmt: skip
        await until(pilot, lambda: shown_services(pilot.app) == ["m:SYDW-0001"])
        desk_hall.remove_matter(ADMIN, "SYDW-0001")
        await until(pilot, lambda: "m:SYDW-0001" not in shown_services(pilot.app))


async def test_printing_to_a_file_printer(desk_hall, tmp_path):
    out = tmp_path / "tickets.bin"
    desk_hall.add_printer(ADMIN, name="entrance", connection="file", address=str(out),
                          purpose="ticket")  # fmt: skip
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await until(pilot, lambda: pilot.app.screen.printer is not None)
        await pilot.press("enter")
        await issued(pilot)
        await until(pilot, lambda: "printed" in text(pilot.app, "#rcp-print-state"), timeout=10)
        assert out.exists() and out.stat().st_size > 0


async def test_printing_can_be_switched_off(desk_hall, tmp_path):
    desk_hall.add_printer(ADMIN, name="entrance", connection="file",
                          address=str(tmp_path / "t.bin"), purpose="ticket")  # fmt: skip
    async with reception_app(desk_hall, print_tickets=False).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await pilot.press("enter")
        await issued(pilot)
        assert "not printed" in text(pilot.app, "#rcp-print-state")
        assert desk_hall.list_print_jobs() == []


async def test_check_in_an_appointment(desk_hall, clock):
    desk_hall.import_appointments(ADMIN, [
        {"code": "YY20261126001", "service": "PP", "date": clock.day(), "time": "10:00",
         "name": "李四", "green_reason": ""},
    ])  # fmt: skip
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(pilot.app.screen, PickDialog))
        await pilot.press(*"YY20261126001", "enter")
        await issued(pilot)
        ticket = pilot.app.screen.last.ticket
        assert (ticket.appointment_code, ticket.service_code) == ("YY20261126001", "PP")
        assert f"Appointment YY20261126001 checked in: {ticket.number}" in text(
            pilot.app, "#status"
        )
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(pilot.app.screen, PickDialog))
        await pilot.press(*"YY20261126001", "enter")
        await until(pilot, lambda: "checked in already" in text(pilot.app, "#status"))
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(pilot.app.screen, PickDialog))
        await pilot.press(*"NOPE", "enter")
        await until(pilot, lambda: "no appointment NOPE" in text(pilot.app, "#status"))


async def test_outside_a_session_the_screen_says_when_the_next_opens(desk_hall, clock):
    desk_hall.edit_session(ADMIN, "演示专场 Demo", active=False)
    clock.t = datetime(2026, 11, 26, 17, 45, tzinfo=TZ).timestamp()
    async with reception_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        session = text(pilot.app, "#rcp-session")
        assert "No session is open" in session and "18:00" in session
        await pilot.press("enter")
        await pilot.pause()
        assert "No session is open" in text(pilot.app, "#status")
        assert pilot.app.screen.last is None


async def test_in_chinese(desk_hall):
    async with reception_app(desk_hall, lang="zh-CN").run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await pilot.press(*"护照", "enter")
        await issued(pilot)
        assert "前面还有" in text(pilot.app, "#rcp-info")
        assert "本台没有号票打印机" in text(pilot.app, "#rcp-print-state")


async def test_a_printer_added_while_the_screen_runs_prints_its_station_s_tickets(
    desk_hall, tmp_path
):
    """The screen and ``printers add --station`` agree on the station's name, and the
    printer is used without a restart; another station's printer is left alone."""
    from console.domain import Actor

    mine, theirs = tmp_path / "mine.bin", tmp_path / "theirs.bin"
    receptionist = Actor(staff_no="1001", role="clerk", station="reception-1")
    app = station_app(desk_hall, "reception", actor=receptionist)
    app.settings = dataclasses.replace(app.settings, station="reception-1")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await until(pilot, lambda: pilot.app.screen.printer is not None)
        desk_hall.add_printer(ADMIN, name="hall-2", connection="file", address=str(theirs),
                              station="reception-2")  # fmt: skip
        desk_hall.add_printer(ADMIN, name="reception-1-t58", connection="file",
                              address=str(mine), station="reception-1")  # fmt: skip
        await until(pilot, lambda: pilot.app.screen.has_printer)  # offered without a restart
        await pilot.press("enter")
        await issued(pilot)
        await until(pilot, lambda: "printed" in text(pilot.app, "#rcp-print-state"), timeout=10)
        assert mine.stat().st_size > 0 and not theirs.exists()


async def test_every_line_of_the_list_shows_its_name_and_issuing_starts_a_fresh_list(desk_hall):
    from tests.tui.english import screen_text

    async with reception_app(desk_hall, lang="zh-CN").run_test(size=(80, 24)) as pilot:
        await loaded(pilot, lambda: shown_services(pilot.app))
        await pilot.press(*"zh")  # the one-stop window's matters: long names among them
        await pilot.pause()
        rows = [line for line in screen_text(pilot.app).splitlines() if "人等" in line]
        assert len(rows) > 10
        assert all(line.split("人等", 1)[1].strip("│ ▂▁▃▄▅▆▇█") for line in rows), rows
        await pilot.press("escape")  # the whole list again
        for _ in range(30):
            await pilot.press("down")
        await pilot.pause()
        options = pilot.app.screen.query_one("#rcp-services", OptionList)
        assert options.scroll_offset.y > 0
        await pilot.press("enter")
        await issued(pilot)
        await pilot.pause()
        assert options.scroll_offset.y == 0  # the next citizen starts at the top of the list
