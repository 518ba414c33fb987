"""Call-next latency and throughput: the engine beside a raw sqlite3 baseline, same run.

For 1, 4 and 16 processes (one counter each), every process repeatedly calls
the next ticket and finishes it; only the call is timed. The engine path is
``LocalHall.call_next`` with an idempotency key, as a screen sends it. The
baseline is the least a correct call can cost on this machine: one
``BEGIN IMMEDIATE; UPDATE … RETURNING; COMMIT`` on a connection with the same
pragmas (WAL, synchronous=FULL). Both run on an empty hall and on one holding
years of history (``bench/make_history.py``).

    uv run python bench/call_next.py                   # 5 million historical tickets
    uv run python bench/call_next.py --history 200000  # a quicker look
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.make_history import ensure_hall, fill
from console.domain import Actor
from console.local import LocalHall
from console.store import connect

COUNTERS = 16
ADMIN = Actor(staff_no="cli", role="admin", station="bench")

RAW_CALL = """
UPDATE tickets SET status = 'called', counter_number = :counter, called_at = :now
WHERE id = (SELECT id FROM tickets WHERE status = 'waiting' AND day = :day
            ORDER BY queued_at, id LIMIT 1)
RETURNING id
"""
RAW_FINISH = """
UPDATE tickets SET status = 'done', finished_at = :now, served_at = :now
WHERE counter_number = :counter AND status IN ('called', 'serving')
"""


def prepare(path: Path) -> None:
    hall = ensure_hall(path)
    existing = {c.number for c in hall.list_counters()}
    for n in range(1, COUNTERS + 1):
        if n not in existing:
            hall.add_counter(ADMIN, number=n, services=["ID", "PP"])
            hall.add_clerk(ADMIN, staff_no=f"c{n:02d}", name=f"clerk {n}", pin="1234")
        hall.open_counter(Actor(staff_no=f"c{n:02d}", role="clerk", station="bench"), n)
    hall.close()


def add_waiting(path: Path, count: int) -> None:
    """``count`` waiting tickets today, inserted directly (setup, not measured)."""
    hall = LocalHall(path)
    conn, clock = hall.engine.conn, hall.engine.clock
    day, now = clock.day(), clock.now()
    conn.execute("BEGIN IMMEDIATE")
    seq = conn.execute(
        "SELECT coalesce(max(seq), 0) FROM tickets WHERE day = ? AND prefix = 'A'", (day,)
    ).fetchone()[0]
    conn.executemany(
        "INSERT INTO tickets (day, prefix, seq, number, service_id, status, issued_at, queued_at)"
        " VALUES (?, 'A', ?, ?, 1, 'waiting', ?, ?)",
        [
            (day, seq + i, f"A{seq + i:03d}", now + i * 1e-3, now + i * 1e-3)
            for i in range(1, count + 1)
        ],
    )
    conn.execute("COMMIT")
    hall.close()


def clear_desks(path: Path) -> None:
    conn = connect(path)
    conn.execute(
        "UPDATE tickets SET status = 'done' WHERE status IN ('called', 'serving', 'waiting')"
    )
    conn.close()


def engine_worker(path: str, counter: int, calls: int, start: float, out: str) -> None:
    hall = LocalHall(path)
    actor = Actor(staff_no=f"c{counter:02d}", role="clerk", station=f"bench-{counter}")
    times = []
    while time.time() < start:
        time.sleep(0.001)
    for _ in range(calls):
        t0 = time.perf_counter()
        hall.call_next(actor, counter, key=str(uuid.uuid4()))
        times.append(time.perf_counter() - t0)
        hall.finish(actor, counter)
    Path(out).write_text(json.dumps({"times": times, "end": time.time()}))


def begin(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE with SQLite's own busy handler, tried again if its 10 s run out
    (with 16 processes on 2 cores its backoff can starve one process that long)."""
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise


