"""The floor view's actions: counters (the selected row) and any ticket of the hall (picked
from a searchable list), each one service call in a worker with a fresh idempotency key,
recorded by the engine under the manager's staff number."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from typing import Any

from textual.widgets import DataTable, Static

from console.domain import GREEN_REASONS, Ticket
from console.domain.errors import QConsoleError, Unavailable
from console.tui import live
from console.tui.dialogs import ConfirmDialog, PickDialog, Picked
from console.tui.messages import ActionDone, ActionFailed, HallUnavailable
from console.tui.transfer_targets import transfer_targets
from console.tui.where import transferred_to


class FloorActions:
    """Mixed into ``FloorScreen`` (which has ``actor``, ``view`` and ``load``)."""

    # -- the status line ----------------------------------------------------
    def _status(self, text: str, error: bool = False) -> None:
        line = self.query_one("#status", Static)
        line.update(text)
        line.set_class(error, "-error")

    def action_available(self, name: str) -> bool:
        counter = self._selected()
        if name == "open_counter":
            return counter is not None and counter.counter.state == "closed"
        if name in ("pause", "close_counter"):
            return counter is not None and counter.counter.state != "closed"
        return self.view is not None

    # -- running a service call ----------------------------------------------
    def _act(self, name: str, call: Callable[[str], Any]) -> None:
        """Run ``call(key)`` in a worker with a fresh idempotency key; the live feed reloads."""
        t = self.app.t
        key = uuid.uuid4().hex
        self._status(t("desk.working"))

        def run() -> None:
            try:
                result = call(key)
            except QConsoleError as exc:
                self.post_message(ActionFailed(name, t.error(exc),
                                               isinstance(exc, Unavailable)))  # fmt: skip
                return
            except (sqlite3.Error, OSError) as exc:
                self.post_message(ActionFailed(name, live.describe(exc, self.app.t), True))
                return
            self.post_message(ActionDone(name, result))

        self.run_worker(run, thread=True, group="action", name=name)

    def on_action_failed(self, message: ActionFailed) -> None:
        self._status(message.error, error=True)
        if message.unavailable:
            self.on_hall_unavailable(HallUnavailable(message.error))
        self.app.bell()

    def on_action_done(self, message: ActionDone) -> None:
        result = message.result
        number = getattr(result, "number", "")
        services = self.view.services if self.view else []
        where = transferred_to(self.app.t, result, services)
        self._status(self.app.t(f"floor.done.{message.action}", number=number, where=where,
                                reason=getattr(result, "pause_reason", "") or ""))  # fmt: skip
        self.load()

    # -- counters: the selected row ----------------------------------------------
    def _selected(self):
        if self.view is None:
            return None
        table = self.query_one("#floor-counters", DataTable)
        if not table.row_count:
            return None
        key = table.ordered_rows[table.cursor_row].key.value.partition("/")[0]  # a parked line
        return next((c for c in self.view.counters if str(c.counter.number) == key), None)

    def _counter_or_refuse(self):
        state = self._selected()
        if state is None:
            self._status(self.app.t("floor.pick_counter"), error=True)
            self.app.bell()
        return state

    def action_open_counter(self) -> None:
        state = self._counter_or_refuse()
        if state is None:
            return
        svc, a, n = self.app.service, self.actor, state.counter.number
        self._act("open_counter", lambda key: svc.open_counter(a, n, key=key, take=False))

    def action_pause(self) -> None:
        state = self._counter_or_refuse()
        if state is None:
            return
        t, svc, a, n = self.app.t, self.app.service, self.actor, state.counter.number
        if state.counter.state == "paused":
            self._act("resume_counter", lambda key: svc.resume_counter(a, n, key=key))
            return
        items = [
            (t(f"pause.{r}"), t(f"pause.{r}")) for r in ("break", "meeting", "system", "other")
        ]

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self._act("pause", lambda key: svc.pause_counter(a, n, picked.value, key=key))

        self.app.push_screen(
            PickDialog(
                t("floor.pause_title", n=n), items, free_text=True, placeholder=t("pause.hint")
            ),
            chosen,
        )

    def action_close_counter(self) -> None:
        state = self._counter_or_refuse()
        if state is None:
            return
        svc, a, n = self.app.service, self.actor, state.counter.number

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._act("close_counter", lambda key: svc.close_counter(a, n, key=key))

        self.app.push_screen(ConfirmDialog(self.app.t("floor.confirm_close", n=n)), confirmed)

    # -- tickets: picked from a searchable list ------------------------------------
    def _pick_ticket(self, title: str, parked: bool, then: Callable[[str, str], None]) -> None:
        """Load the hall's open tickets in a worker, let the manager pick one (or type a
        number), then ``then(reference, number)``."""
        t, svc, view = self.app.t, self.app.service, self.view
        now = self.app.now()

        def run() -> None:
            try:
                tickets = list(svc.list_tickets(status="waiting"))
                if parked:
                    tickets += svc.list_tickets(status="parked")
            except live.FAILURES as exc:
                self.post_message(ActionFailed("pick", live.describe(exc, self.app.t), True))
                return
            if parked and view is not None:
                tickets += [c.current for c in view.counters if c.current is not None]
            items = [(f"#{x.id}", self._ticket_label(x, now)) for x in tickets]
            self.app.call_from_thread(self._show_pick, title, items, then)

        self.run_worker(run, thread=True, group="lists")
        self._status(t("common.loading"))

    def _ticket_label(self, ticket: Ticket, now: float) -> str:
        t = self.app.t
        label = f"{ticket.number:<6} {ticket.service_code:<5} {t(f'status.{ticket.status}')}"
        if ticket.status == "waiting":
            label += " " + t("floor.minutes", n=round(ticket.waited_s(now) / 60))
        elif ticket.counter_number is not None:
            label += " " + t("desk.counter_n", n=ticket.counter_number)
        if ticket.green:
            label += f"  {t('desk.green')}:{t(f'green.{ticket.green_reason}')}"
        return label

    def _show_pick(
        self, title: str, items: list[tuple[str, str]], then: Callable[[str, str], None]
    ) -> None:
        self._status("")
        numbers = {value: label.split()[0] for value, label in items}

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                ref = picked.value.strip().upper()
                then(ref, numbers.get(ref, ref))

        self.app.push_screen(
            PickDialog(
                title,
                items,
                free_text=True,
                placeholder=self.app.t("floor.pick_hint"),
                empty=self.app.t("floor.none_open"),
            ),
            chosen,
        )

    def action_green(self) -> None:
        t, svc, a = self.app.t, self.app.service, self.actor

        def picked_ticket(ref: str, number: str) -> None:
            items = [(r, t(f"green.{r}")) for r in GREEN_REASONS]

            def chosen(picked: Picked | None) -> None:
                if picked is not None:
                    self._act("green", lambda key: svc.flag_green(
                        a, ref, picked.value, picked.note, key=key))  # fmt: skip

            self.app.push_screen(
                PickDialog(t("green.title", number=number), items, note=t("green.note")), chosen
            )

        self._pick_ticket(t("floor.pick_green"), False, picked_ticket)

    def action_transfer(self) -> None:
        t, svc = self.app.t, self.app.service

        def picked_ticket(ref: str, number: str) -> None:
            def run() -> None:
                try:
                    services = svc.list_services()
                    counters = svc.list_counters()
                except live.FAILURES as exc:
                    failed = live.describe(exc, self.app.t)
                    self.post_message(ActionFailed("transfer", failed, True))
                    return
                own = next((s.code for s in services if number.startswith(s.prefix)
                            and number[len(s.prefix):].isdigit()), None)  # fmt: skip
                items, names = transfer_targets(
                    t, services, counters, own_service=own, own_counter=0
                )
                self.app.call_from_thread(self._pick_target, ref, number, items, names)

            self.run_worker(run, thread=True, group="lists")

        self._pick_ticket(t("floor.pick_transfer"), True, picked_ticket)

    def _pick_target(
        self, ref: str, number: str, items: list[tuple[str, str]], names: dict[str, str]
    ) -> None:
        t, svc, a = self.app.t, self.app.service, self.actor

        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return
            kind, _, target = picked.value.partition(":")
            if kind == "service":
                self._act("transfer", lambda key: svc.transfer(a, ref, to_service=target, key=key))
            elif kind == "counter":
                self._act("transfer", lambda key: svc.transfer(a, ref, to_counter=int(target),
                                                               key=key))  # fmt: skip

        self.app.push_screen(
            PickDialog(
                t("transfer.title", number=number),
                items,
                placeholder=t("transfer.search"),
                aliases=names,
            ),
            chosen,
        )

    def action_cancel_ticket(self) -> None:
        t, svc, a = self.app.t, self.app.service, self.actor

        def picked_ticket(ref: str, number: str) -> None:
            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._act("cancel_ticket", lambda key: svc.cancel(a, ref, key=key))

            self.app.push_screen(ConfirmDialog(t("floor.confirm_cancel", number=number)),
                                 confirmed)  # fmt: skip

        self._pick_ticket(t("floor.pick_cancel"), True, picked_ticket)
