"""Printing across the LAN: who drives which printer.

* A printer registered **with a station** (``printers add … --station desk-05``)
  is driven by that station: its USB or network printer is reachable from it.
  The station claims its jobs from the server after the server has stored the
  ticket (``POST /print-jobs/claim``); the server renders the slip (so every
  station prints the same bytes from the same stored ticket) and the station
  sends the bytes to its own printer, then reports ``done`` or ``failed``.
* A printer registered **without a station** is driven by the server itself
  (a network printer on port 9100 the server can reach, or one on the server
  machine): :class:`ServerPrinting` prints its jobs in a background thread.

Either way the job row was written with the ticket, in the same transaction,
so a printer fault never loses a ticket, and failures show up as
``print.failed`` events on every screen, which offer a reprint.
"""

from __future__ import annotations

import base64
import fnmatch
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from console.domain.errors import AuthError
from console.engine.clock import Clock
from console.printing import (
    build_slip,
    claim_next,
    fail_interrupted,
    finish_job,
    printer_config,
    process_pending,
)
from console.store import connect

POLL_S = 0.5
PRINTER_DEVICES = ("/dev/usb/lp*", "/dev/ttyUSB*", "/dev/ttyS*")
"""Where a file printer the server drives may write, besides the configured directory."""


def check_server_file(fields: dict[str, Any], printer_dir: str | Path | None) -> None:
    """Refuse a file printer the server would drive (no station) writing anywhere but a
    printer device or the configured directory: a remote admin must not make the server
    write files of its choosing. ``..`` and symbolic links are resolved first."""
    if fields.get("connection") != "file" or fields.get("station"):
        return
    target = os.path.realpath(str(fields.get("address") or ""))
    if any(fnmatch.fnmatchcase(target, pattern) for pattern in PRINTER_DEVICES):
        return
    if printer_dir is not None:
        base = os.path.realpath(printer_dir)
        if os.path.commonpath([base, target]) == base and target != base:
            return
    where = f" or under {printer_dir}" if printer_dir else " (serve --printer-dir DIR allows one)"
    raise AuthError(f"a file printer of the server writes only to {', '.join(PRINTER_DEVICES)}"
                    f"{where}; not {fields.get('address')!r}")  # fmt: skip


def server_printers(conn: sqlite3.Connection) -> set[str]:
    """Printers no station owns: the server drives them."""
    return {r[0] for r in conn.execute("SELECT name FROM printers WHERE station IS NULL")}


def station_printers(conn: sqlite3.Connection, station: str) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM printers WHERE station = ?", (station,))}


class ServerPrinting:
    """Prints the jobs of station-less printers, on its own connection and thread."""

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
        conn = connect(self.path)
        try:
            fail_interrupted(conn, self.clock)
            while not self._stop.is_set():
                try:
                    mine = server_printers(conn)
                    if mine:
                        process_pending(conn, self.clock, printers=mine, limit=20)
                except Exception:  # busy database or a printer bug: try again, never die
                    pass
                self._wake.wait(POLL_S)
                self._wake.clear()
        finally:
            conn.close()


def claim_job(
    conn: sqlite3.Connection, clock: Clock, station: str, printers: list[str] | None
) -> dict[str, Any] | None:
    """Claim the oldest queued job of this station's printers (queued → printing)."""
    owned = station_printers(conn, station)
    wanted = owned if printers is None else owned & set(printers)
    job = claim_next(conn, clock, printers=wanted)
    return dict(job) if job is not None else None


def render_job(conn: sqlite3.Connection, clock: Clock, job: dict[str, Any]) -> dict[str, Any]:
    """The printer's settings and the slip's bytes (base64), from the stored ticket."""
    from printers import render

    config = printer_config(conn, job["printer"] or "")
    slip = build_slip(conn, clock, job["ticket_id"], job["kind"])
    data = render(slip, config.render_options())
    printer = conn.execute("SELECT * FROM printers WHERE name = ?", (job["printer"],)).fetchone()
    return {"printer": dict(printer), "data": base64.b64encode(data).decode("ascii")}


def fail_job(conn: sqlite3.Connection, clock: Clock, job_id: int, error: str) -> None:
    job = conn.execute("SELECT * FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
    if job is not None and job["status"] == "printing":
        finish_job(conn, clock, job, "failed", error, {"may_have_printed": False})


def report_for_station(
    conn: sqlite3.Connection,
    clock: Clock,
    station: str,
    job_id: int,
    status: str,
    error: str | None,
    details: dict[str, Any],
) -> bool:
    """Record how a station's print went; False when the job is not this station's to report."""
    job = conn.execute("SELECT * FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
    if job is None or job["printer"] not in station_printers(conn, station):
        return False
    if job["status"] != "printing":
        return True  # a repeated report (a retry): already recorded
    finish_job(conn, clock, job, status, error, details)
    return True
