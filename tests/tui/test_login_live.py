"""Login and lockout; two consoles on one database; the banner when the hall is unreachable."""

from __future__ import annotations

import asyncio
import threading

from textual.widgets import Static

from console.domain.errors import Unavailable
from console.local import LocalHall
from console.tui.dialogs import FinishDialog
from console.tui.screens import DeskScreen, LoginScreen
from tests.tui.conftest import desk_app, open_dialog, ready, until


def login_error(app) -> str:
    return str(app.screen.query_one("#login-error", Static).render())


async def test_login_refuses_a_wrong_pin_then_opens_the_counter(desk_hall):
    app = desk_app(desk_hall, logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login-pin").password  # the PIN is masked
        await pilot.press(*"1001", "enter", *"9999", "enter")
        await until(pilot, lambda: "wrong PIN" in login_error(app))
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login-pin").value == ""
        await pilot.press(*"1234", "enter")
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))
        await ready(pilot)
        counter = desk_hall.counter_view(1).counter
        assert (counter.state, counter.clerk_staff_no) == ("open", "1001")


async def test_lockout_is_respected(desk_hall):
    tries = desk_hall.settings()["pin_max_failures"]
    app = desk_app(desk_hall, logged_in=False, lang="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"1001", "enter")
        for _ in range(tries):
            await pilot.press(*"0000", "enter")
            await until(pilot, lambda: not app.screen.query_one("#login-submit").disabled)
        assert "已被锁定" in login_error(app)
        await pilot.press(*"1234", "enter")  # the right PIN, but locked
        await until(pilot, lambda: "锁定" in login_error(app) and "请" in login_error(app))
        assert isinstance(app.screen, LoginScreen)


async def test_two_consoles_calling_at_once_get_different_tickets(desk_hall):
    other = LocalHall(desk_hall.path, clock=desk_hall.clock)
    try:
        one = desk_app(desk_hall, counter=1, staff_no="1001")
        two = desk_app(other, counter=2, staff_no="1002")
        async with one.run_test(size=(100, 30)) as p1, two.run_test(size=(100, 30)) as p2:
            await ready(p1)
            await ready(p2)
            await asyncio.gather(p1.press("n"), p2.press("n"))
            await until(p1, lambda: one.screen.view.current is not None)
            await until(p2, lambda: two.screen.view.current is not None)
            a, b = one.screen.view.current.number, two.screen.view.current.number
            assert a != b
            called = {
                t.number: t.counter_number
                for t in desk_hall.list_tickets(status="called")
                if t.counter_number in (1, 2)
            }
            assert called == {a: 1, b: 2}
            # each sees the other's change live, without a key press
            await until(p1, lambda: b not in [t.number for t in one.screen.view.next_tickets])
            await until(p2, lambda: a not in [t.number for t in two.screen.view.next_tickets])
            await open_dialog(p2, "d", FinishDialog)
            await p2.press("enter")
            await until(p2, lambda: two.screen.view.current is None)
            await p2.press("n")
            await until(p2, lambda: two.screen.view.current is not None)
            taken = two.screen.view.current.number
            called_at = desk_hall.last_event_id()
            # console one hears of it without a key press (how fast: bench/desk.py)
            await until(p1, lambda: one.screen.view.as_of_event >= called_at)
            assert taken not in [t.number for t in one.screen.view.next_tickets]
    finally:
        other.close()


class FlakyHall:
    """A hall that becomes unreachable for a while (as a lost network share or server would)."""

    def __init__(self, hall: LocalHall) -> None:
        self.hall = hall
        self.down = False

    def __getattr__(self, name):
        target = getattr(self.hall, name)
        if not callable(target) or name in ("clock",):
            return target

        def call(*args, **kwargs):
            if self.down:
                raise Unavailable("cannot open the hall database: disk I/O error")
            return target(*args, **kwargs)

        return call

    @property
    def clock(self):
        return self.hall.clock


async def test_unreachable_database_shows_a_banner_and_recovers(desk_hall):
    flaky = FlakyHall(desk_hall)
    app = desk_app(desk_hall)
    app.service = flaky
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        banner = app.screen.query_one("#banner", Static)
        assert not banner.has_class("-shown")
        flaky.down = True
        await until(pilot, lambda: banner.has_class("-shown"))
        assert "disk I/O error" in str(banner.render())
        await pilot.press("n")  # a key press while down is refused, not a crash
        await until(pilot, lambda: "disk I/O" in str(app.screen.query_one("#status").render()))
        flaky.down = False
        await until(pilot, lambda: not banner.has_class("-shown"))
        await pilot.press("n")
        await until(pilot, lambda: app.screen.view.current is not None)


async def test_a_fast_typist_does_not_put_the_pin_in_the_staff_number(desk_hall):
    from textual import events

    app = desk_app(desk_hall, logged_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in [*"1001", "enter", *"1234", "enter"]:  # one burst, as a paste or card reader
            event = events.Key(key, key if len(key) == 1 else None)
            event.set_sender(app)
            app._driver.send_message(event)
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))
        await ready(pilot)


async def test_the_hall_is_opened_after_the_first_frame(desk_hall):
    from console.tui.app import build_app
    from console.tui.settings import Settings

    opened = []

    def opener():
        opened.append(True)
        return desk_hall

    app = build_app(opener, Settings(counter=1, lang="en", cursor_blink=False))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await until(pilot, lambda: app.service is desk_hall)
        await pilot.press(*"1001", "enter", *"1234", "enter")
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))
        await ready(pilot)
    assert opened == [True]


async def test_a_hall_that_cannot_be_opened_ends_the_app_with_its_exit_code():
    from console.domain.errors import NotFound
    from console.tui.app import build_app
    from console.tui.settings import Settings

    def opener():
        raise NotFound("no counter 9")

    app = build_app(opener, Settings(counter=9, lang="en"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.open_error is not None)
    assert app.return_code == 2
    assert app.open_error.message == "no counter 9"


async def test_enter_typed_while_the_hall_opens_logs_in_once_it_is_open(desk_hall):
    from console.tui.app import build_app

    gate = threading.Event()

    def slow_opener():
        gate.wait(5)
        return desk_hall

    settings = desk_app(desk_hall, logged_in=False).settings
    app = build_app(slow_opener, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"1001", "enter", *"1234", "enter")  # the hall is still opening
        assert app.service is None
        gate.set()
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))
        assert desk_hall.counter_view(1).counter.clerk_staff_no == "1001"
