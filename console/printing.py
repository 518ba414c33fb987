"""The print worker: queued print jobs become paper, and no screen ever waits for it.

The engine writes a ``print_jobs`` row in the same transaction as the ticket
(``issue(print_ticket=True)``, ``finish(print_receipt=True)``,
``request_print``), so a job exists only for a stored ticket and is never lost
with it. This module takes it from there:

1. claim the oldest queued job: queued → printing, in one ``BEGIN IMMEDIATE``;
2. build the slip from the stored ticket (people ahead and the estimate as of
   now for a ticket; waited and handling minutes for a receipt);
3. render and send it with the ``printers`` package (status checked first);
4. record printing → done, or failed with the reason, with an event
   (``print.done`` / ``print.failed``) that carries the station and counter
   that asked, so that screen shows the failure and offers a reprint.

Nothing is re-sent by itself: after a failure a person decides (``qconsole
tickets reprint``). A job left "printing" by a crash is marked failed, not
resent, because it may have printed.

Runs in a ``PrintWorker`` thread of the station's process, or synchronously
for the CLI. It writes only ``print_jobs`` rows and their events, with its own
connection.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.engine import estimate
from console.engine.clock import Clock
from console.engine.core import DEFAULT_SETTINGS
from console.store import connect
from console.store.connection import write_transaction
from printers import (
    Lang,
    PrinterConfig,
    PrinterError,
    PrintResult,
    ReceiptSlip,
    TicketSlip,
    print_slip,
)

INTERRUPTED_AFTER_S = 300
"""A job still "printing" after this long was cut off by a crash: failed, not resent."""
POLL_S = 0.5


@dataclass(frozen=True)
class JobOutcome:
    """What became of one job: done (perhaps with a warning) or failed with the reason."""

    job_id: int
    ticket_id: int
    kind: str
    printer: str | None
    status: str
    """done | failed"""
    message: str | None = None
    may_have_printed: bool = False
    result: PrintResult | None = None
    exit_code: int = 0
    """For the CLI: 1 the printer refused (paper, cover, offline), 2 bad setting, 3 unreachable."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "job": self.job_id,
            "ticket_id": self.ticket_id,
            "kind": self.kind,
            "printer": self.printer,
            "status": self.status,
            "message": self.message,
            "may_have_printed": self.may_have_printed,
            "bytes_sent": self.result.bytes_sent if self.result else 0,
        }


# -- the job rows ----------------------------------------------------------------


def _settings(conn: sqlite3.Connection) -> dict[str, Any]:
    stored = {
        r["key"]: json.loads(r["value"]) for r in conn.execute("SELECT key, value FROM settings")
    }
    return {**DEFAULT_SETTINGS, **stored}


def _asked_by(conn: sqlite3.Connection, job_id: int) -> tuple[str | None, int | None]:
    """The station and counter whose request queued the job (from its print.queued event)."""
    row = conn.execute(
        "SELECT station, counter_number FROM events WHERE kind = 'print.queued'"
        " AND json_extract(changes, '$.job') = ? ORDER BY id DESC LIMIT 1",
        (job_id,),
    ).fetchone()
    return (row["station"], row["counter_number"]) if row else (None, None)


def _event(
    conn: sqlite3.Connection, clock: Clock, kind: str, job: sqlite3.Row, changes: dict[str, Any]
) -> None:
    station, counter = _asked_by(conn, job["id"])
    conn.execute(
        "INSERT INTO events (at, kind, ticket_id, counter_number, actor, station, changes)"
        " VALUES (?, ?, ?, ?, 'system', ?, ?)",
        (
            clock.now(),
            kind,
            job["ticket_id"],
            counter,
            station,
            json.dumps({"job": job["id"], "kind": job["kind"], **changes}, ensure_ascii=False),
        ),
    )


def claim_next(
    conn: sqlite3.Connection,
    clock: Clock,
    *,
    printers: set[str] | None = None,
    job_id: int | None = None,
) -> sqlite3.Row | None:
    """Take the oldest queued job (of these printers, or this one job): queued → printing."""
    where, params = "status = 'queued'", []
    if job_id is not None:
        where += " AND id = ?"
        params.append(job_id)
    if printers is not None:
        if not printers:
            return None
        where += f" AND printer IN ({', '.join('?' for _ in printers)})"
        params += sorted(printers)
    with write_transaction(conn):
        row = conn.execute(
            f"SELECT * FROM print_jobs WHERE {where} ORDER BY id LIMIT 1", params
        ).fetchone()
        if row is None:
            return None
        conn.execute(
            "UPDATE print_jobs SET status = 'printing', updated_at = ? WHERE id = ?",
            (clock.now(), row["id"]),
        )
        return conn.execute("SELECT * FROM print_jobs WHERE id = ?", (row["id"],)).fetchone()


