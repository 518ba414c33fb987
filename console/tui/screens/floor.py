"""The floor view (值班长): every counter, every service, the green channel, alerts and the
day by hour, live; open, pause and close counters, move and cancel any ticket.

Reading the hall is one worker at a time: a change that arrives while a view is
being read only marks the screen dirty, and one more read follows, so a flood of
events never queues up reads. Tables are updated cell by cell when their rows
are the same, so the cursor stays put and a refresh costs little.
"""

from __future__ import annotations

import time
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from console.alerts import Alert, hall_alerts
from console.domain import Actor, HallView
from console.format import mm_ss
from console.tui import live
from console.tui.banner import HallBanner
from console.tui.bindings import FLOOR, bindings_for
from console.tui.messages import (
    HallChanged,
    HallLoaded,
    HallUnavailable,
)
from console.tui.screens.floor_actions import FloorActions
from console.tui.widgets import KeyBar
from console.tui.wrap import wrap

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
CHART_COLOURS = ((70, 130, 230), (60, 190, 90), (240, 160, 40))
"""Tickets issued, served (bars, left axis) and the average wait (line, right axis)."""
FIGURES_S = 2.0
"""The hourly chart is read again at most this often (it moves slowly; the view does not)."""
GREEN_SHOWN = 200
"""Green-channel tickets listed at most (oldest first); the header gives the total."""


def start(app: Any) -> Screen:
    """The floor station's first screen: the view for a logged-in manager, else the login."""
    from console.tui.screens.hall_login import HallLoginScreen

    actor = app.settings.actor
    if actor is not None and actor.may("manager"):
        return FloorScreen(actor)
    return HallLoginScreen("floor", FloorScreen, role="manager")


def green_split(t: Any, view: HallView) -> str:
    """Today's green-channel share of tickets and green/normal average waits, hall-wide."""
    issued = sum(s.issued_today for s in view.services)
    green = sum((s.green_share_today or 0) * s.issued_today for s in view.services)

    def avg(key: str, weight: Any) -> str:
        pairs = [(getattr(s, key), weight(s)) for s in view.services if getattr(s, key)]
        total = sum(w for _, w in pairs)
        return f"{sum(v * w for v, w in pairs) / total / 60:.1f}" if total else "-"

    share = f"{green / issued * 100:.0f}%" if issued else "-"
    return t("floor.green_split", share=share,
             green=avg("green_wait_avg_s", lambda s: (s.green_share_today or 0) * s.issued_today),
             normal=avg("normal_wait_avg_s",
                        lambda s: (1 - (s.green_share_today or 0)) * s.issued_today))  # fmt: skip


def fill_table(table: DataTable, rows: list[tuple[str, list[Any]]]) -> None:
    """Show ``rows`` ((key, cells)); same keys in the same order: only changed cells."""
    keys = [key for key, _ in rows]
    current = [row.key.value for row in table.ordered_rows]
    if keys == current:
        columns = list(table.columns)
        for key, cells in rows:
            old = table.get_row(key)
            for column, before, after in zip(columns, old, cells, strict=False):
                if _look(before) != _look(after):
                    table.update_cell(key, column, after)
        return
    cursor = table.cursor_row
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if rows:
        table.move_cursor(row=min(cursor, len(rows) - 1), animate=False)


