"""Every desk action and its refusals, driven by keys, checked in the database and on screen."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from console.domain.errors import Refused
from console.tui.dialogs import ConfirmDialog, FinishDialog, PickDialog, ReceiptDialog
from console.tui.screens import DeskScreen, HelpScreen, LoginScreen
from tests.conftest import clerk
from tests.tui.conftest import desk_app, open_dialog, ready, until


def status_text(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


def current(app):
    view = app.screen.view
    return view.current if view else None


async def call_and_wait(pilot, key: str = "n") -> str:
    app = pilot.app
    before = current(app)
    await pilot.press(key)
    await until(pilot, lambda: current(app) is not None and current(app) != before)
    return current(app).number


async def test_call_next_takes_the_first_in_calling_order(desk_hall):
    expected = desk_hall.counter_view(1).next_tickets[0].number
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        assert number == expected
        ticket = desk_hall.get_ticket(number)
        assert (ticket.status, ticket.counter_number) == ("called", 1)
        await until(pilot, lambda: number in status_text(pilot.app))
        assert f"Called {number}" in status_text(pilot.app)


async def test_refusals_are_a_status_line_not_a_crash(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for key in ("d", "x", "t", "p", "g"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(pilot.app.screen, DeskScreen), key
            await until(pilot, lambda: "no current ticket" in status_text(pilot.app).lower())
        await pilot.press("r")  # goes to the engine, which refuses
        await until(
            pilot,
            lambda: "cannot" in status_text(pilot.app) or "no current" in status_text(pilot.app),
        )
        assert "counter 1 has no current ticket" in status_text(pilot.app).lower()
        assert desk_hall.list_tickets(status="called") == []


async def test_call_next_refused_while_a_ticket_is_held(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        await pilot.press("n")
        await until(pilot, lambda: "finish it first" in status_text(pilot.app))
        assert [t.number for t in desk_hall.list_tickets(status="called")] == [number]


async def test_recall_serve_and_finish(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        await pilot.press("r")
        await until(pilot, lambda: current(pilot.app).recall_count == 1)
        assert desk_hall.get_ticket(number).recall_count == 1
        assert "Recalled 1×" in str(pilot.app.screen.query_one("#ticket-times", Static).render())
        await pilot.press("s")
        await until(pilot, lambda: current(pilot.app).status == "serving")
        assert desk_hall.get_ticket(number).status == "serving"
        await open_dialog(pilot, "d", FinishDialog)
        await pilot.press("5", "enter")
        await until(pilot, lambda: current(pilot.app) is None)
        done = desk_hall.get_ticket(number)
        assert (done.status, done.outcome, done.rating) == ("done", "done", 5)
        assert pilot.app.screen.view.served_today == 1


async def test_finish_materials_incomplete_with_pick_list(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        await open_dialog(pilot, "d", FinishDialog)
        dialog = pilot.app.screen
        await pilot.press("down", "space")  # outcome: materials incomplete
        assert dialog.outcome == "incomplete"
        await pilot.press("enter")  # refused: nothing ticked yet
        await pilot.pause()
        assert isinstance(pilot.app.screen, FinishDialog)
        assert "tick or type" in str(dialog.query_one("#finish-error", Static).render())
        await pilot.press("space")  # the focus moved to the list: tick its first item
        await pilot.press("0")  # rating: not given
        await pilot.press("enter")
        await until(pilot, lambda: current(pilot.app) is None)
        done = desk_hall.get_ticket(number)
        # the first of the matter's one-time list (of the service's, for a ticket without one)
        first = (desk_hall.get_matter(done.matter_code).materials[0] if done.matter_code
                 else "户口簿")  # fmt: skip
        assert (done.outcome, done.materials, done.rating) == ("incomplete", [first], None)


async def test_finish_can_be_cancelled(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        await open_dialog(pilot, "d", FinishDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DeskScreen)
        assert desk_hall.get_ticket(number).status == "called"


async def test_no_show_asks_first(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        await open_dialog(pilot, "x", ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert desk_hall.get_ticket(number).status == "called"
        await open_dialog(pilot, "x", ConfirmDialog)
        await pilot.press("y")
        await until(pilot, lambda: current(pilot.app) is None)
        assert desk_hall.get_ticket(number).status == "no_show"
        assert pilot.app.screen.view.no_shows_today == 1


async def test_transfer_to_a_service_from_the_searchable_list(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        await open_dialog(pilot, "t", PickDialog)
        await pilot.press(*"passport")
        await pilot.press("enter")
        await until(pilot, lambda: current(pilot.app) is None)
        moved = desk_hall.get_ticket(number)
        assert (moved.service_code, moved.status, moved.transferred) == ("PP", "waiting", True)


async def test_transfer_to_a_counter(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        await open_dialog(pilot, "t", PickDialog)
        await pilot.press(*"counter 5", "enter")
        await until(pilot, lambda: current(pilot.app) is None)
        assert desk_hall.get_ticket(number).directed_counter == 5


async def test_park_and_resume(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("u")
        await until(pilot, lambda: "No ticket is parked" in status_text(pilot.app))
        number = await call_and_wait(pilot)
        await open_dialog(pilot, "p", PickDialog)
        await pilot.press(*"photo", "enter")  # from the short list
        await until(pilot, lambda: current(pilot.app) is None)
        assert (desk_hall.get_ticket(number).status, desk_hall.get_ticket(number).park_reason) == (
            "parked",
            "photo retake",
        )
        assert [t.number for t in pilot.app.screen.view.parked] == [number]
        parked_panel = str(pilot.app.screen.query_one("#queue-parked", Static).render())
        assert "photo retake" in parked_panel
        second = await call_and_wait(pilot)
        await pilot.press("u")  # a ticket is at the counter: refused at once, no list opens
        await until(pilot, lambda: "finish, park or transfer it first" in status_text(pilot.app))
        assert not isinstance(pilot.app.screen, PickDialog)
        await open_dialog(pilot, "p", PickDialog)
        await pilot.press(*"gone to the bank", "enter")  # typed: not in the list
        await until(pilot, lambda: current(pilot.app) is None)
        assert desk_hall.get_ticket(second).park_reason == "gone to the bank"
        await open_dialog(pilot, "u", PickDialog)
        await pilot.press(*number)
        await pilot.press("enter")
        await until(pilot, lambda: current(pilot.app) is not None)
        assert desk_hall.get_ticket(number).status == "serving"


async def test_call_a_specific_number_and_flag_green(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await open_dialog(pilot, "c", PickDialog)
        await pilot.press(*"a010", "enter")
        await until(pilot, lambda: current(pilot.app) is not None)
        assert current(pilot.app).number == "A010"
        assert desk_hall.get_ticket("A010").status == "called"
        await open_dialog(pilot, "g", PickDialog)
        await pilot.press(*"urgent", "tab", *"flight", "enter")
        await until(pilot, lambda: current(pilot.app).green)
        ticket = desk_hall.get_ticket("A010")
        assert (ticket.green_reason, ticket.green_note) == ("urgent", "flight")


async def test_call_number_refused_for_an_unknown_ticket(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await open_dialog(pilot, "c", PickDialog)
        await pilot.press(*"Z999", "enter")
        await until(pilot, lambda: "Z999" in status_text(pilot.app))
        assert "no ticket Z999 today" in status_text(pilot.app)


async def test_pause_with_a_reason_and_resume(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await open_dialog(pilot, "z", PickDialog)
        await pilot.press(*"training", "enter")
        await until(pilot, lambda: pilot.app.screen.view.counter.state == "paused")
        counter = desk_hall.counter_view(1).counter
        assert (counter.state, counter.pause_reason) == ("paused", "training")
        await pilot.press("n")
        await until(pilot, lambda: "paused" in status_text(pilot.app))
        assert "resume it first" in status_text(pilot.app)
        await pilot.press("z")
        await until(pilot, lambda: pilot.app.screen.view.counter.state == "open")
        assert desk_hall.counter_view(1).counter.state == "open"


async def test_close_counter_refused_with_a_ticket_then_closes(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await call_and_wait(pilot)
        await open_dialog(pilot, "w", ConfirmDialog)
        await pilot.press("y")
        await until(pilot, lambda: "first" in status_text(pilot.app))
        assert desk_hall.counter_view(1).counter.state == "open"
        await open_dialog(pilot, "d", FinishDialog)
        await pilot.press("enter")
        await until(pilot, lambda: current(pilot.app) is None)
        await open_dialog(pilot, "w", ConfirmDialog)
        await open_dialog(pilot, "y", LoginScreen)
        assert desk_hall.counter_view(1).counter.state == "closed"
        assert "Counter 1 is closed" in str(pilot.app.screen.query_one("#login-error").render())


async def test_logout_keeps_the_counter(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await open_dialog(pilot, "l", ConfirmDialog)
        await open_dialog(pilot, "y", LoginScreen)
        assert desk_hall.counter_view(1).counter.state == "open"


async def test_print_receipt_shows_the_text_without_a_printer(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await until(pilot, lambda: "finished no ticket" in status_text(pilot.app))
        number = await call_and_wait(pilot)
        await open_dialog(pilot, "d", FinishDialog)
        await pilot.press("enter")
        await until(pilot, lambda: current(pilot.app) is None)
        await open_dialog(pilot, "e", ReceiptDialog)
        text = "\n".join(pilot.app.screen.lines)
        assert number in text
        jobs = desk_hall.list_print_jobs()
        assert (jobs[0].kind, jobs[0].status) == ("receipt", "failed")
        assert jobs[0].ticket_id == desk_hall.get_ticket(number).id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DeskScreen)
        assert "no printer" in status_text(pilot.app)


async def test_help_lists_every_key(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await open_dialog(pilot, "f1", HelpScreen)
        table = pilot.app.screen.query_one("#help-table", Static)
        rendered = pilot.app.screen.actions
        assert "call_next" in rendered and "close_counter" in rendered and "quit" in rendered
        assert table is not None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DeskScreen)


async def test_another_clerks_counter_is_refused(desk_hall):
    app = desk_app(desk_hall, counter=2, staff_no="1001", logged_in=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"1001", "enter", *"1234", "enter")
        error = pilot.app.screen.query_one("#login-error", Static)
        await until(pilot, lambda: "open for" in str(error.render()))
        assert isinstance(pilot.app.screen, LoginScreen)
        assert "counter 2 is open for 1002" in str(error.render())


async def test_print_receipt_on_the_counters_printer(desk_hall, tmp_path):
    from tests.conftest import ADMIN

    out = tmp_path / "receipts.bin"
    desk_hall.add_printer(ADMIN, name="counter-1", connection="file", address=str(out),
                          purpose="receipt", counter_number=1)  # fmt: skip
    async with desk_app(desk_hall).run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: pilot.app.screen.printer is not None)
        number = await call_and_wait(pilot)
        await open_dialog(pilot, "d", FinishDialog)
        await pilot.press("enter")
        await until(pilot, lambda: current(pilot.app) is None)
        await pilot.press("e")
        await until(pilot, lambda: "printed" in status_text(pilot.app), timeout=10)
        job = desk_hall.list_print_jobs()[0]
        assert (job.kind, job.status, job.printer) == ("receipt", "done", "counter-1")
        assert number.encode() in out.read_bytes()
        assert isinstance(pilot.app.screen, DeskScreen)


async def test_pickers_search_by_pinyin_leave_out_the_own_service_and_list_what_was_typed(
    desk_hall,
):
    from textual.widgets import OptionList

    def listed(app) -> list[str]:
        options = app.screen.query_one("#pick-list", OptionList)
        return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await open_dialog(pilot, "c", PickDialog)
        await pilot.press(*"a020")
        assert listed(pilot.app)[-1] == "↵ as typed: “a020”"  # Enter calls what is listed
        await pilot.press("escape")
        number = await call_and_wait(pilot)
        own = desk_hall.get_ticket(number).service_code
        await open_dialog(pilot, "t", PickDialog)
        assert not any(line.startswith(f"service {own} ") for line in listed(pilot.app))
        await pilot.press(*"huzhao")
        assert listed(pilot.app) == ["service PP Passport & travel permits"]
        await pilot.press("enter")
        await until(pilot, lambda: desk_hall.get_ticket(number).service_code == "PP")


async def test_the_clerk_changes_the_matter_and_its_materials_are_the_checklist(desk_hall):
    """A one-stop hall: the citizen named the wrong matter; the desk changes it (m), shows the
    new one, and the 'materials incomplete' checklist is the new matter's one-time list."""
    from console.tui.dialogs import MatterDialog

    wanted = desk_hall.get_matter("SCJG-0001")  # 个体工商户设立登记
    async with desk_app(desk_hall).run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        before = desk_hall.get_ticket(number)
        card = pilot.app.screen.query_one("#ticket-service", Static)
        if before.matter_code:  # the demo's citizens came for a matter: it is on the card
            name = desk_hall.get_matter(before.matter_code).name_en
            await until(pilot, lambda: name in str(card.render()))
        await open_dialog(pilot, "m", MatterDialog)
        await pilot.press(*"gtgshsldj", "enter")
        await until(pilot, lambda: desk_hall.get_ticket(number).matter_code == "SCJG-0001")
        changed = desk_hall.get_ticket(number)
        assert (changed.status, changed.service_code) == ("called", before.service_code)
        event = desk_hall.changes_since(0, limit=5000)[-1]
        assert (event.kind, event.ticket_id) == ("matter.changed", changed.id)
        assert "matter changed" in status_text(pilot.app)
        await until(pilot, lambda: wanted.name_en in str(card.render()))
        details = str(pilot.app.screen.query_one("#ticket-details", Static).render())
        assert ", ".join(wanted.materials) in details
        await open_dialog(pilot, "d", FinishDialog)
        dialog = pilot.app.screen
        assert dialog.materials == wanted.materials
        await pilot.press("down", "space")  # materials incomplete
        await pilot.press("enter")  # refused: nothing ticked yet; the focus is on the list
        await pilot.press("space", "0", "enter")  # tick the first; no rating
        await until(pilot, lambda: current(pilot.app) is None)
        done = desk_hall.get_ticket(number)
        assert (done.outcome, done.materials) == ("incomplete", wanted.materials[:1])


