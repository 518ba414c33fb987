"""Reception (导办台): find a service by typing, optionally flag the green channel or the
low-position counter, issue; the number, how many are ahead and the estimated wait are
shown large, with the print job's state. Appointments are checked in by their code.

Letters go to the search field, so this screen's own keys are function keys (F2 issue,
F5 check in, F6 reprint); Enter in the search field issues too. After each ticket the
search is cleared and keeps the focus, so the next citizen's search starts at once; Esc
clears it by hand. The "print" box follows whether this station has a ticket printer.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from console.catalogue.search import CatalogueIndex, Entry
from console.domain import (
    GREEN_REASONS,
    Actor,
    HallView,
    IssueResult,
    PrintJob,
    ServiceDef,
    reasons,
)
from console.domain.errors import QConsoleError, Unavailable
from console.tui import live
from console.tui.banner import HallBanner
from console.tui.bindings import RECEPTION, bindings_for
from console.tui.dialogs import PickDialog, Picked
from console.tui.messages import (
    ActionDone,
    ActionFailed,
    HallChanged,
    HallLoaded,
    HallUnavailable,
)
from console.tui.widgets import BigText, KeyBar
from console.tui.widgets.options import move_highlight


def start(app: Any) -> Screen:
    """The reception station's first screen: the login unless already logged in."""
    from console.tui.screens.hall_login import HallLoginScreen

    if app.settings.actor is not None:
        return ReceptionScreen(app.settings.actor)
    return HallLoginScreen("reception", ReceptionScreen, role="clerk")


MATTER = "m:"
"""Option ids: a service's is its code, a matter's this and its code."""
SHOWN = 50
"""The list shows the best this many (a catalogue of thousands would not fit anyway)."""


