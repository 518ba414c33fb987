"""Fixtures shared by every test: a hall on a temporary file with its clock pinned.

One clock for a test, whichever process reads it: the ``clock`` fixture is a
:class:`SharedClock` that keeps ``QCONSOLE_NOW`` (and ``TZ``) in this process's
environment at its own moment, so a CLI run in-process, a CLI or server
subprocess and a worker started with ``multiprocessing`` all see the test's
date and hour, never the real ones. The suite passes on any date and at any
hour; CI proves it by running it under libfaketime at awkward moments.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from console.domain import Actor
from console.engine import FixedClock
from console.engine.clock import NOW_ENV
from console.local import LocalHall

TZ = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 11, 26, 9, 30, tzinfo=TZ).timestamp()
"""Thursday 2026-11-26 09:30 in Beijing: inside the demo's day session."""

ADMIN = Actor(staff_no="cli", role="admin", station="test-shell", name="test admin")


@pytest.fixture(autouse=True)
def fast_pin_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters in-process: the suite adds many clerks; production keeps the
    library's defaults (subprocess tests use those)."""
    from argon2 import PasswordHasher

    from console.engine import pins

    monkeypatch.setattr(pins, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def shared_moment(moment: float) -> str:
    """``QCONSOLE_NOW`` for ``moment``, anchored to the real clock now: processes started
    later carry on from it, so time never runs backwards from one process to the next."""
    return f"{moment!r}@{time.time()!r}"


class SharedClock(FixedClock):
    """A fixed clock whose moment every process the test starts shares (via ``QCONSOLE_NOW``)."""

    @property
    def t(self) -> float:
        return self._t

    @t.setter
    def t(self, value: float) -> None:
        self._t = value
        os.environ[NOW_ENV] = shared_moment(value)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[SharedClock]:
    """The test's clock: Thursday 2026-11-26 09:30 in Beijing, shared with subprocesses."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    monkeypatch.setenv(NOW_ENV, shared_moment(MORNING))
    time.tzset()
    yield SharedClock(MORNING, TZ)
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def client_timeouts_scaled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A station's default request and login timeouts stretched to the machine's slowness
    (``tests.waiting``): a server that answers in 6 s on a loaded machine is not a fault."""
    from console import remote
    from tests.waiting import scaled

    defaults = remote.RemoteHall.__init__.__kwdefaults__
    monkeypatch.setitem(defaults, "timeout", scaled(defaults["timeout"]))
    monkeypatch.setattr(remote, "LOGIN_TIMEOUT_S", scaled(remote.LOGIN_TIMEOUT_S))


@pytest.fixture(autouse=True)
def station_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test's stations remember generations and unsure keys in a folder of its own."""
    folder = tmp_path_factory.mktemp("station-state")
    monkeypatch.setenv("QCONSOLE_STATE_DIR", str(folder))
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "hall.db"


@pytest.fixture
def hall(db_path: Path, clock: FixedClock) -> Iterator[LocalHall]:
    """An empty hall database."""
    h = LocalHall(db_path, clock=clock, create=True)
    yield h
    h.close()


@pytest.fixture
def admin() -> Actor:
    return ADMIN


@pytest.fixture
def small_hall(hall: LocalHall) -> LocalHall:
    """Two services, three counters (3 is green-channel, 2 is low-position), three clerks."""
    hall.add_service(
        ADMIN,
        code="ID",
        name_zh="身份证",
        name_en="ID card",
        prefix="A",
        handling_min=5,
        materials=["户口簿", "照片"],
    )
    hall.add_service(
        ADMIN, code="PP", name_zh="护照", name_en="Passport", prefix="B", handling_min=10
    )
    hall.add_counter(ADMIN, number=1, services=["ID", "PP"])
    hall.add_counter(ADMIN, number=2, services=["ID"], low_position=True)
    hall.add_counter(ADMIN, number=3, services=["PP+ID"], green_channel=True)
    for staff_no, role in (
        ("1001", "clerk"),
        ("1002", "clerk"),
        ("1003", "clerk"),
        ("9001", "manager"),
    ):
        hall.add_clerk(ADMIN, staff_no=staff_no, name=f"clerk {staff_no}", role=role, pin="1234")
    return hall


def clerk(staff_no: str, role: str = "clerk") -> Actor:
    """The actor ``login`` would return for a demo-PIN clerk (skips the slow hash)."""
    return Actor(staff_no=staff_no, role=role, station=f"station-{staff_no}")


@pytest.fixture
def demo_hall(db_path: Path, clock: FixedClock) -> Iterator[LocalHall]:
    """The demo hall, built on the pinned clock."""
    from console.demo import build_demo

    h = LocalHall(db_path, clock=clock, create=True)
    build_demo(h.engine)
    yield h
    h.close()


def pytest_report_header() -> str:
    """The run's slowness at its start (every wait reads it again: the load changes)."""
    from tests.waiting import SLOWNESS_ENV, slowness

    source = "set" if os.environ.get(SLOWNESS_ENV) else "from the load per core"
    return f"deadlines × slowness {slowness():.1f} ({SLOWNESS_ENV} {source}; see tests/waiting.py)"
