"""Benchmark: one city process following 100 hall servers on loopback.

    uv run python bench/city.py [--halls 100] [--seconds 60] [--pace 10]
        [--outage-halls 10] [--outage-min 60] [--dir /tmp/qconsole-city-bench]

1. **The fleet.** ``--halls`` demo halls (``bench/city_fleet.py``: six queues, 320 matters,
   five to six open counters each), served ten to a process, each hall's day played on its
   own clock at ``--pace``× real time from 10:00: arrivals at 0.7–1.2× what its counters
   serve, each counter calling, serving and finishing, every step one engine write in the
   hall's server. ``qconsole city serve --halls city.toml`` follows them all with a city
   token each, keeping its figures in its own SQLite database.
2. **Cold start.** From the city process's start to its figures covering every hall.
3. **Live.** For ``--seconds``: the city's CPU (user + system, ``/proc``, all its threads)
   and memory (RSS, peak), and the lag from each hall's call (the commit of its event, in
   the hall's process) to the city's figures reflecting it (the ``as_of_event`` of the
   hall's snapshot stored in the city's database, which its API serves, at or past the
   call's event id). The city's database is read every ``POLL_S``, so a lag is known to
   within that (it errs high). The baseline, in the same run: the same calls' notices as
   they arrive on five halls' own city streams (what the city's links receive), so the
   ratio says what following, reading the snapshot and storing it add.
4. **Outage.** ``--outage-halls`` halls (the first fleet process: each serves that many)
   stop; while they are down, their
   day goes on for ``--outage-min`` minutes of hall time (played into their databases as
   the hall would work without its link: ``city_fleet.play_offline``), and they stay down
   at least ``--outage-hold`` real seconds, so the city's retries are as far apart as after
   a real hour (their longest interval, 30 s, is reached after a minute). Then they start
   again with their clocks that much later, and the catch-up time is from the restart to
   the city's figures reaching each hall's newest event (and, within it, from the halls
   listening again). Finally every hall's day stops and the city's figures of today's
   issued tickets are compared with each hall's own: nothing missed, nothing twice.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.city_fleet import (  # noqa: E402
    T0,
    TZ_NAME,
    FleetHall,
    build_fleet,
    newest_event,
    play_offline,
    read_calls,
    start_fleet,
)

TICKS = os.sysconf("SC_CLK_TCK")
POLL_S = 0.1
"""How often the bench reads the city's figures."""
LATE_S = 5.0
"""A call the city's figures have not shown this long after the window is counted unseen."""
BASELINE_HALLS = 5
"""Halls whose own notice streams the bench also follows, as the baseline."""


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, peak RSS) in MiB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text()
                  .splitlines() if ":" in line)  # fmt: skip
    return (int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024)


def key(hall: FleetHall) -> str:
    return f"h{hall.index:03d}"


def write_city_toml(path: Path, fleet: list[FleetHall]) -> None:
    lines = []
    for h in fleet:
        lines += ["[[hall]]", f'key = "{key(h)}"', f'name = "{h.name}"', f'url = "{h.url}"',
                  f'token = "{h.token}"',
                  f'district = "{h.district}"', f'address = "{h.address}"',
                  f"lat = {h.lat:.5f}", f"lon = {h.lon:.5f}", ""]  # fmt: skip
    path.write_text("\n".join(lines), encoding="utf-8")


