"""Every operation of a hall day, timed on an empty hall and on halls with years of history.

Each hall is built through the engine's own schema: an empty one, and ones holding
N finished tickets with their events (``bench/make_history.py``, rows exactly as
the engine writes them). Every hall gets the same four counters and clerks and a
queue of 30 waiting tickets, then runs the same rounds through ``LocalHall``,
interleaved hall by hall so that whatever else the machine is doing falls on all of
them alike. A round: issue two tickets; counter 1 calls, serves and transfers one to
counter 2, which calls, serves and finishes it; counter 1 calls, serves and finishes
the other; the desk, hall and floor views refresh; the reception's wait estimate;
the day's report and the day's exports (tickets and events, CSV). Each hall works on
the day after its history, on a pinned clock that moves a few seconds per step.

Reported: p50 (and p95) per operation and each history hall's p50 ÷ the empty hall's, in
wall-clock time and in this process's CPU time (which leaves out waiting for a core on a
shared machine, and waiting for the disk).

    uv run python bench/history.py --dir /tmp/bench-history --sizes 0,1000000,5000000
    uv run python bench/history.py --dir /tmp/bench-history --reuse   # halls already built
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.make_history import ensure_hall, fill
from console.domain import Actor
from console.engine import FixedClock, estimate
from console.local import LocalHall
from console.reports.dates import DayRange
from console.reports.db import open_readonly
from console.reports.export import ExportSpec, export
from console.reports.report import compute

ADMIN = Actor(staff_no="cli", role="admin", station="bench")
COUNTERS = 4
QUEUE = 30
OPS = ("issue", "call next", "serve", "finish", "transfer", "counter view", "hall view",
       "floor figures", "estimate", "day's report", "day's export (tickets)",
       "day's export (events)")  # fmt: skip


def clerk(n: int) -> Actor:
    return Actor(staff_no=f"c{n:02d}", role="clerk", station=f"desk-{n}")


class Bench:
    """One hall under test: its LocalHall on a pinned clock, a reader, and its timings."""

    def __init__(self, path: Path, out: Path):
        setup = ensure_hall(path)
        existing = {c.number for c in setup.list_counters()}
        for n in range(1, COUNTERS + 1):
            if n not in existing:
                setup.add_counter(ADMIN, number=n, services=["ID", "PP"])
                setup.add_clerk(ADMIN, staff_no=f"c{n:02d}", name=f"clerk {n}", pin="1234")
        last = setup.engine.conn.execute("SELECT max(day) FROM tickets").fetchone()[0]
        setup.close()
        day = max(date.today(), date.fromisoformat(last) + timedelta(days=1) if last else date.min)
        self.day = day.isoformat()
        self.clock = FixedClock(datetime.combine(day, datetime.min.time()).timestamp() + 9 * 3600)
        self.hall = LocalHall(path, clock=self.clock)
        self.path, self.out = path, out
        self.times: dict[str, list[float]] = {op: [] for op in OPS}
        self.cpu: dict[str, list[float]] = {op: [] for op in OPS}
        for n in range(1, COUNTERS + 1):
            self.hall.open_counter(clerk(n), n)
        for _ in range(QUEUE):  # also the first write of the day: it sweeps earlier days
            self.hall.issue(ADMIN, "ID")
            self.clock.advance(1)

    def timed(self, op: str, fn: Callable[[], object], record: bool) -> object:
        self.clock.advance(2)
        started, cpu = time.perf_counter(), time.process_time()
        result = fn()
        if record:
            self.times[op].append(time.perf_counter() - started)
            self.cpu[op].append(time.process_time() - cpu)
        return result

    def round(self, record: bool = True) -> None:
        hall, t = self.hall, self.timed
        one, two = clerk(1), clerk(2)
        for _ in range(2):
            t("issue", lambda: hall.issue(ADMIN, "ID", key=uuid.uuid4().hex), record)
        moving = t("call next", lambda: hall.call_next(one, 1, key=uuid.uuid4().hex), record)
        t("serve", lambda: hall.serve(one, 1, key=uuid.uuid4().hex), record)
        t("transfer", lambda: hall.transfer(one, moving.number, to_counter=2,
                                            key=uuid.uuid4().hex), record)  # fmt: skip
        for counter, who in ((2, two), (1, one)):
            t("call next", partial(hall.call_next, who, counter, key=uuid.uuid4().hex), record)
            t("serve", partial(hall.serve, who, counter, key=uuid.uuid4().hex), record)
            t("finish", partial(hall.finish, who, counter, rating=5, key=uuid.uuid4().hex), record)
        t("counter view", lambda: hall.counter_view(1), record)
        t("hall view", lambda: hall.hall_view(), record)
        t("floor figures", lambda: hall.floor_figures(), record)
        t("estimate", self.estimate, record)
        days = DayRange(self.day, self.day)
        reader = open_readonly(self.path)
        try:
            t("day's report", lambda: compute(reader, days), record)
            for what in ("tickets", "events"):
                spec = ExportSpec(what, days, "csv")
                t(f"day's export ({what})", partial(export, reader, spec, str(self.out)), record)
        finally:
            reader.close()

    def estimate(self) -> estimate.Estimate:
        """The reception's wait estimate for the newest waiting ticket, as ``issue`` makes it."""
        with self.hall._lock:
            conn = self.hall.engine.conn
            row = conn.execute(
                "SELECT * FROM tickets WHERE status = 'waiting' ORDER BY id DESC LIMIT 1"
            ).fetchone()
            settings = self.hall.engine.settings()
            return estimate.estimate(conn, row, self.clock.now(), settings)

    def p(self, op: str, q: float) -> float:
        xs = sorted(self.times[op])
        return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000

    def p50(self, op: str) -> float:
        return statistics.median(self.times[op]) * 1000

    def cpu50(self, op: str) -> float:
        return statistics.median(self.cpu[op]) * 1000


