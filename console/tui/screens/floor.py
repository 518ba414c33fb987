"""The floor view (值班长): every counter, every service, the green channel, alerts and the
day by hour, live; open, pause and close counters, move and cancel any ticket.

Reading the hall is one worker at a time: a change that arrives while a view is
being read only marks the screen dirty, and one more read follows, so a flood of
events never queues up reads. The panels are drawn by ``floor_panels``, the keys
act through ``floor_actions``.
"""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from console.alerts import Alert, hall_alerts
from console.domain import Actor, HallView
from console.tui import live
from console.tui.banner import HallBanner
from console.tui.bindings import FLOOR, bindings_for
from console.tui.messages import (
    HallChanged,
    HallLoaded,
    HallUnavailable,
)
from console.tui.screens.floor_actions import FloorActions
from console.tui.screens.floor_panels import FloorPanels
from console.tui.widgets import KeyBar

COUNTER_COLUMNS = (("no", 4), ("state", 14), ("clerk", 8), ("ticket", 6), ("for", 5),
                   ("served", 4))  # fmt: skip
"""Fixed widths (cells), so the table's shape does not jump as states change and the
ticket and its timer fit beside the state at 80 columns."""
NARROW_WIDTHS = {"no": 3, "state": 10, "clerk": 6, "ticket": 5, "served": 4, "service": 9,
                 "waiting": 7, "longest": 7}  # fmt: skip
"""Below 100 columns: short headings (``floor.short.*``), and the services table keeps the
three columns that matter most (name, waiting, longest against the target)."""
SERVICE_COLUMNS = (("service", 16), ("waiting", 8), ("longest", 9), ("handling", 6),
                   ("open", 4))  # fmt: skip
FIGURES_S = 2.0
"""The hourly chart is read again at most this often (it moves slowly; the view does not)."""


def start(app: Any) -> Screen:
    """The floor station's first screen: the view for a logged-in manager, else the login."""
    from console.tui.screens.hall_login import HallLoginScreen

    actor = app.settings.actor
    if actor is not None and actor.may("manager"):
        return FloorScreen(actor)
    return HallLoginScreen("floor", FloorScreen, role="manager")