class City:
    """``qconsole city serve`` over the fleet, and the bench's reading of its figures."""

    def __init__(self, root: Path, fleet: list[FleetHall], port: int):
        self.root, self.fleet, self.port = root, fleet, port
        self.url = f"http://127.0.0.1:{port}"
        self.by_key = {key(h): h.index for h in fleet}
        self.db = root / "city.db"
        self.reader: sqlite3.Connection | None = None
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        toml = self.root / "city.toml"
        write_city_toml(toml, self.fleet)
        db = self.db
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        self.real0 = time.time()
        env = {**os.environ, "TZ": TZ_NAME, "QCONSOLE_NOW": f"{T0!r}@{self.real0!r}"}
        log = open(self.root / "city.log", "wb")  # noqa: SIM115 (the process's own log)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from console.cli.main import run; run()", "city", "serve",
             "--halls", str(toml), "--db", str(db), "--listen", f"127.0.0.1:{self.port}"],
            stdout=log, stderr=log, env=env, cwd=ROOT,
        )  # fmt: skip

    def cursors(self) -> dict[int, int]:
        """Each hall's newest event the city's stored figures reflect, by fleet index (read
        from the city's database, which its API serves, so reading costs the city nothing)."""
        if self.reader is None:
            try:
                self.reader = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
            except sqlite3.Error:
                return {}
        try:
            rows = self.reader.execute(
                "SELECT hall, json_extract(snapshot, '$.as_of_event')"
                " FROM hall_now WHERE snapshot IS NOT NULL"
            ).fetchall()
        except sqlite3.Error:
            return {}
        return {self.by_key[k]: int(e or 0) for k, e in rows if k in self.by_key}

    def links_up_at(self, halls: list[FleetHall]) -> list[float]:
        """When the city's link to each of ``halls`` last came up (real time)."""
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            since = dict(conn.execute("SELECT hall, link_since FROM hall_now WHERE reachable"))
        finally:
            conn.close()
        return [since[key(h)] - T0 + self.real0 for h in halls if key(h) in since]

    def issued_today(self) -> dict[int, int]:
        """Today's tickets of each hall, as the city's API says."""
        answer = httpx.get(f"{self.url}/city/api/v1/halls", timeout=30).json()
        return {self.by_key[h["key"]]: int(h.get("issued") or 0) for h in answer}

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Watch:
    """The city's cursors read every ``POLL_S`` on a thread of their own, all through the
    run: when each hall's figures first reached each event id."""

    def __init__(self, city: City):
        self.city = city
        self.seen: dict[int, list[tuple[int, float]]] = {}
        """hall → [(cursor, first time the city showed it)], growing."""
        self.now: dict[int, int] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.is_set():
            began = time.monotonic()
            at = time.time()
            now = self.city.cursors()
            for hall, cursor in now.items():
                history = self.seen.setdefault(hall, [])
                if not history or cursor > history[-1][0]:
                    history.append((cursor, at))
            self.now = now
            self.stopping.wait(max(0.0, POLL_S - (time.monotonic() - began)))

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()

    def until(self, wanted: dict[int, int], timeout: float) -> float | None:
        """Seconds until every hall of ``wanted`` reached its id (None at the timeout)."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            now = self.now
            if all(now.get(h, 0) >= e for h, e in wanted.items()):
                return time.monotonic() - began
            time.sleep(POLL_S / 2)
        return None

    def shown_at(self, hall: int, event: int) -> float | None:
        for cursor, at in self.seen.get(hall, []):
            if cursor >= event:
                return at
        return None


class Notices:
    """The baseline, measured in the same run: a few halls' own streams of change notices
    (``/api/v1/city/stream``, with the city token, as the city reads them), each notice's
    arrival time by event id. The city's lag over this is what following, reading the
    snapshot and storing it add."""

    def __init__(self, halls: list[FleetHall]):
        self.arrived: dict[tuple[int, int], float] = {}
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._follow, args=(h,), daemon=True)
                        for h in halls]  # fmt: skip
        for thread in self.threads:
            thread.start()

    def _follow(self, hall: FleetHall) -> None:
        headers = {"Authorization": f"Bearer {hall.token}"}
        with (
            contextlib.suppress(httpx.HTTPError),
            httpx.stream(
                "GET", f"{hall.url}/api/v1/city/stream", headers=headers, timeout=None
            ) as answer,
        ):
            for line in answer.iter_lines():
                if self.stopping.is_set():
                    return
                if line.startswith("id: "):
                    self.arrived[(hall.index, int(line[4:]))] = time.time()

    def lags(self, calls: list[tuple[int, int, float]], since: float, until: float) -> list[float]:
        return [self.arrived[(h, e)] - at for h, e, at in calls
                if since <= at <= until and (h, e) in self.arrived]  # fmt: skip

    def stop(self) -> None:
        self.stopping.set()


def lags(watch: Watch, calls: list[tuple[int, int, float]], since: float, until: float,
         skip: set[int]) -> list[float]:  # fmt: skip
    out = []
    for hall, event, at in calls:
        if since <= at <= until and hall not in skip:
            shown = watch.shown_at(hall, event)
            out.append(shown - at if shown is not None else float("inf"))
    return out


def today_issued(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        day = conn.execute("SELECT max(day) FROM tickets").fetchone()[0]
        return int(conn.execute("SELECT count(*) FROM tickets WHERE day = ?", (day,)).fetchone()[0])
    finally:
        conn.close()


def run(args: argparse.Namespace) -> dict[str, Any]:
    root: Path = args.dir
    for old in root.glob("calls-*.log"):
        old.unlink()
    began = time.monotonic()
    fleet = build_fleet(root, args.halls, args.port, "city")
    built = time.monotonic() - began
    real0 = time.time()
    groups = start_fleet(root, fleet, args.outage_halls, args.pace, real0)
    fleet_up = time.monotonic() - began - built
    print(f"fleet of {len(fleet)} halls up ({built:.0f} s to build, {fleet_up:.0f} s to "
          f"start)", file=sys.stderr, flush=True)  # fmt: skip
    city = City(root, fleet, args.city_port)
    result: dict[str, Any] = {"halls": len(fleet), "pace": args.pace}
    watch: Watch | None = None
    try:
        city.start()
        assert city.proc is not None
        watch = Watch(city)
        cold = watch.until({h.index: newest_event(h.db) for h in fleet}, 300)
        result["cold_start_s"] = round(cold, 1) if cold is not None else None
        print(f"city has every hall in {cold} s", file=sys.stderr, flush=True)

        # -- live -------------------------------------------------------------------------
        notices = Notices(fleet[-BASELINE_HALLS:])
        time.sleep(1.0)
        events0 = sum(newest_event(h.db) for h in fleet)
        cpu0, t0 = cpu_s(city.proc.pid), time.time()
        time.sleep(args.seconds)
        cpu1, t1 = cpu_s(city.proc.pid), time.time()
        rss, peak = memory_mib(city.proc.pid)
        time.sleep(LATE_S)  # the window's last calls reach the city too
        calls = read_calls(root)
        live = lags(watch, calls, t0, t1, set())
        base = notices.lags(calls, t0, t1)
        notices.stop()
        events = sum(newest_event(h.db) for h in fleet)
        result["live"] = {
            "seconds": round(t1 - t0, 1), "calls": len(live),
            "events_per_s": round((events - events0) / (t1 - t0), 1),
            "city_cpu_share": round((cpu1 - cpu0) / (t1 - t0), 3),
            "rss_mib": round(rss, 1), "peak_rss_mib": round(peak, 1),
            "lag_p50_s": round(pct(live, 50), 3), "lag_p95_s": round(pct(live, 95), 3),
            "lag_max_s": round(max(live), 3) if live else None,
            "unseen": sum(1 for x in live if x == float("inf")),
            "notice_p50_s": round(pct(base, 50), 3), "notice_p95_s": round(pct(base, 95), 3),
            "notices": len(base),
            "lag_p95_over_notice_p95": round(pct(live, 95) / pct(base, 95), 1) if base else None,
        }  # fmt: skip
        print(json.dumps(result["live"]), file=sys.stderr, flush=True)

        # -- outage -----------------------------------------------------------------------
        out = groups[0]
        down = out.halls
        cut_at = time.time()
        stopped_hall_time = {h.index: out.hall_now(h) for h in out.halls}
        out.stop()
        at_stop = {h.index: newest_event(h.db) for h in down}
        for h in down:
            play_offline(h.db, h.index * 1000 + 999, h.load, stopped_hall_time[h.index],
                         args.outage_min * 60)  # fmt: skip
        played = time.time() - cut_at
        time.sleep(max(0.0, args.outage_hold - played))  # the city's retries reach their longest
        newest = {h.index: newest_event(h.db) for h in down}
        for h in down:
            out.offsets[h.index] = (stopped_hall_time[h.index] + args.outage_min * 60 - T0
                                    - args.pace * (time.time() - out.real0))  # fmt: skip
        down_s = time.time() - cut_at
        cpu2, restart, restart_at = cpu_s(city.proc.pid), time.monotonic(), time.time()
        out.start()
        out.wait_ready()
        listening, ready_at = time.monotonic() - restart, time.time()
        caught = watch.until(newest, 300)
        cpu3 = cpu_s(city.proc.pid)
        relinked = [at - ready_at for at in city.links_up_at(down)]
        caught_at = time.time()
        time.sleep(LATE_S)
        others = lags(watch, read_calls(root), restart_at, caught_at,
                      {h.index for h in down})  # fmt: skip
        result["outage"] = {
            "halls": len(down), "hall_minutes": args.outage_min,
            "events_while_down": sum(newest[h.index] - at_stop[h.index] for h in down),
            "down_s": round(down_s, 1), "listening_s": round(listening, 1),
            "caught_up_s": round(caught + listening, 1) if caught is not None else None,
            "relinked_after_listening_s": [round(min(relinked), 1), round(max(relinked), 1)],
            "city_cpu_s_catching_up": round(cpu3 - cpu2, 1),
            "other_halls_lag_p95_s": round(pct(others, 95), 3), "other_calls": len(others),
        }  # fmt: skip
        print(json.dumps(result["outage"]), file=sys.stderr, flush=True)

        # -- agreement --------------------------------------------------------------------
        for group in groups:
            group.rest()
        time.sleep(1.0)
        final = {h.index: newest_event(h.db) for h in fleet}
        settled = watch.until(final, 60)
        theirs = {h.index: today_issued(h.db) for h in fleet}
        ours = city.issued_today()
        result["agreement"] = {
            "settled_s": settled,
            "halls_differing": sorted(i for i in theirs if theirs[i] != ours.get(i)),
            "tickets_today": sum(theirs.values()),
        }
        result["events_total"] = events
    finally:
        if watch is not None:
            watch.stop()
        city.stop()
        for group in groups:
            group.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--halls", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pace", type=float, default=10.0)
    parser.add_argument(
        "--outage-halls",
        type=int,
        default=10,
        help="halls a fleet process serves; the first process's go down",
    )
    parser.add_argument("--outage-min", type=float, default=60)
    parser.add_argument(
        "--outage-hold", type=float, default=65, help="real seconds the halls stay down at least"
    )
    parser.add_argument("--port", type=int, default=18850, help="the first hall's port")
    parser.add_argument("--city-port", type=int, default=18800)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/qconsole-city-bench"))
    args = parser.parse_args()
    result = run(args)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