def build(directory: Path, size: int, reuse: bool) -> Path:
    path = directory / f"hall-{size}.db"
    if size and reuse and path.exists():
        print(f"reusing {path}", flush=True)
        return path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if size:
        print(f"building {path}: {size:,} finished tickets …", flush=True)
        seconds = fill(path, size)
        print(f"  {seconds:.0f} s, {path.stat().st_size / 2**30:.2f} GiB", flush=True)
    return path


def table(benches: dict[int, Bench]) -> str:
    """Wall-clock p50 (p95) and the ratio to the first hall; then the same for CPU time."""
    sizes = list(benches)
    base = benches[sizes[0]]
    head = ["operation"]
    for kind in ("wall", "CPU"):
        for s in sizes:
            head.append(f"{s:,} {kind} p50" + (" (p95)" if kind == "wall" else ""))
            if s != sizes[0]:
                head.append(f"÷ {sizes[0]:,}")
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for op in OPS:
        cells = [op]
        for kind in ("wall", "CPU"):
            p50 = Bench.p50 if kind == "wall" else Bench.cpu50
            for s in sizes:
                b = benches[s]
                cells.append(f"{p50(b, op):.2f} ms" + (f" ({b.p(op, 0.95):.2f})"
                                                      if kind == "wall" else ""))  # fmt: skip
                if s != sizes[0]:
                    cells.append(f"{p50(b, op) / p50(base, op):.2f}×")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="where the halls are kept")
    parser.add_argument("--sizes", default="0,1000000,5000000", help="finished tickets per hall")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep halls already built")
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="qconsole-history-"))
    directory.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    paths = {size: build(directory, size, args.reuse) for size in sizes}
    out = Path(tempfile.mkdtemp(prefix="qconsole-history-out-"))
    benches = {size: Bench(paths[size], out) for size in sizes}
    for bench in benches.values():
        stored = bench.hall.engine.conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
        print(f"{bench.path.name}: {stored:,} tickets, working on {bench.day}", flush=True)
    for i in range(args.warmup + args.rounds):
        for bench in benches.values():
            bench.round(record=i >= args.warmup)
    for bench in benches.values():
        bench.hall.close()
    print(f"\n{args.rounds} rounds after {args.warmup} warm-up rounds; p50 and p95 in ms\n")
    print(table(benches))
    print(json.dumps({op: {s: [round(b.p50(op), 3), round(b.cpu50(op), 3)]
                           for s, b in benches.items()} for op in OPS}))  # fmt: skip


if __name__ == "__main__":
    main()
