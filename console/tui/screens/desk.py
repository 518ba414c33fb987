"""The counter console: the current ticket large, the queue beside it, every action one key.

Every service call runs in a thread worker with a fresh idempotency key, and
comes back as ``ActionDone`` / ``ActionFailed`` with a fresh view, so the
screen never blocks and a refusal is a line on the status bar, never a crash.
The live worker (``console.tui.live``) reloads the view when another station
changes the hall.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from console.domain import (
    GREEN_REASONS,
    Actor,
    CounterView,
    Matter,
    PrintJob,
    ServiceDef,
    Ticket,
    reasons,
)
from console.domain.errors import QConsoleError, Unavailable
from console.tui import live
from console.tui.bindings import DESK, bindings_for
from console.tui.messages import (
    ActionDone,
    ActionFailed,
    HallChanged,
    HallOpened,
    HallReachable,
    HallUnavailable,
    PrintFinished,
    ViewLoaded,
)
from console.tui.receipt import receipt_lines
from console.tui.where import transferred_to
from console.tui.widgets import KeyBar, QueuePanel, TicketCard

if TYPE_CHECKING:
    from console.tui.dialogs import FinishChoice, Finished, Picked

NEEDS_CURRENT = {"recall", "serve", "done", "no_show", "transfer", "park", "green", "matter"}
NEEDS_CALLED = {"recall", "serve", "no_show"}
PARK_REASONS = ("photo", "document", "form", "payment", "copy")
"""The short list a clerk picks a park reason from (anything else is typed)."""


class DeskScreen(Screen):
    """One counter, one clerk."""

    KEY_ACTIONS = DESK
    BINDINGS = bindings_for(*DESK)

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.view: CounterView | None = None
        self.services: dict[str, ServiceDef] = {}
        self.matters: dict[str, Matter] = {}
        """The matters of tickets seen at this desk, by code (their names and materials)."""
        self.one_stop = False
        """Whether the hall has a catalogue of matters (the 'change the matter' key)."""
        self.last_finished: Ticket | None = None
        self.unavailable = False
        self.printer: Any = None
        """This counter's receipt print worker (a local hall with a printer set up), or None."""
        self.receipts: dict[int, tuple[Ticket, list[str]]] = {}
        """Receipts sent to the printer, by job id, to show their text if the job fails."""

    # -- layout -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="header")
        yield Static("", id="banner")
        with Horizontal(id="desk-main"):
            yield TicketCard(id="ticket")
            yield QueuePanel(id="queue")
        yield Static("", id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self._redraw()
        if self.app.service is not None:
            self.load(first=True)
        self.set_interval(self.app.settings.tick_s, self._tick)

    def on_hall_opened(self, _message: HallOpened) -> None:
        self.load(first=True)

    @property
    def number(self) -> int:
        return int(self.app.settings.counter)

    # -- loading ------------------------------------------------------------
    def load(self, first: bool = False) -> None:
        """Read the counter view (and on the first load the services) in a worker."""
        service, number = self.app.service, self.number

        def run() -> None:
            try:
                if first or not self.services:
                    services = {s.code: s for s in service.list_services(include_inactive=True)}
                    self.app.call_from_thread(setattr, self, "services", services)
                    one_stop = bool(service.list_departments())
                    self.app.call_from_thread(setattr, self, "one_stop", one_stop)
                view = service.counter_view(number)
                self._learn_matter(service, view)
            except live.FAILURES as exc:
                self.post_message(HallUnavailable(live.describe(exc, self.app.t)))
                if first:  # keep watching, so the screen recovers by itself
                    self.app.call_from_thread(self._watch, 0)
                return
            self.post_message(ViewLoaded(view))
            if first:
                self.app.call_from_thread(self._watch, view.as_of_event)

        self.run_worker(run, thread=True, group="view", name="load")

    def _learn_matter(self, service: Any, view: CounterView) -> None:
        """Read the current ticket's matter when this desk has not seen it (in a worker)."""
        code = view.current.matter_code if view.current else None
        if code and code not in self.matters:
            matter = service.get_matter(code)
            self.app.call_from_thread(self.matters.__setitem__, code, matter)

    def _watch(self, after: int) -> None:
        if self.app.settings.live:
            live.watch(self, self.app.service, after, self.app.settings.live_timeout)
        self._start_printer()

    def _start_printer(self) -> None:
        """Run this station's print worker (over the hall file or the hall server)."""
        if self.printer is not None:
            return
        from console.tui.printing import start_print_worker

        def outcome(done: Any) -> None:
            self.post_message(PrintFinished(done.job_id, done.ticket_id, done.status, done.message))

        self.printer = start_print_worker(
            self.app.service, self.app.settings.station, self.app.service_clock(), outcome
        )

    def on_unmount(self) -> None:
        if self.printer is not None:
            self.printer.stop(timeout=0.5)

    def on_print_finished(self, message: PrintFinished) -> None:
        from console.tui.dialogs import ReceiptDialog

        t = self.app.t
        if message.job_id not in self.receipts:
            return  # another screen's job on this station's printer: that screen tells
        ticket, lines = self.receipts.pop(message.job_id)
        number = ticket.number if ticket else f"#{message.ticket_id}"
        status = t(f"print.{message.status}")
        line = t("print.status", number=number, job=message.job_id, status=status, printer="")
        line = line.replace("（打印机 ）", "").replace(" (printer )", "")
        if message.status == "unconfirmed":
            self._status(f"{line}: {t('print.unconfirmed_help')}", error=True)
            self.app.bell()
        elif message.status == "failed":
            self._status(f"{line}: {t.error(message.message or '')}", error=True)
            self.app.bell()
            if lines:
                self.app.push_screen(
                    ReceiptDialog(
                        t("print.receipt_title", number=number),
                        lines,
                        f"{line}: {message.message or ''}",
                    )
                )
        else:
            self._status(line + (f" ({message.message})" if message.message else ""))

    def on_view_loaded(self, message: ViewLoaded) -> None:
        self._apply(message.view)

    def on_hall_changed(self, message: HallChanged) -> None:
        if live.outdated(self.view, message, self.app.service_clock()):
            self.load()

    def on_hall_unavailable(self, message: HallUnavailable) -> None:
        self.unavailable = True
        banner = self.query_one("#banner", Static)
        banner.update(live.banner(self.app.t, message))
        banner.remove_class("-standby")
        banner.add_class("-shown")

    def on_hall_reachable(self, _message: HallReachable) -> None:
        self.unavailable = False
        self.query_one("#banner", Static).remove_class("-shown")
        live.show_server(self)
        self._status(self.app.t("desk.reachable"))

    def _apply(self, view: CounterView) -> None:
        """Show ``view`` unless a newer one is already shown (workers may finish out of order)."""
        if self.view is not None and view.as_of_event < self.view.as_of_event:
            return
        before = self.view.current if self.view is not None else None
        day = self.app.service_clock().day(view.now)
        if before is not None and view.current is None and before.day != day:
            self._status(self.app.t("desk.day_turned", number=before.number), error=True)
        self.view = view
        if self.unavailable:
            self.on_hall_reachable(HallReachable())
        self._called_back(view)
        self._redraw()
        self.refresh_bindings()

    def _called_back(self, view: CounterView) -> None:
        """Say so when the station called this counter's ticket back after a failover (the
        standby lacked the call): the clerk sees why the same citizen is called again."""
        reclaimed = getattr(self.app.service, "reclaimed", [])  # through a hall server only
        for ticket in list(reclaimed):
            if view.current is not None and ticket.number == view.current.number:
                reclaimed.remove(ticket)
                self._status(self.app.t("desk.called_back", number=ticket.number))

    def _redraw(self) -> None:
        now = self.app.now()
        self.query_one(TicketCard).show(self.view, now, self.services, self.matters)
        rows = 4 if self.app.settings.theme == "contrast" or self.size.height < 30 else 8
        self.query_one(QueuePanel).show(self.view, now, rows)
        self._header(now)

    def _header(self, now: float) -> None:
        t = self.app.t
        text = Text()
        if self.view is not None:
            counter = self.view.counter
            text.append(
                f" {counter.name or t('desk.counter_n', n=counter.number)} ", "bold reverse"
            )
            text.append(f"  {self.actor.name} {self.actor.staff_no}  ")
            state = t(f"counter.{counter.state}")
            if counter.state == "paused" and counter.pause_reason:
                state += f": {counter.pause_reason}"
            text.append(
                f" {state} ", "bold reverse " + ("yellow" if counter.state != "open" else "green")
            )
        clock = self.app.service_clock().local(now).strftime("%H:%M")
        pad = max(1, self.size.width - text.cell_len - len(clock) - 1)
        text.append(" " * pad + clock)
        self.query_one("#header", Static).update(text)

    def _tick(self) -> None:
        now = self.app.now()
        self.query_one(TicketCard).tick(now)
        self._header(now)

    def on_resize(self) -> None:
        self._redraw()
        self.call_after_refresh(self._redraw)  # the card sizes its number to its new size

    # -- the status line ----------------------------------------------------
    def _status(self, text: str, error: bool = False) -> None:
        line = self.query_one("#status", Static)
        line.update(text)
        line.set_class(error, "-error")

    def _refuse(self, key: str, **values: Any) -> None:
        self._status(self.app.t(key, **values), error=True)
        self.app.bell()

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
                view = service.counter_view(number)
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

            self.app.switch_screen(LoginScreen(t("desk.closed_notice", n=self.number)))
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

    def action_park(self) -> None:
        """Ask why (a short list, or typed), then set the ticket aside; its timer stops."""
        from console.tui.dialogs import PickDialog

        ticket = self._current()
        if ticket is None:
            return
        t, svc, a, n = self.app.t, self.app.service, self.actor, self.number
        items = [(t(f"park.{r}"), t(f"park.{r}")) for r in PARK_REASONS]

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self._act("park", lambda key: svc.park(a, n, reason=picked.value, key=key))

        self.app.push_screen(
            PickDialog(t("park.title", number=ticket.number), items, free_text=True,
                       placeholder=t("park.hint")),
            chosen,
        )  # fmt: skip

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

    def action_matter(self) -> None:
        """The citizen came for another matter: pick it from the catalogue (m)."""
        from console.catalogue.search import CatalogueIndex

        ticket = self._current()
        if ticket is None:
            return
        svc = self.app.service

        def load_catalogue() -> None:
            try:
                index = CatalogueIndex((), svc.list_matters(), svc.list_departments())
            except live.FAILURES as exc:
                self.post_message(ActionFailed("matter", live.describe(exc, self.app.t), True))
                return
            self.app.call_from_thread(self._pick_matter, ticket, index)

        self.run_worker(load_catalogue, thread=True, group="lists")

    def _pick_matter(self, ticket: Ticket, index: Any) -> None:
        from console.tui.dialogs import MatterDialog

        t, svc, a, ref = self.app.t, self.app.service, self.actor, f"#{ticket.id}"

        def chosen(code: str | None) -> None:
            if code and code != ticket.matter_code:
                self._act("matter", lambda key: svc.change_matter(a, ref, code, key=key))

        self.app.push_screen(
            MatterDialog(t("matter.title", number=ticket.number), index, ticket.matter_code),
            chosen,
        )

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

    def action_transfer(self) -> None:
        from console.tui.transfer_targets import transfer_targets

        ticket = self._current()
        if ticket is None:
            return
        t, svc, n = self.app.t, self.app.service, self.number

        def load_targets() -> None:
            try:
                services, counters = svc.list_services(), svc.list_counters()
            except live.FAILURES as exc:
                self.post_message(ActionFailed("transfer", live.describe(exc, self.app.t), True))
                return
            items, names = transfer_targets(
                t, services, counters, own_service=ticket.service_code, own_counter=n
            )
            self.app.call_from_thread(self._pick_transfer, ticket, items, names)

        self.run_worker(load_targets, thread=True, group="lists")

    def _pick_transfer(
        self, ticket: Ticket, items: list[tuple[str, str]], names: dict[str, str]
    ) -> None:
        from console.tui.dialogs import PickDialog

        t, svc, a = self.app.t, self.app.service, self.actor

        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return
            kind, _, target = picked.value.partition(":")
            ref = f"#{ticket.id}"
            if kind == "service":
                self._act("transfer", lambda key: svc.transfer(a, ref, to_service=target, key=key))
            else:
                self._act(
                    "transfer", lambda key: svc.transfer(a, ref, to_counter=int(target), key=key)
                )

        self.app.push_screen(
            PickDialog(t("transfer.title", number=ticket.number), items,
                       placeholder=t("transfer.search"), aliases=names),
            chosen,
        )  # fmt: skip

    def action_resume(self) -> None:
        from console.tui.dialogs import PickDialog

        t = self.app.t
        parked = self.view.parked if self.view else []
        if self._not_while_held():
            return
        if not parked:
            self._refuse("desk.no_parked")
            return
        now = self.app.now()
        items = [
            (
                f"#{p.id}",
                t(
                    "resume.item",
                    number=p.number,
                    min=round(max(0, now - (p.parked_at or p.called_at or p.issued_at)) / 60),
                    reason=p.park_reason or "",
                ),
            )
            for p in parked
        ]
        svc, a, n = self.app.service, self.actor, self.number

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self._act("resume", lambda key: svc.resume(a, n, picked.value, key=key))

        self.app.push_screen(PickDialog(t("resume.title"), items), chosen)

    def action_green(self) -> None:
        from console.tui.dialogs import PickDialog

        ticket = self._current()
        if ticket is None:
            return
        t = self.app.t
        items = [(r, t(f"green.{r}")) for r in GREEN_REASONS]
        svc, a = self.app.service, self.actor

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self._act(
                    "green",
                    lambda key: svc.flag_green(
                        a, f"#{ticket.id}", picked.value, picked.note, key=key
                    ),
                )

        self.app.push_screen(
            PickDialog(t("green.title", number=ticket.number), items, note=t("green.note")),
            chosen,
        )

    def action_call_number(self) -> None:
        from console.tui.dialogs import PickDialog

        t = self.app.t
        if self._not_while_held():
            return
        now = self.app.now()
        # as the transfer picker shows a ticket: its service, how long it has waited, green
        items = [
            (
                p.number,
                f"{p.number:<6} {p.service_code:<5} "
                + t("desk.waited_short", min=round(p.waited_s(now) / 60))
                + (f"  {t('desk.green')}:{t(f'green.{p.green_reason}')}" if p.green else ""),
            )
            for p in (self.view.next_tickets if self.view else [])
        ]
        svc, a, n = self.app.service, self.actor, self.number

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                ref = picked.value.strip().upper()
                self._act("call_number", lambda key: svc.call_number(a, n, ref, key=key))

        self.app.push_screen(
            PickDialog(
                t("call_number.title"), items, free_text=True, placeholder=t("call_number.hint")
            ),
            chosen,
        )

    def action_pause(self) -> None:
        from console.tui.dialogs import PickDialog

        t, svc, a, n = self.app.t, self.app.service, self.actor, self.number
        if self.view is not None and self.view.counter.state == "paused":
            self._act("resume_counter", lambda key: svc.resume_counter(a, n, key=key))
            return
        items = [
            (t(f"pause.{r}"), t(f"pause.{r}")) for r in ("break", "meeting", "system", "other")
        ]

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self._act("pause", lambda key: svc.pause_counter(a, n, picked.value, key=key))

        self.app.push_screen(
            PickDialog(t("pause.title"), items, free_text=True, placeholder=t("pause.hint")),
            chosen,
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
                self.app.switch_screen(LoginScreen(t("desk.logged_out", staff=self.actor.staff_no)))

        self.app.push_screen(ConfirmDialog(t("confirm.logout", n=self.number)), confirmed)

    def action_print_receipt(self) -> None:
        """Ask for a receipt of the last ticket finished here; show its text if nothing prints."""
        svc, a, n, t = self.app.service, self.actor, self.number, self.app.t
        known = self.last_finished
        hall_name = self.app.hall_name()

        def call(key: str) -> tuple[PrintJob, Ticket, list[str]]:
            ticket = known
            if ticket is None:
                done = [x for x in svc.list_tickets(status="done") if x.counter_number == n]
                if not done:
                    raise QConsoleError(t("desk.nothing_to_print", n=n))
                ticket = max(done, key=lambda x: x.finished_at or 0)
            job = svc.request_print(a, f"#{ticket.id}", "receipt", key=key)
            service = self.services.get(ticket.service_code)
            lines = receipt_lines(ticket, service, hall_name, self.app.service_clock(), t.lang)
            return job, ticket, lines

        self._act("print_receipt", call)

    def _printed(self, job: PrintJob, ticket: Ticket, lines: list[str]) -> None:
        from console.tui.dialogs import ReceiptDialog

        t = self.app.t
        status = t(f"print.{job.status}") if t.has(f"print.{job.status}") else job.status
        line = t(
            "print.status",
            number=ticket.number,
            job=job.id,
            status=status,
            printer=job.printer or "-",
        )
        if job.status == "failed":
            error = t.error(job.error or "")
            if job.error == reasons.NO_PRINTER:
                error = t("print.no_printer")
            self._status(f"{line}: {error}", error=True)
            self.app.push_screen(
                ReceiptDialog(
                    t("print.receipt_title", number=ticket.number), lines, f"{line}: {error}"
                )
            )
        else:
            self._status(line)
            self.receipts[job.id] = (ticket, lines)
            if self.printer is not None:
                self.printer.wake()
