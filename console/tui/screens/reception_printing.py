"""Reception's ticket printing: whether a ticket printer serves this station (the "print"
box follows it), this station's print worker, and the state of the last ticket's job."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Checkbox, Static

from console.domain import PrintJob, reasons
from console.service import HallService


class ReceptionPrinting:
    """Mixed into ``ReceptionScreen`` (which has ``printer``, ``has_printer`` and ``job``)."""

    def on_unmount(self) -> None:
        if self.printer is not None:
            self.printer.stop(timeout=1.0)

    def _ticket_printers(self, service: HallService) -> set[str]:
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
        """Run this station's print worker (through the service: in-process or the server)."""
        if not self.app.settings.print_tickets or self.printer is not None:
            return
        from console.tui.printing import start_print_worker

        self.printer = start_print_worker(self.app.service, self.app.settings.station)

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
                if reasons.NO_PRINTER in (job.reason, job.error)  # a job stored before codes
                else job.said(t.lang) or ""
            )
            line.update(Text(t("reception.print_failed", error=error), "bold red"))
        elif job.status == "unconfirmed":
            line.update(Text(t("reception.print_unconfirmed"), "bold red"))
        else:
            status = t(f"print.{job.status}") if t.has(f"print.{job.status}") else job.status
            line.update(t("reception.print_state", status=status))
