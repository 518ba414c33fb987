"""A year (or any span) of hall history, written straight into a hall database.

For the export benchmark: services, counters, clerks and sessions are set up
through the engine like a real hall; then tickets and their events are written
with ``executemany`` in one transaction per day, bypassing the engine (which
would take hours at two million tickets). The shape follows a busy ID-card
hall: a day session and an evening session, green-channel cases, no-shows,
incomplete materials and ratings.

    uv run python bench/year.py /tmp/bench/hall.db --tickets 2000000 --days 365
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from console.demo import CLERKS, COUNTERS, SERVICES
from console.domain import Actor
from console.local import LocalHall

ADMIN = Actor(staff_no="cli", role="admin", station="bench", name="bench")
TICKET_COLS = (
    "id", "day", "prefix", "seq", "number", "service_id", "status", "issued_at", "queued_at",
    "green_reason", "green_note", "low_position", "directed_counter", "counter_number",
    "clerk_staff_no", "called_at", "served_at", "finished_at", "recall_count", "outcome",
    "materials", "rating", "note", "transferred", "session_id", "appointment_code",
)  # fmt: skip


def setup_hall(path: Path) -> None:
    hall = LocalHall(path, create=True)
    for code, zh, en, prefix, target, handling, materials in SERVICES:
        hall.add_service(ADMIN, code=code, name_zh=zh, name_en=en, prefix=prefix,
                         target_wait_min=target, handling_min=handling,
                         materials=materials)  # fmt: skip
    for number, name, services, green, low in COUNTERS:
        hall.add_counter(ADMIN, number=number, name=name, services=services,
                         green_channel=green, low_position=low)  # fmt: skip
    for staff_no, name, role in CLERKS:
        hall.add_clerk(ADMIN, staff_no=staff_no, name=name, role=role, pin="1234")
    hall.add_session(ADMIN, name="日间 Day", opens="08:30", closes="17:30")
    hall.add_session(ADMIN, name="夜间专场 Night", opens="18:00", closes="21:00")
    hall.close()


def generate(path: Path, tickets: int, days: int, first: date, seed: int = 1) -> dict:
    """Write ``tickets`` tickets spread over ``days`` days from ``first``; returns counts."""
    started = time.monotonic()
    if path.exists():
        raise SystemExit(f"{path} exists; remove it first")
    path.parent.mkdir(parents=True, exist_ok=True)
    setup_hall(path)
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    services = conn.execute(
        "SELECT id, prefix, target_wait_min, handling_min FROM services ORDER BY id"
    ).fetchall()
    weights = [5, 3, 2, 1, 1][: len(services)]
    sessions = dict(conn.execute("SELECT name, id FROM sessions").fetchall())
    day_session, night_session = sessions["日间 Day"], sessions["夜间专场 Night"]
    staff = [c[0] for c in CLERKS[:7]]
    reasons = ["elderly", "pregnant", "disabled", "sick", "urgent"]
    per_day = tickets // days
    extra = tickets - per_day * days
    ticket_id = 0
    n_events = 0
    dumps = json.dumps
    for d in range(days):
        day = first + timedelta(days=d)
        day_s = day.isoformat()
        midnight = time.mktime(datetime.combine(day, datetime.min.time()).timetuple())
        count = per_day + (1 if d < extra else 0)
        seqs = {s[1]: 0 for s in services}
        t_rows, e_rows = [], []
        for _ in range(count):
            ticket_id += 1
            sid, prefix, target, handling = rng.choices(services, weights)[0]
            seqs[prefix] += 1
            seq = seqs[prefix]
            night = rng.random() < 0.12
            if night:
                issued = midnight + 18 * 3600 + rng.random() * 3 * 3600
            else:
                issued = midnight + 8.5 * 3600 + rng.random() * 9 * 3600
            green = rng.choice(reasons) if rng.random() < 0.08 else None
            r = rng.random()
            wait = rng.expovariate(1 / (target * 60 * (0.3 if green else 0.7)))
            counter = rng.choice(COUNTERS)[0]
            clerk = staff[counter - 1]
            called = served = finished = outcome = rating = None
            status, materials = "done", "[]"
            if r < 0.03:
                status, finished = "cancelled", issued + wait * 0.5
            elif r < 0.04:
                status = "expired"
            else:
                called = issued + wait
                if r < 0.10:
                    status, finished = "no_show", called + 120
                else:
                    served = called + rng.uniform(10, 60)
                    finished = served + rng.expovariate(1 / (handling * 60))
                    o = rng.random()
                    outcome = "done" if o < 0.80 else ("incomplete" if o < 0.92 else "referred")
                    if outcome == "incomplete":
                        materials = '["户口簿"]'
                    rating = rng.choice((None, None, 5, 5, 5, 4, 4, 3, 2, 1))
            has_counter = called is not None
            row = (
                ticket_id, day_s, prefix, seq, f"{prefix}{seq:03d}", sid, status, issued, issued,
                green, "行动不便" if green == "disabled" else None, 0, None,
                counter if has_counter else None, clerk if has_counter else None,
                called, served, finished, 0, outcome, materials, rating, None, 0,
                night_session if night else day_session, None,
            )  # fmt: skip
            t_rows.append(row)
            first_row = dict(zip(TICKET_COLS, row, strict=True))
            first_row.update(status="waiting", counter_number=None, clerk_staff_no=None,
                             called_at=None, served_at=None, finished_at=None, outcome=None,
                             materials="[]", rating=None)  # fmt: skip
            e_rows.append((issued, "issued", ticket_id, None, "cli", "reception",
                           dumps(first_row, ensure_ascii=False)))  # fmt: skip
            if called is not None:
                e_rows.append((called, "called", ticket_id, counter, clerk, f"desk-{counter}",
                               dumps({"status": ["waiting", "called"],
                                      "counter_number": [None, counter],
                                      "clerk_staff_no": [None, clerk],
                                      "called_at": [None, called]})))  # fmt: skip
            if status == "no_show":
                e_rows.append((finished, "no_show", ticket_id, counter, clerk, f"desk-{counter}",
                               dumps({"status": ["called", "no_show"],
                                      "finished_at": [None, finished]})))  # fmt: skip
            elif status == "cancelled":
                e_rows.append((finished, "cancelled", ticket_id, None, "cli", "reception",
                               dumps({"status": ["waiting", "cancelled"],
                                      "finished_at": [None, finished]})))  # fmt: skip
            elif status == "done":
                e_rows.append((served, "serving", ticket_id, counter, clerk, f"desk-{counter}",
                               dumps({"status": ["called", "serving"],
                                      "served_at": [None, served]})))  # fmt: skip
                e_rows.append((finished, "finished", ticket_id, counter, clerk, f"desk-{counter}",
                               dumps({"status": ["serving", "done"], "outcome": [None, outcome],
                                      "materials": ["[]", materials], "rating": [None, rating],
                                      "finished_at": [None, finished]},
                                     ensure_ascii=False)))  # fmt: skip
            elif status == "expired":
                e_rows.append((midnight + 86000, "expired", ticket_id, None, "system", "sweep",
                               dumps({"status": ["waiting", "expired"]})))  # fmt: skip
        e_rows.sort(key=lambda e: e[0])
        conn.execute("BEGIN")
        conn.executemany(
            f"INSERT INTO tickets ({', '.join(TICKET_COLS)}) VALUES "
            f"({', '.join('?' * len(TICKET_COLS))})",
            t_rows,
        )
        conn.executemany(
            "INSERT INTO events (at, kind, ticket_id, counter_number, actor, station, changes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            e_rows,
        )
        conn.execute("COMMIT")
        n_events += len(e_rows)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    return {"tickets": ticket_id, "events": n_events, "days": days,
            "seconds": round(time.monotonic() - started, 1),
            "bytes": path.stat().st_size}  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("db", type=Path)
    p.add_argument("--tickets", type=int, default=2_000_000)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--first", default="2025-11-26", help="first day (YYYY-MM-DD)")
    args = p.parse_args()
    print(json.dumps(generate(args.db, args.tickets, args.days, date.fromisoformat(args.first))))


if __name__ == "__main__":
    main()
