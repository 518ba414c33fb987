"""Staff number and PIN; the counter is opened for the clerk who logs in."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Static
from textual.worker import get_current_worker

from console.domain import Actor
from console.domain.errors import QConsoleError
from console.tui.bindings import APP, bindings_for
from console.tui.live import banner, describe, for_good
from console.tui.messages import HallOpened, HallUnavailable, LoggedIn, LoginFailed
from console.tui.widgets import KeyBar


class StaffInput(Input):
    """The staff number field. Enter moves to the PIN; keys that were already on their way
    (a fast typist, a card reader, a paste) go on to the PIN instead of the staff number."""

    redirect = False

    def _on_focus(self, event: events.Focus) -> None:
        self.redirect = False
        super()._on_focus(event)

    async def _on_key(self, event: events.Key) -> None:
        # Enter is handled here, not by the binding: a binding runs only after the keys
        # already queued for this field, which would land the PIN in the staff number.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            if self.redirect:
                self.screen.submit()
            else:
                self.redirect = True
                self.screen.set_focus(self.screen.query_one("#login-pin", Input))
            return
        if self.redirect and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.screen.query_one("#login-pin", Input).insert_text_at_cursor(event.character)
            return
        await super()._on_key(event)


class LoginScreen(Screen):
    """Enter in the staff number moves to the PIN; Enter in the PIN logs in."""

    KEY_ACTIONS: tuple[str, ...] = ()
    BINDINGS = bindings_for(*APP)

    def __init__(self, then: Callable[[Actor], Screen], notice: str = "") -> None:
        super().__init__()
        self.then = then
        """The screen a clerk who logged in works on (the desk: given, so this module and
        the desk's do not import each other)."""
        self.notice = notice
        """A line to show above the form (e.g. 'counter 1 closed')."""
        self.waiting = False
        """Enter was pressed while the hall was still opening: log in as soon as it is open."""

    def compose(self) -> ComposeResult:
        t = self.app.t
        settings = self.app.settings
        with Center(), Vertical(id="login-box"):
            yield Static(t("login.title"), id="login-title")
            yield Static(t("login.counter", n=settings.counter), id="login-counter")
            yield Static(t("login.staff_no"), classes="login-label")
            yield StaffInput(
                value=settings.staff_no or "",
                id="login-staff",
                placeholder=t("login.staff_no_hint"),
                max_length=20,
            )
            yield Static(t("login.pin"), classes="login-label")
            yield Input(
                password=True, id="login-pin", placeholder=t("login.pin_hint"), max_length=20
            )
            yield Button(t("login.submit"), variant="primary", id="login-submit")
            yield Static(self.notice, id="login-error")
        yield KeyBar()

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.cursor_blink = self.app.settings.cursor_blink
        staff = self.query_one("#login-staff", Input)
        (self.query_one("#login-pin", Input) if staff.value else staff).focus()
        if self.app.service is not None:
            self.load_counter()
            self.watch_server()

    def on_hall_opened(self, _message: HallOpened) -> None:
        self.load_counter()
        self.watch_server()
        if self.waiting:
            self.waiting = False
            self.submit()

    def watch_server(self) -> None:
        """A station started while no hall server answers (after a power cut every PC boots
        before the server): the form says so, and clears it when a server answers."""
        service = self.app.service
        if getattr(service, "online", True):
            return
        t = self.app.t

        def run() -> None:
            worker, shown = get_current_worker(), False
            while not worker.is_cancelled:
                if service.online:
                    if shown:
                        self.app.call_from_thread(self._error, t("desk.reachable"), False)
                        self.app.call_from_thread(self.load_counter)
                    return
                if not shown:
                    error = service.offline_error
                    message = HallUnavailable(t.error(error) if error else "", not for_good(error))
                    self.app.call_from_thread(self._error, banner(t, message))
                    shown = True
                    if not message.retrying:
                        return
                time.sleep(0.2)

        self.run_worker(run, thread=True, group="login-server", exclusive=True)

    def load_counter(self) -> None:
        service, number = self.app.service, self.app.settings.counter

        def run() -> None:
            try:
                counter = next((c for c in service.list_counters() if c.number == number), None)
            except (QConsoleError, sqlite3.Error, OSError):
                return
            if counter is not None:
                self.app.call_from_thread(self._show_counter, counter.name)

        self.run_worker(run, thread=True, group="login-info")

    def _show_counter(self, name: str) -> None:
        self.query_one("#login-counter", Static).update(
            self.app.t("login.counter_named", n=self.app.settings.counter, name=name)
        )

    @on(Input.Submitted, "#login-pin")
    @on(Button.Pressed, "#login-submit")
    def submit(self) -> None:
        t = self.app.t
        staff = self.query_one("#login-staff", Input).value.strip()
        pin = self.query_one("#login-pin", Input).value
        if not staff:
            self._error(t("login.need_staff"))
            self.query_one("#login-staff", Input).focus()
            return
        if not pin:
            self._error(t("login.need_pin"))
            self.query_one("#login-pin", Input).focus()
            return
        if self.app.service is None:
            self._error(t("common.loading"), error=False)
            self.waiting = True
            return
        self._error(t("login.checking"), error=False)
        self.query_one("#login-submit", Button).disabled = True
        service, settings = self.app.service, self.app.settings
        key = uuid.uuid4().hex

        def run() -> None:
            try:
                actor = service.login(staff, pin, settings.station)
                service.open_counter(actor, settings.counter, key=key)
            except QConsoleError as exc:
                self.post_message(LoginFailed(t.error(exc)))
            except (sqlite3.Error, OSError) as exc:
                self.post_message(LoginFailed(describe(exc, t)))
            else:
                self.post_message(LoggedIn(actor))

        self.run_worker(run, thread=True, group="login", exclusive=True)

    def _error(self, text: str, error: bool = True) -> None:
        line = self.query_one("#login-error", Static)
        line.update(text)
        line.set_class(error, "-error")

    def on_login_failed(self, message: LoginFailed) -> None:
        self._error(message.error)
        self.query_one("#login-submit", Button).disabled = False
        pin = self.query_one("#login-pin", Input)
        pin.value = ""
        pin.focus()
        self.app.bell()

    def on_logged_in(self, message: LoggedIn) -> None:
        self.app.switch_screen(self.then(message.actor))
