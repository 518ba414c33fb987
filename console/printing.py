"""The print worker: queued print jobs become paper, and no screen ever waits for it.

The engine writes a ``print_jobs`` row in the same transaction as the ticket
(``issue(print_ticket=True)``, ``finish(print_receipt=True)``,
``request_print``), so a job exists only for a stored ticket and is never lost
with it. This module takes it from there, the printer's side of it; each change of a
job's row (claim, lease, outcome) is a write of the engine's print-jobs room
(:mod:`console.engine.print_jobs`), the one write path:

1. claim the oldest queued job of the worker's printers: queued → printing, on a
   **lease** of ``LEASE_S`` seconds that the worker renews while it prints;
2. build the slip from the stored ticket (people ahead and the estimate as of
   now for a ticket; waited and handling minutes for a receipt) and render it;
3. send it with the ``printers`` package (status checked first, and again after
   the bytes, waiting as long as they take over the link);
4. record the outcome with its event, which carries the station and counter
   that asked, so that screen shows it and offers a reprint:

   * ``done`` (``print.done``): the printer answered after the last byte;
   * ``unconfirmed`` (``print.unconfirmed``): bytes went out but the printer never
     confirmed them (no answer, connection dropped, worker gone): it may not have
     printed;
   * ``failed`` (``print.failed``): refused before any byte, or the printer reported
     paper out, cover open, offline or an error after the job.

Nothing is re-sent by itself: a person looks at the printer and decides
(``qconsole tickets reprint``). A worker that dies mid-job stops renewing its
lease; when the lease runs out the job becomes *unconfirmed* (any worker's or
the server's sweep), never queued again.

A station's worker runs over the one service interface (:class:`ServiceJobs`): the
engine in-process (``LocalHall``) or the hall server (``RemoteHall``: the server
renders, the station sends to its own printer). The CLI over a hall file and the
server's own printers run the same loop on a connection of their own
(:mod:`console.printing_local`). This module opens no database.
"""

from __future__ import annotations

import base64
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from console.domain import PRINT_LEASE_S as LEASE_S
from console.domain import PrintJob
from console.domain.errors import Refused
from console.print_verdicts import judge
from console.service import HallService
from printers import PrinterConfig, PrinterError, PrintResult, send_job

POLL_S = 0.5
FINAL = ("done", "failed", "unconfirmed")
LEASE_LOST = "not sent: the job's lease ran out before its bytes went out"


@dataclass(frozen=True)
class JobOutcome:
    """What became of one job: done (perhaps with a warning), unconfirmed or failed."""

    job_id: int
    ticket_id: int
    kind: str
    printer: str | None
    status: str
    """done | unconfirmed | failed"""
    message: str | None = None
    may_have_printed: bool = False
    result: PrintResult | None = None
    exit_code: int = 0
    """For the CLI: 1 the printer refused or did not confirm, 2 bad setting, 3 unreachable."""
    ticket_number: str | None = None
    reason: str | None = None
    """The reason code of a failure or a warning (``console.print_verdicts.reason_of``),
    stored with the job, so whoever shows it says it in their language; ``message`` keeps
    the printer's own words."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "job": self.job_id,
            "ticket_id": self.ticket_id,
            "ticket": self.ticket_number,
            "kind": self.kind,
            "printer": self.printer,
            "status": self.status,
            "message": self.message,
            "reason": self.reason,
            "may_have_printed": self.may_have_printed,
            "bytes_sent": self.result.bytes_sent if self.result else 0,
        }


# -- running jobs -------------------------------------------------------------------


@dataclass
class Claimed:
    """A claimed job, ready to send: the job, its printer and the slip's bytes."""

    job: PrintJob
    config: PrinterConfig
    data: bytes


class Lease:
    """Renews a claimed job's lease from a thread while the bytes go out and the printer's
    answer is awaited (which may take many seconds on a slow link)."""

    def __init__(self, renew: Callable[[], Any]) -> None:
        self.renew = renew
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="print-lease", daemon=True)

    def __enter__(self) -> Lease:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=LEASE_S)

    def _run(self) -> None:
        while not self._stop.wait(LEASE_S / 3):
            with contextlib.suppress(Exception):  # unreachable now: the lease may run out
                self.renew()


class Jobs(Protocol):
    """Where a worker takes its jobs and reports them: the service (:class:`ServiceJobs`)
    or a hall file's own connection (``console.printing_local.LocalJobs``)."""

    def sweep(self) -> None: ...
    def claim(self) -> Claimed | None: ...
    def renew(self, job_id: int) -> bool: ...
    def report(
        self, job_id: int, status: str, error: str | None, details: dict[str, Any]
    ) -> None: ...
    def close(self) -> None: ...


