"""A city's fleet of hall servers on loopback, each living through its day: for ``bench/city.py``.

    uv run python bench/city_fleet.py --halls 10 --seconds 60     # the fleet alone, for a look

Each hall is a copy of one of a few demo halls (``console.demo``: six queues, the 320-matter
one-stop catalogue, seven counters, the morning's replay behind it) built at 10:00 on a
Thursday, renamed and given a city token. A *fleet process* serves ``--per-process`` halls,
each its own hall server (``create_app``, as ``qconsole serve`` makes it, on its own port):
one Python process per hall would spend ~85 MB and ~2 s of CPU on imports a hall, 8.5 GB and
over three minutes of both cores for a hundred, which is not what is being measured.

The day (:class:`HallDay`) is a discrete-event model on the hall's clock: citizens arrive at
random (Poisson, at 0.7–1.2× what the hall's open counters can serve, so some halls queue and
others do not), each open counter calls the next ticket, the citizen walks up (20–60 s), is
served for 3–15 minutes, and the counter calls again. Every step is one engine write in the
hall server's own process, on its writer thread, as a station's request would be
(``ServerHall.aengine_write``; it wakes the hall's stream at once). A hall's clock runs at
``pace``× real time from 10:00 (``QCONSOLE_NOW``-style: ``T0 + offset + pace·(now − R0)``).

A call is logged (hall, its event id, the real time of its commit) to the fleet process's
calls file, for the lag from a hall's call to the city's figures. The same model plays a
stopped hall's hour offline (:func:`play_offline`: a ``FixedClock`` moved on action by
action), so an outage leaves the hall's day going on as it would in the hall.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import heapq
import json
import os
import random
import shutil
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from console.demo import build_demo, demo_catalogue  # noqa: E402
from console.domain import Actor  # noqa: E402
from console.domain.errors import QConsoleError, Refused  # noqa: E402
from console.engine import Clock, Engine, FixedClock  # noqa: E402
from console.local import LocalHall  # noqa: E402
from console.server.auth import add_station  # noqa: E402

TZ_NAME = "Asia/Shanghai"
TZ = ZoneInfo(TZ_NAME)
T0 = datetime(2026, 11, 26, 10, 0, tzinfo=TZ).timestamp()
"""10:00 on a Thursday: every hall's day starts here; the bench never reads today's date."""
ADMIN = Actor(staff_no="cli", role="admin", station="bench", name="bench")
TEMPLATES = 4
"""Demo halls built with different seeds; the fleet's halls are copies of them."""
HANDLING_S = (180, 900)
WALK_S = (20, 60)
IDLE_RETRY_S = 30
"""A counter that found nobody waiting looks again this much later (hall time)."""
DISTRICTS = ("锦江区", "青羊区", "金牛区", "武侯区", "成华区", "高新区", "天府新区", "双流区",
             "郫都区", "新都区")  # fmt: skip
CENTRE = (30.6598, 104.0633)
"""Where the fleet's halls are scattered around (±0.15°, about ±15 km)."""


