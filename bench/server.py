"""Benchmark: call-next over the hall server on loopback, beside the in-process engine.

    uv run python bench/server.py [--seconds 4] [--out bench/out/server.md]

For 1, 16 and 64 stations it measures call-next latency (p50/p99) and calls
per second, two ways:

* ``saturated``: every station calls, finishes and calls again at once (a
  closed loop: latency there is mostly the queue behind the one writer);
* ``paced``: every station calls once a second (a busy hall: a clerk calls at
  most every few seconds), the latency a clerk feels.

The in-process engine (``LocalHall``, one thread per station) runs the same
closed loop in the same run. Then the time from a call at one station to its
arrival on another station's event stream (p95), with 16 streams connected.

Last, the citizens' pages: the paced hall (16 stations, a call a second each) without and
then with 500 queue pages open (``/t/{code}/events``, one Server-Sent Events stream each,
held by a separate process so the pages' client does not slow the stations' one); the
counters' call p99 side by side, and how long a call takes to reach the called ticket's
page (p95).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from console.domain import Actor  # noqa: E402
from console.domain.errors import Refused  # noqa: E402
from console.local import LocalHall  # noqa: E402
from console.server.auth import add_station  # noqa: E402

ADMIN = Actor(staff_no="cli", role="admin", station="bench", name="bench")
COUNTERS = 64
STATIONS = (1, 16, 64)
PAGES = 500
"""Queue pages open on phones in the citizens' pages run."""
PAGE_STATIONS = 16
QUEUE = 3000
"""Waiting tickets at the start of every run (topped up): a busy hall's queue. The engine's
call-next sorts the waiting tickets, so its cost grows with the queue."""


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def top_up(db: Path) -> None:
    hall = LocalHall(db)
    waiting = len(hall.list_tickets(status="waiting"))
    if waiting < QUEUE:
        seed(hall, QUEUE - waiting)
    hall.close()


def build(db: Path, tickets: int) -> str:
    hall = LocalHall(db, create=True)
    hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
    for n in range(1, COUNTERS + 1):
        hall.add_counter(ADMIN, number=n, services=["ID"])
        hall.open_counter(ADMIN, n)
    seed(hall, tickets)
    _, token = add_station(hall.engine, ADMIN, "bench", "admin")
    # every page of this run comes from 127.0.0.1: a hall behind one address would do the same
    hall.set_setting(ADMIN, "public_rate_per_min", 100_000)
    hall.close()
    return token


def seed(hall: LocalHall, tickets: int) -> None:
    engine = hall.engine
    with hall._lock:
        engine.core.write("seed", None, lambda: [
            engine.tickets.issue_in_write(ADMIN, "ID", None, None, False, False, None)
        for _ in range(tickets)
        ], encode=len)  # fmt: skip


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- over the server -------------------------------------------------------------
class Conn:
    """A minimal keep-alive HTTP/1.1 client: the load generator must cost less than the server
    (httpx's async pool is slower than the server under 64 concurrent connections)."""

    def __init__(self, host: str, port: int, token: str):
        self.host, self.port, self.token = host, port, token

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, path: str, body: bytes = b"{}") -> tuple[int, bytes]:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Authorization: Bearer {self.token}\r\n"
            f"Idempotency-Key: {uuid.uuid4().hex}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return int(status_line.split()[1]), await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


async def station_loop(conn: Conn, counter: int, stop: float, pace: float | None,
                       lat: list[float], sent: dict[str, float] | None = None) -> None:  # fmt: skip
    while time.perf_counter() < stop:
        began = time.perf_counter()
        called_at = time.monotonic()
        status, body = await conn.post(f"/api/v1/counters/{counter}/call-next")
        if status != 200:
            raise RuntimeError(body.decode())
        lat.append(time.perf_counter() - began)
        if sent is not None:
            sent[json.loads(body)["number"]] = called_at
        await conn.post(f"/api/v1/counters/{counter}/finish")
        if pace:
            await asyncio.sleep(max(0.0, pace - (time.perf_counter() - began)))


