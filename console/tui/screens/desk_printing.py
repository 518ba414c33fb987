"""The desk's receipts: asking for one (p), this counter's print worker, and what the clerk
is told when a job prints, stays unconfirmed or fails (the receipt's text, to read aloud)."""

from __future__ import annotations

from typing import Any

from console.domain import PrintJob, Ticket, reasons
from console.domain.errors import QConsoleError
from console.tui.messages import PrintFinished
from console.tui.receipt import receipt_lines


class DeskPrinting:
    """Mixed into ``DeskScreen`` (which has ``actor``, ``number``, ``services``,
    ``last_finished``, ``printer``, ``receipts``, ``_act`` and ``_status``)."""

    def _start_printer(self) -> None:
        """Run this station's print worker (through the service: in-process or the server)."""
        if self.printer is not None:
            return
        from console.tui.printing import start_print_worker

        def outcome(done: Any) -> None:
            self.post_message(PrintFinished(done.job_id, done.ticket_id, done.status, done.message,
                                            done.reason, done.printer))  # fmt: skip

        self.printer = start_print_worker(self.app.service, self.app.settings.station, outcome)

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
            said = self._printer_said(message)
            self._status(f"{line}: {said}", error=True)
            self.app.bell()
            if lines:
                self.app.push_screen(
                    ReceiptDialog(t("print.receipt_title", number=number), lines, f"{line}: {said}")
                )
        else:
            said = self._printer_said(message)
            self._status(line + (f" ({said})" if said else ""))

    def _printer_said(self, message: PrintFinished) -> str:
        """What the printer answered, in the clerk's language when it has a reason code."""
        if message.reason:
            return reasons.render(message.reason, {"printer": message.printer or "-"},
                                  self.app.t.lang)  # fmt: skip
        return self.app.t.error(message.message or "")

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
            error = job.said(t.lang) or ""
            if reasons.NO_PRINTER in (job.reason, job.error):  # or a job stored before codes
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
