"""Printers and print jobs: where slips are printed, and the jobs queued for them.

A job row is written in the transaction of the change it prints (an issue, a finish) or
on request (a reprint); a worker renders and sends it after commit (``console.printing``),
so a printer can never lose a ticket or block a screen. The worker's own writes — a claim
on a lease it renews while printing, the outcome with its event, a lease that ran out —
go through the same write path, here.
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from console.domain import PRINT_LEASE_S as LEASE_S
from console.domain import Actor, PrintClaim, Printer, PrintJob, reasons
from console.domain import fields as f
from console.domain.errors import AuthError, BadInput, NotFound, Refused
from console.engine import commands
from console.engine.clock import Clock
from console.engine.core import Core, Room
from console.engine.file_printers import check_file_printer
from console.engine.slips import render_job
from printers import PrinterError

REPORTED = {
    "may_have_printed": "may_have_printed",
    "warning": "warning",
    "kind_of_error": "kind_of_error",
    "bytes": "bytes",
    "printer_status": "status",
    "reason": "reason",
}
"""A station's report of a print → the name each detail has in the outcome's event."""
CLAIM_TRIES = 20
"""A claim skips at most this many jobs that cannot be rendered (each fails visibly)."""
WORKER_GONE = "unconfirmed: may not have printed (the print worker stopped during the job)"
"""The stored words of a job whose worker stopped (its reason code: ``printer.worker_gone``)."""
EXPIRED = (
    "SELECT * FROM print_jobs WHERE status = 'printing'"
    " AND (lease_until IS NULL OR lease_until < ?)"
)


class PrintJobs(Room):
    """Add and remove printers; queue, reprint and list print jobs; the print worker's
    claims, leases and outcomes (``console.printing`` does the printer's side)."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.confined = False
        """Whether file printers are confined (:mod:`console.engine.file_printers`)."""
        self.printer_dir: str | Path | None = None
        self.server_drives_unowned = False
        """Whether the hall server prints the jobs of printers no station owns (then a
        station claims only its own printers' jobs)."""

    def confine_file_printers(self, printer_dir: str | Path | None) -> None:
        """From now on, refuse a file printer writing anywhere but a printer device or
        under ``printer_dir``: the hall server's rule for printers added through it."""
        self.confined, self.printer_dir = True, printer_dir

    def leave_unowned_printers_to_server(self) -> None:
        """The hall server's rule: it drives the printers registered with no station."""
        self.server_drives_unowned = True

    # -- printers ---------------------------------------------------------
    def list_printers(self) -> list[Printer]:
        rows = self.conn.execute("SELECT * FROM printers ORDER BY name").fetchall()
        return [Printer.from_dict(dict(r)) for r in rows]

    def printer_row(self, name: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM printers WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(reason="printer.not_found", printer=repr(name))
        return row

    def add_printer(self, actor: Actor, key: str | None = None, **fields: Any) -> Printer:
        self.core.require(actor, "admin", "adding a printer")
        if self.confined:
            check_file_printer(fields, self.printer_dir)
        name = f.PRINTER_NAME.check(fields.get("name"))
        values = {
            "name": name,
            "connection": fields.get("connection"),
            "address": f.PRINTER_ADDRESS.check(fields.get("address")),
            "width_dots": int(fields.get("width_dots") or 384),
            "mode": fields.get("mode") or "text",
            "encoding": fields.get("encoding") or "gb18030",
            "station": fields.get("station"),
            "counter_number": fields.get("counter_number"),
            "purpose": fields.get("purpose") or "ticket",
        }
        choices = {
            "connection": ("usb", "network", "serial", "file", "cups"),
            "width_dots": (384, 576),
            "mode": ("text", "raster"),
            "encoding": ("gb18030", "gbk"),
            "purpose": ("ticket", "receipt"),
        }
        for field, options in choices.items():
            if values[field] not in options:
                raise BadInput(
                    reason="printer.bad_choice",
                    field=field,
                    choices=", ".join(map(str, options)),
                    value=repr(values[field]),
                )

        def op() -> Printer:
            if self.conn.execute("SELECT 1 FROM printers WHERE name = ?", (name,)).fetchone():
                raise Refused(reason="printer.exists", printer=name)
            if values["counter_number"] is not None:
                self.core.counter_row(values["counter_number"])
            cols = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            cur = self.conn.execute(
                f"INSERT INTO printers ({cols}) VALUES ({marks})", list(values.values())
            )
            if values["counter_number"] is not None:
                self.conn.execute(
                    "UPDATE counters SET printer_id = ? WHERE number = ?",
                    (cur.lastrowid, values["counter_number"]),
                )
            self.core.event("printer.added", actor, changes=values)
            return Printer.from_dict(dict(self.printer_row(name)))

        return self.core.write(
            "add_printer", commands.keyed(key, actor, fields=fields), op, decode=Printer.from_dict
        )

    def remove_printer(self, actor: Actor, name: str, key: str | None = None) -> str:
        self.core.require(actor, "admin", "removing a printer")

        def op() -> str:
            row = self.printer_row(name)
            self.conn.execute(
                "UPDATE counters SET printer_id = NULL WHERE printer_id = ?", (row["id"],)
            )
            self.conn.execute("DELETE FROM printers WHERE id = ?", (row["id"],))
            self.core.event("printer.removed", actor, changes={"name": name})
            return "removed"

        return self.core.write(
            "remove_printer", commands.keyed(key, actor, name=name), op, encode=lambda r: r
        )

    # -- printing ---------------------------------------------------------
    def queue(self, actor: Actor, ticket_id: int, kind: str, counter: int | None) -> int:
        """A print job row in the caller's transaction; printing happens after commit."""
        printer = None
        if kind == "receipt" and counter is not None:
            row = (
                self.conn.execute(
                    "SELECT p.name FROM printers p JOIN counters c ON c.printer_id = p.id"
                    " WHERE c.number = ?",
                    (counter,),
                ).fetchone()
                or self.conn.execute(
                    "SELECT name FROM printers WHERE counter_number = ? ORDER BY id LIMIT 1",
                    (counter,),
                ).fetchone()
            )
            printer = row["name"] if row else None
        else:
            row = self.conn.execute(
                "SELECT name FROM printers WHERE purpose = 'ticket'"
                " AND (station = ? OR station IS NULL) ORDER BY station IS NULL, id LIMIT 1",
                (actor.station,),
            ).fetchone()
            printer = row["name"] if row else None
        now = self.clock.now()
        status, reason = ("queued", None) if printer else ("failed", reasons.NO_PRINTER)
        cur = self.conn.execute(
            "INSERT INTO print_jobs (ticket_id, kind, printer, status, reason, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (ticket_id, kind, printer, status, reason, now, now),
        )
        self.core.event(
            "print.queued",
            actor,
            ticket_id=ticket_id,
            counter=counter,
            changes={"job": cur.lastrowid, "kind": kind, "printer": printer},
        )
        return int(cur.lastrowid or 0)

    def request_print(
        self, actor: Actor, ticket: str, kind: str, key: str | None = None
    ) -> PrintJob:
        if kind not in ("ticket", "receipt"):
            raise BadInput(reason="ticket.bad_print_kind", kind=repr(kind))

        def op() -> PrintJob:
            row = self.core.ticket_row(ticket)
            if kind == "receipt" and row["status"] != "done":
                raise Refused(
                    reason="ticket.receipt_unfinished", ticket=row["number"], status=row["status"]
                )
            job = self.queue(actor, row["id"], kind, row["counter_number"])
            return self.job(job)

        return self.core.write(
            "request_print",
            commands.keyed(key, actor, ticket=ticket, kind=kind),
            op,
            decode=PrintJob.from_dict,
        )

    _JOBS = (
        "SELECT j.*, t.number AS ticket_number FROM print_jobs j"
        " JOIN tickets t ON t.id = j.ticket_id"
    )

    def job(self, job_id: int) -> PrintJob:
        row = self.conn.execute(f"{self._JOBS} WHERE j.id = ?", (job_id,)).fetchone()
        return PrintJob.from_dict(dict(row))

    def list_print_jobs(self, status: str | None = None, limit: int = 100) -> list[PrintJob]:
        where, params = "", []
        if status:
            where, params = " WHERE j.status = ?", [status]
        rows = self.conn.execute(
            f"{self._JOBS}{where} ORDER BY j.id DESC LIMIT ?", [*params, limit]
        ).fetchall()
        return [PrintJob.from_dict(dict(r)) for r in rows]

    # -- the print worker's writes ------------------------------------------
    def expire_leases(self) -> int:
        """Jobs whose worker stopped renewing its lease become unconfirmed; how many."""
        if self.conn.execute(EXPIRED, (self.clock.now(),)).fetchone() is None:
            return 0  # the usual case: no write transaction at all

        def op() -> int:
            rows = self.conn.execute(EXPIRED, (self.clock.now(),)).fetchall()
            for row in rows:
                gone = {"may_have_printed": True, "reason": "printer.worker_gone"}
                self._settle(row, "unconfirmed", WORKER_GONE, gone)
            return len(rows)

        return self.core.write("print.expire", None, op, encode=lambda n: n)

    def claim(
        self, *, printers: set[str] | None = None, job_id: int | None = None,
        worker: str = "local",
    ) -> dict[str, Any] | None:  # fmt: skip
        """Take the oldest queued job (of these printers, or this one job): queued → printing,
        leased to ``worker`` for ``LEASE_S`` seconds; the job with its ticket's number."""
        self.expire_leases()
        where, params = "status = 'queued'", []
        if job_id is not None:
            where += " AND id = ?"
            params.append(job_id)
        if printers is not None:
            if not printers:
                return None
            where += f" AND printer IN ({', '.join('?' for _ in printers)})"
            params += sorted(printers)
        query = f"SELECT * FROM print_jobs WHERE {where} ORDER BY id LIMIT 1"
        if self.conn.execute(query, params).fetchone() is None:
            return None  # nothing queued: no write transaction

        def op() -> dict[str, Any] | None:
            row = self.conn.execute(query, params).fetchone()
            if row is None:
                return None
            now = self.clock.now()
            self.conn.execute(
                "UPDATE print_jobs SET status = 'printing', worker = ?, lease_until = ?,"
                " updated_at = ? WHERE id = ?",
                (worker, now + LEASE_S, now, row["id"]),
            )
            job = self.conn.execute(f"{self._JOBS} WHERE j.id = ?", (row["id"],)).fetchone()
            return dict(job)

        return self.core.write("print.claim", None, op, encode=lambda r: r)

    def renew_lease(self, job_id: int, worker: str) -> bool:
        """Keep a claimed job while its worker is still printing it; False when it lost it."""

        def op() -> bool:
            cur = self.conn.execute(
                "UPDATE print_jobs SET lease_until = ? WHERE id = ? AND status = 'printing'"
                " AND worker = ?",
                (self.clock.now() + LEASE_S, job_id, worker),
            )
            return cur.rowcount == 1

        return self.core.write("print.lease", None, op, encode=lambda r: r)

    def settle(
        self, job_id: int, status: str, error: str | None = None,
        details: dict[str, Any] | None = None, *, worker: str | None = None,
    ) -> bool:  # fmt: skip
        """printing → done | unconfirmed | failed, with its event, in one write; ``error`` is
        the printer's own words, ``details["reason"]`` their reason code (stored with the job).

        A report from the worker that held the job also settles it after its lease ran out
        (it was marked unconfirmed meanwhile, and the printer's answer is the truth); any
        other report of a job no longer printing is ignored (a retry). False when ignored.
        """

        def op() -> bool:
            row = self.conn.execute("SELECT * FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                return False
            late = worker is not None and row["worker"] == worker and row["status"] == "unconfirmed"
            if not (row["status"] == "printing" or late):
                return False
            self._settle(row, status, error, details or {})
            return True

        return self.core.write("print.settle", None, op, encode=lambda r: r)

    # -- a station's print worker (the service's operations) ----------------
    def station_printers(self, station: str) -> set[str]:
        """The printers whose jobs ``station`` prints: those registered with it, and those of
        no station unless the hall server drives them."""
        query = "SELECT name FROM printers WHERE station = ?"
        if not self.server_drives_unowned:
            query += " OR station IS NULL"
        return {r[0] for r in self.conn.execute(query, (station,))}

    def claim_for(
        self, station: str, printers: Sequence[str] | None = None
    ) -> dict[str, Any] | None:
        """Claim the oldest queued job of the station's printers (or of those of them named)
        for the station; the job's row, not yet rendered."""
        wanted = self.station_printers(station)
        if printers is not None:
            wanted &= set(printers)
        return self.claim(printers=wanted, worker=station)

    def claim_print_job(
        self, station: str, printers: Sequence[str] | None = None
    ) -> PrintClaim | None:
        """The oldest queued job of the station's printers (or of those of them named),
        rendered from its stored ticket, on a lease the station renews while it prints; None
        when nothing is queued. A job that cannot be rendered (its printer removed, a bad
        setting) fails visibly and the next one is taken."""
        for _ in range(CLAIM_TRIES):
            job = self.claim_for(station, printers)
            if job is None:
                return None
            try:
                printer, data = render_job(self.conn, self.clock, job)
            except (LookupError, PrinterError, ValueError) as exc:
                self.settle(
                    job["id"],
                    "failed",
                    f"cannot print: {exc}",
                    {"may_have_printed": False, "reason": "printer.cannot_prepare"},
                )
                continue
            return PrintClaim(job=PrintJob.from_dict(job), printer=Printer.from_dict(printer),
                              data=base64.b64encode(data).decode("ascii"))  # fmt: skip
        return None

    def renew_print_lease(self, station: str, job_id: int) -> str:
        """The station is still printing its job: its lease is extended; refused once the
        lease was lost (the job is unconfirmed and may not be sent any more)."""
        if not self.renew_lease(job_id, station):
            raise Refused(reason="print.lease_lost", job=job_id, station=station)
        return "renewed"

    def report_print_job(
        self, station: str, job_id: int, status: str, error: str | None = None, **details: Any
    ) -> str:
        """How the station's printer took its job: done (the printer confirmed it),
        unconfirmed (it may not have printed) or failed, with what the printer said
        (``details``: ``may_have_printed``, ``warning``, ``kind_of_error``, ``bytes``,
        ``printer_status``, ``reason``: its reason code). A repeated report (a retry)
        changes nothing."""
        row = self.conn.execute("SELECT worker FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None or row["worker"] != station:
            raise AuthError(reason="print.job_not_yours", job=job_id, station=station)
        said = {REPORTED[k]: v for k, v in details.items() if k in REPORTED and v is not None}
        self.settle(job_id, status, error, said, worker=station)
        return status

    def set_printer(self, job_id: int, printer: str) -> None:
        """Send a job that has not printed yet to another printer (``reprint --printer``): a
        queued one, or one that failed because no printer was set up for the station that
        asked."""

        def op() -> None:
            self.conn.execute(
                "UPDATE print_jobs SET printer = ?, status = 'queued', error = NULL,"
                " reason = NULL, updated_at = ? WHERE id = ?"
                " AND (status = 'queued' OR (status = 'failed' AND printer IS NULL))",
                (printer, self.clock.now(), job_id),
            )

        self.core.write("print.set_printer", None, op, encode=lambda r: r)

    def _settle(
        self, job: sqlite3.Row, status: str, error: str | None, details: dict[str, Any]
    ) -> None:
        warning = details.get("warning") if status == "done" else None
        reason = details.get("reason")  # a station's report: only a code the catalogs know
        reason = reason if reason in reasons.REASONS else None
        self.conn.execute(
            "UPDATE print_jobs SET status = ?, error = ?, warning = ?, reason = ?,"
            " lease_until = NULL, updated_at = ? WHERE id = ?",
            (status, None if status == "done" else error, warning, reason, self.clock.now(),
             job["id"]),
        )  # fmt: skip
        # the event names the station and counter that asked for the slip, so that screen
        # shows the outcome and offers a reprint
        asked = self.conn.execute(
            "SELECT station, counter_number FROM events WHERE ticket_id = ?"
            " AND kind = 'print.queued' AND json_extract(changes, '$.job') = ?"
            " ORDER BY id DESC LIMIT 1",
            (job["ticket_id"], job["id"]),
        ).fetchone()  # among its ticket's events: the look-up does not grow with the log
        station, counter = (asked["station"], asked["counter_number"]) if asked else (None, None)
        worker = Actor(staff_no="system", role="admin", station=station, name="print worker")
        changes = {"job": job["id"], "kind": job["kind"], "printer": job["printer"],
                   "error": error, **details, "reason": reason}  # fmt: skip
        self.core.event(f"print.{status}", worker, ticket_id=job["ticket_id"], counter=counter,
                        changes=changes)  # fmt: skip


def over(conn: sqlite3.Connection, clock: Clock, path: str = "") -> PrintJobs:
    """The print-jobs room over a connection of its own: a print worker's, so a screen's
    calls never wait behind a printer."""
    return PrintJobs(Core(conn, clock, path))
