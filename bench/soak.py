"""Soak: a hall day compressed into minutes, over the hall server on 127.0.0.1.

    uv run python bench/soak.py [--minutes 4] [--counters 40] [--tickets 6000] [--floors 4]
                                [--out bench/out/soak.md]

What runs (every byte on loopback, every loop bounded by the clock):

* ``qconsole serve`` in a subprocess, access log on (to a file);
* reception issues ``--tickets`` tickets at an even rate over the run (5 % green channel);
* ``--counters`` clerks, each logged in at their own station, call, recall, serve, finish
  (done / materials incomplete / referred, with a rating), mark no-shows (half requeued),
  transfer to another service, and park and resume, with think times that keep pace with
  reception; every request is timed;
* ``--floors`` floor views, each its own process (``RemoteHall``): follow the event stream
  and fetch the hall view on every change (at most every ``--floor-interval`` s).

At the end the server is stopped and the database checked: ``PRAGMA integrity_check``; no
counter holds two tickets (the final state, and at every step of the event log); every
call a clerk was told about is in the log exactly once at that counter; no ticket called
more often than it went back to the queue allows; and the event log replays to the stored
tickets (``console.engine.replay.replay_mismatches``). The report gives latency p50/p99 per
minute (clerk and reception writes, floor hall views) and the server's RSS over the run.
Exit 1 when an invariant is broken.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from console.domain import Actor  # noqa: E402

ADMIN = Actor(staff_no="cli", role="admin", station="soak", name="soak")
PIN = "1234"
SERVICES = (("ID", "身份证", "ID card", "A"), ("PP", "护照", "Passport", "B"),
            ("RES", "居住证", "Residence permit", "C"))  # fmt: skip
OUTCOMES = (("done", 0.85), ("incomplete", 0.10), ("referred", 0.05))


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# -- the hall ------------------------------------------------------------------------
def build(db: Path, counters: int, floors: int) -> dict[str, str]:
    """Services, counters serving all of them, one clerk and one station per counter, a
    receptionist, floor stations; returns the station tokens."""
    from console.local import LocalHall
    from console.server.auth import add_station

    hall = LocalHall(db, create=True)
    tokens = {}
    try:
        for code, zh, en, prefix in SERVICES:
            hall.add_service(ADMIN, code=code, name_zh=zh, name_en=en, prefix=prefix,
                             handling_min=5, materials=["户口簿", "照片"])  # fmt: skip
        codes = [s[0] for s in SERVICES]
        for n in range(1, counters + 1):
            hall.add_counter(ADMIN, number=n, services=codes[n % 3 :] + codes[: n % 3])
            hall.add_clerk(ADMIN, staff_no=str(2000 + n), name=f"clerk {n}", pin=PIN)
            tokens[f"desk-{n}"] = add_station(hall.engine, ADMIN, f"desk-{n}")[1]
        hall.add_clerk(ADMIN, staff_no="3001", name="reception", pin=PIN)
        tokens["reception"] = add_station(hall.engine, ADMIN, "reception")[1]
        for f in range(1, floors + 1):
            tokens[f"floor-{f}"] = add_station(hall.engine, ADMIN, f"floor-{f}")[1]
    finally:
        hall.close()
    return tokens


class Conn:
    """A minimal keep-alive HTTP/1.1 client (cheaper than httpx for 40 stations in one
    process on 2 cores, so the load generator does not dominate the figures)."""

    def __init__(self, port: int, token: str):
        self.port, self.token, self.session = port, token, ""

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = b"" if body is None else json.dumps(body).encode()
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {self.token}\r\n"
                + (f"X-QConsole-Session: {self.session}\r\n" if self.session else "")
                + (f"Idempotency-Key: {uuid.uuid4().hex}\r\n" if method != "GET" else "")
                + "Content-Type: application/json\r\n"
                + f"Content-Length: {len(data)}\r\n\r\n")  # fmt: skip
        self.writer.write(head.encode() + data)
        status_line = await self.reader.readline()
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        payload = await self.reader.readexactly(length)
        return int(status_line.split()[1]), json.loads(payload) if payload else None

    def close(self) -> None:
        self.writer.close()


class Load:
    """The clerks and reception: timings, acknowledgements and surprises."""

    def __init__(self, port: int, tokens: dict[str, str], args: argparse.Namespace):
        self.port, self.tokens, self.args = port, tokens, args
        self.t0 = 0.0
        self.stop = 0.0
        self.timings: list[tuple[float, str, float]] = []
        """(seconds since start, operation, ms)"""
        self.acks: list[tuple[str, int, int]] = []
        """(operation, ticket id, counter) for every call / issue the server confirmed"""
        self.surprises: Counter[str] = Counter()
        self.issued = 0

    async def timed(self, conn: Conn, op: str, method: str, path: str, body: Any = None
                    ) -> tuple[int, Any]:  # fmt: skip
        began = time.perf_counter()
        status, data = await conn.request(method, path, body)
        self.timings.append((began - self.t0, op, (time.perf_counter() - began) * 1000))
        if status != 200 and not (op == "call" and status == 409):
            self.surprises[f"{op} {status}: {(data or {}).get('message', '')[:60]}"] += 1
        return status, data

    async def login(self, station: str, staff_no: str) -> Conn:
        conn = Conn(self.port, self.tokens[station])
        await conn.open()
        status, data = await conn.request("POST", "/api/v1/login",
                                          {"staff_no": staff_no, "pin": PIN})  # fmt: skip
        if status != 200:
            raise SystemExit(f"login {staff_no} failed: {data}")
        conn.session = data["session"]
        return conn

    async def reception(self, conn: Conn) -> None:
        rng = random.Random(1)
        codes = [s[0] for s in SERVICES]
        every = self.args.minutes * 60 / self.args.tickets
        while self.issued < self.args.tickets and time.perf_counter() < self.stop:
            due = self.t0 + self.issued * every
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            body: dict[str, Any] = {"service": rng.choice(codes)}
            if rng.random() < 0.05:
                body["green_reason"] = rng.choice(["elderly", "pregnant", "disabled"])
            status, data = await self.timed(conn, "issue", "POST", "/api/v1/tickets", body)
            if status == 200:
                self.acks.append(("issue", data["ticket"]["id"], 0))
            self.issued += 1

    async def clerk(self, n: int, conn: Conn) -> None:
        rng = random.Random(100 + n)
        base = f"/api/v1/counters/{n}"
        cycle = self.args.minutes * 60 * self.args.counters / self.args.tickets
        step = cycle / 3 * 0.8  # a little faster than reception, so the queue drains

        async def think(scale: float = 1.0) -> None:
            await asyncio.sleep(step * scale * rng.uniform(0.5, 1.5))

        await self.timed(conn, "open", "POST", f"{base}/open")
        await asyncio.sleep(rng.uniform(0, step))
        while time.perf_counter() < self.stop:
            status, ticket = await self.timed(conn, "call", "POST", f"{base}/call-next")
            if status == 409:
                await asyncio.sleep(rng.uniform(0.5, 1.5))  # nobody waiting
                continue
            if status != 200:
                await think()
                continue
            self.acks.append(("call", ticket["id"], n))
            ref = {"ticket": f"#{ticket['id']}"}
            await think(0.5)
            r = rng.random()
            if r < 0.06:  # not there: recall once, then no-show
                await self.timed(conn, "recall", "POST", f"{base}/recall")
                await think(0.5)
                await self.timed(conn, "no_show", "POST", f"{base}/no-show",
                                 {"requeue": rng.random() < 0.5})  # fmt: skip
                continue
            await self.timed(conn, "serve", "POST", f"{base}/serve")
            await think()
            if r < 0.11:  # the wrong service: send it on
                other = rng.choice([s[0] for s in SERVICES if s[0] != ticket["service_code"]])
                await self.timed(conn, "transfer", "POST", "/api/v1/tickets/transfer",
                                 {**ref, "to_service": other})  # fmt: skip
                continue
            if r < 0.16:  # photo retake: park, come back, resume
                await self.timed(conn, "park", "POST", f"{base}/park")
                await think()
                await self.timed(conn, "resume", "POST", f"{base}/resume-ticket", ref)
                await think(0.5)
            outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
            body = {"outcome": outcome, "rating": rng.randint(3, 5)}
            if outcome == "incomplete":
                body["materials"] = ["户口簿"]
            await self.timed(conn, "finish", "POST", f"{base}/finish", body)
            await think(0.5)

    async def run(self) -> None:
        reception = await self.login("reception", "3001")
        clerks = [await self.login(f"desk-{n}", str(2000 + n))
                  for n in range(1, self.args.counters + 1)]  # fmt: skip
        self.t0 = time.perf_counter()
        self.stop = self.t0 + self.args.minutes * 60
        desks = [self.clerk(n, c) for n, c in enumerate(clerks, start=1)]
        await asyncio.gather(self.reception(reception), *desks)
        for conn in [reception, *clerks]:
            conn.close()


# -- a floor view (its own process) ---------------------------------------------------------
def floor_main(url: str, token: str, out: str, seconds: float, interval: float,
               t0_epoch: float) -> None:  # fmt: skip
    from console.domain.errors import Unavailable
    from console.remote import RemoteHall

    hall = RemoteHall(url, token)
    after = hall.last_event_id()
    samples: list[tuple[float, float]] = []
    offline = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            newest = hall.wait_for_change(after, min(1.0, max(0.0, end - time.monotonic())))
        except Unavailable:
            offline += 1
            time.sleep(0.2)
            continue
        if newest == after:
            continue
        began = time.perf_counter()
        view = hall.hall_view()
        samples.append((time.time() - t0_epoch, (time.perf_counter() - began) * 1000))
        after = max(newest, view.as_of_event)
        time.sleep(interval)
    hall.close()
    Path(out).write_text(json.dumps({"samples": samples, "offline": offline}))


# -- the checks ------------------------------------------------------------------------------
def check(db: Path, acks: list[tuple[str, int, int]]) -> tuple[list[str], dict[str, int]]:
    from console.engine.replay import replay_mismatches

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    problems: list[str] = []
    if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problems.append("integrity_check failed")
    for row in conn.execute(
        "SELECT counter_number, count(*) AS n FROM tickets WHERE status IN ('called', 'serving')"
        " GROUP BY counter_number HAVING n > 1"
    ):
        problems.append(f"counter {row[0]} holds {row[1]} tickets at the end")
    # walk the log: a ticket is held (called/serving) by one counter, a counter holds one
    holder: dict[int, int] = {}
    holding: dict[int, int] = {}
    calls: Counter[tuple[int, int]] = Counter()
    returns: Counter[int] = Counter()
    called: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    for ev in conn.execute("SELECT id, kind, ticket_id, counter_number, changes FROM events"
                           " WHERE ticket_id IS NOT NULL ORDER BY id"):  # fmt: skip
        kinds[ev["kind"]] += 1
        tid, changes = ev["ticket_id"], json.loads(ev["changes"])
        if ev["kind"] == "called":
            calls[(tid, ev["counter_number"])] += 1
            called[tid] += 1
        if ev["kind"] in ("transferred", "no_show.requeued"):
            returns[tid] += 1
        status = changes.get("status")
        if not isinstance(status, list):
            continue
        after = status[1]
        counter = ev["counter_number"]
        if after in ("called", "serving"):
            if tid in holder and holder[tid] != counter:
                problems.append(f"event {ev['id']}: ticket {tid} taken by counter {counter}"
                                f" while counter {holder[tid]} holds it")  # fmt: skip
            if holding.get(counter, tid) != tid:
                problems.append(f"event {ev['id']}: counter {counter} holds tickets "
                                f"{holding[counter]} and {tid}")  # fmt: skip
            holder[tid], holding[counter] = counter, tid
        elif tid in holder:
            holding.pop(holder.pop(tid), None)
    acked_calls = Counter((tid, n) for op, tid, n in acks if op == "call")
    for (tid, n), times in acked_calls.items():
        if calls[(tid, n)] != times:
            problems.append(f"ticket {tid}: {times} calls acknowledged at counter {n}, "
                            f"{calls[(tid, n)]} in the log")  # fmt: skip
    for tid, n in called.items():
        if n > 1 + returns[tid]:
            problems.append(f"ticket {tid} called {n} times but back in the queue "
                            f"{returns[tid]} times")  # fmt: skip
    issued = {tid for op, tid, _ in acks if op == "issue"}
    stored = {r[0] for r in conn.execute("SELECT id FROM tickets")}
    if issued - stored:
        problems.append(f"{len(issued - stored)} acknowledged tickets are not stored")
    problems += replay_mismatches(conn)
    stats = {
        "tickets": len(stored),
        "events": conn.execute("SELECT count(*) FROM events").fetchone()[0],
        **{
            f"status {r[0]}": r[1]
            for r in conn.execute("SELECT status, count(*) FROM tickets GROUP BY status")
        },
        **{f"event {k}": v for k, v in sorted(kinds.items())},
    }
    conn.close()
    return problems, stats


# -- the run ---------------------------------------------------------------------------------
def per_minute(samples: list[tuple[float, float]]) -> dict[int, list[float]]:
    buckets: dict[int, list[float]] = defaultdict(list)
    for t, ms in samples:
        buckets[int(t // 60)].append(ms)
    return buckets


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=4.0, help="length of the compressed day")
    ap.add_argument("--counters", type=int, default=40)
    ap.add_argument("--tickets", type=int, default=6000)
    ap.add_argument("--floors", type=int, default=4, help="floor-view processes")
    ap.add_argument("--floor-interval", type=float, default=0.2,
                    help="a floor view's shortest gap between two fetches (s)")  # fmt: skip
    ap.add_argument("--out", type=Path, default=None, help="write the report (Markdown) here")
    ap.add_argument("--floor", nargs=6, metavar="X", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.floor:
        url, token, out, seconds, interval, t0 = args.floor
        floor_main(url, token, out, float(seconds), float(interval), float(t0))
        return

    tmp = Path(tempfile.mkdtemp(prefix="qconsole-soak-"))
    db = tmp / "hall.db"
    began = time.monotonic()
    tokens = build(db, args.counters, args.floors)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(tmp / "server.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-c", "from console.cli.main import run; run()", "serve", "--db",
         str(db), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=log, cwd=ROOT,
    )  # fmt: skip
    import httpx

    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start") from None
            time.sleep(0.1)
    seconds = args.minutes * 60
    t0_epoch = time.time()
    floors = []
    for f in range(1, args.floors + 1):
        cmd = [sys.executable, __file__, "--floor", url, tokens[f"floor-{f}"],
               str(tmp / f"floor-{f}.json"), str(seconds), str(args.floor_interval),
               str(t0_epoch)]  # fmt: skip
        floors.append(subprocess.Popen(cmd, cwd=ROOT))
    time.sleep(2.0)  # the floor views connect (imports, stream) before the day starts
    rss: list[tuple[float, int]] = [(0.0, rss_kb(server.pid))]
    load = Load(port, tokens, args)

    async def sample_rss() -> None:
        while load.stop == 0.0 or time.perf_counter() < load.stop:
            await asyncio.sleep(5.0)
            if load.t0:
                rss.append((time.perf_counter() - load.t0, rss_kb(server.pid)))

    async def both() -> None:
        sampler = asyncio.create_task(sample_rss())
        await load.run()
        sampler.cancel()

    asyncio.run(both())
    rss.append((time.perf_counter() - load.t0, rss_kb(server.pid)))
    floor_samples: list[tuple[float, float]] = []
    floor_offline = 0
    for f, proc in enumerate(floors, start=1):
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        path = tmp / f"floor-{f}.json"
        if path.exists():
            data = json.loads(path.read_text())
            floor_samples += [tuple(s) for s in data["samples"]]
            floor_offline += data["offline"]
    server.send_signal(signal.SIGTERM)
    server.wait(30)
    log.close()
    problems, stats = check(db, load.acks)
    total = time.monotonic() - began

    writes = per_minute([(t, ms) for t, _, ms in load.timings])
    views = per_minute(floor_samples)
    ops = Counter(op for _, op, _ in load.timings)
    rss_start = rss[0][1]
    rss_min1 = next((kb for t, kb in rss if t >= 60), rss[-1][1])
    rss_end = rss[-1][1]
    verdict = "**all hold**"
    if problems:
        verdict = f"**{len(problems)} broken**: " + "; ".join(problems[:10])
    lines = [
        f"Command: `uv run python bench/soak.py --minutes {args.minutes:g} --counters "
        f"{args.counters} --tickets {args.tickets} --floors {args.floors}`",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}. Server in a "
        "subprocess on 127.0.0.1 with its access log on; clerks and reception in one asyncio "
        f"process (one keep-alive connection per station); {args.floors} floor views as "
        "separate processes (`RemoteHall`: event stream + hall view on each change). "
        f"Whole run {total:.0f} s including setup and checks.",
        "",
        f"Requests: {sum(ops.values())} ({', '.join(f'{k} {v}' for k, v in ops.most_common())}); "
        f"tickets issued {load.issued}; floor-view fetches {len(floor_samples)}.",
        "",
        "| minute | writes | write p50 ms | write p99 ms | floor views | view p50 ms "
        "| view p99 ms |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in sorted(set(writes) | set(views)):
        w, v = writes.get(m, []), views.get(m, [])
        lines.append(f"| {m + 1} | {len(w)} | {pct(w, 50):.1f} | {pct(w, 99):.1f} | {len(v)} | "
                     f"{pct(v, 50):.1f} | {pct(v, 99):.1f} |")  # fmt: skip
    lines += [
        "",
        f"Server RSS: {rss_start / 1024:.1f} MiB before the stations log in, "
        f"{rss_min1 / 1024:.1f} MiB after minute 1, {rss_end / 1024:.1f} MiB at the end "
        f"(growth from minute 1: {(rss_end - rss_min1) / rss_min1 * 100:+.1f} %, from the "
        f"start: {(rss_end - rss_start) / rss_start * 100:+.1f} %). Samples (s, MiB): "
        + ", ".join(f"{t:.0f}:{kb / 1024:.0f}" for t, kb in rss[:: max(1, len(rss) // 12)]),
        "",
        "Unexpected answers: "
        + (", ".join(f"{k} ×{v}" for k, v in load.surprises.most_common(8)) or "none")
        + f"; floor views offline: {floor_offline} times.",
        "",
        "End state: " + ", ".join(f"{k} {v}" for k, v in stats.items()),
        "",
        "Invariants (integrity_check; one ticket per counter, at the end and at every step of "
        "the log; each acknowledged call in the log once, at its counter; no ticket called "
        "more often than it returned to the queue; every acknowledged ticket stored; the log "
        "replays to the tickets): " + verdict,
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("# Soak: a hall day over the server (issue 8)\n\n" + text + "\n",
                            encoding="utf-8")  # fmt: skip
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
