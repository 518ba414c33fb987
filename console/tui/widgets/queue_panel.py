"""This counter's queue: waiting per service against the target, the next tickets, the parked
ones, and the clerk's own figures for today."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from console.domain import CounterView, Ticket

NARROW = 44
"""Below this many columns a service's waits go on a line of their own."""


class QueuePanel(Vertical):
    """The right-hand side of the desk."""

    def compose(self) -> ComposeResult:
        yield Static("", id="queue-services")
        yield Static("", id="queue-next")
        yield Static("", id="queue-parked")
        yield Static("", id="queue-mine")

    def on_mount(self) -> None:
        self.border_title = self.app.t("desk.queue")

    def show(self, view: CounterView | None, now: float, rows: int = 6) -> None:
        t = self.app.t
        if view is None:
            self.query_one("#queue-services", Static).update(t("common.loading"))
            return
        # A narrow panel (80 columns) gives each service two lines, its name and count above
        # the waits, so the figures never push the name out of its own row.
        narrow = 0 < self.content_size.width < NARROW
        services = Table.grid(padding=(0, 1), expand=True)
        services.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        services.add_column(justify="right", no_wrap=True)
        if not narrow:
            services.add_column(justify="right", no_wrap=True)
        for s in view.services:
            longest = round(s.longest_wait_s / 60)
            style = "bold red" if s.over_target else ""
            name = s.name_zh if t.zh else s.name_en
            wait = Text(t("desk.longest", min=longest, target=s.target_wait_min), style=style)
            if s.over_target:
                wait.append(" ▲", style="bold red")
            if s.estimated_wait_min is not None:
                wait.append(" " + t("desk.estimate", min=s.estimated_wait_min), style="dim")
            if narrow:
                services.add_row(Text(name, style="bold"), t("desk.n_waiting", n=s.waiting))
                services.add_row(Text("  ").append_text(wait), "")
            else:
                services.add_row(name, t("desk.n_waiting", n=s.waiting), wait)
        self.query_one("#queue-services", Static).update(services)

        parked = Text(t("desk.parked") + "\n", style="bold")
        if not view.parked:
            parked.append(t("desk.none_parked"), style="dim")
        for ticket in view.parked:
            since = ticket.parked_at or ticket.called_at or ticket.issued_at
            parked.append(f"{ticket.number:<6}", style="bold")
            parked.append(t("desk.parked_since", min=round(max(0, now - since) / 60)))
            parked.append(f"  {ticket.park_reason}\n" if ticket.park_reason else "\n")
        parked.rstrip()

        avg = round(view.avg_handling_s / 60) if view.avg_handling_s else "-"
        mine = Text(t("desk.mine") + "\n", style="bold")
        mine.append(
            t("desk.mine_figures", served=view.served_today, avg=avg, no_shows=view.no_shows_today)
        )

        nxt = Text(t("desk.next") + "\n", style="bold")
        if not view.next_tickets:
            nxt.append(t("desk.none_waiting"), style="dim")
        rows = self._rows_that_fit(rows, services, parked, mine)
        for ticket in view.next_tickets[:rows]:
            nxt.append_text(self._line(ticket, now))
        self.query_one("#queue-next", Static).update(nxt.rstrip() or nxt)

        self.query_one("#queue-parked", Static).update(parked)
        self.query_one("#queue-mine", Static).update(mine)

    def _rows_that_fit(self, rows: int, *others: RenderableType) -> int:
        """How many of the next tickets to list: at most ``rows``, fewer when the panel is too
        short for them and the other parts, so the clerk's own figures (the last part) stay
        on screen when a counter serves many services (80x24)."""
        width, height = self.content_size.width, self.content_size.height
        if not width or not height:
            return rows  # not laid out yet: the redraw after the first frame fits them
        console = self.app.console
        options = console.options.update_width(width)
        used = sum(len(console.render_lines(part, options, pad=False)) for part in others)
        gaps = len(others)  # the margin below each part but the last, and below the list
        return max(1, min(rows, height - used - gaps - 1))  # - 1: the list's title

    def _line(self, ticket: Ticket, now: float) -> Text:
        t = self.app.t
        line = Text()
        line.append(f"{ticket.number:<6}", style="bold")
        line.append(t("desk.waited_short", min=round(ticket.waited_s(now) / 60)))
        if ticket.green:
            line.append(" ")
            line.append(
                f"{t('desk.green_short')}:{t(f'green.{ticket.green_reason}')}", style="bold green"
            )
        if ticket.directed_counter is not None:
            line.append(" ")
            line.append(t("desk.directed_short"), style="bold yellow")
        elif ticket.transferred:
            line.append(" ")
            line.append(t("desk.transferred_short"), style="yellow")
        line.append("\n")
        return line
