"""The counter console's layout: the current ticket large, the queue beside it, the
header, the banner and the status line; loading the counter's view and keeping it fresh.

What the keys do lives beside it: ``desk_actions`` (each key one service call in a
worker), ``desk_pickers`` (the keys that ask first) and ``desk_printing`` (receipts and
this counter's print worker). The live worker (``console.tui.live``) reloads the view
when another station changes the hall.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from console.domain import Actor, CounterView, Event, Matter, ServiceDef, Ticket
from console.domain.desk_changes import concerns_desk
from console.service import HallService
from console.tui import live
from console.tui.banner import HallBanner
from console.tui.bindings import DESK, bindings_for
from console.tui.messages import (
    HallChanged,
    HallOpened,
    HallUnavailable,
    ViewLoaded,
)
from console.tui.screens.desk_actions import DeskActions
from console.tui.screens.desk_pickers import DeskPickers
from console.tui.screens.desk_printing import DeskPrinting
from console.tui.widgets import KeyBar, QueuePanel, TicketCard


class DeskScreen(DeskActions, DeskPickers, DeskPrinting, HallBanner, Screen):
    """One counter, one clerk."""

    KEY_ACTIONS = DESK
    REACHABLE_NOTE = "desk.reachable"
    BINDINGS = bindings_for(*DESK)
    upcoming = 8
    """The next tickets the desk's view holds (the queue panel shows as many as fit)."""

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
                view = service.counter_view(number, self.upcoming)
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

    def _learn_matter(self, service: HallService, view: CounterView) -> None:
        """Read the current ticket's matter when this desk has not seen it (in a worker)."""
        code = view.current.matter_code if view.current else None
        if code and code not in self.matters:
            matter = service.get_matter(code)
            self.app.call_from_thread(self.matters.__setitem__, code, matter)

    def _watch(self, after: int) -> None:
        if self.app.settings.live:
            live.watch(self, self.app.service, after, self.app.settings.live_timeout,
                       concerns=self._concerns)  # fmt: skip
        self._start_printer()

    def _concerns(self, event: Event) -> bool:
        """Whether ``event`` changes what this desk shows now (in the live worker's thread)."""
        view, services = self.view, self.services
        mine = [services[s.code].id for s in view.services if s.code in services] if view else []
        return concerns_desk(event, view, self.number, mine, shown=self.upcoming)

    def on_view_loaded(self, message: ViewLoaded) -> None:
        self._apply(message.view)

    def on_hall_changed(self, message: HallChanged) -> None:
        if live.outdated(self.view, message, self.app.service_clock()):
            self.load()

    def _apply(self, view: CounterView) -> None:
        """Show ``view`` unless a newer one is already shown (workers may finish out of order)."""
        if self.view is not None and view.as_of_event < self.view.as_of_event:
            return
        before = self.view.current if self.view is not None else None
        day = self.app.service_clock().day(view.now)
        if before is not None and view.current is None and before.day != day:
            self._status(self.app.t("desk.day_turned", number=before.number), error=True)
        self.view = view
        self.hall_answered()
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