class FloorScreen(FloorActions, FloorPanels, HallBanner, Screen):
    """The whole hall for the floor manager; actions act on the selected counter or on a
    ticket picked from a searchable list."""

    CSS_PATH = "hall.tcss"
    KEY_ACTIONS = FLOOR
    BINDINGS = bindings_for(*FLOOR)

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.view: HallView | None = None
        self.band = ""
        """The width band the tables' columns were laid out for: narrow, normal or wide."""
        self.figures: dict[str, Any] | None = None
        self.alerts: list[Alert] = []
        self.hall_settings: dict[str, Any] = {}
        self.reading = False
        """A view is being read (not `loading`: that is Textual's own spinner)."""
        self.dirty = False
        self.loads = 0
        """Views applied so far (tests and the benchmark wait on it)."""
        self.load_started = 0.0
        self.last_refresh_s = 0.0
        """From asking for a view to having drawn it (read in the worker + redraw)."""
        self.last_redraw_s = 0.0
        """The part of it spent on the screen's own thread."""
        self.figures_loading = False
        self.figures_ready = False
        self.figures_at = -FIGURES_S
        self.figures_timer: Any = None
        self.departments: dict[str, Any] = {}
        """A one-stop hall's departments by code (their names), read with the settings."""
        self.matter_names: dict[str, Any] = {}
        """Matters by code, read when a drill-down first needs their names."""
        self.expanded: set[str] = set()
        """Queues shown with a row per department (Enter on the queue's row)."""
        self.busy_seen: dict[str, float] = {}
        """Counter number -> the last view time it held a ticket: an idle counter's start
        even before the (slower) figures catch up."""

    # -- layout -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="header")
        yield Static("", id="banner")
        with Horizontal(id="floor-top"):
            yield DataTable(id="floor-counters", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="floor-services", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="floor-bottom"):
            yield DataTable(id="floor-green", cursor_type="row")
            with VerticalScroll(id="floor-alerts"):
                yield Static("", id="floor-alert-list")
            with Vertical(id="floor-chart-box"):
                yield PlotextPlot(id="floor-chart")
        yield Static("", id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.app.t
        counters = self.query_one("#floor-counters", DataTable)
        counters.border_title = t("floor.counters")
        self.query_one("#floor-services", DataTable).border_title = t("floor.services")
        self._columns()
        green = self.query_one("#floor-green", DataTable)
        green.border_title = t("floor.green")
        for key, width in (("number", 5), ("reason", 9), ("waited", 6), ("service", 7)):
            green.add_column(t(f"floor.col.{key}"), key=key, width=width)
        self.query_one("#floor-alerts").border_title = t("floor.alerts")
        self.query_one("#floor-chart-box").border_title = t("floor.chart")
        self.query_one("#floor-alert-list", Static).update(t("common.loading"))
        counters.focus()
        self._layout()
        self.load(first=True)
        self.set_interval(self.app.settings.tick_s, self.tick)

    def on_resize(self) -> None:
        self._layout()
        if self._band() != self.band:  # a window dragged across 100 or 120 columns
            counters = self.query_one("#floor-counters", DataTable)
            row = counters.cursor_row
            self._columns()
            self._redraw(chart=False)
            if counters.row_count:  # the manager's selected counter stays selected
                counters.move_cursor(row=min(row, counters.row_count - 1), animate=False)

    def _band(self) -> str:
        width = self.app.size.width
        return "narrow" if width < 100 else "wide" if width >= 120 else "normal"

    def _columns(self) -> None:
        """The counters' and services' columns for the terminal's width, drawn again when a
        resize crosses 100 or 120 columns. Below 100 the columns narrow so the counters'
        tickets and timers fit; from 120, pause reasons and service names get more room."""
        t, self.band = self.app.t, self._band()
        extra = {"state": 4, "service": 4, "clerk": -1} if self.band == "wide" else {}
        narrow = NARROW_WIDTHS if self.band == "narrow" else {}
        heading = "floor.short" if narrow else "floor.col"
        counters = self.query_one("#floor-counters", DataTable)
        counters.clear(columns=True)
        for key, width in COUNTER_COLUMNS:
            width = narrow.get(key, width + extra.get(key, 0))
            counters.add_column(t(f"{heading}.{key}"), key=key, width=width)
        services = self.query_one("#floor-services", DataTable)
        services.clear(columns=True)
        for key, width in SERVICE_COLUMNS:
            if narrow and key not in narrow:
                continue
            width = narrow.get(key, width + extra.get(key, 0))
            services.add_column(t(f"{heading}.{key}"), key=key, width=width)

    def _layout(self) -> None:
        """The chart needs room: below 100 columns the green list and alerts take it."""
        self.query_one("#floor-chart-box").set_class(self.size.width < 100, "-hidden")
        self.set_class(self.size.width >= 120, "-wide")

    # -- loading ------------------------------------------------------------
    def load(self, first: bool = False) -> None:
        """Read the hall in a worker; while one read runs, later changes make one more."""
        if self.reading:
            self.dirty = True
            return
        self.reading, self.dirty = True, False
        self.load_started = time.perf_counter()
        service = self.app.service
        want_settings = not self.hall_settings

        def run() -> None:
            try:
                if want_settings:
                    settings = service.settings()
                    departments = {d.code: d for d in service.list_departments(True)}
                    self.app.call_from_thread(setattr, self, "departments", departments)
                    self.app.call_from_thread(setattr, self, "hall_settings", settings)
                view = service.hall_view()
            except live.FAILURES as exc:
                self.app.call_from_thread(self._load_failed, live.describe(exc, self.app.t), first)
                return
            self.post_message(HallLoaded(view))
            if first:
                self.app.call_from_thread(self._watch, view.as_of_event)

        self.run_worker(run, thread=True, group="view", name="load")

    def load_figures(self) -> None:
        """The chart and the counters' last finishes, at most every ``FIGURES_S`` seconds and
        in their own worker, so they never delay the live view."""
        if self.figures_loading:
            return
        wait = self.figures_at + FIGURES_S - time.monotonic()
        if wait > 0:
            if self.figures_timer is None:
                self.figures_timer = self.set_timer(wait, self._figures_timer_fired)
            return
        self.figures_loading = True
        getter = getattr(self.app.service, "floor_figures", None)

        def run() -> None:
            figures = None
            if getter is not None:
                try:
                    figures = getter()
                except live.FAILURES:  # an older hall server, or a moment's outage
                    figures = None
            self.app.call_from_thread(self._figures_loaded, figures)

        self.run_worker(run, thread=True, group="figures", name="figures")

    def _figures_timer_fired(self) -> None:
        self.figures_timer = None
        self.load_figures()

    def _figures_loaded(self, figures: dict[str, Any] | None) -> None:
        self.figures_loading = False
        self.figures_at = time.monotonic()
        chart = not self.figures_ready or (figures or {}).get("hours") != (
            self.figures or {}).get("hours")  # fmt: skip
        self.figures_ready = True
        if figures is not None:
            self.figures = figures
        if self.view is not None:
            self._redraw(chart=chart)

    def _load_failed(self, error: str, first: bool) -> None:
        self.reading = False
        self.on_hall_unavailable(HallUnavailable(error))
        if first:  # keep watching, so the screen recovers by itself
            self._watch(0)

    def _watch(self, after: int) -> None:
        if self.app.settings.live:
            live.watch(self, self.app.service, after, self.app.settings.live_timeout)

    def on_hall_loaded(self, message: HallLoaded) -> None:
        self.reading = False
        view = message.view
        if self.view is None or view.as_of_event >= self.view.as_of_event:
            if self.view is not None:  # a counter that just let go of its ticket is not idle
                before = {c.counter.number: c.current for c in self.view.counters}
                for state in view.counters:
                    if state.current is None and before.get(state.counter.number) is not None:
                        self.busy_seen[str(state.counter.number)] = view.now
            self.view = view
            self.hall_answered()
            drawing = time.perf_counter()
            self._redraw(chart=False)
            self.last_redraw_s = time.perf_counter() - drawing
            self.last_refresh_s = time.perf_counter() - self.load_started
            self.loads += 1
            self.load_figures()
        if self.dirty:
            self.load()

    def on_hall_changed(self, message: HallChanged) -> None:
        if live.outdated(self.view, message, self.app.service_clock()):
            self.load()

    # -- drawing ------------------------------------------------------------
    def tick(self) -> None:
        """Times move every second even when nothing changes."""
        if self.view is not None:
            self._redraw(chart=False)

    def _redraw(self, chart: bool = True) -> None:
        view = self.view
        if view is None:
            return
        now = self.app.now()
        for state in view.counters:
            if state.current is not None:  # busy as far as this screen knows, until now
                self.busy_seen[str(state.counter.number)] = now
        last = dict(self.busy_seen)
        for number, at in ((self.figures or {}).get("last_finished") or {}).items():
            last[number] = max(at, last.get(number, 0.0))
        self.alerts = hall_alerts(
            view,
            now,
            paused_alert_min=float(self.hall_settings.get("paused_alert_min", 15)),
            last_finished=last,
            lang=self.app.t.lang,
        )
        self._counters(view, now)
        self._services(view, now)
        self._green(view, now)
        self._alerts(now)
        self._header(view, now)
        if chart:
            self._chart()

    def _header(self, view: HallView, now: float) -> None:
        t = self.app.t
        text = Text()
        text.append(f" {t('floor.title')} ", "bold reverse")
        who = f"{self.actor.name} {self.actor.staff_no}" if self.actor.name else self.actor.staff_no
        text.append(f"  {who}  ")
        open_n = sum(1 for c in view.counters if c.counter.state != "closed")
        waiting = sum(s.waiting for s in view.services)
        text.append(t("floor.summary", open=open_n, total=len(view.counters), waiting=waiting,
                      green=len(view.green_waiting)))  # fmt: skip
        if self.alerts:
            text.append("  ")
            text.append(f" {t('floor.n_alerts', n=len(self.alerts))} ", "bold reverse red")
        if not view.session_open:
            text.append("  ")
            text.append(f" {self._closed_text(view)} ", "bold reverse yellow")
        if view.calendar_unknown:
            text.append("  ")
            text.append(f" {t('floor.calendar_unknown', year=view.calendar_unknown)} ",
                        "bold reverse yellow")  # fmt: skip
        if view.failover:
            at = self.app.service_clock().local(view.failover["at"]).strftime("%H:%M")
            text.append("  ")
            text.append(f" {t('floor.failover', at=at, event=view.failover['from_event'])} ",
                        "bold reverse magenta")  # fmt: skip
        replication = view.replication or {}
        if replication.get("stalled") or replication.get("problem"):
            text.append("  ")
            said = t("floor.replica_behind", n=replication.get("lag_writes", 0),
                     s=round(replication.get("lag_s", 0)))  # fmt: skip
            text.append(f" {said} ", "bold reverse red")
        clock = self.app.service_clock().local(now).strftime("%H:%M")
        pad = max(1, self.size.width - text.cell_len - len(clock) - 1)
        text.append(" " * pad + clock)
        self.query_one("#header", Static).update(text)

    def _closed_text(self, view: HallView) -> str:
        t = self.app.t
        if view.closed_for:
            return t("floor.closed_holiday", holiday=view.closed_for[t.index])
        if view.next_session_opens:
            return t("floor.closed_next", when=view.next_session_opens)
        return t("floor.closed")
