"""Reception's actions: issue a ticket for the highlighted service or matter (F2, or Enter
in the search), check in an appointment by its code (F5), reprint the last ticket (F6).
Each is one service call in a worker with a fresh idempotency key; the new number, how
many are ahead and the estimate are then shown large."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.widgets import Checkbox, Input, OptionList, Select, Static

from console.domain import IssueResult
from console.domain.errors import QConsoleError, Unavailable
from console.tui import live
from console.tui.dialogs import PickDialog, Picked
from console.tui.messages import ActionDone, ActionFailed, HallUnavailable
from console.tui.widgets import BigText

MATTER = "m:"
"""Option ids: a service's is its code, a matter's this and its code."""


class ReceptionActions:
    """Mixed into ``ReceptionScreen`` (which has ``actor``, ``view``, ``services``, ``index``,
    ``last``, ``job``, ``has_printer``, ``load``, ``_status``, ``_refuse``, ``_closed_why``
    and the printing of ``ReceptionPrinting``)."""

    # -- actions ------------------------------------------------------------
    def _selected_service(self) -> str | None:
        options = self.query_one("#rcp-services", OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        option = options.get_option_at_index(options.highlighted)
        return None if option.disabled else option.id

    def _act(self, name: str, call: Callable[[str], Any]) -> None:
        t, service = self.app.t, self.app.service
        key = uuid.uuid4().hex
        self._status(t("desk.working"))

        def run() -> None:
            try:
                result = call(key)
                job = None
                if isinstance(result, IssueResult) and self.print_on:
                    job = next((j for j in service.list_print_jobs(limit=50)
                                if j.ticket_id == result.ticket.id), None)  # fmt: skip
            except QConsoleError as exc:
                self.post_message(ActionFailed(name, t.error(exc),
                                               isinstance(exc, Unavailable)))  # fmt: skip
                return
            except (sqlite3.Error, OSError) as exc:
                self.post_message(ActionFailed(name, live.describe(exc, self.app.t), True))
                return
            self.post_message(ActionDone(name, (result, job)))

        self.run_worker(run, thread=True, group="action", name=name)

    @property
    def print_on(self) -> bool:
        return self.query_one("#rcp-print", Checkbox).value

    def action_issue(self) -> None:
        code = self._selected_service()
        matter = code[len(MATTER) :] if code and code.startswith(MATTER) else None
        if code is None:
            self._refuse("reception.pick_service")
            return
        if self.view is not None and not self.view.session_open:
            key, params = self._closed_why()
            self._refuse(key, **params)
            return
        reason = self.query_one("#rcp-green", Select).value
        reason = None if reason in ("none", Select.NULL) else str(reason)
        note = self.query_one("#rcp-note", Input).value.strip() or None
        if reason == "other" and not note:
            self._refuse("reception.need_note")
            self.query_one("#rcp-note", Input).focus()
            return
        low = self.query_one("#rcp-low", Checkbox).value
        svc, a, printing = self.app.service, self.actor, self.print_on
        queue = None if matter else code
        self._act("issue", lambda key: svc.issue(a, queue, green_reason=reason, green_note=note,
                                                 low_position=low, print_ticket=printing,
                                                 matter=matter, key=key))  # fmt: skip

    def action_check_in(self) -> None:
        t, svc, a = self.app.t, self.app.service, self.actor

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                code, printing = picked.value.strip(), self.print_on
                self._act("check_in", lambda key: svc.check_in(a, code, print_ticket=printing,
                                                               key=key))  # fmt: skip

        self.app.push_screen(
            PickDialog(
                t("reception.check_in_title"),
                [],
                free_text=True,
                placeholder=t("reception.check_in_hint"),
            ),
            chosen,
        )

    def action_reprint(self) -> None:
        if self.last is None:
            self._refuse("reception.nothing_to_reprint")
            return
        svc, a, ref = self.app.service, self.actor, f"#{self.last.ticket.id}"
        self._act("reprint", lambda key: svc.request_print(a, ref, "ticket", key=key))

    def on_action_failed(self, message: ActionFailed) -> None:
        self._status(message.error, error=True)
        if message.unavailable:
            self.on_hall_unavailable(HallUnavailable(message.error))
        self.app.bell()

    def on_action_done(self, message: ActionDone) -> None:
        t = self.app.t
        result, job = message.result
        if message.action == "reprint":
            self._show_job(result)
            self._wake_printer()
            return
        self.last = result
        ticket = result.ticket
        name = next((s.name(t.lang) for s in self.services if s.code == ticket.service_code),
                    ticket.service_code)  # fmt: skip
        if ticket.matter_code:
            matter = next((e.name(t.lang) for e in self.index.entries
                           if e.kind == "matter" and e.code == ticket.matter_code),
                          ticket.matter_code)  # fmt: skip
            name = t("reception.for_matter", matter=matter, queue=name)
        big = self.query_one("#rcp-number", BigText)
        big.show(ticket.number, scale=2 if self.size.height >= 30 else 1)
        info = Text()
        info.append(f"{name}\n", "bold")
        info.append(t("reception.ahead", n=result.ahead) + "   ")
        if result.estimated_wait_min is None:
            info.append(t("reception.low_counter_closed"))
        else:
            info.append(t("reception.estimate", min=result.estimated_wait_min))
        if ticket.green:
            info.append("\n")
            info.append(f" {t('reception.green_mark', reason=t(f'green.{ticket.green_reason}'))} ",
                        "bold reverse green")  # fmt: skip
        if ticket.low_position:
            info.append("  ")
            info.append(f" {t('reception.low_mark')} ", "reverse")
        self.query_one("#rcp-info", Static).update(info)
        if message.action == "check_in":
            self._status(t("reception.checked_in", code=ticket.appointment_code,
                           number=ticket.number))  # fmt: skip
        else:
            self._status(t("reception.issued", number=ticket.number, service=name))
            self.action_clear_search()  # the next citizen starts from the whole list, at its top
            options = self.query_one("#rcp-services", OptionList)
            if options.option_count:
                options.highlighted = 0
            options.scroll_home(animate=False)
        self.job = None
        if job is not None:
            self._show_job(job)
            self._wake_printer()
        elif self.has_printer:
            self.query_one("#rcp-print-state", Static).update(Text(t("reception.print_off"), "dim"))
        self._reset_options()
        self.action_clear_search()
        self.refresh_bindings()
        self.load()  # the queues now count this ticket (the live feed would, a moment later)

    def _reset_options(self) -> None:
        """Green channel and low position are per citizen: cleared after each ticket."""
        self.query_one("#rcp-green", Select).value = "none"
        self.query_one("#rcp-note", Input).value = ""
        self.query_one("#rcp-low", Checkbox).value = False