# -- the halls ---------------------------------------------------------------------------
@dataclass
class FleetHall:
    """One hall of the fleet: its database, port, city token and where it is."""

    index: int
    db: Path
    port: int
    token: str
    name: str
    district: str
    address: str
    lat: float
    lon: float
    load: float
    """Arrivals as a share of what the hall's open counters serve."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def build_fleet(root: Path, halls: int, first_port: int, token_role: str) -> list[FleetHall]:
    """``halls`` hall databases under ``root`` (copies of :data:`TEMPLATES` demo halls), each
    renamed, with a token of ``token_role`` for the city."""
    root.mkdir(parents=True, exist_ok=True)
    templates = []
    for seed in range(TEMPLATES):
        path = root / f"template-{seed}.db"
        if not path.exists():
            hall = LocalHall(path, clock=FixedClock(T0, TZ), create=True)
            try:
                hall.engine.conn.execute("PRAGMA synchronous = OFF")  # building only
                build_demo(hall.engine, seed=seed + 7)
                hall.engine.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                hall.close()
        templates.append(path)
    rng = random.Random(31)
    fleet = []
    for i in range(halls):
        db = root / f"hall-{i:03d}.db"
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(templates[i % TEMPLATES], db)
        district = DISTRICTS[i % len(DISTRICTS)]
        name = f"{district}第{i // len(DISTRICTS) + 1}政务服务中心"
        hall = LocalHall(db, clock=FixedClock(T0, TZ))
        try:
            hall.engine.set_setting(ADMIN, "hall_name", f"{name} Hall {i + 1}")
            _, token = add_station(hall.engine, ADMIN, "city", token_role)
        finally:
            hall.close()
        fleet.append(FleetHall(
            index=i, db=db, port=first_port + i, token=token, name=name, district=district,
            address=f"{district}示范路{10 + i}号", lat=CENTRE[0] + rng.uniform(-0.15, 0.15),
            lon=CENTRE[1] + rng.uniform(-0.15, 0.15), load=rng.uniform(0.7, 1.2),
        ))  # fmt: skip
    return fleet


# -- the day -----------------------------------------------------------------------------
@dataclass(order=True)
class Action:
    at: float
    seq: int
    kind: str = field(compare=False)
    counter: int = field(compare=False, default=0)


class HallDay:
    """What happens next in one hall, on its own clock: arrivals and each open counter's
    call → serve → finish cycle. It starts from the hall's database as it is (a counter
    holding a ticket finishes it first), so it can pick up after a restart or an outage."""

    def __init__(self, engine: Engine, seed: int, load: float, start: float):
        self.rng = random.Random(seed)
        self.seq = 0
        self.queue: list[Action] = []
        conn = engine.conn
        self.clerks = {
            row[0]: Actor(staff_no=row[1], role="clerk", station=f"demo-{row[0]}", name="clerk")
            for row in conn.execute("SELECT c.number, k.staff_no FROM counters c JOIN clerks k"
                                    " ON k.id = c.clerk_id WHERE c.state = 'open'")
        }  # fmt: skip
        held = dict(conn.execute("SELECT counter_number, status FROM tickets WHERE status IN"
                                 " ('called', 'serving')").fetchall())  # fmt: skip
        for counter in self.clerks:
            kind = {"called": "serve", "serving": "finish"}.get(held.get(counter, ""), "call")
            self.push(start + self.rng.uniform(0, 60), kind, counter)
        mean_handling = sum(HANDLING_S) / 2 + sum(WALK_S) / 2
        self.arrival_s = mean_handling / max(1, len(self.clerks)) / load
        self.push(start + self.rng.expovariate(1 / self.arrival_s), "arrive")
        matters = demo_catalogue()
        self.matters: dict[str, list[str]] = {}
        for row in matters:
            self.matters.setdefault(str(row["service"]), []).append(str(row["code"]))
        self.codes = ["ID", "PP", "RES", "HH", "VEH", "ZH"]
        self.weights = [5, 3, 2, 1, 1, 2]

    def push(self, at: float, kind: str, counter: int = 0) -> None:
        self.seq += 1
        heapq.heappush(self.queue, Action(at, self.seq, kind, counter))

    def next_at(self) -> float:
        return self.queue[0].at

    def step(self, engine: Engine) -> int | None:
        """Do the next action on ``engine`` at its clock; the event id of a call, else None."""
        action = heapq.heappop(self.queue)
        now, counter, rng = action.at, action.counter, self.rng
        if action.kind == "arrive":
            self.push(now + rng.expovariate(1 / self.arrival_s), "arrive")
            code = rng.choices(self.codes, self.weights)[0]
            matters = self.matters.get(code)
            matter = rng.choice(matters[:12]) if matters and rng.random() < 0.6 else None
            green = "elderly" if rng.random() < 0.05 else None
            with contextlib.suppress(Refused):  # a matter not taken today: the citizen leaves
                engine.issue(ADMIN, None if matter else code, matter=matter, green_reason=green)
            return None
        actor = self.clerks[counter]
        if action.kind == "call":
            try:
                engine.call_next(actor, counter)
            except Refused:
                self.push(now + IDLE_RETRY_S, "call", counter)
                return None
            self.push(now + rng.uniform(*WALK_S), "serve", counter)
            return int(engine.conn.execute("SELECT max(id) FROM events").fetchone()[0])
        if action.kind == "serve":
            engine.serve(actor, counter)
            self.push(now + rng.uniform(*HANDLING_S), "finish", counter)
            return None
        engine.finish(actor, counter, outcome="done", rating=rng.choice([None, 5, 5, 4, 3]))
        self.push(now + rng.uniform(2, 10), "call", counter)
        return None


def play_offline(db: Path, seed: int, load: float, start: float, seconds: float) -> int:
    """The hall's day from ``start`` for ``seconds`` with no server (its link to the city
    down, the hall working on): each action at its moment on a ``FixedClock``. Returns the
    hall's newest event id."""
    clock = FixedClock(start, TZ)
    hall = LocalHall(db, clock=clock)
    try:
        engine = hall.engine
        day = HallDay(engine, seed, load, start)
        while day.next_at() < start + seconds:
            clock.t = day.next_at()
            with contextlib.suppress(QConsoleError):
                day.step(engine)
        return int(engine.conn.execute("SELECT max(id) FROM events").fetchone()[0])
    finally:
        hall.close()


