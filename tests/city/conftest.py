"""Several hall servers and one city process, each a real process on loopback.

Each hall has two ended days and a morning of tickets (served, rated, some in the night
session the evening before), a city token, and its server on a free port; the city
process follows them all from its own database. Every clock starts at the tests' moment
(``QCONSOLE_NOW``), so the real date never matters.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.engine import FixedClock
from console.engine.clock import NOW_ENV
from console.local import LocalHall
from console.reports.dates import DayRange
from console.reports.db import open_readonly
from console.reports.report import compute
from console.server.auth import add_station
from tests.conftest import MORNING, TZ, shared_moment
from tests.server.conftest import ADMIN, PIN, Server, build_hall, free_port
from tests.waiting import Deadline, scaled, wait_until

DAY_S = 86400.0
DAYS = ("2026-11-24", "2026-11-25")
TODAY = "2026-11-26"


def a_day(db: Path, start: float, tickets: int, night: bool, rate: int) -> None:
    """``tickets`` issued from ``start`` (a morning), most served and rated; one more in the
    evening session when ``night``."""
    clock = FixedClock(start, TZ)
    hall = LocalHall(db, clock=clock)
    try:
        clerks = [hall.login(f"100{n}", PIN, "") for n in (1, 2)]
        for n, clerk in enumerate(clerks, 1):
            hall.open_counter(clerk, n)
        for i in range(tickets):
            hall.issue(ADMIN, "ID" if i % 3 else "PP", green_note=f"citizen {i} 13800138000")
            clock.t += 120
        for i in range(tickets - 1):
            counter = i % 2 + 1
            clerk = clerks[counter - 1]
            clock.t += 60 * (i + 1)
            hall.call_next(clerk, counter)
            hall.serve(clerk, counter)
            clock.t += 240
            hall.finish(clerk, counter, rating=(rate + i) % 5 + 1, note="private note")
        if night:
            clock.t = start + 10 * 3600  # 18:30
            hall.issue(ADMIN, "ID")
            hall.call_next(clerks[0], 1)
            hall.serve(clerks[0], 1)
            clock.t += 300
            hall.finish(clerks[0], 1, rating=5)
    finally:
        hall.close()


def make_hall(folder: Path, n: int) -> tuple[Path, str]:
    """A hall with two ended days and today's morning; returns its file and city token."""
    db = folder / f"hall{n}.db"
    build_hall(db)
    hall = LocalHall(db, clock=FixedClock(MORNING - 3 * DAY_S, TZ))
    try:
        token = add_station(hall.engine, ADMIN, "city", "city")[1]
        hall.add_session(ADMIN, name="day", opens="08:00", closes="17:00")
        hall.add_session(ADMIN, name="evening", opens="18:00", closes="21:00")
    finally:
        hall.close()
    eight = MORNING - 5400  # 08:00
    a_day(db, eight - 2 * DAY_S, 4 + n, night=True, rate=n)
    a_day(db, eight - DAY_S, 6 + 2 * n, night=n % 2 == 0, rate=n + 1)
    a_day(db, eight, 3 + n, night=False, rate=n + 2)
    return db, token


@dataclass
class City:
    """A running ``qconsole city serve`` over its halls."""

    folder: Path
    halls: dict[str, Server]
    tokens: dict[str, str]
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db(self) -> Path:
        return self.folder / "city.db"

    def write_toml(self) -> Path:
        path = self.folder / "city.toml"
        lines = ['name = "测试市 Test City"', ""]
        for i, (key, srv) in enumerate(self.halls.items()):
            lines += ["[[hall]]", f'key = "{key}"', f'name = "Hall {key}"', f'url = "{srv.url}"',
                      f'token = "{self.tokens[key]}"', f'district = "District {i}"',
                      f'address = "{i} Main Road"', f"lat = {22.5 + i / 10}",
                      "lon = 113.9", ""]  # fmt: skip
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    def start(self) -> None:
        cmd = [sys.executable, "-c", "from console.cli.main import run; run()", "city", "serve",
               "--halls", str(self.write_toml()), "--db", str(self.db),
               "--listen", f"127.0.0.1:{self.port}"]  # fmt: skip
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TZ": "Asia/Shanghai",
               NOW_ENV: next(iter(self.halls.values())).timeline}  # fmt: skip
        log = open(self.folder / "city.log", "ab")  # noqa: SIM115 - the process keeps it
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, env=env,
                                     cwd=Path(__file__).resolve().parents[2])  # fmt: skip
        deadline = Deadline(30)
        while not deadline.expired:
            if self.proc.poll() is not None:
                raise RuntimeError((self.folder / "city.log").read_text()[-2000:])
            try:
                if httpx.get(self.url + "/health", timeout=scaled(0.5)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            deadline.pause()
        raise RuntimeError(deadline.explain("the city process did not answer /health"))

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(scaled(15))
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def get(self, path: str, **params: Any) -> Any:
        r = httpx.get(self.url + path, params=params, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()

    def hall_now(self, key: str) -> dict[str, Any]:
        return self.get(f"/city/api/v1/halls/{key}")


def until(check: Callable[[], Any], timeout: float = 60.0, what: str = "") -> Any:
    """Poll ``check`` until it returns something true (the city catches up on its own)."""
    return wait_until(check, timeout, what)


def hall_report(db: Path, first: str, last: str | None = None) -> dict[str, Any]:
    conn = open_readonly(db)
    try:
        return compute(conn, DayRange(first, last or first))
    finally:
        conn.close()


@pytest.fixture(scope="package")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    folder = tmp_path_factory.mktemp("city")
    timeline = shared_moment(MORNING + 1800)  # 10:00, every process on one timeline
    halls, tokens = {}, {}
    for n, key in enumerate(("north", "south", "west"), 1):
        db, tokens[key] = make_hall(folder, n)
        halls[key] = Server(db, free_port(), timeline=timeline, start_timeout=90)
        halls[key].start()
    town = City(folder, halls, tokens)
    try:
        town.start()
        yield town
    finally:
        town.stop()
        for srv in halls.values():
            srv.stop()
