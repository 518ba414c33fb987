"""The current ticket, large: number, service, marks, how long it waited, the handling timer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from console.domain import CounterView, Matter, ServiceDef, Ticket
from console.tui.widgets.bigtext import BigText, big_lines

BELOW_NUMBER = 12
"""Rows the lines under the number need (service, marks, times, hint, issue/call times,
materials over two lines, and the gaps between them)."""


def number_scale(contrast: bool, rows: int, cells: int, number: str) -> tuple[int, bool]:
    """How large the number is drawn and whether the big timer shows, for a card with
    ``rows`` x ``cells`` inside. The contrast theme draws the number twice as high as the
    default (10 rows instead of 5) wherever that still leaves room for every line below."""
    if not contrast:
        return 2, False
    room = rows - BELOW_NUMBER - 2  # the number's margins
    for scale in (4, 3):
        if room >= 10 and len(big_lines(number or "A000", scale)[0]) <= cells - 1:
            return scale, room >= 10 + 4
    return 2, room >= 5 + 4


class TicketCard(Vertical):
    """What the clerk is handling now; the number is readable from across the desk."""

    def compose(self) -> ComposeResult:
        yield BigText("", id="ticket-number")
        yield BigText("", scale=1, id="ticket-timer")
        yield Static("", id="ticket-service")
        yield Static("", id="ticket-marks")
        yield Static("", id="ticket-times")
        yield Static("", id="ticket-hint")
        yield Static("", id="ticket-details")

    def on_mount(self) -> None:
        self.border_title = self.app.t("desk.current")

    def show(
        self,
        view: CounterView | None,
        now: float,
        services: dict[str, ServiceDef],
        matters: dict[str, Matter] | None = None,
    ) -> None:
        """Redraw everything from ``view`` (None while the first view is loading); a ticket
        for a matter shows the matter and its materials (``matters``: those known so far)."""
        t = self.app.t
        ticket = view.current if view else None
        self.ticket = ticket
        self.set_class(ticket is None, "-idle")
        self.set_class(bool(ticket and ticket.green), "-green")
        number = self.query_one("#ticket-number", BigText)
        service = self.query_one("#ticket-service", Static)
        marks = self.query_one("#ticket-marks", Static)
        hint = self.query_one("#ticket-hint", Static)
        details = self.query_one("#ticket-details", Static)
        contrast = self.app.settings.theme == "contrast"
        region = self.content_region
        scale, timer = number_scale(contrast, region.height, region.width,
                                    ticket.number if ticket else "----")  # fmt: skip
        self.set_class(contrast and timer, "-timer")
        self.set_class(region.height < 20, "-tight")
        number.scale = scale
        if ticket is None:
            details.update("")
            number.show("----")
            service.update("")
            marks.update("")
            if view is None:
                hint.update(t("common.loading"))
            elif view.counter.state == "paused":
                hint.update(t("desk.paused_hint", reason=view.counter.pause_reason or ""))
            elif view.counter.state == "closed":
                hint.update(t("desk.closed_hint"))
            else:
                hint.update(t("desk.idle_hint"))
            self.tick(now)
            return
        number.show(ticket.number)
        svc = services.get(ticket.service_code)
        name = svc.name(t.lang) if svc else ticket.service_code
        matter = (matters or {}).get(ticket.matter_code or "")
        line = Text.assemble((name, "bold"), "  ", (t(f"status.{ticket.status}"), ""))
        if ticket.matter_code:
            line.append("\n")
            shown = matter.name(t.lang) if matter else ticket.matter_code
            line.append(t("desk.matter", name=shown), "bold")
        service.update(line)
        marks.update(self._marks(ticket))
        hint.update(t(f"desk.hint_{ticket.status}") if t.has(f"desk.hint_{ticket.status}") else "")
        materials = matter.materials if matter else svc.materials if svc else []
        details.update(self._details(ticket, materials))
        self.tick(now)

    def _details(self, ticket: Ticket, materials: list[str]) -> Text:
        """When it was issued and called, and what the matter (else the service) asks the
        citizen to bring."""
        from console.format import clock_time  # (console.format imports the engine's clock)

        t = self.app.t
        clock = self.app.service_clock()
        text = Text(
            t(
                "desk.issued_called",
                issued=clock_time(ticket.issued_at, clock),
                called=clock_time(ticket.called_at, clock) or "-",
            ),
            # the theme's muted text, not "dim": a terminal's faint grey is too dark to read
            style="bold"
            if self.app.settings.theme == "contrast"
            else self.app.theme_variables.get("text-muted", ""),
        )
        if materials:
            text.append("\n")
            text.append(
                t("desk.materials", items="、".join(materials) if t.zh else ", ".join(materials))
            )
        return text

    def _marks(self, ticket: Ticket) -> Text:
        t = self.app.t
        text = Text()
        if ticket.green:
            reason = t(f"green.{ticket.green_reason}")
            note = f" ({ticket.green_note})" if ticket.green_note else ""
            text.append(f" {t('desk.green')}: {reason}{note} ", style="bold reverse green")
            text.append(" ")
        if ticket.directed_counter is not None:
            text.append(f" {t('desk.directed', n=ticket.directed_counter)} ", style="bold reverse")
            text.append(" ")
        elif ticket.transferred:
            text.append(f" {t('desk.transferred')} ", style="bold reverse")
            text.append(" ")
        if ticket.low_position:
            text.append(f" {t('desk.low_position')} ", style="reverse")
        return text

    def tick(self, now: float) -> None:
        """Only the times change every second."""
        t = self.app.t
        ticket = getattr(self, "ticket", None)
        times = self.query_one("#ticket-times", Static)
        timer = self.query_one("#ticket-timer", BigText)
        if ticket is None:
            times.update("")
            timer.show("")
            return
        from console.format import mm_ss  # (console.format imports the engine's clock)

        waited = t("desk.waited", min=round(ticket.waited_s(now) / 60))
        handling = ticket.handling_s(now)
        if handling is None and ticket.called_at is not None:
            running = mm_ss(max(0.0, now - ticket.called_at))
            clock = t("desk.since_called", time=running)
        else:
            running = mm_ss(handling)
            clock = t("desk.handling", time=running)
        timer.show(running)  # shown in block letters by the contrast theme only
        parts = [waited, clock]
        if ticket.recall_count:
            parts.append(t("desk.recalls", n=ticket.recall_count))
        times.update("   ".join(parts))