async def test_transfer_offers_only_what_would_take_the_ticket(desk_hall):
    from tests.conftest import ADMIN

    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        # after the desk started: a service retired, a counter closed
        desk_hall.edit_service(ADMIN, "VEH", active=False)
        seven = next(c for c in desk_hall.list_counters() if c.number == 7)
        desk_hall.close_counter(clerk(seven.clerk_staff_no), 7)
        await open_dialog(pilot, "t", PickDialog)
        offered = [value for value, _ in pilot.app.screen.items]
        assert "service:VEH" not in offered and "counter:7" not in offered
        assert {"service:PP", "counter:5"} <= set(offered)
        await pilot.press("escape")
        await pilot.pause()
        # the engine refuses a closed counter whoever asks, with the reason in words
        with pytest.raises(Refused, match="counter 7 is closed"):
            desk_hall.transfer(clerk("1001"), number, to_counter=7)


async def test_a_counter_of_three_services_keeps_their_names_at_80x24(desk_hall):
    from tests.tui.english import screen_text

    for lang in ("zh-CN", "en"):
        app = desk_app(desk_hall, counter=4, staff_no="1004", lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            await pilot.pause()
            shown = screen_text(pilot.app)
            services = pilot.app.screen.view.services
            assert len(services) == 3
            for s in services:
                assert (s.name_zh if lang == "zh-CN" else s.name_en) in shown, shown


async def test_calling_a_number_lists_each_ticket_with_its_service_wait_and_green_mark(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        upcoming = pilot.app.screen.view.next_tickets
        await open_dialog(pilot, "c", PickDialog)
        labels = dict(pilot.app.screen.items)
        for ticket in upcoming:
            label = labels[ticket.number]
            assert ticket.service_code in label and "m" in label.split(ticket.service_code)[1]
            assert ("Green channel" in label) == ticket.green
        await pilot.press("escape")
