"""Benchmark: what one write costs the hall server, beside another version of the code.

    uv run python bench/lighter_call.py --baseline /path/to/a/worktree [--baseline ...]
        [--cycles 1500] [--stations 8] [--rounds 3]

Two figures, for this checkout and for each ``--baseline`` checkout (a ``git worktree``
of an earlier release, with its own ``uv sync``: each runs on its own virtualenv), in
the same run:

* **statements per write on the writer**: SQLite's trace callback on the writer's
  connection counts the statements one keyed issue, call-next and finish run, in the
  steady state of a day (the day's first write and the first after a settings change
  read more); the trigger programs they start are counted apart;
* **server CPU per call+finish cycle**: both servers (``qconsole serve`` on loopback)
  run at once; in interleaved rounds each gets ``--cycles`` call-next + finish cycles
  from ``--stations`` keep-alive connections, and the server process's user+system CPU
  (``/proc/PID/stat``, all its threads) over the round is divided by the cycles.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


# -- inside one checkout (run by that checkout's own Python) ---------------------------
def _imports(root: Path):  # the checkout's own classes
    sys.path.insert(0, str(root))
    from console.domain import Actor
    from console.local import LocalHall
    from console.server.auth import add_station

    admin = Actor(staff_no="cli", role="admin", station="bench", name="bench")
    return Actor, LocalHall, add_station, admin


def build(root: Path, db: Path, tickets: int, counters: int) -> str:
    """A hall of one service and ``counters`` open counters, ``tickets`` waiting; returns an
    admin station's token."""
    _, LocalHall, add_station, admin = _imports(root)
    hall = LocalHall(db, create=True)
    hall.add_service(admin, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
    for n in range(1, counters + 1):
        hall.add_counter(admin, number=n, services=["ID"])
        hall.open_counter(admin, n)
    engine = hall.engine
    if hasattr(engine, "core"):  # the engine of rooms
        write, issue = engine.core.write, engine.tickets.issue_in_write
    else:  # a baseline checkout from before the rooms
        write, issue = engine._write, engine._issue
    with hall._lock:
        write("seed", None, lambda: [
            issue(admin, "ID", None, None, False, False, None) for _ in range(tickets)
        ], encode=len)  # fmt: skip
    _, token = add_station(engine, admin, "bench", "admin")
    hall.set_setting(admin, "public_rate_per_min", 100_000)
    hall.close()
    return token


def top_level(traced: list[str]) -> list[str]:
    """The statements a write ran, without its triggers' programs: Python's trace callback
    shows each trigger program that a statement starts as that statement again."""
    out: list[str] = []
    for statement in traced:
        if not out or statement != out[-1]:
            out.append(statement)
    return out


def count_statements(root: Path, db: Path) -> dict[str, dict[str, float]]:
    """Statements per keyed issue, call-next and finish on the server's writer connection
    (``ServerHall.write``, as the routes call it)."""
    _, _, _, admin = _imports(root)
    from console.server.hall import ServerHall

    build(root, db, 200, 2)
    hall = ServerHall(db)
    seen: list[str] = []
    hall.writer.engine.conn.set_trace_callback(seen.append)

    def key() -> str:
        return f"bench:{uuid.uuid4().hex}"

    ops = {
        "issue": lambda: hall.write("issue", key(), admin, "ID"),
        "call_next": lambda: hall.write("call_next", key(), admin, 1),
        "finish": lambda: hall.write("finish", key(), admin, 1),
    }
    for op in ops.values():  # the day's first write and the caches: not the steady state
        op()
    counts: dict[str, list[tuple[int, int]]] = {name: [] for name in ops}
    for _ in range(20):
        for name, op in ops.items():
            seen.clear()
            op()
            top = top_level(seen)
            counts[name].append((len(top), len(seen) - len(top)))
    hall.printing.start()  # close() stops it
    hall.close()
    return {
        name: {"statements": statistics.mean(c[0] for c in rows),
               "in_triggers": statistics.mean(c[1] for c in rows),
               "max": max(c[0] for c in rows)}
        for name, rows in counts.items()
    }  # fmt: skip


# -- the load generator -------------------------------------------------------------------
class Conn:
    """A minimal keep-alive HTTP/1.1 client, so the load costs less than the server."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def post(self, path: str, body: bytes = b"{}") -> tuple[int, bytes]:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {self.token}\r\n"
            f"Idempotency-Key: {uuid.uuid4().hex}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return int(status_line.split()[1]), await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


async def cycles(port: int, token: str, stations: int, total: int) -> int:
    """``total`` call-next + finish cycles shared by ``stations`` connections."""
    conns = [Conn(port, token) for _ in range(stations)]
    for conn in conns:
        await conn.open()
    left = total

    async def station(i: int) -> None:
        nonlocal left
        while left > 0:
            left -= 1
            status, body = await conns[i].post(f"/api/v1/counters/{i + 1}/call-next")
            if status != 200:
                raise RuntimeError(body.decode())
            status, body = await conns[i].post(f"/api/v1/counters/{i + 1}/finish")
            if status != 200:
                raise RuntimeError(body.decode())

    await asyncio.gather(*(station(i) for i in range(stations)))
    for conn in conns:
        conn.close()
    return total


def _head(root: Path) -> str:
    return subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``qconsole serve`` of one checkout, on its own virtualenv."""

    def __init__(self, name: str, root: Path, tmp: Path, tickets: int, stations: int):
        self.name, self.root = name, root
        self.python = root / ".venv" / "bin" / "python"
        self.stem = re.sub(r"\W+", "-", name)
        db = tmp / f"{self.stem}.db"
        self.token = self._helper("--build", str(db), str(tickets), str(stations)).strip()
        self.port = free_port()
        self.proc = subprocess.Popen(
            [str(self.python), "-c", "from console.cli.main import run; run()", "serve",
             "--db", str(db), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root,
        )  # fmt: skip
        self._wait_up()

    def _helper(self, *args: str) -> str:
        return subprocess.run([str(self.python), str(HERE), "--root", str(self.root), *args],
                              check=True, capture_output=True, text=True, cwd=self.root
                              ).stdout  # fmt: skip

    def statements(self, db: Path) -> dict:
        return json.loads(self._helper("--statements", str(db)))

    def _wait_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        raise SystemExit(f"the {self.name} server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(15)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", type=Path, action="append", default=[])
    ap.add_argument("--cycles", type=int, default=1500)
    ap.add_argument("--stations", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--build", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--statements", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build:
        db, tickets, counters = args.build
        print(build(args.root, Path(db), int(tickets), int(counters)))
        return
    if args.statements:
        print(json.dumps(count_statements(args.root, args.statements)))
        return
    roots = {f"{path.name} ({_head(path)})": path.resolve() for path in args.baseline}
    roots["this"] = ROOT
    tmp = Path(tempfile.mkdtemp(prefix="qconsole-lighter-"))
    tickets = args.cycles * args.rounds + args.stations * 4 + 100
    servers: dict[str, Server] = {}
    try:
        for name, root in roots.items():
            servers[name] = Server(name, root, tmp, tickets, args.stations)
        statements = {name: s.statements(tmp / f"{s.stem}-count.db") for name, s in servers.items()}
        for s in servers.values():  # warm up: every station's first call, imports, caches
            asyncio.run(cycles(s.port, s.token, args.stations, args.stations * 2))
        spent: dict[str, list[float]] = {name: [] for name in servers}
        rates: dict[str, list[float]] = {name: [] for name in servers}
        for _ in range(args.rounds):
            for name, s in servers.items():
                before, began = cpu_s(s.proc.pid), time.perf_counter()
                done = asyncio.run(cycles(s.port, s.token, args.stations, args.cycles))
                wall = time.perf_counter() - began
                spent[name].append((cpu_s(s.proc.pid) - before) / done)
                rates[name].append(done / wall)
    finally:
        for s in servers.values():
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}; "
          f"{args.stations} stations, {args.rounds} interleaved rounds of {args.cycles} "
          "call-next + finish cycles per server; access log on.\n")  # fmt: skip
    print(
        "| code | issue | call-next | finish | CPU per cycle (median, ms) | rounds (ms) "
        "| cycles/s |"
    )
    print("|---|---:|---:|---:|---:|---|---:|")
    for name in servers:
        st = statements[name]

        def cell(op: str, st: dict = st) -> str:
            extra = f" (+{st[op]['in_triggers']:g} triggers)" if st[op]["in_triggers"] else ""
            return f"{st[op]['statements']:g}{extra}"

        per = statistics.median(spent[name]) * 1000
        print(f"| {name} | {cell('issue')} | {cell('call_next')} | {cell('finish')} | "
              f"{per:.2f} | {', '.join(f'{x * 1000:.2f}' for x in spent[name])} | "
              f"{statistics.median(rates[name]):.0f} |")  # fmt: skip
    print()
    for name in servers:
        if name != "this":
            ratio = statistics.median(spent["this"]) / statistics.median(spent[name])
            print(f"CPU per cycle, this ÷ {name}: {ratio:.2f}×")


if __name__ == "__main__":
    main()
