"""Crash consistency: writers killed with SIGKILL at random moments lose nothing acknowledged."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.local import LocalHall
from tests.conftest import ADMIN, clerk
from tests.reliability.conftest import TRIALS
from tests.reliability.invariants import check_hall
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
STATIONS = 4


def acked(acks: list[Path]) -> int:
    return sum(len(a.read_text().splitlines()) for a in acks if a.exists())


def make_hall(db: Path) -> None:
    hall = LocalHall(db, create=True)
    hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
    hall.add_service(ADMIN, code="PP", name_zh="护照", name_en="Passport", prefix="B")
    for n in range(1, STATIONS + 1):
        hall.add_counter(ADMIN, number=n, services=["ID", "PP"])
        hall.add_clerk(ADMIN, staff_no=f"10{n:02d}", name=f"clerk {n}", pin="1234")
        hall.open_counter(clerk(f"10{n:02d}"), n)
    hall.close()


@pytest.mark.parametrize("trial", range(TRIALS))
def test_sigkill_writers_mid_workload(tmp_path, trial):
    rng = random.Random(trial)
    db = tmp_path / "hall.db"
    make_hall(db)
    acks = [tmp_path / f"acks-{n}.jsonl" for n in range(1, STATIONS + 1)]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reliability.workload",
                str(db),
                str(n),
                str(ack),
                str(trial * 100 + n),
            ],
            cwd=ROOT,
        )
        for n, ack in enumerate(acks, start=1)
    ]
    try:
        # Kill at a random moment once work is under way (a loaded machine starts slowly).
        wait_until(lambda: acked(acks) >= 20, timeout=60, what="20 acknowledged actions")
        time.sleep(rng.uniform(0.0, 1.0))
        victims = rng.sample(procs, rng.randint(1, STATIONS))
        for p in victims:
            p.send_signal(signal.SIGKILL)
        time.sleep(rng.uniform(0.1, 0.4))
    finally:
        for p in procs:
            p.kill()
            p.wait(timeout=30)
    assert acked(acks) >= 20, "no work done"
    assert check_hall(db, acks) == []
    # And the hall works on: a counter whose writer died can call again.
    hall = LocalHall(db)
    hall.issue(ADMIN, "ID")
    current = hall.counter_view(1).current
    if current:
        hall.finish(clerk("1001"), 1)
    assert hall.call_next(clerk("1001"), 1).status == "called"
    hall.close()
