"""Printing across the LAN: who drives which printer.

* A printer registered **with a station** (``printers add … --station desk-05``)
  is driven by that station: its USB or network printer is reachable from it.
  The station claims its jobs from the server after the server has stored the
  ticket (``POST /print-jobs/claim``) on a lease of a few seconds it renews
  while printing (``POST /print-jobs/{id}/lease``); the server renders the slip
  (so every station prints the same bytes from the same stored ticket) and the
  station sends the bytes to its own printer, then reports ``done``,
  ``unconfirmed`` or ``failed``. A station that dies mid-job stops renewing:
  the server's sweep makes the job *unconfirmed* when the lease runs out.
* A printer registered **without a station** is driven by the server itself
  (a network printer on port 9100 the server can reach, or one on the server
  machine): :class:`ServerPrinting` prints its jobs in a background thread.

Either way the job row was written with the ticket, in the same transaction,
so a printer fault never loses a ticket, and failures show up as
``print.failed`` / ``print.unconfirmed`` events, shown where the slip was asked
for with the reprint key.
"""

from __future__ import annotations

import base64
import sqlite3
import threading
from typing import Any

from console.engine import Engine
from console.engine.clock import Clock
from console.printing import (
    LocalJobs,
    build_slip,
    printer_config,
    process_pending,
    station_printers,
)

POLL_S = 0.5


def server_printers(conn: sqlite3.Connection) -> set[str]:
    """Printers no station owns: the server drives them."""
    return {r[0] for r in conn.execute("SELECT name FROM printers WHERE station IS NULL")}


class ServerPrinting:
    """Prints the jobs of station-less printers, on its own connection and thread, and
    releases the jobs of stations whose lease ran out (as unconfirmed)."""

    def __init__(self, path: str, clock: Clock):
        self.path, self.clock = path, clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qconsole-print", daemon=True)

    def start(self) -> ServerPrinting:
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        jobs = LocalJobs(self.path, self.clock, "server", server_printers)
        try:
            while not self._stop.is_set():
                try:
                    jobs.sweep()
                    process_pending(jobs, limit=20)
                except Exception:  # busy database or a printer bug: try again, never die
                    pass
                self._wake.wait(POLL_S)
                self._wake.clear()
        finally:
            jobs.close()


def claim_job(engine: Engine, station: str, printers: list[str] | None) -> dict[str, Any] | None:
    """Claim the oldest queued job of this station's printers (queued → printing)."""
    owned = station_printers(engine.conn, station)
    wanted = owned if printers is None else owned & set(printers)
    return engine.print_jobs.claim(printers=wanted, worker=station)


def renew_for_station(engine: Engine, station: str, job_id: int) -> bool:
    """Keep a station's claim while it prints; False when the job is no longer its own."""
    return engine.print_jobs.renew_lease(job_id, station)


def render_job(conn: sqlite3.Connection, clock: Clock, job: dict[str, Any]) -> dict[str, Any]:
    """The printer's settings and the slip's bytes (base64), from the stored ticket."""
    from printers import render

    config = printer_config(conn, job["printer"] or "")
    slip = build_slip(conn, clock, job["ticket_id"], job["kind"])
    data = render(slip, config.render_options())
    printer = conn.execute("SELECT * FROM printers WHERE name = ?", (job["printer"],)).fetchone()
    return {"printer": dict(printer), "data": base64.b64encode(data).decode("ascii")}


def fail_job(engine: Engine, job_id: int, error: str) -> None:
    """A claimed job the server could not render fails (nothing went to the printer)."""
    engine.print_jobs.settle(job_id, "failed", error, {"may_have_printed": False})


def report_for_station(
    engine: Engine,
    station: str,
    job_id: int,
    status: str,
    error: str | None,
    details: dict[str, Any],
) -> bool:
    """Record how a station's print went; False when the job is not this station's to report.

    A repeated report (a retry) is already recorded and changes nothing."""
    job = engine.conn.execute("SELECT worker FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
    if job is None or job["worker"] != station:
        return False
    engine.print_jobs.settle(job_id, status, error, details, worker=station)
    return True