class ReceptionScreen(HallBanner, Screen):
    """Issue tickets and check in appointments at the hall's entrance."""

    CSS_PATH = "hall.tcss"
    KEY_ACTIONS = RECEPTION
    BINDINGS: ClassVar = [
        *bindings_for(*RECEPTION),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("escape", "clear_search", show=False),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.view: HallView | None = None
        self.services: list[ServiceDef] = []
        self.index = CatalogueIndex()
        """Services and matters, searched as staff type (``console.catalogue.search``)."""
        self.last: IssueResult | None = None
        self.job: PrintJob | None = None
        self.printer = None
        """The print worker of this station's ticket printers (in-process halls only)."""
        self.has_printer: bool | None = None
        """Whether a ticket printer serves this station (None until the hall says)."""

    # -- layout -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Static("", id="header")
        yield Static("", id="banner")
        yield Static("", id="rcp-session")
        with Horizontal(id="rcp-main"):
            with Vertical(id="rcp-left"):
                yield Input(placeholder=t("reception.search"), id="rcp-search", compact=True)
                yield OptionList(id="rcp-services")
            with Vertical(id="rcp-right"):
                with Vertical(id="rcp-options"):
                    with Horizontal(classes="rcp-row"):
                        yield Static(t("reception.green"), classes="rcp-label")
                        yield Select(
                            [(t("reception.green_none"), "none")]
                            + [(t(f"green.{r}"), r) for r in GREEN_REASONS],
                            value="none", allow_blank=False, id="rcp-green", compact=True,
                        )  # fmt: skip
                    yield Input(placeholder=t("reception.green_note"), id="rcp-note",
                                compact=True, max_length=200)  # fmt: skip
                    with Vertical(classes="rcp-row"):
                        yield Checkbox(t("reception.low"), id="rcp-low", compact=True)
                        yield Checkbox(t("reception.print"), value=False, disabled=True,
                                       id="rcp-print", compact=True)  # fmt: skip
                    yield Button(t("reception.issue_button"), variant="primary", id="rcp-issue",
                                 compact=True)  # fmt: skip
                with Vertical(id="rcp-result"):
                    yield BigText("", id="rcp-number")
                    yield Static(t("reception.none_yet"), id="rcp-info")
                    yield Static("", id="rcp-print-state")
        yield Static("", id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.cursor_blink = self.app.settings.cursor_blink
        self.query_one("#rcp-left").border_title = self.app.t("reception.services", n="…")
        self.query_one("#rcp-options").border_title = self.app.t("reception.options")
        self.query_one("#rcp-result").border_title = self.app.t("reception.result")
        self.query_one("#rcp-search", Input).focus()
        self.load(first=True)
        self.set_interval(self.app.settings.tick_s, self._header)

    def on_unmount(self) -> None:
        if self.printer is not None:
            self.printer.stop(timeout=1.0)

    # -- loading ------------------------------------------------------------
    def load(self, first: bool = False, catalogue: bool = False) -> None:
        """Read the hall view in a worker; with ``first`` or ``catalogue`` also the services
        and the catalogue of matters, and build the search index anew."""
        service = self.app.service

        def run() -> None:
            try:
                if first or catalogue:
                    services = service.list_services()
                    index = CatalogueIndex(
                        services, service.list_matters(), service.list_departments()
                    )
                    self.app.call_from_thread(self._set_services, services, index)
                try:
                    printers = self._ticket_printers(service)
                except live.FAILURES:  # not known: issuing matters more than the box
                    printers = None
                self.app.call_from_thread(self._printers_known, printers)
                view = service.hall_view()
                job = None
                if self.job is not None and self.job.status in ("queued", "printing"):
                    job = next((j for j in service.list_print_jobs(limit=50)
                                if j.id == self.job.id), None)  # fmt: skip
            except live.FAILURES as exc:
                self.post_message(HallUnavailable(live.describe(exc, self.app.t)))
                if first:
                    self.app.call_from_thread(self._watch, 0)
                return
            self.post_message(HallLoaded(view))
            if job is not None:
                self.app.call_from_thread(self._show_job, job)
            if first:
                self.app.call_from_thread(self._watch, view.as_of_event)

        self.run_worker(run, thread=True, group="view", name="load")

    def _watch(self, after: int) -> None:
        if self.app.settings.live:
            live.watch(self, self.app.service, after, self.app.settings.live_timeout)

    def _ticket_printers(self, service: Any) -> set[str]:
        """The ticket printers serving this station (called in a worker)."""
        station = self.app.settings.station
        return {p.name for p in service.list_printers()
                if p.purpose == "ticket" and p.station in (None, station)}  # fmt: skip

    def _printers_known(self, mine: set[str] | None) -> None:
        """Tick "print" when a printer serves this station; without one, say so once, calmly.
        When the list could not be read, the box is left to the clerk (as the setting says).
        Asked again at every reload, so a printer added while the screen runs is offered."""
        t = self.app.t
        box = self.query_one("#rcp-print", Checkbox)
        if mine is None:
            box.disabled, box.value = False, self.app.settings.print_tickets
            return
        if self.has_printer is not None and bool(mine) == self.has_printer:
            return
        self.has_printer = bool(mine)
        self.refresh_bindings()
        box.disabled = not mine
        box.value = bool(mine) and self.app.settings.print_tickets
        state = self.query_one("#rcp-print-state", Static)
        state.update(Text(t("reception.no_printer"), "dim") if not mine else "")
        self._start_printer()

    def _start_printer(self) -> None:
        """Run this station's print worker (over the hall file or the hall server)."""
        if not self.app.settings.print_tickets or self.printer is not None:
            return
        from console.tui.printing import start_print_worker

        self.printer = start_print_worker(
            self.app.service, self.app.settings.station, self.app.service_clock()
        )

    def _set_services(self, services: list[ServiceDef], index: CatalogueIndex) -> None:
        self.services = services
        self.index = index
        if len(index) > len(services):  # a one-stop hall: say that matters are found too
            self.query_one("#rcp-search", Input).placeholder = self.app.t(
                "reception.search_matters"
            )
        self._fill(self.query_one("#rcp-search", Input).value)

    def on_hall_loaded(self, message: HallLoaded) -> None:
        view = message.view
        if self.view is not None and view.as_of_event < self.view.as_of_event:
            return
        if self.view is not None and view.catalogue_event != self.view.catalogue_event:
            self.load(catalogue=True)  # a service or matter changed: search what is there now
        self.view = view
        self.hall_answered()
        self._fill(self.query_one("#rcp-search", Input).value)
        self._session()
        self._header()

    def on_hall_changed(self, message: HallChanged) -> None:
        if live.outdated(self.view, message, self.app.service_clock()):
            self.load()

    # -- drawing ------------------------------------------------------------
    def _header(self) -> None:
        t = self.app.t
        now = self.app.now()
        text = Text()
        text.append(f" {t('reception.title')} ", "bold reverse")
        text.append(f"  {self.actor.name} {self.actor.staff_no}  ".replace("   ", "  "))
        if self.view is not None and self.view.session_open:
            text.append(f" {t('reception.open')} ", "bold reverse green")
        clock = self.app.service_clock().local(now).strftime("%H:%M")
        pad = max(1, self.size.width - text.cell_len - len(clock) - 1)
        text.append(" " * pad + clock)
        self.query_one("#header", Static).update(text)

    def _closed_why(self) -> tuple[str, dict]:
        """Why no ticket can be issued now: a statutory holiday, or no session open."""
        view = self.view
        when = view.next_session_opens if view else None
        if view is not None and view.closed_for:
            return "reception.closed_holiday", {
                "holiday": view.closed_for[self.app.t.index],
                "when": when,
            }
        return ("reception.closed_next" if when else "reception.closed"), {"when": when}

    def _session(self) -> None:
        t, view = self.app.t, self.view
        line = self.query_one("#rcp-session", Static)
        closed = view is not None and not view.session_open
        line.set_class(closed, "-shown")
        self.query_one("#rcp-issue", Button).disabled = closed
        if closed:
            key, params = self._closed_why()
            line.update(t(key, **params))
        self.refresh_bindings()

    def _fill(self, text: str) -> None:
        """What the search finds — services, and a one-stop hall's matters with their queue —
        with the queues' waiting; the highlight stays on its entry."""
        t = self.app.t
        options = self.query_one("#rcp-services", OptionList)
        keep = None
        if options.highlighted is not None and options.option_count:
            keep = options.get_option_at_index(options.highlighted).id
        waiting = {s.code: s.waiting for s in (self.view.services if self.view else [])}
        room = options.scrollable_content_region.width - 2  # the scrollbar beside the lines
        shown = [self._option(e, waiting.get(e.queue, 0), room)
                 for e in self.index.search(text, SHOWN)]  # fmt: skip
        options.clear_options()
        total = len(self.index)
        title = (t("reception.services", n=len(shown)) if total == len(self.services)
                 else t("reception.catalogue", n=len(shown), total=total))  # fmt: skip
        self.query_one("#rcp-left").border_title = title
        if shown:
            options.add_options(shown)
            ids = [o.id for o in shown]
            options.highlighted = ids.index(keep) if keep in ids else 0
        else:
            options.add_option(Option(t("reception.no_match"), id="", disabled=True))

    def _option(self, entry: Entry, waiting: int, room: int = 0) -> Option:
        """One line; a name too long for it ends in "…" there (the list would otherwise wrap
        it onto a line of its own and show the entry without its name)."""
        t = self.app.t
        label = Text(no_wrap=True, overflow="ellipsis")
        if entry.kind == "service":
            label.append(f"{entry.code:<5}", "bold")
            label.append(f"{t('reception.n_waiting', n=waiting):>8}  ", "dim")
            label.append(entry.name(t.lang))
            if room > 0:
                label.truncate(room, overflow="ellipsis")
            return Option(label, id=entry.code)
        label.append(f"{entry.queue:<5}", "bold")
        label.append(f"{t('reception.n_waiting', n=waiting):>8}  ", "dim")
        label.append(entry.name(t.lang))  # (found by its code too; a line has no room for it)
        if room > 0:
            label.truncate(room, overflow="ellipsis")
        return Option(label, id=MATTER + entry.code)

    def on_resize(self) -> None:
        """The lines fit the list's new width (after the layout has it)."""
        self.call_after_refresh(lambda: self._fill(self.query_one("#rcp-search", Input).value))

    @on(Input.Changed, "#rcp-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_clear_search(self) -> None:
        """Esc: an empty search, ready for the next citizen."""
        search = self.query_one("#rcp-search", Input)
        search.value = ""
        search.focus()

    def action_move(self, step: int) -> None:
        move_highlight(self.query_one("#rcp-services", OptionList), step)

    # -- the status line ----------------------------------------------------
    def _status(self, text: str, error: bool = False) -> None:
        line = self.query_one("#status", Static)
        line.update(text)
        line.set_class(error, "-error")

    def _refuse(self, key: str, **values: Any) -> None:
        self._status(self.app.t(key, **values), error=True)
        self.app.bell()

    def action_available(self, name: str) -> bool:
        if name == "issue":
            return self.view is not None and self.view.session_open
        if name == "reprint":
            return self.last is not None and bool(self.has_printer)
        return True

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

    @on(Input.Submitted, "#rcp-search")
    @on(Button.Pressed, "#rcp-issue")
    def _submit(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.action_issue()

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

    def _wake_printer(self) -> None:
        if self.printer is not None:
            self.printer.wake()

    def _show_job(self, job: PrintJob) -> None:
        t = self.app.t
        self.job = job
        line = self.query_one("#rcp-print-state", Static)
        if job.status == "failed":
            error = (
                t("reception.no_printer")
                if job.error == reasons.NO_PRINTER
                else t.error(job.error or "")
            )
            line.update(Text(t("reception.print_failed", error=error), "bold red"))
        elif job.status == "unconfirmed":
            line.update(Text(t("reception.print_unconfirmed"), "bold red"))
        else:
            status = t(f"print.{job.status}") if t.has(f"print.{job.status}") else job.status
            line.update(t("reception.print_state", status=status))
