"""The desk's actions: every key is one service call in a worker with a fresh idempotency
key, coming back as ``ActionDone`` / ``ActionFailed`` with a fresh view, so the screen never
blocks and a refusal is a line on the status bar, never a crash. The keys that ask first
live in ``desk_pickers``, the receipt in ``desk_printing``."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from console.domain import Ticket
from console.domain.errors import QConsoleError, Unavailable
from console.tui import live
from console.tui.messages import ActionDone, ActionFailed, HallUnavailable
from console.tui.where import transferred_to

if TYPE_CHECKING:
    from console.tui.dialogs import FinishChoice, Finished

NEEDS_CURRENT = {"recall", "serve", "done", "no_show", "transfer", "park", "green", "matter"}
NEEDS_CALLED = {"recall", "serve", "no_show"}


class DeskActions:
    """Mixed into ``DeskScreen`` (which has ``actor``, ``number``, ``view``, ``services``,
    ``matters``, ``one_stop``, ``last_finished``, ``upcoming``, ``_apply``, ``_learn_matter``,
    ``_status`` and ``_refuse``)."""

    def action_available(self, name: str) -> bool:
        """Whether a key makes sense now (the key bar dims the others; they still explain)."""
        view = self.view
        if view is None:
            return False
        current = view.current
        state = view.counter.state
        if name == "call_next":
            return state == "open" and current is None and bool(view.next_tickets)
        if name == "call_number":
            return state == "open" and current is None
        if name in NEEDS_CALLED:
            return current is not None and current.status == "called"
        if name == "matter":
            return current is not None and self.one_stop
        if name in NEEDS_CURRENT:
            return current is not None
        if name == "resume":
            return current is None and bool(view.parked)
        if name == "close_counter":
            return current is None
        if name == "print_receipt":
            return self.last_finished is not None
        return True

    # -- running a service call ----------------------------------------------
    def _act(self, name: str, call: Callable[[str], Any]) -> None:
        """Run ``call(key)`` in a worker with a fresh idempotency key, then reload the view."""
        service, number, t = self.app.service, self.number, self.app.t
        if service is None:  # still opening the hall
            self._status(t("common.loading"))
            return
        key = uuid.uuid4().hex
        self._status(t("desk.working"))

        def run() -> None:
            try:
                result = call(key)
            except QConsoleError as exc:
                self.post_message(ActionFailed(name, t.error(exc), isinstance(exc, Unavailable)))
                return
            except (sqlite3.Error, OSError) as exc:
                self.post_message(ActionFailed(name, live.describe(exc, self.app.t), True))
                return
            try:
                view = service.counter_view(number, self.upcoming)
                self._learn_matter(service, view)
            except live.FAILURES:
                view = None
            self.post_message(ActionDone(name, result, view))

        self.run_worker(run, thread=True, group="action", name=name)

    def on_action_failed(self, message: ActionFailed) -> None:
        self._status(message.error, error=True)
        if message.unavailable:
            self.on_hall_unavailable(HallUnavailable(message.error))
        self.app.bell()

    def on_action_done(self, message: ActionDone) -> None:
        t, result = self.app.t, message.result
        if message.view is not None:
            self._apply(message.view)
        if message.action == "done" and isinstance(result, Ticket):
            self.last_finished = result
            self.refresh_bindings()
        if message.action == "print_receipt":
            self._printed(*result)
            return
        if message.action == "close_counter":
            from console.tui.screens.login import LoginScreen

            self.app.switch_screen(LoginScreen(type(self), t("desk.closed_notice", n=self.number)))
            return
        number = getattr(result, "number", "")
        self._status(
            t(
                f"done.{message.action}",
                number=number,
                reason=getattr(result, "pause_reason", "") or "",
                where=transferred_to(t, result, list(self.services.values())),
            )
        )

    def _current(self) -> Ticket | None:
        if self.view is None or self.view.current is None:
            self._refuse("desk.no_current", n=self.number)
            return None
        return self.view.current

    # -- the actions (keys in console.tui.bindings) ----------------------------
    def action_call_next(self) -> None:
        svc, a, n = self.app.service, self.actor, self.number
        self._act("call_next", lambda key: svc.call_next(a, n, key=key))

    def action_recall(self) -> None:
        svc, a, n = self.app.service, self.actor, self.number
        self._act("recall", lambda key: svc.recall(a, n, key=key))

    def action_serve(self) -> None:
        svc, a, n = self.app.service, self.actor, self.number
        self._act("serve", lambda key: svc.serve(a, n, key=key))

    def _not_while_held(self) -> bool:
        """Refuse (and say why) an action that needs the counter free; True when refused."""
        if self.view is not None and self.view.current is not None:
            self._refuse("desk.finish_first", number=self.view.current.number)
            return True
        return False

    def action_done(self) -> None:
        from console.tui.dialogs import FinishDialog

        ticket = self._current()
        if ticket is None:
            return
        service = self.services.get(ticket.service_code)
        matter = self.matters.get(ticket.matter_code or "")
        # the matter's one-time list when the citizen came for one: the receipt says exactly it
        materials = list(matter.materials if matter else service.materials if service else [])
        svc, a, n = self.app.service, self.actor, self.number

        def finish(choice: FinishChoice, key: str) -> Any:
            return svc.finish(a, n, outcome=choice.outcome, materials=choice.materials,
                              rating=choice.rating, note=choice.note, key=key)  # fmt: skip

        def finished(done: Finished | None) -> None:
            if done is not None:
                self.post_message(ActionDone("done", done.result, None))
                self.load()

        self._status("")  # what the line said before is history: the dialog says what happens
        self.app.push_screen(FinishDialog(ticket.number, materials, finish), finished)

    def action_no_show(self) -> None:
        from console.tui.dialogs import ConfirmDialog

        ticket = self._current()
        if ticket is None:
            return
        svc, a, n = self.app.service, self.actor, self.number

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._act("no_show", lambda key: svc.no_show(a, n, key=key))

        self.app.push_screen(
            ConfirmDialog(self.app.t("confirm.no_show", number=ticket.number)), confirmed
        )

    def action_close_counter(self) -> None:
        from console.tui.dialogs import ConfirmDialog

        svc, a, n = self.app.service, self.actor, self.number

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._act("close_counter", lambda key: svc.close_counter(a, n, key=key))

        self.app.push_screen(ConfirmDialog(self.app.t("confirm.close_counter", n=n)), confirmed)

    def action_logout(self) -> None:
        from console.tui.dialogs import ConfirmDialog
        from console.tui.screens.login import LoginScreen

        t = self.app.t

        def confirmed(yes: bool | None) -> None:
            if yes:
                notice = t("desk.logged_out", staff=self.actor.staff_no)
                self.app.switch_screen(LoginScreen(type(self), notice))

        self.app.push_screen(ConfirmDialog(t("confirm.logout", n=self.number)), confirmed)