class ServiceJobs:
    """A station's jobs through the service interface: claimed on a lease, renewed and
    reported as the station's (in-process its own printers and those of no station; over
    the hall server its own, the server printing the others). The hall renders the slip
    from the stored ticket; this station sends the bytes to its own printer."""

    def __init__(self, hall: HallService, station: str, printers: list[str] | None = None) -> None:
        self.hall, self.station, self.printers = hall, station, printers

    def sweep(self) -> None:
        """Every claim releases the expired leases first (the server's sweep, over it)."""

    def claim(self) -> Claimed | None:
        claimed = self.hall.claim_print_job(self.station, self.printers)
        if claimed is None:
            return None
        config = PrinterConfig.from_record(claimed.printer)
        return Claimed(claimed.job, config, base64.b64decode(claimed.data))

    def renew(self, job_id: int) -> bool:
        try:
            self.hall.renew_print_lease(self.station, job_id)
        except Refused:
            return False  # the hall gave the job up (its lease ran out)
        return True

    def report(self, job_id: int, status: str, error: str | None, details: dict[str, Any]) -> None:
        said = {("printer_status" if k == "status" else k): v for k, v in details.items()}
        self.hall.report_print_job(self.station, job_id, status, error, **said)

    def close(self) -> None:
        """The hall is the caller's to close."""


def print_claimed(jobs: Jobs, claimed: Claimed) -> JobOutcome:
    """Send one claimed job under its lease and record the outcome; never raises for a
    printer fault."""
    job = claimed.job
    outcome: PrintResult | PrinterError
    if not jobs.renew(job.id):
        # the lease ran out before the bytes went out (a stalled worker): the hall has
        # recorded the job already and may have handed it on; sending now could print twice
        return JobOutcome(job_id=job.id, ticket_id=job.ticket_id, kind=job.kind,
                          printer=job.printer, status="failed", message=LEASE_LOST,
                          exit_code=1, ticket_number=job.ticket_number,
                          reason="printer.lease_lost")  # fmt: skip
    try:
        with Lease(lambda: jobs.renew(job.id)):
            outcome = send_job(claimed.config, claimed.data)
    except PrinterError as exc:
        outcome = exc
    status, message, details, code = judge(outcome)
    jobs.report(job.id, status, message, details)
    return JobOutcome(
        job_id=job.id,
        ticket_id=job.ticket_id,
        kind=job.kind,
        printer=job.printer,
        status=status,
        message=message,
        may_have_printed=status != "failed" or bool(details.get("may_have_printed")),
        result=outcome if isinstance(outcome, PrintResult) else None,
        exit_code=code,
        ticket_number=job.ticket_number,
        reason=details.get("reason"),
    )


def process_pending(jobs: Jobs, limit: int = 100) -> list[JobOutcome]:
    """Print every queued job of the worker's printers, oldest first."""
    jobs.sweep()
    outcomes = []
    for _ in range(limit):
        claimed = jobs.claim()
        if claimed is None:
            break
        outcomes.append(print_claimed(jobs, claimed))
    return outcomes


class PrintWorker:
    """A background thread that prints a station's jobs; ``wake()`` after queueing one.

    ``jobs`` makes the worker's :class:`Jobs`, on its thread: a station's are
    :class:`ServiceJobs` (each claim, renewal and report one short call of the service,
    the bytes sent outside it, so a screen's calls never wait behind a printer). A fault
    of the database or the server is waited out: the jobs wait in the database.
    """

    def __init__(
        self,
        jobs: Callable[[], Jobs],
        *,
        on_outcome: Callable[[JobOutcome], Any] | None = None,
        poll_s: float = POLL_S,
    ) -> None:
        self.jobs = jobs
        self.on_outcome = on_outcome
        self.poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> PrintWorker:
        self._thread = threading.Thread(target=self._run, name="print-worker", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        jobs = self.jobs()  # opened on this thread: a file's connection belongs to it
        try:
            while not self._stop.is_set():
                try:
                    for outcome in process_pending(jobs):
                        if self.on_outcome is not None:
                            self.on_outcome(outcome)
                except Exception:  # the database busy or the server gone: try again later
                    pass
                self._wake.wait(self.poll_s)
                self._wake.clear()
        finally:
            jobs.close()
