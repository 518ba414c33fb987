"""What became of the slip a command asked for: printed, unconfirmed, failed, or still
waiting for the station that drives the printer.

Over ``--db`` the command prints the job itself when its printer is this station's
(or no station's); otherwise, and over ``--server``, it waits a bounded time for
the worker that drives the printer (a station's screen or ``printers work``, or
the server) and reports what that worker recorded.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from console.cli.common import cli_lang, out, station_name
from console.domain import PrintJob, reasons

if TYPE_CHECKING:
    from console.printing import JobOutcome

FINAL = ("done", "failed", "unconfirmed")
WAIT_S = 15.0
"""How long a command waits for another worker to print its slip before saying so."""


def job_of(hall: Any, ticket_id: int, kind: str) -> PrintJob | None:
    """The newest print job of this ticket and kind."""
    return next(
        (j for j in hall.list_print_jobs(limit=200) if j.ticket_id == ticket_id and j.kind == kind),
        None,
    )


def _from_job(job: PrintJob, reason: str | None = None) -> dict[str, Any]:
    """The job's outcome for the command's reader; ``reason`` overrides what it stores."""
    return {
        "job": job.id,
        "ticket_id": job.ticket_id,
        "ticket": job.ticket_number,
        "kind": job.kind,
        "printer": job.printer,
        "status": job.status,
        "reason": reason or job.reason,
        "message": reasons.printer_said(reason, None, job.printer, cli_lang())
        if reason else job.said(cli_lang()),
    }  # fmt: skip


def from_outcome(outcome: JobOutcome) -> dict[str, Any]:
    """A print worker's outcome for the command's reader: its reason in their language, the
    printer's own words under ``error``."""
    found = outcome.to_dict()
    said = reasons.printer_said(outcome.reason, outcome.message, outcome.printer, cli_lang())
    return {**found, "message": said, "error": outcome.message}


def follow(hall: Any, job: PrintJob, *, wait_s: float = WAIT_S) -> dict[str, Any]:
    """Print the job here when this station drives its printer, else wait for its outcome."""
    if job.status in FINAL:
        return _from_job(job)
    path = getattr(hall, "path", None)
    if path is not None:
        from console.printing_local import LocalJobs, local_printers, print_now

        station = station_name()
        jobs = LocalJobs(path, hall.clock, station, local_printers(station))
        try:
            outcome = print_now(jobs, job.id)
        finally:
            jobs.close()
        if outcome is not None:
            found = from_outcome(outcome)
            return {**found, "ticket": found["ticket"] or job.ticket_number,
                    "exit_code": outcome.exit_code}  # fmt: skip
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = next((j for j in hall.list_print_jobs(limit=200) if j.id == job.id), job)
        if now.status in FINAL:
            return _from_job(now)
        job = now
    return _from_job(job, "printer.not_taken")


def describe(outcome: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The reason code and parameters of one line for a person: the job, its ticket and
    what became of it (said by :func:`line`, or raised as the command's error)."""
    params = {"job": outcome["job"], "slip": outcome["kind"],
              "ticket": outcome.get("ticket") or "#" + str(outcome["ticket_id"]),
              "printer": outcome.get("printer") or "-",
              "said": outcome.get("message") or "",
              "cause": outcome.get("reason")}  # fmt: skip
    status = outcome["status"]
    if status == "done":
        return ("print.outcome_warned" if params["said"] else "print.outcome_done"), params
    if status in ("failed", "unconfirmed"):
        return f"print.outcome_{status}", params
    return "print.outcome_waiting", params


def line(outcome: dict[str, Any]) -> str:
    """That line in the language ``QCONSOLE_LANG`` names."""
    reason, params = describe(outcome)
    return reasons.render(reason, params, cli_lang())


def say(outcome: dict[str, Any]) -> None:
    out.print(line(outcome), markup=False)
