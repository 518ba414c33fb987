"""Reception (导办台): find a service by typing, optionally flag the green channel or the
low-position counter, issue; the number, how many are ahead and the estimated wait are
shown large, with the print job's state. Appointments are checked in by their code.

Letters go to the search field, so this screen's own keys are function keys (F2 issue,
F5 check in, F6 reprint); Enter in the search field issues too. After each ticket the
search is cleared and keeps the focus, so the next citizen's search starts at once; Esc
clears it by hand. The "print" box follows whether this station has a ticket printer.
"""

from __future__ import annotations

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
)
from console.tui import live
from console.tui.banner import HallBanner
from console.tui.bindings import RECEPTION, bindings_for
from console.tui.messages import (
    HallChanged,
    HallLoaded,
    HallUnavailable,
)
from console.tui.screens.reception_actions import MATTER, ReceptionActions
from console.tui.screens.reception_printing import ReceptionPrinting
from console.tui.widgets import BigText, KeyBar
from console.tui.widgets.options import move_highlight


def start(app: Any) -> Screen:
    """The reception station's first screen: the login unless already logged in."""
    from console.tui.screens.hall_login import HallLoginScreen

    if app.settings.actor is not None:
        return ReceptionScreen(app.settings.actor)
    return HallLoginScreen("reception", ReceptionScreen, role="clerk")


SHOWN = 50
"""The list shows the best this many (a catalogue of thousands would not fit anyway)."""


class ReceptionScreen(ReceptionActions, ReceptionPrinting, HallBanner, Screen):
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

    @on(Input.Submitted, "#rcp-search")
    @on(Button.Pressed, "#rcp-issue")
    def _submit(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.action_issue()
