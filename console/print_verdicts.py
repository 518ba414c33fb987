"""What a printer's answer means for a print job: its status (done, unconfirmed, failed),
the words and details stored with it, the CLI's exit code and the reason code every screen
says in its reader's language.

"Printed" needs the printer's answer after the bytes; a fault after them may still print
the slip once cleared, so it is *unconfirmed*, never a failure a reprint may follow blindly.
"""

from __future__ import annotations

from typing import Any

from printers import PrinterError, PrintResult

FAILURES = {
    "paper_out": "printer.paper_out",
    "cover_open": "printer.cover_open",
    "offline": "printer.offline",
    "unreachable": "printer.unreachable",
    "refused": "printer.unreachable",
    "timeout": "printer.no_answer",
    "dropped": "printer.dropped",
    "not_found": "printer.device_missing",
    "config": "printer.misconfigured",
    "unavailable": "printer.missing_support",
    "busy": "printer.busy",
}
"""A printer's kind of failure (``printers.errors``) → the reason code its station shows."""
MID_JOB = {
    "paper_out": "printer.paper_out_mid_job",
    "cover_open": "printer.cover_open_mid_job",
    "offline": "printer.offline_mid_job",
}
"""A fault after the bytes went out → its code (the slip may print once it is cleared)."""


def reason_of(result: PrintResult | PrinterError) -> str | None:
    """The reason code of a failed or unconfirmed print, or of a printed one's warning
    (None: printed, nothing to say)."""
    if isinstance(result, PrinterError):
        if result.may_have_printed:
            return MID_JOB.get(result.kind, "printer.unconfirmed")
        return FAILURES.get(result.kind, "printer.failed")
    if not result.confirmed:
        return "printer.unconfirmed"
    if "near_end" in (result.status_before.paper, result.status_after.paper):
        return "printer.paper_near_end"
    return "printer.sent_unchecked" if result.warning else None


def judge(result: PrintResult | PrinterError) -> tuple[str, str | None, dict[str, Any], int]:
    """A print's (status, message, event details, CLI exit code): "printed" only with the
    printer's answer after the bytes. The details carry the outcome's reason code."""
    if isinstance(result, PrintResult):
        details = {
            "bytes": result.bytes_sent,
            "status": result.status_after.describe(),
            "warning": result.warning,
            "reason": reason_of(result),
        }
        if result.confirmed:
            return "done", result.warning, details, 0
        return "unconfirmed", result.warning, {**details, "may_have_printed": True}, 1
    details = {"kind_of_error": result.kind, "may_have_printed": result.may_have_printed,
               "reason": reason_of(result)}  # fmt: skip
    if result.may_have_printed:
        # The bytes went out: a printer that stopped (paper out, cover open, switched off
        # mid-job) keeps them and prints the whole slip once the fault is cleared, so this
        # is not a failure a reprint may follow blindly: that would make a second ticket.
        message = f"unconfirmed: may not have printed, or may print once cleared ({result.message})"
        return "unconfirmed", message, details, 1
    return "failed", result.message, details, result.exit_code
