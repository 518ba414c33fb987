"""Benchmark: the big hall's day. 60 counters, the 1,044-matter catalogue, 25,000 tickets.

    uv run python bench/bighall.py [--quick] [--tickets 25000] [--rounds 7]
        [--live-seconds 60] [--calls-per-s 1.5]

1. **The day.** A hall of three queues (ZH, QY, GA), the generated catalogue of 1,044
   matters of 29 departments and 60 open counters serving all three lives through one
   service day on a paced clock (a ``FixedClock`` moved on ticket by ticket, 08:30 to
   17:00, issues at an even pace for random matters). At 30, 5,000, 15,000 and 25,000
   tickets the day's newest 30 wait, issued through the engine; the tickets before them
   were called about 30 issues after their own and finished (those that waited at the
   previous size at the counters through the engine, the others written as the engine
   writes them: see ``Served``). The hall is copied at each size.
2. **Each view's cost against the day's size.** On the four copies, each at its own
   moment, interleaved rounds time the counter view (a desk), the hall view (floor and
   board), the floor figures and the estimate of the newest waiting ticket (what its
   queue page and slip show), on a reader's connection as the server's reader threads
   run them; the median of each at 5k/15k/25k is divided by the 30-ticket day's.
3. **The hall connected.** ``qconsole serve`` on the 25,000-ticket copy (its clock at
   that day's 17:00, running from there), 500 more tickets waiting, and connected to it
   over loopback: 60 desks (each a station holding the live feed and re-reading its
   counter view, one read at a time, after every change or, as the desk screen does,
   after the changes that concern it: ``--desks``, both by default, one live phase
   each on its own copy), a
   floor (hall view and floor figures after every change), reception issuing tickets,
   the web board and 500 queue pages (their streams, held by another process). Each
   desk calls the next ticket and finishes it a few seconds later; the hall calls
   ``--calls-per-s`` tickets a second in all for ``--live-seconds``. Reported: the
   server's CPU per event (user + system, ``/proc``, over the events committed), the
   desks' key-to-screen p95 (the call sent → the desk's own counter view showing it)
   and other-station-to-screen p95 (a call sent at one desk → every other desk that
   showed the called ticket has its counter view read after that change arrived on its
   stream; a filtering desk that did not show it catches up within ``CATCH_UP_S``).

``--quick`` (a few minutes on 2 cores): 3 rounds, 30-second live phases.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import platform
import random
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from console.catalogue.generate import catalogue  # noqa: E402
from console.domain import Actor, CounterView, Event  # noqa: E402
from console.domain.desk_changes import CATCH_UP_S, concerns_desk  # noqa: E402
from console.domain.errors import Refused  # noqa: E402
from console.engine import FixedClock, estimate  # noqa: E402
from console.engine.core import TICKET_COLUMNS  # noqa: E402
from console.local import LocalHall  # noqa: E402
from console.server.auth import add_station  # noqa: E402

TZ_NAME = "Asia/Shanghai"
TZ = ZoneInfo(TZ_NAME)
DAY = datetime(2026, 11, 26, tzinfo=TZ)
"""A Thursday; the bench never reads today's date."""
DAY_S = DAY.date().isoformat()
OPENS = DAY.replace(hour=8, minute=30).timestamp()
CLOSES = DAY.replace(hour=17).timestamp()
ADMIN = Actor(staff_no="cli", role="admin", station="bench", name="bench")
COUNTERS = 60
QUEUES = (("ZH", "综合受理", "One-stop", "A"), ("QY", "企业服务", "Business", "B"),
          ("GA", "公安服务", "Police", "C"))  # fmt: skip
BASE_DAY = 30
"""The small day every size is compared with; the others are a fifth, three fifths and all
of ``--tickets`` (5,000, 15,000 and 25,000 by default)."""
PAGES = 500
UPCOMING = 5
"""The next tickets each desk's view holds."""
WHEN = {"every": "every change", "filtered": "the changes that concern them"}
TICKS = os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


