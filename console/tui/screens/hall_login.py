"""The login screen of the hall-wide stations (floor view, reception): the counter console's
form, but no counter is opened; the floor view also needs the manager or admin role."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from textual import on
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from console.domain import Actor
from console.domain.errors import QConsoleError
from console.tui.live import describe
from console.tui.messages import LoggedIn, LoginFailed
from console.tui.screens.login import LoginScreen


class HallLoginScreen(LoginScreen):
    """Staff number and PIN; then ``next_screen(actor)`` replaces this screen (the counter
    login's own ``on_logged_in`` does it)."""

    def __init__(
        self,
        purpose: str,
        next_screen: Callable[[Actor], Screen],
        *,
        role: str = "clerk",
        notice: str = "",
    ) -> None:
        super().__init__(next_screen, notice)
        self.purpose = purpose
        """floor | reception: which title and which role line to show."""
        self.role = role
        """The least role that may use the station (the engine checks every action again)."""
        self.role_refused = False

    def load_counter(self) -> None:
        t = self.app.t
        self.query_one("#login-title", Static).update(t(f"hall_login.title.{self.purpose}"))
        self.query_one("#login-counter", Static).update(t(f"hall_login.who.{self.purpose}"))
        self.query_one("#login-submit", Button).label = t("hall_login.submit")

    @on(Input.Submitted, "#login-pin")
    @on(Button.Pressed, "#login-submit")
    def _hall_submit(self, event: Input.Submitted | Button.Pressed) -> None:
        event.prevent_default()  # the counter login's own handler would open a counter
        self.submit()

    def submit(self) -> None:
        t = self.app.t
        staff = self.query_one("#login-staff", Input).value.strip()
        pin = self.query_one("#login-pin", Input).value
        if not staff or not pin:
            self._error(t("login.need_staff" if not staff else "login.need_pin"))
            self.query_one("#login-staff" if not staff else "#login-pin", Input).focus()
            return
        self._error(t("login.checking"), error=False)
        self.query_one("#login-submit", Button).disabled = True
        service, station, role = self.app.service, self.app.settings.station, self.role

        def run() -> None:
            try:
                actor = service.login(staff, pin, station)
            except QConsoleError as exc:
                self.post_message(LoginFailed(t.error(exc)))
                return
            except (sqlite3.Error, OSError) as exc:
                self.post_message(LoginFailed(describe(exc, t)))
                return
            if not actor.may(role):
                role_name = t(f"role.{actor.role}")
                refusal = t(f"hall_login.refused.{self.purpose}", staff=actor.staff_no,
                            role=role_name)  # fmt: skip
                self.role_refused = True
                self.post_message(LoginFailed(refusal))
                return
            self.post_message(LoggedIn(actor))

        self.run_worker(run, thread=True, group="login", exclusive=True)

    def on_login_failed(self, message: LoginFailed) -> None:
        """As the counter login, but a refused role clears the staff number for another."""
        message.prevent_default()
        self._error(message.error)
        self.query_one("#login-submit", Button).disabled = False
        self.query_one("#login-pin", Input).value = ""
        field = self.query_one("#login-pin", Input)
        if self.role_refused:
            self.role_refused = False
            field = self.query_one("#login-staff", Input)
            field.value = ""
        field.focus()
        self.app.bell()