def raw_worker(path: str, counter: int, calls: int, start: float, out: str) -> None:
    conn = connect(path)
    times = []
    day = time.strftime("%Y-%m-%d")
    while time.time() < start:
        time.sleep(0.001)
    for _ in range(calls):
        t0 = time.perf_counter()
        begin(conn)
        row = conn.execute(
            RAW_CALL, {"counter": counter, "now": time.time(), "day": day}
        ).fetchone()
        conn.execute("COMMIT")
        times.append(time.perf_counter() - t0)
        assert row is not None
        begin(conn)
        conn.execute(RAW_FINISH, {"counter": counter, "now": time.time()})
        conn.execute("COMMIT")
    Path(out).write_text(json.dumps({"times": times, "end": time.time()}))


def run(path: Path, mode: str, processes: int, calls: int, tmp: Path) -> dict:
    clear_desks(path)
    add_waiting(path, processes * calls)
    worker = engine_worker if mode == "engine" else raw_worker
    ctx = mp.get_context("spawn")
    start = time.time() + 1.5  # every process is up before the clock starts
    outs = [tmp / f"{mode}-{processes}-{n}.json" for n in range(processes)]
    procs = [
        ctx.Process(target=worker, args=(str(path), n + 1, calls, start, str(out)))
        for n, out in enumerate(outs)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        if p.exitcode:
            raise SystemExit(f"{mode} worker failed")
    results = [json.loads(o.read_text()) for o in outs]
    times = sorted(t for r in results for t in r["times"])
    wall = max(r["end"] for r in results) - start
    return {
        "mode": mode,
        "processes": processes,
        "calls": len(times),
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": times[int(0.99 * (len(times) - 1))] * 1000,
        "calls_per_s": len(times) / wall,
    }


def measure(path: Path, calls_total: int, tmp: Path) -> list[dict]:
    rows = []
    for processes in (1, 4, 16):
        calls = max(20, calls_total // processes)
        for mode in ("raw", "engine"):
            rows.append(run(path, mode, processes, calls, tmp))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=5_000_000, help="historical tickets")
    parser.add_argument("--calls", type=int, default=600, help="calls per configuration")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the databases")
    parser.add_argument("--reuse", action="store_true", help="keep an existing history.db")
    args = parser.parse_args()
    tmp = Path(args.dir or tempfile.mkdtemp(prefix="qconsole-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    empty, history = tmp / "empty.db", tmp / "history.db"
    reuse = args.reuse and history.exists()
    for db in (empty,) if reuse else (empty, history):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    prepare(empty)
    if reuse:
        print(f"reusing {history}", flush=True)
    else:
        print(f"generating {args.history:,} historical tickets …", flush=True)
        seconds = fill(history, args.history)
        print(f"  done in {seconds:.0f} s", flush=True)
    prepare(history)
    conn = connect(history)
    stored = conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
    conn.close()
    print(f"history database: {stored:,} tickets", flush=True)

    table = {}
    for label, db in (("empty", empty), ("history", history)):
        for row in measure(db, args.calls, tmp):
            table[(label, row["mode"], row["processes"])] = row

    print(f"\ncall-next, {args.calls} calls per configuration, history = {args.history:,} tickets")
    columns = [
        "hall",
        "processes",
        "raw p50",
        "engine p50",
        "ratio",
        "raw p99",
        "engine p99",
        "raw calls/s",
        "engine calls/s",
    ]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * 9)
    for label in ("empty", "history"):
        for processes in (1, 4, 16):
            raw, eng = table[(label, "raw", processes)], table[(label, "engine", processes)]
            print(
                f"| {label} | {processes} | {raw['p50_ms']:.2f} ms | {eng['p50_ms']:.2f} ms | "
                f"{eng['p50_ms'] / raw['p50_ms']:.2f}× | {raw['p99_ms']:.2f} ms | "
                f"{eng['p99_ms']:.2f} ms | {raw['calls_per_s']:.0f} | {eng['calls_per_s']:.0f} |"
            )
    print("\nhistory ÷ empty, engine p50:")
    for processes in (1, 4, 16):
        a = table[("history", "engine", processes)]["p50_ms"]
        b = table[("empty", "engine", processes)]["p50_ms"]
        print(f"  {processes:>2} processes: {a / b:.2f}")


if __name__ == "__main__":
    main()