# -- 1. the day ------------------------------------------------------------------------
def setup(db: Path, clock: FixedClock) -> LocalHall:
    """Three queues, the catalogue and 60 open counters, as an administrator makes them."""
    hall = LocalHall(db, clock=clock, create=True)
    hall.engine.conn.execute("PRAGMA synchronous = OFF")  # building only: no fsync per write
    for code, zh, en, prefix in QUEUES:
        hall.add_service(ADMIN, code=code, name_zh=zh, name_en=en, prefix=prefix)
    hall.import_matters(ADMIN, catalogue([q[0] for q in QUEUES], departments=29, matters=1044))
    for n in range(1, COUNTERS + 1):
        hall.add_counter(ADMIN, number=n, services=["+".join(q[0] for q in QUEUES)])
        hall.open_counter(ADMIN, n, key=f"open-{n}")
    hall.set_setting(ADMIN, "public_rate_per_min", 100_000)  # every page comes from 127.0.0.1
    return hall


class Served:
    """Finished tickets written as the engine writes them (each ticket's row as ``finish``
    leaves it, with its issued, called, serving and finished events, as
    ``bench/make_history.py`` writes history): 25,000 tickets through the engine one write
    at a time would take far longer than the bench may, and they are the setup, not the
    thing measured."""

    def __init__(self, hall: LocalHall, rng: random.Random):
        self.conn = hall.engine.conn
        self.rng = rng
        self.matters = self.conn.execute(
            "SELECT m.id, m.service_id, s.prefix FROM matters m JOIN services s"
            " ON s.id = m.service_id WHERE m.active = 1"
        ).fetchall()
        columns = [*TICKET_COLUMNS, "public_code"]
        self.ticket_sql = (f"INSERT INTO tickets ({', '.join(columns)})"
                           f" VALUES ({', '.join('?' * len(columns))})")  # fmt: skip
        self.event_sql = ("INSERT INTO events (at, kind, ticket_id, counter_number, actor,"
                          " station, changes) VALUES (?, ?, ?, ?, ?, ?, ?)")  # fmt: skip

    def write(self, issued_at: list[float], wait: float, handling: float) -> None:
        """One finished ticket per issue time, called ``wait`` seconds after it."""
        conn = self.conn
        next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM tickets").fetchone()[0]
        seqs = dict(
            conn.execute(
                "SELECT prefix, max(seq) FROM tickets WHERE day = ? GROUP BY prefix", (DAY_S,)
            ).fetchall()
        )
        tickets, events = [], []
        for i, issued in enumerate(issued_at):
            matter_id, service_id, prefix = self.rng.choice(self.matters)
            seqs[prefix] = seq = seqs.get(prefix, 0) + 1
            counter = self.rng.randrange(1, COUNTERS + 1)
            called = issued + wait * self.rng.uniform(0.8, 1.2)
            served = called + self.rng.uniform(10, 40)
            finished = served + self.rng.expovariate(1 / handling)
            row = dict.fromkeys(TICKET_COLUMNS)
            row.update(id=next_id + i, day=DAY_S, prefix=prefix, seq=seq,
                       number=f"{prefix}{seq:03d}", service_id=service_id, status="waiting",
                       issued_at=issued, queued_at=issued, low_position=0, recall_count=0,
                       materials="[]", transferred=0, parked_s=0, matter_id=matter_id)  # fmt: skip
            events.append((issued, "issued", row["id"], None, "cli", "bench",
                           json.dumps(row, ensure_ascii=False)))  # fmt: skip
            steps = (("called", called, {"status": ["waiting", "called"],
                      "counter_number": [None, counter], "clerk_staff_no": [None, "cli"],
                      "called_at": [None, called]}),
                     ("serving", served, {"status": ["called", "serving"],
                      "served_at": [None, served]}),
                     ("finished", finished, {"status": ["serving", "done"],
                      "outcome": [None, "done"], "finished_at": [None, finished]}))  # fmt: skip
            for kind, at, changes in steps:
                events.append((at, kind, row["id"], counter, "cli", "bench", json.dumps(changes)))
                row.update({column: after for column, (_, after) in changes.items()})
            tickets.append((*row.values(), secrets.token_urlsafe(16)))
        events.sort(key=lambda e: e[0])
        conn.execute("BEGIN")
        conn.executemany(self.ticket_sql, tickets)
        conn.executemany(self.event_sql, events)
        conn.execute("COMMIT")


