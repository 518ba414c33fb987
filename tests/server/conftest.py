"""The hall server in a subprocess on 127.0.0.1 and a free port, with registered stations.

The server's clock starts at the test's moment (``QCONSOLE_NOW``, the shared
clock's 09:30 on 2026-11-26 unless a test says otherwise) and runs at normal
speed from there, so the real date and hour never matter.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from console.domain import Actor
from console.engine.clock import NOW_ENV
from console.local import LocalHall
from console.server.auth import add_station
from tests.conftest import MORNING, shared_moment
from tests.waiting import Deadline, scaled

ADMIN = Actor(staff_no="cli", role="admin", station="test-shell", name="test admin")
PIN = "1234"
START_TIMEOUT_S = 20.0
"""On an idle machine; every wait is scaled to the machine (``tests.waiting``)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running ``qconsole serve`` and the tokens of its stations."""

    db: Path
    port: int
    tokens: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    log: Path | None = None
    extra: list[str] = field(default_factory=list)
    scheme: str = "http"
    verify: bool | str = True
    now: float = MORNING
    """The moment the server's clock starts at; a restart carries on from where it is."""
    timeline: str = ""
    start_timeout: float = START_TIMEOUT_S
    """How long ``start`` waits for /health on an idle machine (scaled to this one)."""

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None
        cmd = [sys.executable, "-c", "from console.cli.main import run; run()", "serve",
               "--db", str(self.db), "--host", "127.0.0.1", "--port", str(self.port),
               "--grace", "3", *self.extra]  # fmt: skip
        self.log = self.db.with_suffix(".log")
        self.timeline = self.timeline or shared_moment(self.now)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TZ": "Asia/Shanghai",
               NOW_ENV: self.timeline}  # fmt: skip
        env.pop("QCONSOLE_TOKEN", None)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, env=env,
                                         cwd=Path(__file__).resolve().parents[2])  # fmt: skip
        deadline = Deadline(self.start_timeout)
        while not deadline.expired:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                verify = (ssl.create_default_context(cafile=self.verify)
                          if isinstance(self.verify, str) else self.verify)  # fmt: skip
                health = httpx.get(self.url + "/health", timeout=scaled(0.5), verify=verify)
                if health.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            deadline.pause()
        self.stop()
        raise RuntimeError(deadline.explain(f"the server at {self.url} did not answer /health"))

    def kill(self) -> None:
        """SIGKILL: no cleanup at all, like a power cut of the process."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(scaled(10))

    def stop(self) -> int | None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(scaled(10))
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode if self.proc else None


def build_hall(db: Path, clerks: int = 4, counters: int = 3) -> None:
    """Two services, ``counters`` counters serving both, clerks 1001…, a manager 9001."""
    hall = LocalHall(db, create=True)
    try:
        hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID card", prefix="A",
                         handling_min=5, materials=["户口簿"])  # fmt: skip
        hall.add_service(ADMIN, code="PP", name_zh="护照", name_en="Passport", prefix="B")
        for n in range(1, counters + 1):
            hall.add_counter(ADMIN, number=n, services=["ID", "PP"])
        for i in range(1, clerks + 1):
            hall.add_clerk(ADMIN, staff_no=str(1000 + i), name=f"clerk {i}", pin=PIN)
        hall.add_clerk(ADMIN, staff_no="9001", name="manager", role="manager", pin=PIN)
    finally:
        hall.close()


def register(db: Path, name: str, admin: bool = False) -> str:
    hall = LocalHall(db)
    try:
        _, token = add_station(hall.engine, ADMIN, name, "admin" if admin else "station")
    finally:
        hall.close()
    return token


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server per test module: a small hall, an admin station and two desk stations."""
    db = tmp_path_factory.mktemp("hall") / "hall.db"
    build_hall(db)
    # the tests' file printers live under pytest's temporary directory
    srv = Server(db, free_port(), extra=["--printer-dir", str(tmp_path_factory.getbasetemp())])
    for name, admin in (("admin-pc", True), ("desk-1", False), ("desk-2", False),
                        ("desk-3", False)):  # fmt: skip
        srv.tokens[name] = register(db, name, admin)
    srv.start()
    yield srv
    srv.stop()


def public_code(db: Path, number: str) -> str:
    """The public code of today's ticket ``number``: what its QR carries."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT public_code FROM tickets WHERE number = ? ORDER BY id DESC", (number,)
        ).fetchone()[0]


@pytest.fixture(scope="module")
def public_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A hall of five counters for the citizens' pages, its public address set to itself,
    an admin station and a desk station; no request limit in the way of the tests."""
    db = tmp_path_factory.mktemp("public") / "hall.db"
    build_hall(db, clerks=5, counters=5)
    srv = Server(db, free_port())
    hall = LocalHall(db)
    try:
        hall.set_setting(ADMIN, "public_url", srv.url)
        hall.set_setting(ADMIN, "public_rate_per_min", 100_000)
    finally:
        hall.close()
    for name, admin in (("admin-pc", True), ("desk-5", False)):
        srv.tokens[name] = register(db, name, admin)
    srv.start()
    yield srv
    srv.stop()
