"""What remembering command keys costs a keyed write: the check (scope, key, fingerprint),
the record, and pruning keys older than a day on every keyed write.

Runs ``tickets issue`` with a fresh key, in process, on three halls built in the same
run: an empty ``commands`` table (the baseline), one holding KEYS keys from the last day
(kept: a retry may still come), and one holding KEYS keys older than a day (each keyed
write prunes a batch of them until none is left; the first write's time is shown alone).
Prints p50/p99 per call and the ratios to the baseline.

    uv run python bench/command_keys.py --keys 500000 --calls 2000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from console.domain import Actor
from console.engine import FixedClock
from console.engine.commands import KEEP_S, PRUNE_BATCH
from console.local import LocalHall

ADMIN = Actor(staff_no="cli", role="admin", station="bench", name="bench")


def hall_with_keys(db: Path, keys: int, age_s: float, now: float) -> LocalHall:
    hall = LocalHall(db, clock=FixedClock(now), create=True)
    hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
    conn = hall.engine.conn
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO commands (scope, key, op, fingerprint, result, at) VALUES (?,?,?,?,?,?)",
        ((f"st{i % 50}/c", uuid.uuid4().hex, "issue", "f" * 64, "{}", now - age_s + i * 1e-6)
         for i in range(keys)),
    )  # fmt: skip
    conn.execute("COMMIT")
    return hall


def timed_issues(hall: LocalHall, calls: int) -> list[float]:
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        hall.issue(ADMIN, "ID", key=uuid.uuid4().hex)
        times.append(time.perf_counter() - started)
        hall.clock.advance(0.01)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=500_000)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    now = time.time()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, keys, age in (("empty", 0, 0.0), ("recent", args.keys, KEEP_S / 2),
                                ("stale", args.keys, KEEP_S * 2)):  # fmt: skip
            hall = hall_with_keys(Path(tmp) / f"{name}.db", keys, age, now)
            first = None
            if name == "stale":
                started = time.perf_counter()
                hall.issue(ADMIN, "ID", key=uuid.uuid4().hex)
                first = time.perf_counter() - started
            times = sorted(timed_issues(hall, args.calls))
            left = hall.engine.conn.execute("SELECT count(*) FROM commands").fetchone()[0]
            hall.close()
            rows[name] = (statistics.median(times), times[int(len(times) * 0.99) - 1], first, left)
    base = rows["empty"][0]
    print("| commands table | p50 | p99 | p50 ÷ empty | first write | keys after |")
    print("|---|---|---|---|---|---|")
    for name, (p50, p99, first, left) in rows.items():
        once = f"{first * 1000:.1f} ms (prunes {PRUNE_BATCH})" if first else "–"
        print(f"| {name} | {p50 * 1000:.2f} ms | {p99 * 1000:.2f} ms | {p50 / base:.2f}× "
              f"| {once} | {left:,} |")  # fmt: skip


if __name__ == "__main__":
    main()
