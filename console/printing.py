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

The same loop runs over the hall file (``LocalJobs``) or over the hall server
(``RemoteJobs``: the server renders, the station sends to its own printer).
"""

from __future__ import annotations

import base64
import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.domain.errors import Refused
from console.engine import estimate, print_jobs
from console.engine.clock import Clock
from console.engine.core import DEFAULT_SETTINGS
from console.engine.print_jobs import LEASE_S
from console.store import connect
from printers import (
    Lang,
    PrinterConfig,
    PrinterError,
    PrintResult,
    ReceiptSlip,
    TicketSlip,
    render,
    send_job,
)

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
    """The reason code of a failure or a warning (:func:`reason_of`), so the station that
    asked says it in its clerk's language; ``message`` keeps the printer's own words."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "job": self.job_id,
            "ticket_id": self.ticket_id,
            "ticket": self.ticket_number,
            "kind": self.kind,
            "printer": self.printer,
            "status": self.status,
            "message": self.message,
            "may_have_printed": self.may_have_printed,
            "bytes_sent": self.result.bytes_sent if self.result else 0,
        }


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


def reason_of(result: PrintResult | PrinterError) -> str | None:
    """The reason code of a failed print, or of a printed one's warning (None: no warning,
    or one the station words itself, as an unconfirmed slip)."""
    if isinstance(result, PrinterError):
        return FAILURES.get(result.kind, "printer.failed")
    if not result.confirmed:
        return None
    if "near_end" in (result.status_before.paper, result.status_after.paper):
        return "printer.paper_near_end"
    return "printer.sent_unchecked" if result.warning else None


def judge(result: PrintResult | PrinterError) -> tuple[str, str | None, dict[str, Any], int]:
    """A print's (status, message, event details, CLI exit code): "printed" only with the
    printer's answer after the bytes."""
    if isinstance(result, PrintResult):
        details = {
            "bytes": result.bytes_sent,
            "status": result.status_after.describe(),
            "warning": result.warning,
        }
        if result.confirmed:
            return "done", result.warning, details, 0
        return "unconfirmed", result.warning, {**details, "may_have_printed": True}, 1
    details = {"kind_of_error": result.kind, "may_have_printed": result.may_have_printed}
    if result.may_have_printed:
        # The bytes went out: a printer that stopped (paper out, cover open, switched off
        # mid-job) keeps them and prints the whole slip once the fault is cleared, so this
        # is not a failure a reprint may follow blindly: that would make a second ticket.
        message = f"unconfirmed: may not have printed, or may print once cleared ({result.message})"
        return "unconfirmed", message, details, 1
    return "failed", result.message, details, result.exit_code


# -- slips from stored tickets -----------------------------------------------------


def _settings(conn: sqlite3.Connection) -> dict[str, Any]:
    stored = {
        r["key"]: json.loads(r["value"]) for r in conn.execute("SELECT key, value FROM settings")
    }
    return {**DEFAULT_SETTINGS, **stored}


PUBLIC_PAGES = {"qr_url_template": "/t/{code}", "feedback_url_template": "/f/{code}"}
"""Where a slip's QR leads when its template is unset: the hall server's page of that
ticket (its queue page, its rating page) under the ``public_url`` setting."""


def _url(settings: dict[str, Any], name: str, ticket: sqlite3.Row, kind: str) -> str | None:
    """A QR address from the template setting ``name`` with {code}, {id}, {number}, {day},
    {kind}; by default the ticket's public page; None when unset, bad, or the ticket has no
    code (issued before public pages existed) but the template needs one."""
    template = str(settings.get(name) or "")
    if not template and settings.get("public_url"):
        template = str(settings["public_url"]).rstrip("/") + PUBLIC_PAGES[name]
    if not template:
        return None
    code = ticket["public_code"]
    if code is None and "{code}" in template:
        return None
    try:
        return template.format(
            code=code, id=ticket["id"], number=ticket["number"], day=ticket["day"], kind=kind
        )
    except (KeyError, IndexError, ValueError):
        return None