# -- a fleet process ---------------------------------------------------------------------
def paced_clock(offset: float, pace: float, real0: float) -> Clock:
    """The hall's clock: ``T0 + offset`` at real time ``real0``, running ``pace``× real time."""
    return Clock(TZ, lambda: T0 + offset + pace * (time.time() - real0))


async def drive(app: Any, day: HallDay, hall_index: int, clock: Clock, pace: float,
                calls: Any) -> None:  # fmt: skip
    """Play the hall's day through its server's writer, each action at its moment."""
    hall = app.state.hall
    while True:
        wait = (day.next_at() - clock.now()) / pace
        if wait > 0:
            await asyncio.sleep(wait)
        try:
            event = await hall.aengine_write(day.step)
        except QConsoleError:
            continue
        if event is not None:
            calls.write(f"{hall_index} {event} {time.time():.4f}\n")
            calls.flush()


async def serve_fleet(spec: dict[str, Any]) -> None:
    """Serve the spec's halls, each on its port, and play their days until SIGTERM."""
    import uvicorn

    from console.server.app import create_app

    pace, real0 = spec["pace"], spec["real0"]
    servers, tasks = [], []
    calls = open(spec["calls"], "a", buffering=1)  # noqa: SIM115 (open for the process's life)
    for hall in spec["halls"]:
        clock = paced_clock(hall["offset"], pace, real0)
        app = create_app(hall["db"], clock=clock)
        config = uvicorn.Config(app, host="127.0.0.1", port=hall["port"], log_level="warning",
                                access_log=False, loop="none", timeout_keep_alive=30)  # fmt: skip
        server = uvicorn.Server(config)
        server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        servers.append((server, app, hall, clock))
    runs = [asyncio.create_task(server.serve()) for server, *_ in servers]
    for server, app, hall, clock in servers:
        while not server.started:
            await asyncio.sleep(0.05)
        day = HallDay(app.state.hall.writer.engine, hall["seed"], hall["load"], clock.now())
        tasks.append(asyncio.create_task(drive(app, day, hall["index"], clock, pace, calls)))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def rest() -> None:
        """SIGUSR1: the halls' days stop here (the servers serve on), so the city's figures
        can be compared with the halls' own."""
        for task in tasks:
            task.cancel()

    loop.add_signal_handler(signal.SIGUSR1, rest)
    Path(spec["ready"]).write_text("ready")
    await stop.wait()
    for task in tasks:
        task.cancel()
    for server, app, *_ in servers:
        app.state.hall.hub.begin_shutdown()
        server.should_exit = True
    await asyncio.gather(*runs, return_exceptions=True)


