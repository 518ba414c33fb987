"""Printing across the LAN, the whole path: the hall server in one process, the
reception station's print worker (``qconsole printers work --server``) in another,
the station's network printer a fake on 127.0.0.1.

A ticket issued over the server prints at the station's printer; a printer switched
off mid-job leaves its job unconfirmed; a worker killed mid-job loses its lease and
the job becomes unconfirmed; nothing is ever printed twice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.printing import LEASE_S
from console.remote import RemoteHall
from printers.testing import FakePrinter
from tests.server.conftest import PIN, Server, build_hall, free_port, register
from tests.waiting import wait_until as until

ROOT = Path(__file__).resolve().parents[2]
SLOW_BYTES_PER_S = 6000
"""A raster slip (~29 KB) takes about five seconds to reach this printer."""


def qconsole(token: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QCONSOLE_TOKEN": token}
    env.pop("QCONSOLE_STATION", None)
    return subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip


class Worker:
    """``qconsole printers work --server`` for one station, in its own process."""

    def __init__(self, server: Server, token: str, log: Path) -> None:
        env = {**os.environ, "QCONSOLE_TOKEN": token, "PYTHONUNBUFFERED": "1"}
        env.pop("QCONSOLE_STATION", None)
        self.log = log
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from console.cli.main import run; run()",
                 "printers", "work", "--server", server.url],
                stdout=out, stderr=out, env=env, cwd=ROOT,
            )  # fmt: skip

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def lan(tmp_path):
    db = tmp_path / "hall.db"
    build_hall(db)
    server = Server(db, free_port())
    server.tokens["admin-pc"] = register(db, "admin-pc", admin=True)
    server.tokens["reception-1"] = register(db, "reception-1")
    server.start()
    yield server
    server.stop()


def test_a_station_prints_its_tickets_over_the_lan_and_never_twice(lan: Server, tmp_path):
    admin, station = lan.tokens["admin-pc"], lan.tokens["reception-1"]
    fast = FakePrinter().start()
    switched_off = FakePrinter(bytes_per_s=SLOW_BYTES_PER_S).start()
    slow = FakePrinter(bytes_per_s=SLOW_BYTES_PER_S).start()
    reception = RemoteHall(lan.url, station)
    worker = Worker(lan, station, tmp_path / "worker-1.log")
    workers = [worker]

    def printer(address: str, *mode: str) -> None:
        """Point the station's ticket printer elsewhere while its worker runs."""
        qconsole(admin, "printers", "remove", "reception-1-t58", "--server", lan.url)
        added = qconsole(admin, "printers", "add", "reception-1-t58", "--connection", "network",
                         "--address", address, "--station", "reception-1", *mode,
                         "--server", lan.url)  # fmt: skip
        assert added.returncode == 0, added.stderr

    def issue() -> tuple[str, int]:
        ticket = reception.issue(clerk, "ID", print_ticket=True).ticket
        return ticket.number, ticket.id

    def job(ticket_id: int, *final: str):
        def look():
            found = [j for j in reception.list_print_jobs() if j.ticket_id == ticket_id]
            return found[0] if found and (not final or found[0].status in final) else None

        return until(look, 20 + LEASE_S, f"the print job of ticket #{ticket_id} {final}")

    try:
        printer(fast.address)
        clerk = reception.login("1001", PIN, "")

        # a ticket issued over the server prints at the station's printer
        first, first_id = issue()
        assert job(first_id, "done", "failed", "unconfirmed").status == "done"
        assert first in fast.parsed().lines

        # the printer, changed while the worker runs, is switched off mid-job
        printer(switched_off.address, "--mode", "raster")
        _, cut_off_id = issue()
        until(lambda: len(switched_off.received) > SLOW_BYTES_PER_S, 20, "the job under way")
        switched_off.kill()
        cut_off = job(cut_off_id, "done", "failed", "unconfirmed")
        assert cut_off.status == "unconfirmed" and "may not have printed" in cut_off.error
        assert cut_off.reason == "printer.unconfirmed"  # the station's code, kept by the server

        # the worker is killed mid-job: its lease runs out, the job becomes unconfirmed
        printer(slow.address, "--mode", "raster")
        _, orphan_id = issue()
        until(lambda: len(slow.received) > SLOW_BYTES_PER_S, 20, "the job under way")
        worker.kill()
        assert job(orphan_id).status == "printing"  # held until the lease runs out
        orphan = job(orphan_id, "done", "failed", "unconfirmed")
        assert orphan.status == "unconfirmed" and "worker stopped" in orphan.error
        assert orphan.reason == "printer.worker_gone"

        # a new worker prints new tickets, and nothing of the earlier ones again
        printer(fast.address)
        worker = Worker(lan, station, tmp_path / "worker-2.log")
        workers.append(worker)
        last, last_id = issue()
        assert job(last_id, "done", "failed", "unconfirmed").status == "done"
        time.sleep(LEASE_S)  # room for a wrong second print to show up
        printed = fast.parsed()
        assert printed.cuts == 2 and printed.lines.count(first) == printed.lines.count(last) == 1
        assert len(slow.connections) == 1 and len(switched_off.connections) == 1
        statuses = {j.ticket_id: j.status for j in reception.list_print_jobs()}
        assert statuses[cut_off_id] == statuses[orphan_id] == "unconfirmed"

        # the token names the station: another --station is a mistake, said plainly
        wrong = qconsole(station, "printers", "jobs", "--server", lan.url, "--station", "desk-9")
        assert wrong.returncode == 2 and "token is for station reception-1" in wrong.stderr
        listed = qconsole(admin, "printers", "jobs", "--json", "--server", lan.url)
        by_id = {j["ticket_id"]: j for j in json.loads(listed.stdout)}
        assert by_id[orphan_id]["status"] == "unconfirmed" and by_id[first_id]["ticket_number"]
    finally:
        for w in workers:
            w.stop()
        reception.close()
        for fake in (fast, switched_off, slow):
            fake.stop()