async def run_remote(port: int, token: str, stations: int, seconds: float,
                     pace: float | None, sent: dict[str, float] | None = None
                     ) -> tuple[list[float], float]:  # fmt: skip
    lat: list[float] = []
    conns = [Conn("127.0.0.1", port, token) for _ in range(stations)]
    for conn in conns:  # connect and warm up (one unmeasured call each), as stations at 8:00
        await conn.open()
    for i, conn in enumerate(conns):
        await conn.post(f"/api/v1/counters/{i + 1}/call-next")
        await conn.post(f"/api/v1/counters/{i + 1}/finish")
    start = time.perf_counter()
    stop = start + seconds

    async def one(i: int) -> None:
        if pace:  # spread the stations over the pace interval
            await asyncio.sleep(pace * i / stations)
        await station_loop(conns[i], i + 1, stop, pace, lat, sent)

    await asyncio.gather(*(one(i) for i in range(stations)))
    elapsed = time.perf_counter() - start
    for conn in conns:
        conn.close()
    return lat, elapsed


# -- in process ------------------------------------------------------------------------
def run_local(db: Path, stations: int, seconds: float) -> tuple[list[float], float]:
    hall = LocalHall(db)
    lat: list[float] = []
    stop = time.perf_counter() + seconds

    def loop(counter: int) -> None:
        while time.perf_counter() < stop:
            began = time.perf_counter()
            try:
                hall.call_next(ADMIN, counter, key=uuid.uuid4().hex)
            except Refused:
                return  # the queue ran dry
            lat.append(time.perf_counter() - began)
            hall.finish(ADMIN, counter, key=uuid.uuid4().hex)

    start = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(i + 1,)) for i in range(stations)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    hall.close()
    return lat, elapsed


# -- stream delivery -------------------------------------------------------------------
def stream_delivery(url: str, token: str, calls: int = 150, streams: int = 16) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    sent: dict[int, float] = {}
    arrived: dict[int, float] = {}
    ready = threading.Barrier(streams + 1)
    done = threading.Event()

    def listen(record: bool) -> None:
        with httpx.stream("GET", url + "/api/v1/stream", headers=headers, timeout=30) as r:
            ready.wait()
            for line in r.iter_lines():
                if done.is_set():
                    return
                if record and line.startswith("data:") and '"kind": "called"' in line:
                    ticket = int(line.split('"ticket_id": ')[1].split(",")[0])
                    arrived.setdefault(ticket, time.perf_counter())

    threads = [threading.Thread(target=listen, args=(i == 0,), daemon=True)
               for i in range(streams)]  # fmt: skip
    for t in threads:
        t.start()
    ready.wait()
    time.sleep(0.2)
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for _ in range(calls):
            began = time.perf_counter()
            r = client.post("/api/v1/counters/1/call-next",
                            headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
            sent[r.json()["id"]] = began
            client.post("/api/v1/counters/1/finish", json={},
                        headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
            time.sleep(0.02)
    time.sleep(0.5)
    done.set()
    return [arrived[t] - sent[t] for t in sent if t in arrived]


# -- the citizens' pages ------------------------------------------------------------------
def oldest_codes(db: Path, count: int) -> list[str]:
    """The public codes of the ``count`` tickets the counters will call first."""
    hall = LocalHall(db)
    try:
        return [r[0] for r in hall.engine.conn.execute(
            "SELECT public_code FROM tickets WHERE status = 'waiting' ORDER BY queued_at, id"
            " LIMIT ?", (count,))]  # fmt: skip
    finally:
        hall.close()


SERVED = re.compile(rb'"state": "(called|serving|finished)"')
"""A page's first state after waiting: "go to counter N" (or, when the clerk was quicker
than the page, what came after it; the bench's stations finish at once)."""


async def _pages(port: int, codes: list[str], ready: Any, stop: Any) -> dict[str, Any]:
    """Hold one queue page's stream per code; note when each page leaves "waiting"."""
    arrived: dict[str, float] = {}
    connected = 0
    refused = 0

    async def page(code: str) -> None:
        nonlocal connected, refused
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET /t/{code}/events?lang=en HTTP/1.1\r\nHost: bench\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())  # fmt: skip
        status = await reader.readline()
        if b" 200 " not in status:
            refused += 1
            return
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        connected += 1
        while line := await reader.readline():
            if line.startswith(b"data: {") and SERVED.search(line):
                arrived.setdefault(json.loads(line[6:])["number"], time.monotonic())

    tasks = []
    for code in codes:  # open them as phones do: a few at a time, not all in one instant
        tasks.append(asyncio.create_task(page(code)))
        await asyncio.sleep(0.002)
    while connected + refused < len(codes):
        await asyncio.sleep(0.05)
    ready.set()
    while not stop.is_set():
        await asyncio.sleep(0.05)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"arrived": arrived, "connected": connected, "refused": refused}


def pages_process(port: int, codes: list[str], ready: Any, stop: Any, out: Any) -> None:
    out.put(asyncio.run(_pages(port, codes, ready, stop)))