def finish_job(
    conn: sqlite3.Connection,
    clock: Clock,
    job: sqlite3.Row,
    status: str,
    error: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """printing → done | failed, with its event, in one transaction."""
    with write_transaction(conn):
        conn.execute(
            "UPDATE print_jobs SET status = ?, error = ?, updated_at = ? WHERE id = ?",
            (status, error, clock.now(), job["id"]),
        )
        _event(
            conn,
            clock,
            f"print.{status}",
            job,
            {"printer": job["printer"], "error": error, **(details or {})},
        )


def fail_interrupted(
    conn: sqlite3.Connection, clock: Clock, older_than_s: float = INTERRUPTED_AFTER_S
) -> int:
    """Mark jobs left "printing" by a crash as failed (they may have printed); returns how many."""
    rows = conn.execute(
        "SELECT * FROM print_jobs WHERE status = 'printing' AND updated_at < ?",
        (clock.now() - older_than_s,),
    ).fetchall()
    for row in rows:
        finish_job(
            conn,
            clock,
            row,
            "failed",
            "interrupted while printing: check the printer before a reprint",
            {"may_have_printed": True},
        )
    return len(rows)


def set_job_printer(conn: sqlite3.Connection, clock: Clock, job_id: int, printer: str) -> None:
    """Send a job that has not printed yet to another printer (``reprint --printer``): a queued
    one, or one that failed because no printer was set up for the station that asked."""
    with write_transaction(conn):
        conn.execute(
            "UPDATE print_jobs SET printer = ?, status = 'queued', error = NULL, updated_at = ?"
            " WHERE id = ? AND (status = 'queued' OR (status = 'failed' AND printer IS NULL))",
            (printer, clock.now(), job_id),
        )


# -- slips from stored tickets -----------------------------------------------------


def _url(template: str, ticket: sqlite3.Row, kind: str) -> str | None:
    """A QR address from a template with {id}, {number}, {day}, {kind}; None when unset or bad."""
    if not template:
        return None
    try:
        return template.format(
            id=ticket["id"], number=ticket["number"], day=ticket["day"], kind=kind
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
    common = {
        "hall_name": str(settings.get("hall_name") or ""),
        "number": ticket["number"],
        "service_zh": service["name_zh"],
        "service_en": service["name_en"],
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
            qr_url=_url(str(settings.get("qr_url_template") or ""), ticket, "ticket"),
            footer=settings.get("ticket_footer") or None,
        )
    called = ticket["called_at"] or ticket["served_at"] or ticket["finished_at"]
    served = ticket["served_at"] or ticket["called_at"]
    finished = ticket["finished_at"] or clock.now()
    waited = round(((called or finished) - ticket["issued_at"]) / 60)
    handling = round((finished - served) / 60) if served else 0
    feedback = settings.get("feedback_url_template") or settings.get("qr_url_template") or ""
    return ReceiptSlip(
        **common,
        counter=ticket["counter_number"] or 0,
        staff_no=ticket["clerk_staff_no"] or "",
        waited_min=max(0, waited),
        handling_min=max(0, handling),
        outcome=ticket["outcome"] or "done",
        finished_at=clock.local(finished).replace(tzinfo=None),
        materials=tuple(json.loads(ticket["materials"] or "[]")),
        feedback_url=_url(str(feedback), ticket, "receipt"),
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


def run_job(conn: sqlite3.Connection, clock: Clock, job: sqlite3.Row) -> JobOutcome:
    """Print one claimed job and record how it went; never raises for a printer fault."""
    base = {
        "job_id": job["id"],
        "ticket_id": job["ticket_id"],
        "kind": job["kind"],
        "printer": job["printer"],
    }
    try:
        config = printer_config(conn, job["printer"] or "")
        slip = build_slip(conn, clock, job["ticket_id"], job["kind"])
    except (LookupError, PrinterError) as e:
        message = str(e)
        finish_job(conn, clock, job, "failed", message, {"may_have_printed": False})
        return JobOutcome(**base, status="failed", message=message, exit_code=1)
    try:
        result = print_slip(config, slip)
    except PrinterError as e:
        message = e.message
        if e.may_have_printed:
            message += "; it may have printed in part: check the printer before a reprint"
        finish_job(
            conn,
            clock,
            job,
            "failed",
            message,
            {"kind_of_error": e.kind, "may_have_printed": e.may_have_printed},
        )
        return JobOutcome(
            **base,
            status="failed",
            message=message,
            may_have_printed=e.may_have_printed,
            exit_code=e.exit_code,
        )
    finish_job(
        conn,
        clock,
        job,
        "done",
        None,
        {
            "warning": result.warning,
            "bytes": result.bytes_sent,
            "status": result.status_after.describe(),
        },
    )
    return JobOutcome(**base, status="done", message=result.warning, result=result)


def process_pending(
    conn: sqlite3.Connection, clock: Clock, *, printers: set[str] | None = None, limit: int = 100
) -> list[JobOutcome]:
    """Print every queued job (of these printers), oldest first."""
    outcomes = []
    for _ in range(limit):
        job = claim_next(conn, clock, printers=printers)
        if job is None:
            break
        outcomes.append(run_job(conn, clock, job))
    return outcomes


def print_now(conn: sqlite3.Connection, clock: Clock, job_id: int) -> JobOutcome | None:
    """Print one queued job at once (the CLI's reprint); None when someone else took it."""
    job = claim_next(conn, clock, job_id=job_id)
    return run_job(conn, clock, job) if job is not None else None


class PrintWorker:
    """A background thread that prints a station's jobs; ``wake()`` after queueing one.

    It opens its own connection, so a screen's calls never wait behind a printer.
    ``printers`` limits it to the printers this station owns (None: every printer).
    """

    def __init__(
        self,
        db_path: str | Path,
        clock: Clock | None = None,
        *,
        printers: set[str] | None = None,
        on_outcome=None,
    ) -> None:
        self.db_path = str(db_path)
        self.clock = clock or Clock()
        self.printers = printers
        self.on_outcome = on_outcome
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
        conn = connect(self.db_path)
        try:
            fail_interrupted(conn, self.clock)
            while not self._stop.is_set():
                try:
                    for outcome in process_pending(conn, self.clock, printers=self.printers):
                        if self.on_outcome is not None:
                            self.on_outcome(outcome)
                except Exception:  # the database busy or gone: try again later, never die
                    pass
                self._wake.wait(POLL_S)
                self._wake.clear()
        finally:
            conn.close()
