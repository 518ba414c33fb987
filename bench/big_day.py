"""The screens' reads at the end of a big hall's day against a 30-ticket day, in one run.

Two halls of the same shape (``bench/floor.py``'s big hall: 60 counters, 40 services,
most counters open and busy) as of the same afternoon: one has 25,000 tickets finished
today, the other 30, spread alike over the six hours since opening and the 60 counters
(the hours and counters with figures are the same; only the tickets differ); both have
30 waiting. Then the same rounds on both, interleaved
hall by hall so that whatever else the machine does falls on both alike. A round: a
ticket is issued and one counter acts (calls, starts serving or finishes); then the
counter view of another counter, the hall view, the floor figures and the reception's
estimate for the newest waiting ticket are timed, each on the engine in-process.

Reported: p50 (p95) per view and the big day's p50 ÷ the small day's, in wall-clock and
in this process's CPU time.

    uv run python bench/big_day.py [--today 25000] [--rounds 200] [--warmup 20]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.floor import ADMIN, TZ, build_big_hall, one_change
from console.domain.errors import Refused
from console.engine import FixedClock, estimate
from console.local import LocalHall

VIEWS = ("counter view", "hall view", "floor figures", "estimate")
WAITING = 30


class Day:
    """One hall under test on its own pinned clock, and its timings."""

    def __init__(self, path: Path, finished: int, seed: int):
        start = datetime(2026, 11, 26, 15, 0, tzinfo=TZ).timestamp()
        self.clock = FixedClock(start, TZ)
        build_big_hall(path, self.clock, waiting=WAITING, finished=finished).close()
        self.hall = LocalHall(path, clock=self.clock)
        self.rng = random.Random(seed)
        self.services = [s.code for s in self.hall.list_services()]
        self.open = [c.number for c in self.hall.list_counters() if c.state == "open"]
        self.today = self.hall.engine.conn.execute(
            "SELECT count(*) FROM tickets WHERE day = ?", (self.clock.day(),)
        ).fetchone()[0]
        self.wall: dict[str, list[float]] = {v: [] for v in VIEWS}
        self.cpu: dict[str, list[float]] = {v: [] for v in VIEWS}

    def timed(self, view: str, fn: Callable[[], object], record: bool) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        if record:
            self.wall[view].append(time.perf_counter() - started)
            self.cpu[view].append(time.process_time() - cpu)

    def round(self, record: bool) -> None:
        hall = self.hall
        self.clock.advance(5)
        hall.issue(ADMIN, self.rng.choice(self.services))
        with contextlib.suppress(Refused):  # nothing waiting for that counter
            one_change(hall, self.rng.choice(self.open))
        desk = self.rng.choice(self.open)
        self.timed("counter view", lambda: hall.counter_view(desk), record)
        self.timed("hall view", hall.hall_view, record)
        self.timed("floor figures", hall.floor_figures, record)
        self.timed("estimate", self.estimate, record)

    def estimate(self) -> estimate.Estimate:
        """The reception's wait estimate for the newest waiting ticket, as ``issue`` makes it."""
        with self.hall._lock:
            conn = self.hall.engine.conn
            row = conn.execute(
                "SELECT * FROM tickets WHERE status = 'waiting' ORDER BY id DESC LIMIT 1"
            ).fetchone()
            return estimate.estimate(conn, row, self.clock.now(), self.hall.engine.settings())


def ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=int, default=25_000, help="tickets finished today")
    parser.add_argument("--small", type=int, default=30, help="the small day's finished tickets")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        days = {
            "small": Day(Path(tmp) / "small.db", args.small, seed=1),
            "big": Day(Path(tmp) / "big.db", args.today, seed=1),
        }
        for i in range(args.warmup + args.rounds):
            for day in days.values():
                day.round(record=i >= args.warmup)
        for day in days.values():
            day.hall.close()
    small, big = days["small"], days["big"]
    after = os.getloadavg()[0]
    print(f"tickets today: {small.today:,} and {big.today:,}; {args.rounds} rounds after "
          f"{args.warmup}; load average {load:.1f} before, {after:.1f} after\n")  # fmt: skip
    print(f"| view | {small.today:,} today p50 (p95) | {big.today:,} today p50 (p95) | ÷ |"
          " CPU p50 ÷ |\n|---|---|---|---|---|")  # fmt: skip
    figures = {}
    for view in VIEWS:
        a, b = statistics.median(small.wall[view]), statistics.median(big.wall[view])
        ca, cb = statistics.median(small.cpu[view]), statistics.median(big.cpu[view])
        figures[view] = {"small_ms": round(a * 1000, 3), "big_ms": round(b * 1000, 3),
                         "ratio": round(b / a, 2), "cpu_ratio": round(cb / ca, 2)}  # fmt: skip
        print(f"| {view} | {a * 1000:.2f} ms ({ms(small.wall[view], 0.95):.2f}) | "
              f"{b * 1000:.2f} ms ({ms(big.wall[view], 0.95):.2f}) | {b / a:.2f}× | "
              f"{cb / ca:.2f}× |")  # fmt: skip
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
