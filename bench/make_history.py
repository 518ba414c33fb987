"""Fill a hall database with years of finished tickets, fast, for the benchmarks.

Writes straight into the tables with ``executemany`` (one transaction per batch)
rather than through the engine: this is bench setup, not the thing measured.
Each ticket gets the three events a served ticket has (issued, called,
finished), so the event log is as long as a real one.

    uv run python bench/make_history.py /tmp/history.db --tickets 5000000
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.local import LocalHall

BATCH = 20_000


def ensure_hall(path: Path) -> LocalHall:
    from console.domain import Actor

    hall = LocalHall(path, create=True)
    admin = Actor(staff_no="cli", role="admin", station="bench")
    if not hall.list_services():
        hall.add_service(admin, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
        hall.add_service(admin, code="PP", name_zh="护照", name_en="Passport", prefix="B")
    return hall


def fill(path: Path, tickets: int, per_day: int = 20_000, seed: int = 1) -> float:
    """Add ``tickets`` finished tickets on the days before today; returns seconds taken."""
    hall = ensure_hall(path)
    conn = hall.engine.conn
    rng = random.Random(seed)
    started = time.perf_counter()
    days = max(1, -(-tickets // per_day))
    first = date.today() - timedelta(days=days + 1)
    ticket_id = conn.execute("SELECT coalesce(max(id), 0) FROM tickets").fetchone()[0]
    services = [(1, "A"), (2, "B")]
    made = 0
    while made < tickets:
        trows, erows = [], []
        for _ in range(min(BATCH, tickets - made)):
            day_index, seq = divmod(made, per_day)
            day = first + timedelta(days=day_index)
            service_id, prefix = services[seq % 2]
            seq = seq // 2 + 1
            issued = time.mktime(day.timetuple()) + 8.5 * 3600 + seq * 1.2
            called = issued + rng.uniform(60, 2400)
            served = called + 30
            finished = served + rng.uniform(120, 900)
            ticket_id += 1
            number = f"{prefix}{seq:03d}"
            trows.append(
                (
                    ticket_id,
                    day.isoformat(),
                    prefix,
                    seq,
                    number,
                    service_id,
                    "done",
                    issued,
                    issued,
                    1 + seq % 16,
                    f"{1000 + seq % 16}",
                    called,
                    served,
                    finished,
                    "done",
                    rng.choice([None, 3, 4, 5, 5]),
                )
            )
            erows.append((issued, "issued", ticket_id, None, "reception", "{}"))
            erows.append((called, "called", ticket_id, 1 + seq % 16, "clerk", "{}"))
            erows.append((finished, "finished", ticket_id, 1 + seq % 16, "clerk", "{}"))
            made += 1
        with conn:
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO tickets (id, day, prefix, seq, number, service_id, status,"
                " issued_at, queued_at, counter_number, clerk_staff_no, called_at, served_at,"
                " finished_at, outcome, rating) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                trows,
            )
            conn.executemany(
                "INSERT INTO events (at, kind, ticket_id, counter_number, actor, changes)"
                " VALUES (?,?,?,?,?,?)",
                erows,
            )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    hall.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--tickets", type=int, default=5_000_000)
    parser.add_argument("--per-day", type=int, default=20_000)
    args = parser.parse_args()
    seconds = fill(args.db, args.tickets, args.per_day)
    print(json.dumps({"db": str(args.db), "tickets": args.tickets, "seconds": round(seconds, 1)}))


if __name__ == "__main__":
    main()