def build_day(tmp: Path, tickets: int) -> dict[int, tuple[Path, float]]:
    """The hall through its day; returns {tickets so far: (copy, its moment)}.

    At each size the day's newest 30 tickets wait, issued through the engine (so the
    queue, the estimate and the desks' next tickets are the engine's own); the tickets
    before them are finished, called about 30 issues after their own (the queue of 30),
    the 30 that waited at the previous size through the engine (called and finished at
    the counters), the others written as the engine writes them (:class:`Served`).
    """
    db = tmp / "day.db"
    clock = FixedClock(OPENS, TZ)
    hall = setup(db, clock)
    rng = random.Random(23)
    served = Served(hall, rng)
    matters = [m.code for m in hall.list_matters()]
    step = (CLOSES - OPENS) / tickets
    wait, handling = BASE_DAY * step, 0.9 * COUNTERS * step
    copies: dict[int, tuple[Path, float]] = {}
    total = 0
    for size in (BASE_DAY, tickets // 5, tickets * 3 // 5, tickets):
        if total:  # the 30 that waited are called and finished at the counters
            clock.t += wait
            for n in range(1, BASE_DAY + 1):
                hall.call_next(ADMIN, n, key=uuid.uuid4().hex)
                hall.finish(ADMIN, n, key=uuid.uuid4().hex)
        filler = size - BASE_DAY - total
        served.write([OPENS + (total + i) * step for i in range(filler)], wait, handling)
        total += filler
        for _ in range(BASE_DAY):
            clock.t = OPENS + total * step
            hall.issue(ADMIN, matter=rng.choice(matters), key=uuid.uuid4().hex)
            total += 1
        copy = tmp / f"day-{size}.db"
        with sqlite3.connect(copy) as target:
            hall.engine.conn.backup(target)
        copies[size] = (copy, clock.t)
        print(f"  {size:,} tickets at {datetime.fromtimestamp(clock.t, TZ):%H:%M}",
              file=sys.stderr, flush=True)  # fmt: skip
    hall.close()
    return copies


# -- 2. each view's cost -------------------------------------------------------------------
def time_views(
    copies: dict[int, tuple[Path, float]], rounds: int
) -> dict[str, dict[str, dict[int, float]]]:
    """Median ms of each view on each copy, over interleaved rounds: wall-clock time
    (``wall``) and the reading thread's CPU time (``cpu``, which other processes on a
    shared machine do not inflate)."""
    halls = {size: LocalHall(path, clock=FixedClock(moment, TZ))
             for size, (path, moment) in copies.items()}  # fmt: skip

    def newest_waiting(hall: LocalHall) -> sqlite3.Row:
        return hall.engine.conn.execute(
            "SELECT * FROM tickets WHERE status = 'waiting' ORDER BY id DESC LIMIT 1"
        ).fetchone()

    def wait_estimate(hall: LocalHall) -> estimate.Estimate:
        return estimate.estimate(
            hall.engine.conn, newest_waiting(hall), hall.clock.now(), hall.settings()
        )

    ops = {
        "counter view": lambda h: h.counter_view(17),
        "hall view": lambda h: h.hall_view(),
        "floor figures": lambda h: h.floor_figures(),
        "estimate": wait_estimate,
    }
    samples: dict[str, dict[str, dict[int, list[float]]]] = {
        clock: {op: {s: [] for s in halls} for op in ops} for clock in ("wall", "cpu")
    }
    for hall in halls.values():  # warm the page cache and the statements
        for fn in ops.values():
            fn(hall)
    for _ in range(rounds):
        for size, hall in halls.items():
            for name, fn in ops.items():
                for _ in range(3):
                    began, cpu = time.perf_counter(), time.thread_time()
                    fn(hall)
                    samples["cpu"][name][size].append(time.thread_time() - cpu)
                    samples["wall"][name][size].append(time.perf_counter() - began)
    for hall in halls.values():
        hall.close()
    return {clock: {op: {s: statistics.median(v) * 1000 for s, v in by.items()}
                    for op, by in ops_samples.items()}
            for clock, ops_samples in samples.items()}  # fmt: skip


# -- 3. the hall connected -------------------------------------------------------------------
def prepare_live(path: Path, moment: float, tmp: Path,
                 name: str = "live") -> tuple[Path, dict[str, str], list[str]]:  # fmt: skip
    """A copy of the day for the server, 500 more waiting, the stations' tokens and the
    public codes of the 500 oldest waiting tickets."""
    live = tmp / f"{name}.db"
    shutil.copy(path, live)
    hall = LocalHall(live, clock=FixedClock(moment, TZ))
    hall.engine.conn.execute("PRAGMA synchronous = OFF")
    matters = [m.code for m in hall.list_matters()]
    rng = random.Random(5)
    engine = hall.engine
    for n in range(1, COUNTERS + 1):  # the desks start free
        with contextlib.suppress(Refused):
            hall.finish(ADMIN, n, key=uuid.uuid4().hex)
    for _ in range(PAGES):
        hall.issue(ADMIN, matter=rng.choice(matters), key=uuid.uuid4().hex)
    tokens = {}
    for name in [f"desk-{n}" for n in range(1, COUNTERS + 1)] + ["floor", "reception"]:
        tokens[name] = add_station(engine, ADMIN, name, "admin")[1]
    codes = [r[0] for r in engine.conn.execute(
        "SELECT public_code FROM tickets WHERE status = 'waiting' ORDER BY queued_at, id LIMIT ?",
        (PAGES,))]  # fmt: skip
    hall.close()
    return live, tokens, codes


class Http:
    """A minimal keep-alive HTTP/1.1 client (the load must cost less than the server)."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token

    async def open(self) -> Http:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def request(self, method: str, path: str, body: dict | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else b""
        head = (f"{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {self.token}"
                f"\r\nIdempotency-Key: {uuid.uuid4().hex}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(data)}\r\n\r\n")  # fmt: skip
        self.writer.write(head.encode() + data)
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        answer = json.loads(await self.reader.readexactly(length))
        if status != 200:
            raise Refused(reason="bench.refused", detail=f"{status} {answer}")
        return answer

    async def events(self, path: str) -> Any:
        """The data of each event of a Server-Sent Events stream."""
        head = (
            f"GET {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {self.token}"
            "\r\nAccept: text/event-stream\r\n\r\n"
        )
        self.writer.write(head.encode())
        while (await self.reader.readline()) not in (b"\r\n", b""):
            pass
        while line := await self.reader.readline():
            if line.startswith(b'data: {"id"'):  # a change (not the hello)
                yield json.loads(line[6:])

    def close(self) -> None:
        self.writer.close()


class Screen:
    """A station's screen: re-reads its view after a change on its feed, one read at a
    time (changes arriving meanwhile make one more read). A desk that filters (as the desk
    screen does, ``console.domain.desk_changes``) re-reads at once only for the changes
    that concern it, and for the others at most ``CATCH_UP_S`` after its last read."""

    def __init__(self, read: Any):
        self.read = read
        self.dirty = asyncio.Event()
        self.waiting_for: list[float] = []
        """When each call not yet on screen was sent (other desks' calls)."""
        self.shown: list[float] = []
        self.view: CounterView | None = None
        self.pending = False
        """Changes that did not concern the desk came since its last read."""
        self.last_read = time.perf_counter()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.dirty.wait()
            self.dirty.clear()
            self.pending = False
            marks, self.waiting_for = self.waiting_for, []
            await self.read()
            now = self.last_read = time.perf_counter()
            self.shown.extend(now - sent for sent in marks)

    async def catch_up(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.sleep(0.5)
            if self.pending and time.perf_counter() - self.last_read >= CATCH_UP_S:
                self.dirty.set()


async def live(port: int, tokens: dict[str, str], seconds: float, rate: float,
               matters: list[str], filtered: bool) -> dict[str, Any]:  # fmt: skip
    stop = asyncio.Event()
    calling: dict[int, float] = {}
    """Counter → when its latest call was sent."""
    counts = {"sent": 0, "refused": 0, "not_shown": 0}
    key_to_screen: list[float] = []
    reads = {"desk": 0, "floor": 0}
    screens: list[Screen] = []
    tasks = []

    async def feed(token: str, on_event: Any) -> None:
        stream = await Http(port, token).open()
        try:
            async for event in stream.events("/api/v1/stream"):
                on_event(event)
        finally:
            stream.close()

    service_ids = [s["id"] for s in await (await Http(port, tokens["floor"]).open()).request(
        "GET", "/api/v1/services")]  # fmt: skip

    async def desk(n: int) -> None:
        http = await Http(port, tokens[f"desk-{n}"]).open()

        async def read() -> None:
            view = await http.request("GET", f"/api/v1/counters/{n}/view?upcoming={UPCOMING}")
            screen.view = CounterView.from_dict(view)
            reads["desk"] += 1

        screen = Screen(read)
        screens.append(screen)

        def on_event(event: dict) -> None:
            concerned = not filtered or concerns_desk(
                Event.from_dict(event), screen.view, n, service_ids, UPCOMING
            )
            at = event["counter_number"]
            if event["kind"] == "called" and at != n and at in calling:
                # on screen by the next read: one the change makes, or one already due
                if concerned or screen.dirty.is_set():
                    screen.waiting_for.append(calling[at])
                else:
                    counts["not_shown"] += 1
            if concerned:
                screen.dirty.set()
            else:
                screen.pending = True

        tasks.append(asyncio.create_task(feed(tokens[f"desk-{n}"], on_event)))
        tasks.append(asyncio.create_task(screen.run(stop)))
        tasks.append(asyncio.create_task(screen.catch_up(stop)))
        await asyncio.sleep(random.uniform(0, min(COUNTERS / rate, seconds / 2)))
        own = await Http(port, tokens[f"desk-{n}"]).open()  # the desk's key presses
        while not stop.is_set():
            began = calling[n] = time.perf_counter()
            counts["sent"] += 1
            try:
                ticket = await own.request("POST", f"/api/v1/counters/{n}/call-next")
            except Refused:
                counts["refused"] += 1
                await asyncio.sleep(1)
                continue
            view = await own.request("GET", f"/api/v1/counters/{n}/view?upcoming={UPCOMING}")
            assert view["current"]["id"] == ticket["id"]
            key_to_screen.append(time.perf_counter() - began)
            await asyncio.sleep(random.uniform(2, 6))
            await own.request("POST", f"/api/v1/counters/{n}/finish", {"outcome": "done"})
            await asyncio.sleep(max(0.0, COUNTERS / rate - (time.perf_counter() - began)))

    async def floor() -> None:
        http = await Http(port, tokens["floor"]).open()

        async def read() -> None:
            await http.request("GET", "/api/v1/hall")
            await http.request("GET", "/api/v1/floor")
            reads["floor"] += 1

        screen = Screen(read)
        tasks.append(asyncio.create_task(feed(tokens["floor"], lambda e: screen.dirty.set())))
        await screen.run(stop)

    async def board() -> None:
        http = await Http(port, "").open()
        async for _ in http.events("/board/events"):
            pass

    async def reception() -> None:
        http = await Http(port, tokens["reception"]).open()
        rng = random.Random(7)
        while not stop.is_set():
            await http.request("POST", "/api/v1/tickets", {"matter": rng.choice(matters)})
            await asyncio.sleep(1 / rate)

    async def clock() -> None:
        await asyncio.sleep(seconds)
        stop.set()

    workers = [asyncio.create_task(desk(n)) for n in range(1, COUNTERS + 1)]
    workers += [asyncio.create_task(f()) for f in (floor, board, reception)]
    await clock()
    await asyncio.sleep(3)  # the last calls reach the screens
    for task in workers + tasks:
        task.cancel()
    outcomes = await asyncio.gather(*workers, *tasks, return_exceptions=True)
    failures = {
        repr(o)[:300]
        for o in outcomes
        if isinstance(o, BaseException) and not isinstance(o, asyncio.CancelledError)
    }
    for failure in failures:
        print(f"  a station failed: {failure}", file=sys.stderr)
    other = [s for screen in screens for s in screen.shown]
    if counts["refused"]:
        print(f"  {counts['refused']} calls refused", file=sys.stderr)
    calls = counts["sent"] - counts["refused"]
    return {"calls": calls, "key_to_screen": key_to_screen,
            "other_expected": calls * (COUNTERS - 1) - counts["not_shown"],
            "not_shown": counts["not_shown"], "other_station": other, "reads": reads}  # fmt: skip


async def _pages(port: int, codes: list[str], ready: Any, stop: Any) -> int:
    """Hold one queue page's stream per code (as phones do, opened a few at a time)."""
    connected = 0

    async def page(code: str) -> None:
        nonlocal connected
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET /t/{code}/events?lang=en HTTP/1.1\r\nHost: bench\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())  # fmt: skip
        if b" 200 " in await reader.readline():
            connected += 1
        while await reader.readline():
            pass

    tasks = []
    for code in codes:
        tasks.append(asyncio.create_task(page(code)))
        await asyncio.sleep(0.002)
    await asyncio.sleep(1)
    ready.set()
    while not stop.is_set():
        await asyncio.sleep(0.1)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return connected


def pages_process(port: int, codes: list[str], ready: Any, stop: Any, out: Any) -> None:
    out.put(asyncio.run(_pages(port, codes, ready, stop)))


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def serve_live(live_db: Path, moment: float, tokens: dict[str, str], codes: list[str],
               seconds: float, rate: float, filtered: bool) -> dict[str, Any]:  # fmt: skip
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "QCONSOLE_NOW": f"{moment!r}@{time.time()!r}", "TZ": TZ_NAME}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from console.cli.main import run; run()", "serve", "--db",
         str(live_db), "--host", "127.0.0.1", "--port", str(port),
         "--max-per-address", "2000"],  # every station and phone here comes from 127.0.0.1
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env,
    )  # fmt: skip
    ctx = multiprocessing.get_context("fork")
    ready, stop, out = ctx.Event(), ctx.Event(), ctx.Queue()
    pages = None
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        pages = ctx.Process(target=pages_process, args=(port, codes, ready, stop, out))
        pages.start()
        if not ready.wait(120):
            raise SystemExit("the queue pages did not open")
        hall = LocalHall(live_db)
        matters = [m.code for m in hall.list_matters()]
        first_event = hall.last_event_id()
        hall.close()
        import uvloop

        print(f"  {PAGES} queue pages open; the desks start", file=sys.stderr, flush=True)
        began = cpu_s(proc.pid)
        result = uvloop.run(live(port, tokens, seconds, rate, matters, filtered))
        spent = cpu_s(proc.pid) - began
        hall = LocalHall(live_db)
        result["events"] = hall.last_event_id() - first_event
        hall.close()
        result["cpu_s"] = spent
        stop.set()
        result["pages"] = out.get(timeout=60)
    finally:
        stop.set()
        if pages is not None:
            pages.join(30)
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 rounds, a 30-second live phase")
    ap.add_argument("--tickets", type=int, default=25_000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--live-seconds", type=float, default=60.0)
    ap.add_argument("--calls-per-s", type=float, default=1.5)
    ap.add_argument(
        "--desks",
        choices=("both", "every", "filtered", "none"),
        default="both",
        help="desks that re-read after every change, after the changes that "
        "concern them (as the desk screen does), both, one after the other, or none "
        "(the views' costs alone)",
    )
    args = ap.parse_args()
    if args.quick:
        args.rounds, args.live_seconds = 3, 30.0
    tmp = Path(tempfile.mkdtemp(prefix="qconsole-bighall-"))
    try:
        started = time.monotonic()
        print(f"building the day of {args.tickets:,} tickets ...", file=sys.stderr)
        copies = build_day(tmp, args.tickets)
        built = time.monotonic() - started
        views = time_views(copies, args.rounds)
        top = max(copies)
        results = {}
        phases = {"both": ("every", "filtered"), "none": ()}.get(args.desks, (args.desks,))
        for desks in phases:
            live_db, tokens, codes = prepare_live(copies[top][0], copies[top][1], tmp, desks)
            print(f"the hall connected, desks re-reading after {WHEN[desks]} ...",
                  file=sys.stderr)  # fmt: skip
            results[desks] = serve_live(live_db, copies[top][1], tokens, codes,
                                        args.live_seconds, args.calls_per_s,
                                        filtered=desks == "filtered")  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sizes = sorted(copies)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}; the day built "
          f"in {built:.0f} s; {args.rounds} interleaved rounds of 3 per view.\n")  # fmt: skip
    for clock, title in (("wall", "Wall-clock"), ("cpu", "The reading thread's CPU time")):
        print(f"{title}, median:\n")
        print("| view | 30-ticket day | " + " | ".join(f"{s:,} today" for s in sizes[1:]) + " |")
        print("|---|---:|" + "---:|" * (len(sizes) - 1))
        for op, by in views[clock].items():
            base = by[sizes[0]]
            cells = " | ".join(f"{by[s] / base:.2f}× ({by[s]:.2f} ms)" for s in sizes[1:])
            print(f"| {op} | {base:.2f} ms | {cells} |")
        print()
    horizon = args.live_seconds + 3

    def p95(samples: list[float], expected: int) -> str:
        """The p95, or "over" the run's end when more than 5 % never got there."""
        if len(samples) < 0.95 * expected:
            return f"over {horizon:.0f} s ({len(samples)} of {expected} in time)"
        return f"{pct(samples, 95) * 1000:.0f} ms (p50 {pct(samples, 50) * 1000:.0f} ms)"

    for desks, result in results.items():
        events = max(1, result["events"])
        print(
            f"\nThe hall connected, desks re-reading after {WHEN[desks]} "
            f"({args.live_seconds:.0f} s, {COUNTERS} desks, a floor, reception, the board, "
            f"{result['pages']} queue pages open): {result['calls']} calls,"
            f" {result['events']} events, {result['reads']['desk']} desk and "
            f"{result['reads']['floor']} floor re-reads; server CPU "
            f"{result['cpu_s'] * 1000 / events:.1f} ms per event "
            f"({result['cpu_s'] / args.live_seconds * 100:.0f}% of a core); key-to-screen p95 "
            f"{p95(result['key_to_screen'], result['calls'])}; other-station-to-screen p95 "
            f"{p95(result['other_station'], result['other_expected'])} (calls of a ticket "
            f"the other desk showed or was about to read; {result['not_shown']} calls of one "
            f"it did not show wait for its catch-up read, at most {CATCH_UP_S:.0f} s)."
        )


if __name__ == "__main__":
    main()