def with_pages(port: int, token: str, db: Path, seconds: float
               ) -> tuple[list[float], list[float], dict[str, Any]]:  # fmt: skip
    """The paced hall while ``PAGES`` queue pages are open (in another process)."""
    ctx = multiprocessing.get_context("fork")
    ready, stop, out = ctx.Event(), ctx.Event(), ctx.Queue()
    proc = ctx.Process(target=pages_process,
                       args=(port, oldest_codes(db, PAGES), ready, stop, out))  # fmt: skip
    proc.start()
    if not ready.wait(120):
        proc.kill()
        raise SystemExit("the queue pages did not open")
    time.sleep(1.0)  # the pages' first views are out; the hall settles
    sent: dict[str, float] = {}
    lat, _ = asyncio.run(run_remote(port, token, PAGE_STATIONS, seconds, 1.0, sent))
    time.sleep(1.0)
    stop.set()
    pages = out.get(timeout=60)
    proc.join(30)
    delivery = [pages["arrived"][n] - t for n, t in sent.items() if n in pages["arrived"]]
    return lat, delivery, pages


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="qconsole-bench-"))
    rows: list[tuple] = []

    local_db = tmp / "local.db"
    build(local_db, QUEUE)
    for n in STATIONS:
        top_up(local_db)
        lat, elapsed = run_local(local_db, n, args.seconds)
        rows.append(("in-process", "saturated", n, lat, elapsed))

    db = tmp / "hall.db"
    token = build(db, QUEUE)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from console.cli.main import run; run()", "serve", "--db",
         str(db), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        for n in STATIONS:
            top_up(db)
            lat, elapsed = asyncio.run(run_remote(port, token, n, args.seconds, None))
            rows.append(("server", "saturated", n, lat, elapsed))
        for n in STATIONS:
            top_up(db)
            lat, elapsed = asyncio.run(run_remote(port, token, n, max(args.seconds, 8), 1.0))
            rows.append(("server", "paced 1 call/s/station", n, lat, elapsed))
        top_up(db)
        delivery = stream_delivery(url, token)
        page_seconds = max(args.seconds, 8)
        top_up(db)
        base, _ = asyncio.run(run_remote(port, token, PAGE_STATIONS, page_seconds, 1.0))
        top_up(db)
        paged, page_delivery, pages = with_pages(port, token, db, page_seconds)
    finally:
        proc.terminate()
        proc.wait(15)

    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}; "
        f"{QUEUE} waiting tickets at the start of each run; loopback; access log on; each "
        "station connected and warmed up (one unmeasured call) before the clock starts.",
        "",
        "| path | load | stations | calls | calls/s | p50 ms | p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for path, load, n, lat, elapsed in rows:
        lines.append(f"| {path} | {load} | {n} | {len(lat)} | {len(lat) / elapsed:.0f} | "
                     f"{pct(lat, 50) * 1000:.2f} | {pct(lat, 99) * 1000:.2f} |")  # fmt: skip
    lines += [
        "",
        f"Stream delivery (call sent at one station → event on another station's stream, "
        f"16 streams open, {len(delivery)} calls): p50 {pct(delivery, 50) * 1000:.1f} ms, "
        f"p95 {pct(delivery, 95) * 1000:.1f} ms, max {max(delivery) * 1000:.1f} ms",
    ]
    ratio = pct(paged, 99) / pct(base, 99)
    lines += [
        "",
        f"Citizens' pages ({PAGE_STATIONS} stations paced at 1 call/s, {page_seconds:.0f} s "
        f"each; the pages held by another process, {pages['connected']} streams open, "
        f"{pages['refused']} refused):",
        "",
        "| run | calls | call p50 ms | call p99 ms | page delivery p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| no pages open | {len(base)} | {pct(base, 50) * 1000:.2f} | "
        f"{pct(base, 99) * 1000:.2f} | – | – | – |",
        f"| {PAGES} queue pages open (SSE) | {len(paged)} | {pct(paged, 50) * 1000:.2f} | "
        f"{pct(paged, 99) * 1000:.2f} | {pct(page_delivery, 50) * 1000:.1f} | "
        f"{pct(page_delivery, 95) * 1000:.1f} | {max(page_delivery, default=0) * 1000:.1f} |",
        "",
        f"Call p99 with the pages open: {ratio:.2f}× the run without them (target ≤ 1.5×); "
        f"the pages of {len(page_delivery)} called tickets told of their call.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    _ = statistics  # kept for ad-hoc use


if __name__ == "__main__":
    main()
