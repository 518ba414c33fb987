"""The finish dialog records what the clerk sees chosen, whatever the typing speed."""

from __future__ import annotations

from textual import events

from console.tui.dialogs import FinishDialog
from console.tui.receipt import receipt_lines
from tests.tui.conftest import desk_app, open_dialog, ready, until
from tests.tui.test_desk_actions import call_and_wait, current

CHARS = {"tab": "\t", "space": " ", "enter": "\r", "down": None, "up": None}


def burst(app, *keys: str) -> None:
    """Keys as a fast typist (or a loaded station) delivers them: all queued before any is
    handled, not one at a time with the screen settled in between as ``pilot.press`` does."""
    for key in keys:
        event = events.Key(key, CHARS.get(key, key))
        event.set_sender(app)
        app._driver.send_message(event)


def first_material(hall, number: str) -> str:
    ticket = hall.get_ticket(number)
    if ticket.matter_code:
        return hall.get_matter(ticket.matter_code).materials[0]
    return service_of(hall, ticket.service_code).materials[0]


def service_of(hall, code: str):
    return next(s for s in hall.list_services() if s.code == code)


async def test_down_chooses_the_outcome_that_enter_records(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        await open_dialog(pilot, "d", FinishDialog)
        dialog = pilot.app.screen
        await pilot.press("down")  # the highlight is on "materials incomplete": so is the choice
        assert dialog.outcome == "incomplete"
        await pilot.press("enter")  # refused: an incomplete finish names what to bring
        await pilot.pause()
        assert isinstance(pilot.app.screen, FinishDialog)
        assert desk_hall.get_ticket(number).status == "called"
        await pilot.press("space", "enter")  # tick the first material, finish
        await until(pilot, lambda: current(pilot.app) is None)
        done = desk_hall.get_ticket(number)
        material = first_material(desk_hall, number)
        assert (done.outcome, done.materials) == ("incomplete", [material])
        service = service_of(desk_hall, done.service_code)
        lines = receipt_lines(done, service, "Hall", desk_hall.clock, "en")
        assert any(line.endswith(material) for line in lines)  # the receipt lists it


async def test_up_goes_back_and_the_last_outcome_seen_is_recorded(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        await open_dialog(pilot, "d", FinishDialog)
        await pilot.press("down", "down", "up", "up")
        assert pilot.app.screen.outcome == "done"
        await pilot.press("down", "down")  # referred
        await pilot.press("enter")
        await until(pilot, lambda: current(pilot.app) is None)
        assert desk_hall.get_ticket(number).outcome == "referred"


async def test_keys_typed_in_a_burst_land_in_the_fields_they_were_meant_for(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        await open_dialog(pilot, "d", FinishDialog)
        burst(
            pilot.app,
            "down",  # materials incomplete: the materials list appears after the outcome
            "tab", "space",  # tick the first material
            "tab", *"photo",  # another material, typed
            "tab", "5",  # rating five
            "tab", *"ok",  # the note
            "enter",
        )  # fmt: skip
        await until(pilot, lambda: desk_hall.get_ticket(number).status != "called")
        done = desk_hall.get_ticket(number)
        material = first_material(desk_hall, number)
        assert (done.outcome, done.materials) == ("incomplete", [material, "photo"])
        assert (done.rating, done.note) == (5, "ok")


async def test_the_status_line_does_not_keep_an_old_action_over_a_refused_finish(desk_hall):
    from textual.widgets import Static

    async with desk_app(desk_hall).run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        number = await call_and_wait(pilot)
        await pilot.press("s")

        def status() -> str:
            return str(pilot.app.screen.query_one("#status", Static).render())

        await until(pilot, lambda: number in status())  # "Serving A0xx"
        await open_dialog(pilot, "d", FinishDialog)
        await pilot.press("down", "enter")  # refused in the dialog: nothing ticked
        await pilot.press("escape")
        await pilot.pause()
        assert number not in status(), status()  # not "Serving A011" as if nothing happened
