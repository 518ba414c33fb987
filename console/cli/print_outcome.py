"""What became of the slip a command asked for: printed, unconfirmed, failed, or still
waiting for the station that drives the printer.

Over ``--db`` the command prints the job itself when its printer is this station's
(or no station's); otherwise, and over ``--server``, it waits a bounded time for
the worker that drives the printer (a station's screen or ``printers work``, or
the server) and reports what that worker recorded.
"""

from __future__ import annotations

import time
from typing import Any

from console.cli.common import cli_lang, out, station_name
from console.domain import PrintJob, reasons

FINAL = ("done", "failed", "unconfirmed")
WAIT_S = 15.0
"""How long a command waits for another worker to print its slip before saying so."""


def job_of(hall: Any, ticket_id: int, kind: str) -> PrintJob | None:
    """The newest print job of this ticket and kind."""
    return next(
        (j for j in hall.list_print_jobs(limit=200) if j.ticket_id == ticket_id and j.kind == kind),
        None,
    )


def _from_job(job: PrintJob, message: str | None = None) -> dict[str, Any]:
    return {
        "job": job.id,
        "ticket_id": job.ticket_id,
        "ticket": job.ticket_number,
        "kind": job.kind,
        "printer": job.printer,
        "status": job.status,
        "message": message
        or (job.warning if job.status == "done" else reasons.stored(job.error, cli_lang())),
    }


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
            found = outcome.to_dict()
            return {**found, "ticket": found["ticket"] or job.ticket_number,
                    "exit_code": outcome.exit_code}  # fmt: skip
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = next((j for j in hall.list_print_jobs(limit=200) if j.id == job.id), job)
        if now.status in FINAL:
            return _from_job(now)
        job = now
    where = f"printer {job.printer}" if job.printer else "its printer"
    return _from_job(
        job,
        f"not printed yet: nothing has taken the job for {where} (is its station's screen"
        " or `qconsole printers work` running?)",
    )


def describe(outcome: dict[str, Any]) -> str:
    """One line for a person: the job, its ticket and what became of it."""
    ticket = outcome.get("ticket") or "#" + str(outcome["ticket_id"])
    what = f"{outcome['kind']} {ticket}"
    status, message = outcome["status"], outcome.get("message")
    if status == "done":
        line = f"printed {what} on {outcome.get('printer')} (job {outcome['job']})"
        return line + (f"; warning: {message}" if message else "")
    where = f"{what}, {outcome['printer']}" if outcome.get("printer") else what
    if status == "unconfirmed":
        return (
            f"print job {outcome['job']} ({where}) {message or 'unconfirmed'}; check the"
            f" printer, then `qconsole tickets reprint {ticket}` if needed"
        )
    return f"print job {outcome['job']} ({where}) {status}" + (f": {message}" if message else "")


def say(outcome: dict[str, Any]) -> None:
    out.print(describe(outcome), markup=False)