def whole_ticks(top: int, most: int = 5) -> list[int]:
    """Tick marks for a count axis: whole numbers from 0, at most ``most`` + 1 of them."""
    step = max(1, -(-max(top, 1) // most))
    return list(range(0, max(top, 1) + step, step))


def _look(cell: Any) -> tuple:
    """What a cell shows: its text and styles."""
    if isinstance(cell, Text):
        return (cell.plain, str(cell.style), tuple(cell.spans))
    return (str(cell), "", ())


def department_wait(matters: list[Any], drift: float) -> tuple[float, int, bool]:
    """A department's longest wait, the target it is read against, and whether it is over.

    Each waiting matter is judged by its own target (a one-stop hall's matters have their
    own): the department shows the matter furthest past (or nearest to) its target, and is
    over only when some waiting matter is. A matter with nobody waiting cannot make it red.
    """
    waiting = [m for m in matters if m.waiting]
    if not waiting:
        return 0.0, min(m.target_wait_min for m in matters), False
    worst = max(waiting, key=lambda m: m.longest_wait_s + drift - m.target_wait_min * 60)
    longest = worst.longest_wait_s + drift
    return longest, worst.target_wait_min, longest > worst.target_wait_min * 60


class FloorScreen(FloorActions, HallBanner, Screen):
    """The whole hall for the floor manager; actions act on the selected counter or on a
    ticket picked from a searchable list."""

    CSS_PATH = "hall.tcss"
    KEY_ACTIONS = FLOOR
    BINDINGS = bindings_for(*FLOOR)

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.view: HallView | None = None
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
        # Below 100 columns the columns narrow so the counters' tickets and timers fit; from
        # 120, pause reasons and service names get more room.
        size = self.app.size.width
        extra = {"state": 4, "service": 4, "clerk": -1} if size >= 120 else {}
        narrow = NARROW_WIDTHS if size < 100 else {}
        heading = "floor.short" if narrow else "floor.col"
        for key, width in COUNTER_COLUMNS:
            width = narrow.get(key, width + extra.get(key, 0))
            counters.add_column(t(f"{heading}.{key}"), key=key, width=width)
        services = self.query_one("#floor-services", DataTable)
        services.border_title = t("floor.services")
        for key, width in SERVICE_COLUMNS:
            if narrow and key not in narrow:
                continue
            width = narrow.get(key, width + extra.get(key, 0))
            services.add_column(t(f"{heading}.{key}"), key=key, width=width)
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

    def _counters(self, view: HallView, now: float) -> None:
        t = self.app.t
        rows = []
        for state in view.counters:
            c, ticket = state.counter, state.current
            if ticket is not None:
                label = Text(t(f"status.{ticket.status}"), style="bold green")
            elif c.state == "paused":
                since = round(max(0.0, now - (c.state_since or now)) / 60)
                label = Text(t("floor.paused", reason=c.pause_reason or "", min=since),
                             style="bold yellow")  # fmt: skip
            elif c.state == "open":
                label = Text(t("counter.open"), style="green")
            else:
                label = Text(t("counter.closed"), style="dim")
            if not c.active:
                label = Text(t("floor.inactive"), style="dim")
            since = None
            if ticket is not None:
                since = ticket.served_at if ticket.status == "serving" else ticket.called_at
            number = Text(ticket.number, style="bold") if ticket else Text("")
            if ticket is not None and ticket.green:
                number.stylize("green")
            rows.append((str(c.number), [
                Text(str(c.number), style="bold"),
                label,
                c.clerk_name or c.clerk_staff_no or "",
                number,
                mm_ss(max(0.0, now - since)) if since else "",
                str(state.served_today),
            ]))  # fmt: skip
            for held in state.parked:  # a line under its counter: which ticket, and why
                why = held.park_reason
                narrow = self.app.size.width < 100  # the reason alone (yellow: parked)
                shown = (why if narrow else t("floor.parked", reason=why)) if why else None
                reason = Text(shown or t("status.parked"), style="yellow")
                rows.append((f"{c.number}/{held.id}", [
                    "", reason, "", Text(held.number, style="yellow"),
                    mm_ss(max(0.0, now - (held.parked_at or now))), "",
                ]))  # fmt: skip
        fill_table(self.query_one("#floor-counters", DataTable), rows)

    def _services(self, view: HallView, now: float) -> None:
        t = self.app.t
        services = self.query_one("#floor-services", DataTable)
        drift = max(0.0, now - view.now)
        rows = []
        for s in view.services:
            longest = s.longest_wait_s + drift if s.waiting else 0.0
            over = s.waiting and longest > s.target_wait_min * 60
            name = s.name_zh if t.zh else s.name_en
            if any(m.service == s.code for m in view.matters):  # Enter: its departments
                name += " ▾" if s.code in self.expanded else " ▸"
            green = f"{t('desk.green_short')}{s.green_waiting}" if s.green_waiting else ""
            wait = Text(f"{round(longest / 60)}/{s.target_wait_min}",
                        style="bold red" if over else "")  # fmt: skip
            if over:
                wait.append("▲")
            avg = f"{s.avg_handling_s / 60:.1f}" if s.avg_handling_s else "-"
            if len(services.columns) == 3:  # narrow: the Chinese name says it all; English
                short = name if t.zh else f"{s.code} {name}"  # names need the code first
                cells = [Text(short, no_wrap=True, overflow="ellipsis"),
                         f"{s.waiting} {green}".strip(), wait]  # fmt: skip
            else:
                cells = [f"{s.code} {name}", f"{s.waiting} ({green})" if green else str(s.waiting),
                         wait, avg, str(s.counters_open)]  # fmt: skip
            rows.append((s.code, cells))
            rows.extend(self._department_rows(view, s.code, now, len(services.columns)))
        fill_table(services, rows)

    def _department_rows(
        self, view: HallView, queue: str, now: float, columns: int
    ) -> list[tuple[str, list[Any]]]:
        """Under an expanded queue, a row per department whose matters it calls today:
        waiting and its most overdue matter's longest wait against that matter's target."""
        if queue not in self.expanded:
            return []
        t, drift = self.app.t, max(0.0, now - view.now)
        groups: dict[str, list[Any]] = {}
        for m in view.matters:
            if m.service == queue:
                groups.setdefault(m.department, []).append(m)
        rows = []
        for code in sorted(groups, key=lambda c: -sum(m.waiting for m in groups[c])):
            matters = groups[code]
            waiting = sum(m.waiting for m in matters)
            longest, target, over = department_wait(matters, drift)
            dept = self.departments.get(code)
            name = dept.name(t.lang) if dept else code
            label = Text(f"  └ {name}", style="dim", no_wrap=True, overflow="ellipsis")
            wait = Text(f"{round(longest / 60)}/{target}" + ("▲" if over else ""),
                        style="bold red" if over else "dim")  # fmt: skip
            cells: list[Any] = [label, str(waiting), wait]
            if columns > 3:
                cells += ["", ""]
            rows.append((f"{queue}/{code}", cells))
        return rows

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a queue's row shows its departments; on a department's, its matters."""
        if event.data_table.id != "floor-services" or self.view is None:
            return
        key = str(event.row_key.value)
        queue, _, department = key.partition("/")
        if not department:
            if not any(m.service == queue for m in self.view.matters):
                return
            self.expanded ^= {queue}
            self._services(self.view, self.app.now())
            return
        if self.matter_names:
            self._drill_down(queue, department)
            return
        service = self.app.service

        def run() -> None:
            try:
                names = {m.code: m for m in service.list_matters(include_retired=True)}
            except live.FAILURES as exc:
                self.app.call_from_thread(self._load_failed, live.describe(exc, self.app.t), False)
                return
            self.app.call_from_thread(setattr, self, "matter_names", names)
            self.app.call_from_thread(self._drill_down, queue, department)

        self.run_worker(run, thread=True, group="lists", name="matters")

    def _drill_down(self, queue: str, department: str) -> None:
        from console.tui.dialogs import BreakdownDialog

        t, view = self.app.t, self.view
        if view is None:
            return
        drift = max(0.0, self.app.now() - view.now)
        stats = sorted((m for m in view.matters if m.service == queue
                        and m.department == department),
                       key=lambda m: (-m.waiting, -m.issued_today, m.code))  # fmt: skip
        rows = []
        for m in stats:
            known = self.matter_names.get(m.code)
            name = known.name(t.lang) if known else m.code
            longest = m.longest_wait_s + drift if m.waiting else 0.0
            rows.append((name, m.code, m.waiting, longest, m.target_wait_min, m.issued_today))
        dept = self.departments.get(department)
        service = next((s for s in view.services if s.code == queue), None)
        title = t("floor.breakdown.title",
                  queue=(service.name_zh if t.zh else service.name_en) if service else queue,
                  department=dept.name(t.lang) if dept else department)  # fmt: skip
        self.app.push_screen(BreakdownDialog(title, rows))

    def _green(self, view: HallView, now: float) -> None:
        t = self.app.t
        rows = []
        for ticket in view.green_waiting[:GREEN_SHOWN]:
            reason = t(f"green.{ticket.green_reason}")
            if ticket.green_note:
                reason += f" ({ticket.green_note})"
            rows.append((str(ticket.id), [Text(ticket.number, style="bold green"), reason,
                                          t("floor.minutes", n=round(ticket.waited_s(now) / 60)),
                                          ticket.service_code]))  # fmt: skip
        fill_table(self.query_one("#floor-green", DataTable), rows)
        self.query_one("#floor-green").border_subtitle = (
            t("floor.n_green", n=len(view.green_waiting)) + " · " + green_split(t, view)
        )

    def _alerts(self, now: float) -> None:
        t = self.app.t
        box = self.query_one("#floor-alerts")
        box.border_subtitle = str(len(self.alerts)) if self.alerts else ""
        box.set_class(bool(self.alerts), "-alerting")
        if not self.alerts:
            self.query_one("#floor-alert-list", Static).update(Text(t("floor.no_alerts"), "dim"))
            return
        clock = self.app.service_clock()
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True)
        # wrapped here, between words: rich would fold "30分钟" into "3" / "0分钟"
        room = self.query_one("#floor-alert-list", Static).size.width - 8  # the time column
        for alert in self.alerts:
            mark = "bold red" if alert.kind in ("wait", "recalled") else "bold yellow"
            when = Text.assemble((clock.local(alert.since).strftime("%H:%M"), "dim"), " ",
                                 ("▲", mark))  # fmt: skip
            grid.add_row(when, "\n".join(wrap(self.describe(alert), max(room, 20))))
        self.query_one("#floor-alert-list", Static).update(grid)

    def describe(self, alert: Alert) -> str:
        """One line for an alert, in the station's language."""
        t = self.app.t
        return t(f"alert.{alert.kind}", counter=alert.counter, service=alert.service,
                 ticket=alert.ticket, min=alert.minutes, detail=alert.detail,
                 n=alert.count)  # fmt: skip

    def _chart(self) -> None:
        t = self.app.t
        plot = self.query_one("#floor-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        hours = (self.figures or {}).get("hours") or []
        issued, served, wait = (f"rgb({r},{g},{b})" for r, g, b in CHART_COLOURS)
        self.query_one("#floor-chart-box").border_subtitle = (
            f"[{issued}]█[/] {t('floor.issued')} [{served}]█[/] {t('floor.served')} "
            f"[{wait}]⠒[/] {t('floor.avg_wait')}"
        )
        if not hours:
            if not self.figures_ready:
                plt.title(t("common.loading"))
            else:
                plt.title(t("floor.no_chart") if self.figures is None else t("floor.chart_empty"))
            plot.refresh()
            return
        # plotext cannot measure Chinese text, so the legend is in the box's border instead
        xs = [h["hour"] for h in hours]
        plt.multiple_bar(xs, [[h["issued"] for h in hours], [h["served"] for h in hours]],
                         color=list(CHART_COLOURS[:2]))  # fmt: skip
        waits = [round((h["avg_wait_s"] or 0) / 60, 1) for h in hours]
        plt.plot(xs, waits, yside="right", marker="braille", color=CHART_COLOURS[2])
        plt.xticks(xs, [f"{x:02d}" for x in xs])
        plt.yticks(whole_ticks(max(max(h["issued"], h["served"]) for h in hours)))
        plt.yticks(whole_ticks(round(max(waits))), yside="right")
        plot.refresh()