def build_slip(conn: sqlite3.Connection, clock: Clock, ticket_id: int, kind: str):
    """The TicketSlip or ReceiptSlip of a stored ticket, as of now."""
    ticket = conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    if ticket is None:
        raise LookupError(f"ticket #{ticket_id} does not exist")
    service = conn.execute(
        "SELECT * FROM services WHERE id = ?", (ticket["service_id"],)
    ).fetchone()
    settings = _settings(conn)
    service_zh, service_en = service["name_zh"], service["name_en"]
    if ticket["matter_id"] is not None:  # a one-stop hall: the matter, in its queue
        matter = conn.execute(
            "SELECT name_zh, name_en FROM matters WHERE id = ?", (ticket["matter_id"],)
        ).fetchone()
        service_zh = f"{matter['name_zh']}（{service_zh}）"
        if matter["name_en"] and matter["name_en"] != matter["name_zh"]:
            service_en = f"{matter['name_en']} ({service_en})"
        # else: no English name of its own (the catalogue then keeps the Chinese one there):
        # the English line names the queue only, so a 58 mm slip does not print it twice
    common = {
        "hall_name": str(settings.get("hall_name") or ""),
        "number": ticket["number"],
        "service_zh": service_zh,
        "service_en": service_en,
    }
    if kind == "ticket":
        ahead, minutes = 0, 0
        if ticket["status"] == "waiting":
            expected = estimate.estimate(conn, ticket, clock.now(), settings)
            ahead, minutes = expected.ahead, expected.minutes
        return TicketSlip(
            **common,
            issued_at=clock.local(ticket["issued_at"]).replace(tzinfo=None),
            ahead=ahead,
            estimated_wait_min=minutes,
            green_reason=ticket["green_reason"],
            qr_url=_url(settings, "qr_url_template", ticket, "ticket"),
            footer=settings.get("ticket_footer") or None,
        )
    called = ticket["called_at"] or ticket["served_at"] or ticket["finished_at"]
    served = ticket["served_at"] or ticket["called_at"]
    finished = ticket["finished_at"] or clock.now()
    waited = round(((called or finished) - ticket["issued_at"]) / 60)
    handling = round((finished - served) / 60) if served else 0
    # only a feedback address goes under "rate our service": never the ticket's own page
    return ReceiptSlip(
        **common,
        counter=ticket["counter_number"] or 0,
        staff_no=ticket["clerk_staff_no"] or "",
        waited_min=max(0, waited),
        handling_min=max(0, handling),
        outcome=ticket["outcome"] or "done",
        finished_at=clock.local(finished).replace(tzinfo=None),
        materials=tuple(json.loads(ticket["materials"] or "[]")),
        feedback_url=_url(settings, "feedback_url_template", ticket, "receipt"),
        next_step=settings.get("receipt_next_step") or None,
    )


