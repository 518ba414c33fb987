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
from console.engine.slips import render_job
from console.printing import process_pending
from console.printing_local import LocalJobs

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
    """Claim the oldest queued job of this station's own printers (queued → printing)."""
    return engine.print_jobs.claim_for(station, printers)


def renew_for_station(engine: Engine, station: str, job_id: int) -> str:
    """Keep a station's claim while it prints (refused when it lost it)."""
    return engine.renew_print_lease(station, job_id)


def report_for_station(engine: Engine, station: str, job_id: int, outcome: dict[str, Any]) -> str:
    """Record how a station's print went (refused when the job is not the station's)."""
    return engine.report_print_job(station, job_id, **outcome)


def render(conn: sqlite3.Connection, clock: Clock, job: dict[str, Any]) -> dict[str, Any]:
    """The printer's row and the slip's bytes (base64), from the stored ticket."""
    printer, data = render_job(conn, clock, job)
    return {"printer": printer, "data": base64.b64encode(data).decode("ascii")}


def fail_job(engine: Engine, job_id: int, error: str) -> None:
    """A claimed job the server could not render fails (nothing went to the printer)."""
    engine.print_jobs.settle(
        job_id, "failed", error, {"may_have_printed": False, "reason": "printer.cannot_prepare"}
    )