def worker_main(spec_path: str) -> None:
    import uvloop

    spec = json.loads(Path(spec_path).read_text())
    uvloop.run(serve_fleet(spec))


# -- starting and stopping fleet processes ----------------------------------------------
class FleetProcess:
    """One process serving a group of the fleet's halls."""

    def __init__(self, root: Path, group: int, halls: list[FleetHall], pace: float,
                 real0: float):  # fmt: skip
        self.root, self.group, self.halls = root, group, halls
        self.pace, self.real0 = pace, real0
        self.offsets = {h.index: 0.0 for h in halls}
        self.proc: Any = None
        self.starts = 0

    def start(self) -> None:
        import subprocess

        self.starts += 1
        ready = self.root / f"fleet-{self.group}.ready"
        ready.unlink(missing_ok=True)
        spec = {
            "pace": self.pace, "real0": self.real0, "ready": str(ready),
            "calls": str(self.root / f"calls-{self.group}.log"),
            "halls": [{"index": h.index, "db": str(h.db), "port": h.port, "load": h.load,
                       "seed": h.index * 1000 + self.starts, "offset": self.offsets[h.index]}
                      for h in self.halls],
        }  # fmt: skip
        path = self.root / f"fleet-{self.group}.json"
        path.write_text(json.dumps(spec))
        log = open(self.root / f"fleet-{self.group}.log", "ab")  # noqa: SIM115
        env = {**os.environ, "TZ": TZ_NAME, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker", str(path)],
                                     stdout=log, stderr=log, env=env, cwd=ROOT)  # fmt: skip
        self.ready = ready

    def wait_ready(self, timeout: float = 600.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.ready.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                log = (self.root / f"fleet-{self.group}.log").read_text()[-3000:]
                raise RuntimeError(f"fleet process {self.group} did not start:\n{log}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except Exception:
                self.proc.kill()
                self.proc.wait()

    def rest(self) -> None:
        """The halls' days stop; their servers serve on."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGUSR1)

    def hall_now(self, hall: FleetHall) -> float:
        return T0 + self.offsets[hall.index] + self.pace * (time.time() - self.real0)


def start_fleet(root: Path, fleet: list[FleetHall], per_process: int, pace: float,
                real0: float) -> list[FleetProcess]:  # fmt: skip
    groups = [FleetProcess(root, g, fleet[i:i + per_process], pace, real0)
              for g, i in enumerate(range(0, len(fleet), per_process))]  # fmt: skip
    try:
        for group in groups:
            group.start()
        for group in groups:
            group.wait_ready()
    except BaseException:
        for group in groups:
            group.stop()
        raise
    return groups


def read_calls(root: Path) -> list[tuple[int, int, float]]:
    """Every call the fleet logged: (hall index, event id, real time of the commit)."""
    calls = []
    for path in root.glob("calls-*.log"):
        for line in path.read_text().splitlines():
            hall, event, at = line.split()
            calls.append((int(hall), int(event), float(at)))
    return calls


def newest_event(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--halls", type=int, default=10)
    parser.add_argument("--per-process", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pace", type=float, default=1.0)
    parser.add_argument("--port", type=int, default=18850)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/qconsole-city-fleet"))
    args = parser.parse_args()
    if args.worker:
        worker_main(args.worker)
        return
    for old in args.dir.glob("calls-*.log"):
        old.unlink()
    fleet = build_fleet(args.dir, args.halls, args.port, "station")
    groups = start_fleet(args.dir, fleet, args.per_process, args.pace, time.time())
    try:
        time.sleep(args.seconds)
    finally:
        for group in groups:
            group.stop()
    calls = read_calls(args.dir)
    print(json.dumps({"halls": len(fleet), "calls": len(calls),
                      "events": sum(newest_event(h.db) for h in fleet)}))  # fmt: skip


if __name__ == "__main__":
    main()
