"""The floor view's panels, drawn from a ``HallView``: the counters (with their parked
tickets), the services (a queue's departments and matters on Enter), the green channel,
the alerts and the day by hour. Tables change cell by cell when their rows are the same,
so the cursor stays put and a refresh costs little."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from console.alerts import Alert
from console.domain import HallView
from console.format import mm_ss
from console.tui import live
from console.tui.wrap import wrap

CHART_COLOURS = ((70, 130, 230), (60, 190, 90), (240, 160, 40))
"""Tickets issued, served (bars, left axis) and the average wait (line, right axis)."""

GREEN_SHOWN = 200
"""Green-channel tickets listed at most (oldest first); the header gives the total."""


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


class FloorPanels:
    """Mixed into ``FloorScreen`` (which has ``view``, ``figures``, ``alerts``, ``expanded``,
    ``departments``, ``matter_names`` and ``_load_failed``)."""

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
            if any(m.service == s.code for m in view.matters):  # Enter: who waits for what
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
        """Under an expanded queue, a row per department someone waits for in it: waiting
        and its most overdue matter's longest wait against that matter's target."""
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