def printer_config(
    conn: sqlite3.Connection, name: str, settings: dict[str, Any] | None = None
) -> PrinterConfig:
    """The printer row as the printers package wants it (LookupError when removed)."""
    row = conn.execute("SELECT * FROM printers WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise LookupError(f"printer {name} is not set up (removed?)")
    settings = settings if settings is not None else _settings(conn)
    lang = str(settings.get("print_lang") or "both")
    return PrinterConfig.from_record(
        dict(row), lang=Lang(lang) if lang in ("zh", "en", "both") else Lang.BOTH
    )


# -- running jobs -------------------------------------------------------------------


@dataclass
class Claimed:
    """A claimed job, ready to send: its row, its printer and the slip's bytes."""

    job: dict[str, Any]
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


class LocalJobs:
    """Jobs straight from the hall database file (a screen or the CLI over --db), claimed
    and settled through the engine's print-jobs room on a connection of their own.

    ``printers`` is asked before every claim, so a printer added or changed while a
    screen runs is used at once.
    """

    def __init__(
        self,
        path: str | Path,
        clock: Clock,
        worker: str,
        printers: Callable[[sqlite3.Connection], set[str] | None] = lambda conn: None,
    ) -> None:
        self.path, self.clock, self.worker, self.printers = str(path), clock, worker, printers
        self.conn = connect(self.path)
        self.jobs = print_jobs.over(self.conn, clock, self.path)

    def sweep(self) -> None:
        self.jobs.expire_leases()

    def claim(self, job_id: int | None = None) -> Claimed | None:
        while True:
            row = self.jobs.claim(printers=self.printers(self.conn), job_id=job_id,
                                  worker=self.worker)  # fmt: skip
            if row is None:
                return None
            try:
                config = printer_config(self.conn, row["printer"] or "")
                data = render(build_slip(self.conn, self.clock, row["ticket_id"], row["kind"]),
                              config.render_options())  # fmt: skip
            except (LookupError, PrinterError, ValueError) as exc:
                self.report(
                    row["id"], "failed", f"cannot print: {exc}", {"may_have_printed": False}
                )
                if job_id is not None:
                    return None
                continue
            return Claimed(row, config, data)

    def renew(self, job_id: int) -> bool:
        conn = connect(self.path)  # the lease thread's own connection
        try:
            return print_jobs.over(conn, self.clock, self.path).renew_lease(job_id, self.worker)
        finally:
            conn.close()

    def report(self, job_id: int, status: str, error: str | None, details: dict[str, Any]) -> None:
        self.jobs.settle(job_id, status, error, details, worker=self.worker)

    def close(self) -> None:
        self.conn.close()


class RemoteJobs:
    """Jobs of this station's printers over the hall server: the server renders the slip
    from the stored ticket, this station sends the bytes to its own printer."""

    def __init__(self, hall: Any, printers: list[str] | None = None) -> None:
        self.hall, self.printers = hall, printers

    def sweep(self) -> None:
        """The server releases expired leases itself."""

    def claim(self, job_id: int | None = None) -> Claimed | None:
        claimed = self.hall.claim_print_job(self.printers)
        if claimed is None:
            return None
        config = PrinterConfig.from_record(claimed["printer"])
        return Claimed(claimed["job"], config, base64.b64decode(claimed["data"]))

    def renew(self, job_id: int) -> bool:
        try:
            self.hall.renew_print_lease(job_id)
        except Refused:
            return False  # the server gave the job up (its lease ran out)
        return True

    def report(self, job_id: int, status: str, error: str | None, details: dict[str, Any]) -> None:
        self.hall.report_print_job(job_id, status, error, details)

    def close(self) -> None:
        """The hall is the caller's to close."""


def print_claimed(jobs: LocalJobs | RemoteJobs, claimed: Claimed) -> JobOutcome:
    """Send one claimed job under its lease and record the outcome; never raises for a
    printer fault."""
    job = claimed.job
    outcome: PrintResult | PrinterError
    if not jobs.renew(job["id"]):
        # the lease ran out before the bytes went out (a stalled worker): the hall has
        # recorded the job already and may have handed it on; sending now could print twice
        return JobOutcome(job_id=job["id"], ticket_id=job["ticket_id"], kind=job["kind"],
                          printer=job["printer"], status="failed", message=LEASE_LOST,
                          exit_code=1, ticket_number=job.get("ticket_number"))  # fmt: skip
    try:
        with Lease(lambda: jobs.renew(job["id"])):
            outcome = send_job(claimed.config, claimed.data)
    except PrinterError as exc:
        outcome = exc
    status, message, details, code = judge(outcome)
    jobs.report(job["id"], status, message, details)
    return JobOutcome(
        job_id=job["id"],
        ticket_id=job["ticket_id"],
        kind=job["kind"],
        printer=job["printer"],
        status=status,
        message=message,
        may_have_printed=status != "failed" or bool(details.get("may_have_printed")),
        result=outcome if isinstance(outcome, PrintResult) else None,
        exit_code=code,
        ticket_number=job.get("ticket_number"),
        reason=reason_of(outcome),
    )


def process_pending(jobs: LocalJobs | RemoteJobs, limit: int = 100) -> list[JobOutcome]:
    """Print every queued job of the worker's printers, oldest first."""
    jobs.sweep()
    outcomes = []
    for _ in range(limit):
        claimed = jobs.claim()
        if claimed is None:
            break
        outcomes.append(print_claimed(jobs, claimed))
    return outcomes


def print_now(jobs: LocalJobs, job_id: int) -> JobOutcome | None:
    """Print one queued job at once (the CLI's reprint); None when someone else took it."""
    claimed = jobs.claim(job_id)
    return print_claimed(jobs, claimed) if claimed is not None else None


def station_printers(conn: sqlite3.Connection, station: str) -> set[str]:
    """The printers registered with a station: that station drives them."""
    return {r[0] for r in conn.execute("SELECT name FROM printers WHERE station = ?", (station,))}


def local_printers(station: str) -> Callable[[sqlite3.Connection], set[str]]:
    """Over the hall file, a station prints its own printers and those of no station."""

    def mine(conn: sqlite3.Connection) -> set[str]:
        query = "SELECT name FROM printers WHERE station = ? OR station IS NULL"
        return {r[0] for r in conn.execute(query, (station,))}

    return mine


class PrintWorker:
    """A background thread that prints a station's jobs; ``wake()`` after queueing one.

    ``jobs`` is ``LocalJobs`` (its own connection, so a screen's calls never wait behind
    a printer) or ``RemoteJobs`` (over the hall server). A fault of the database or the
    server is waited out: the jobs wait in the database.
    """

    def __init__(
        self,
        jobs: Callable[[], LocalJobs | RemoteJobs],
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
