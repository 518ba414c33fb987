"""Print jobs straight from a hall database file, on a connection of their own: the CLI
over ``--db`` (``qconsole printers work``, a reprint printed at once) and the hall
server's own printers (``console.server.printing``). A station's screen never uses
this: it prints through the service (``console.printing.ServiceJobs``).

Each change of a job's row (claim, lease, outcome) is still a write of the engine's
print-jobs room (:mod:`console.engine.print_jobs`), the one write path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.domain import PrintJob
from console.engine import print_jobs
from console.engine.clock import Clock
from console.engine.slips import render_job
from console.printing import Claimed, JobOutcome, print_claimed
from console.store import connect
from printers import PrinterConfig, PrinterError


class LocalJobs:
    """Jobs of a hall database file, claimed and settled through the engine's print-jobs
    room on a connection of their own (so the caller's connection never waits behind a
    printer).

    ``printers`` is asked before every claim, so a printer added or changed meanwhile is
    used at once.
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
                printer, data = render_job(self.conn, self.clock, row)
            except (LookupError, PrinterError, ValueError) as exc:
                self.report(
                    row["id"],
                    "failed",
                    f"cannot print: {exc}",
                    {"may_have_printed": False, "reason": "printer.cannot_prepare"},
                )
                if job_id is not None:
                    return None
                continue
            return Claimed(PrintJob.from_dict(row), PrinterConfig.from_record(printer), data)

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


def print_now(jobs: LocalJobs, job_id: int) -> JobOutcome | None:
    """Print one queued job at once (the CLI's reprint); None when someone else took it."""
    claimed = jobs.claim(job_id)
    return print_claimed(jobs, claimed) if claimed is not None else None


def local_printers(station: str) -> Callable[[sqlite3.Connection], set[str]]:
    """Over the hall file, a station prints its own printers and those of no station."""

    def mine(conn: sqlite3.Connection) -> set[str]:
        query = "SELECT name FROM printers WHERE station = ? OR station IS NULL"
        return {r[0] for r in conn.execute(query, (station,))}

    return mine
