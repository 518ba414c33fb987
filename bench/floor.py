"""The floor view's refresh after one change, in a big hall: 60 counters, 40 services,
2,000 tickets waiting and a day of 5,000 finished ones; beside the engine's own query time
for the same data in the same run.

    uv run python bench/floor.py [--changes 60] [--db /tmp/floor.db]

Figures per change (another station's write, as in the hall):
  engine   hall_view() (and + floor_figures()) on the engine alone, no screen running;
  refresh  the floor screen's reload: from the change notice to the redrawn screen
           (the hall_view read in its worker + the redraw on the screen's thread; the
           hourly figures are read in their own worker at most every 2 s);
  redraw   the part of refresh spent on the screen's thread (input waits only for this);
  e2e      from the other station's commit to the redrawn screen (adds change detection,
           which polls every 50 ms).
Target: refresh p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.domain import Actor
from console.domain.errors import Refused
from console.engine import FixedClock
from console.local import LocalHall

TZ = ZoneInfo("Asia/Shanghai")
ADMIN = Actor(staff_no="cli", role="admin", station="bench", name="bench")
MANAGER = Actor(staff_no="9001", role="manager", station="bench-floor", name="值班长")


def _cheap_pins() -> None:
    """Setup only: the PIN hash cost is not what is measured."""
    from argon2 import PasswordHasher

    from console.engine import pins

    pins._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def build_big_hall(
    path: str | Path,
    clock: FixedClock,
    *,
    counters: int = 60,
    services: int = 40,
    waiting: int = 2000,
    finished: int = 5000,
    seed: int = 1,
) -> LocalHall:
    """A hall of this size as of ``clock``: most counters open and busy, a few paused or
    closed; ``finished`` tickets spread over the day so far, ``waiting`` in the queues."""
    _cheap_pins()
    rng = random.Random(seed)
    hall = LocalHall(path, clock=clock, create=True)
    now = clock.now()
    codes = []
    for i in range(services):
        code = f"S{i:02d}"
        prefix = chr(65 + i % 26) + ("" if i < 26 else "Z")
        hall.add_service(ADMIN, code=code, name_zh=f"业务{i:02d}", name_en=f"Service {i:02d}",
                         prefix=prefix, target_wait_min=rng.choice([20, 30, 45]),
                         handling_min=rng.choice([5, 8, 12]))  # fmt: skip
        codes.append(code)
    for n in range(1, counters + 1):
        mine = rng.sample(codes, 4)
        hall.add_counter(ADMIN, number=n, name=f"{n}号窗口", services=[mine[0], "+".join(mine[1:])],
                         green_channel=n % 15 == 0, low_position=n % 20 == 0)  # fmt: skip
        hall.add_clerk(ADMIN, staff_no=f"{1000 + n}", name=f"clerk {n}", role="clerk", pin="1234")
    hall.add_clerk(ADMIN, staff_no="9001", name="值班长", role="manager", pin="1234")
    conn = hall.engine.conn
    service_ids = {r["code"]: (r["id"], r["prefix"]) for r in conn.execute(
        "SELECT id, code, prefix FROM services")}  # fmt: skip
    day = clock.day(now)
    opening = now - 6 * 3600
    seqs = dict.fromkeys(codes, 0)
    calls = sum(1 for n in range(1, counters + 1) if n % 12 and n % 10 and n % 3)
    waiting += calls  # the open counters call some below; ``waiting`` stay in the queues
    trows, erows = [], []
    ticket_id = 0
    for kind, count in (("done", finished), ("waiting", waiting)):
        for i in range(count):
            code = rng.choice(codes)
            sid, prefix = service_ids[code]
            seqs[code] += 1
            ticket_id += 1
            if kind == "done":
                issued = opening + (now - 1800 - opening) * i / max(1, count)
                called = issued + rng.uniform(60, 1800)
                served = called + 30
                done = min(now - 60, served + rng.uniform(120, 900))
                counter = rng.randint(1, counters)
                trows.append((ticket_id, day, prefix, seqs[code], f"{prefix}{seqs[code]:03d}", sid,
                              "done", issued, issued, counter, f"{1000 + counter}", called,
                              served, done, "done"))  # fmt: skip
                erows += [(issued, "issued", ticket_id, None), (called, "called", ticket_id,
                          counter), (done, "finished", ticket_id, counter)]  # fmt: skip
            else:
                issued = now - 3600 + 3600 * i / max(1, count)
                number = f"{prefix}{seqs[code]:03d}"
                trows.append((ticket_id, day, prefix, seqs[code], number, sid, "waiting",
                              issued, issued, None, None, None, None, None, None))  # fmt: skip
                erows.append((issued, "issued", ticket_id, None))
    with conn:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO tickets (id, day, prefix, seq, number, service_id, status, issued_at,"
            " queued_at, counter_number, clerk_staff_no, called_at, served_at, finished_at,"
            " outcome) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            trows,
        )
        conn.executemany(
            "INSERT INTO events (at, kind, ticket_id, counter_number, actor, changes)"
            " VALUES (?, ?, ?, ?, 'bench', '{}')",
            erows,
        )
    green = conn.execute("SELECT id FROM tickets WHERE status = 'waiting' ORDER BY random()"
                         " LIMIT ?", (waiting // 25,)).fetchall()  # fmt: skip
    for row in green:
        hall.flag_green(ADMIN, f"#{row['id']}", rng.choice(["elderly", "pregnant", "urgent"]))
    for n in range(1, counters + 1):
        actor = Actor(staff_no=f"{1000 + n}", role="clerk", station=f"desk-{n}")
        if n % 12 == 0:
            continue  # closed
        hall.open_counter(actor, n)
        if n % 10 == 0:
            hall.pause_counter(actor, n, "break")
        elif n % 3:
            try:
                hall.call_next(actor, n)
            except Refused:
                continue  # a short queue: none of this counter's services has a ticket
            if n % 2:
                hall.serve(actor, n)
    return hall


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {"p50": round(statistics.median(ms), 1), "p95": round(pct(ms, 0.95), 1),
            "max": round(max(ms), 1)}  # fmt: skip


def one_change(hall: LocalHall, counter: int) -> None:
    """What a counter does next: call, start serving, or finish (another station's write)."""
    view = hall.counter_view(counter)
    actor = Actor(staff_no=view.counter.clerk_staff_no or "cli", role="clerk",
                  station=f"desk-{counter}")  # fmt: skip
    if view.current is not None and view.current.status == "serving":
        hall.finish(actor, counter)
    elif view.current is not None:
        hall.serve(actor, counter)
    else:
        hall.call_next(actor, counter)


async def measure_screen(path: Path, clock: FixedClock, changes: int, pace: float) -> dict:
    """The floor screen, headless, while another station changes the hall every ``pace`` s."""
    from console.tui.app import build_app
    from console.tui.screens.floor import FloorScreen
    from console.tui.settings import Settings

    screen_hall = LocalHall(path, clock=clock)
    other = LocalHall(path, clock=clock)
    refresh_s: list[float] = []
    redraw_s: list[float] = []
    e2e_s: list[float] = []
    settings = Settings(lang="zh-CN", station="bench-floor", actor=MANAGER, screen="floor",
                        cursor_blink=False, live_timeout=0.5, tick_s=3600)  # fmt: skip
    app = build_app(screen_hall, settings)
    async with app.run_test(size=(160, 50)) as pilot:
        while not isinstance(app.screen, FloorScreen) or app.screen.view is None:
            await pilot.pause(0.01)
        screen = app.screen
        await asyncio.sleep(0.5)
        numbers = [c.number for c in other.list_counters() if c.state == "open"]
        for i in range(changes):
            before = screen.loads
            one_change(other, numbers[i % len(numbers)])
            committed = time.perf_counter()
            while screen.loads == before or screen.reading or screen.dirty:
                await asyncio.sleep(0.001)
            e2e_s.append(time.perf_counter() - committed)
            refresh_s.append(screen.last_refresh_s)
            redraw_s.append(screen.last_redraw_s)
            await asyncio.sleep(max(0.0, pace - (time.perf_counter() - committed)))
    screen_hall.close()
    other.close()
    return {"refresh": summary(refresh_s), "redraw": summary(redraw_s), "e2e": summary(e2e_s)}


def measure_engine(path: Path, clock: FixedClock, changes: int) -> dict:
    """The engine's own queries for the same hall and the same kind of change, no screen:
    one connection writes (another station), another reads, as the screen's does."""
    writer = LocalHall(path, clock=clock)
    reader = LocalHall(path, clock=clock)
    view_s: list[float] = []
    both_s: list[float] = []
    numbers = [c.number for c in writer.list_counters() if c.state == "open"]
    for i in range(changes):
        one_change(writer, numbers[(i + 7) % len(numbers)])
        t0 = time.perf_counter()
        reader.engine.hall_view()
        t1 = time.perf_counter()
        reader.engine.floor_figures()
        view_s.append(t1 - t0)
        both_s.append(time.perf_counter() - t0)
    writer.close()
    reader.close()
    return {"hall_view": summary(view_s), "hall_view+floor_figures": summary(both_s)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=60)
    parser.add_argument(
        "--pace",
        type=float,
        default=0.5,
        help="seconds between two changes (a busy hall: one every 0.5 s)",
    )
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    clock = FixedClock(datetime(2026, 11, 26, 15, 0, tzinfo=TZ).timestamp(), TZ)
    load_before = [round(x, 1) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "floor.db"
        started = time.perf_counter()
        hall = build_big_hall(path, clock)
        view = hall.hall_view()
        size = {
            "counters": len(view.counters),
            "services": len(view.services),
            "waiting": sum(s.waiting for s in view.services),
            "finished_today": len(hall.list_tickets(status="done")),
            "setup_s": round(time.perf_counter() - started, 1),
        }
        hall.close()
        screen = asyncio.run(measure_screen(path, clock, args.changes, args.pace))
        engine = measure_engine(path, clock, args.changes)
    load = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps({"hall": size, "changes": args.changes, "pace_s": args.pace,
                      "load_avg_before": load_before, "load_avg_after": load,
                      "ms": {"engine": engine, "screen": screen}}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
