"""Fill a hall database with years of finished tickets, fast, for the benchmarks and tests.

The rows are the ones the engine itself would have written for those days, in
the engine's schema: each ticket with every column set as ``finish`` (or
``no_show``) leaves it, and its events (issued, called, serving, finished; or
issued, called, no_show) with the ``changes`` JSON that ``Core.update_ticket``
records. They are written with ``executemany``, one transaction per day,
rather than through the engine: this is setup, not the thing measured, and
5,000,000 tickets through the engine would take hours.

    uv run python bench/make_history.py /tmp/history.db --tickets 5000000
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.domain import Actor
from console.engine import Clock, FixedClock
from console.engine.core import TICKET_COLUMNS
from console.local import LocalHall

COUNTERS = 16
NO_SHOW_SHARE = 0.05
ADMIN = Actor(staff_no="cli", role="admin", station="bench")


def ensure_hall(path: Path, clock: Clock | None = None) -> LocalHall:
    """A hall with two services (ID, PP); created if the file does not exist yet."""
    hall = LocalHall(path, clock=clock, create=True)
    if not hall.list_services():
        hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
        hall.add_service(ADMIN, code="PP", name_zh="护照", name_en="Passport", prefix="B")
    return hall


def _issued_template() -> str:
    """The ``issued`` event's changes (every column as the insert left it, see ``_issue``),
    as a %-format over (id, day, prefix, seq, number, service_id, issued_at, queued_at)."""
    at_issue = {"status": '"waiting"', "low_position": "0", "recall_count": "0",
                "materials": '"[]"', "transferred": "0", "parked_s": "0"}  # fmt: skip
    variable = {"id": "%d", "day": '"%s"', "prefix": '"%s"', "seq": "%d", "number": '"%s"',
                "service_id": "%d", "issued_at": "%r", "queued_at": "%r"}  # fmt: skip
    values = {c: variable.get(c, at_issue.get(c, "null")) for c in TICKET_COLUMNS}
    return "{" + ", ".join(f'"{c}": {v}' for c, v in values.items()) + "}"


ISSUED = _issued_template()


def _day_rows(
    day: date, count: int, first_id: int, rng: random.Random
) -> tuple[list[tuple], list[tuple]]:
    """One day's finished tickets and their events, in the order the engine would write them."""
    midnight = time.mktime(datetime.combine(day, datetime.min.time()).timetuple())
    day_s = day.isoformat()
    tickets, events = [], []
    seqs = {"A": 0, "B": 0}
    spacing = 9 * 3600 / max(1, count)
    for i in range(count):
        ticket_id = first_id + i
        service_id, prefix = (1, "A") if i % 3 else (2, "B")
        seqs[prefix] += 1
        seq = seqs[prefix]
        number = f"{prefix}{seq:03d}"
        issued = midnight + 8.5 * 3600 + i * spacing
        counter = 1 + rng.randrange(COUNTERS)
        clerk = f"c{counter:02d}"
        desk = f"desk-{counter}"
        called = issued + rng.uniform(60, 2400)
        events.append((issued, "issued", ticket_id, None, "cli", "reception",
                       ISSUED % (ticket_id, day_s, prefix, seq, number, service_id, issued,
                                 issued)))  # fmt: skip
        events.append((called, "called", ticket_id, counter, clerk, desk,
                       f'{{"status": ["waiting", "called"], "counter_number": [null, {counter}],'
                       f' "clerk_staff_no": [null, "{clerk}"],'
                       f' "called_at": [null, {called!r}]}}'))  # fmt: skip
        if rng.random() < NO_SHOW_SHARE:
            finished = called + 120
            status, served, outcome, rating = "no_show", None, None, None
            events.append((finished, "no_show", ticket_id, counter, clerk, desk,
                           f'{{"status": ["called", "no_show"],'
                           f' "finished_at": [null, {finished!r}]}}'))  # fmt: skip
        else:
            served = called + rng.uniform(10, 60)
            finished = served + rng.uniform(120, 900)
            status, outcome, rating = "done", "done", rng.choice((None, 3, 4, 5, 5))
            events.append((served, "serving", ticket_id, counter, clerk, desk,
                           f'{{"status": ["called", "serving"],'
                           f' "served_at": [null, {served!r}]}}'))  # fmt: skip
            rated = f' "rating": [null, {rating}],' if rating is not None else ""
            events.append((finished, "finished", ticket_id, counter, clerk, desk,
                           f'{{"status": ["serving", "done"], "outcome": [null, "done"],{rated}'
                           f' "finished_at": [null, {finished!r}]}}'))  # fmt: skip
        tickets.append((ticket_id, day_s, prefix, seq, number, service_id, status, issued, issued,
                        None, None, 0, None, counter, clerk, called, served, finished, 0, outcome,
                        "[]", rating, None, 0, None, None, None, None, 0, None, None))  # fmt: skip
    events.sort(key=lambda e: e[0])
    return tickets, events


def fill(
    path: Path,
    tickets: int,
    per_day: int = 20_000,
    seed: int = 1,
    before: date | None = None,
) -> float:
    """Add ``tickets`` finished tickets on the days just before ``before`` (default: today);
    returns the seconds taken."""
    rng = random.Random(seed)
    started = time.perf_counter()
    days = max(1, -(-tickets // per_day))
    first = (before or date.today()) - timedelta(days=days)
    # the hall was set up on its first morning, so its setup events are history too
    opened = datetime.combine(first, datetime.min.time()).timestamp() + 8 * 3600
    path.parent.mkdir(parents=True, exist_ok=True)
    ensure_hall(path, FixedClock(opened)).close()
    conn = sqlite3.connect(path, isolation_level=None)
    # Setup, not the thing measured: no journal and a large cache (a crash just means
    # building it again); the hall's own WAL mode is restored at the end.
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    ticket_id = conn.execute("SELECT coalesce(max(id), 0) FROM tickets").fetchone()[0] + 1
    ticket_sql = (f"INSERT INTO tickets ({', '.join(TICKET_COLUMNS)})"
                  f" VALUES ({', '.join('?' * len(TICKET_COLUMNS))})")  # fmt: skip
    event_sql = ("INSERT INTO events (at, kind, ticket_id, counter_number, actor, station, changes)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)")  # fmt: skip
    made = 0
    for d in range(days):
        count = min(per_day, tickets - made)
        t_rows, e_rows = _day_rows(first + timedelta(days=d), count, ticket_id, rng)
        conn.execute("BEGIN")
        conn.executemany(ticket_sql, t_rows)
        conn.executemany(event_sql, e_rows)
        conn.execute("COMMIT")
        ticket_id += count
        made += count
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
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
