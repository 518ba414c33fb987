"""A failover drill on loopback: a primary replicating with Litestream, 16 stations working,
the primary SIGKILLed, the standby taking over by docs/admin.md's procedure, the stations going on.

Used by ``tests/standby/test_drill.py`` (which asserts what a hall must be able to
rely on) and ``bench/standby.py`` (which prints the figures: RPO and RTO).

The procedure is docs/admin.md's (Standby and failover), run by a script instead of a
person: ``qconsole restore --from REPLICA --db PATH`` on the standby, then
``qconsole serve`` there. The stations were started with ``--server primary,standby``
and find the standby by themselves.

Three variants make it harder:

* ``stall_s``: Litestream's SFTP session is stopped (SIGSTOP of its ``sftp-server``) a
  while before the kill, so the replica falls far behind: the primary's ``/health`` must
  say so within seconds, and the restore's gap must still keep every number unique.
* ``restart_old``: after the failover the old primary is started again with its usual
  command (it must refuse: the replica names the standby's generation), then without its
  replica (it serves, but every station, a new one too, stays on the standby).
* the lost call is always judged: a ticket a desk called on the primary, whose call the
  replica lacks, must be called again at that counter only (the desk calls it back).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from console.domain.errors import QConsoleError, Refused, Unavailable
from console.remote import RemoteHall
from tests.server.conftest import PIN, Server, build_hall, free_port, register
from tests.waiting import Deadline, scaled, wait_until

ROOT = Path(__file__).resolve().parents[2]
SSHD = "/usr/sbin/sshd"
SFTP_SERVER = "/usr/lib/openssh/sftp-server"
ISSUERS = 10
DESKS = 6
"""16 stations: ten issue tickets (reception, kiosks), six call and finish them (counters)."""
PACE_S = 0.3
"""Each station's pause between actions: about 50 actions a second for the hall."""


@dataclass
class Ack:
    """An action a station was told is done."""

    at: float
    station: int
    server: str
    op: str
    key: str
    ticket_id: int
    number: str


@dataclass
class DrillResult:
    replica: str
    acks: list[Ack] = field(default_factory=list)
    unknown: int = 0
    """Actions reported "not known if done — check the ticket"."""
    not_done: int = 0
    killed_at: float = 0.0
    restored_s: float = 0.0
    first_standby_ack: float | None = None
    lost: list[Ack] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    stations_on_standby: int = 0
    failover_events: int = 0
    setup_errors: list[str] = field(default_factory=list)
    lost_commits: int = 0
    """Events the dead primary's disk holds that the replica had not received (acknowledged
    or not): only a drill can count them, a real failover cannot read that disk."""
    standby_start_s: float = 0.0
    """``qconsole serve`` on the restored database: start to its first /health answer."""
    stall_seen_s: float | None = None
    """Replica stalled → the primary's /health says so (None: it never did, or no stall)."""
    stall_health: dict[str, Any] = field(default_factory=dict)
    gap: int = 0
    """The gap in ticket numbers the restore chose."""
    old_primary_exit: int | None = None
    """The old primary restarted with its usual command: its exit code (None: it served)."""
    old_primary_said: str = ""
    acks_on_old_primary: int = 0
    """Actions a station did on the old primary once it served again without its replica."""
    new_station_on: str = ""
    """The server a station started after that picked."""
    lost_calls: list[str] = field(default_factory=list)
    """Calls a desk was told were done on the primary and that the standby lacked."""
    called_elsewhere: list[str] = field(default_factory=list)
    """Of those, tickets the standby called at another counter (the citizen called twice)."""
    called_back: list[str] = field(default_factory=list)
    """Of those, tickets called back to their own counter on the standby."""

    @property
    def rto_s(self) -> float | None:
        """Kill → the first call the standby served (restore and start included)."""
        return None if self.first_standby_ack is None else self.first_standby_ack - self.killed_at

    @property
    def rpo_s(self) -> float:
        """How far back the oldest acknowledged-but-lost action lies before the kill."""
        return max((self.killed_at - a.at for a in self.lost), default=0.0)

    def acked_on_primary(self) -> list[Ack]:
        return [a for a in self.acks if a.at < self.killed_at]

    def summary(self) -> dict[str, Any]:
        on_primary = self.acked_on_primary()
        rate = len(on_primary) / max(1e-9, on_primary[-1].at - on_primary[0].at) if len(
            on_primary) > 1 else 0.0  # fmt: skip
        return {
            "replica": self.replica, "stations": ISSUERS + DESKS,
            "acked_on_primary": len(on_primary), "actions_per_s": round(rate, 1),
            "acked_on_standby": len(self.acks) - len(on_primary),
            "lost_actions": len(self.lost), "rpo_s": round(self.rpo_s, 3),
            "rto_s": None if self.rto_s is None else round(self.rto_s, 2),
            "restore_s": round(self.restored_s, 2), "unknown_outcome": self.unknown,
            "not_done": self.not_done, "duplicate_numbers": self.duplicates,
            "stations_on_standby": self.stations_on_standby,
            "failover_events": self.failover_events, "lost_commits": self.lost_commits,
            "standby_start_s": round(self.standby_start_s, 2), "gap": self.gap,
            "stall_seen_s": None if self.stall_seen_s is None else round(self.stall_seen_s, 1),
            "stall_lag_writes": self.stall_health.get("lag_writes"),
            "old_primary_exit": self.old_primary_exit,
            "acks_on_old_primary": self.acks_on_old_primary,
            "new_station_on_standby": self.new_station_on == "standby",
            "lost_calls": len(self.lost_calls), "called_back": len(self.called_back),
            "called_elsewhere": len(self.called_elsewhere),
        }  # fmt: skip


class Sshd:
    """An sshd of our own on 127.0.0.1 with its own host key, client key and config."""

    def __init__(self, base: Path, port: int):
        self.base = base
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None
        self.user = getpass.getuser()

    @staticmethod
    def missing() -> str | None:
        """Why this machine cannot run the SFTP variant, or None."""
        for tool in (SSHD, SFTP_SERVER, shutil.which("ssh-keygen") or "ssh-keygen"):
            if not Path(tool).exists():
                return f"{tool} is not installed (Debian: openssh-server, openssh-client)"
        return None

    def start(self) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                            str(self.base / name)], check=True)  # fmt: skip
        keys = self.base / "authorized_keys"
        shutil.copy(self.base / "client_key.pub", keys)
        keys.chmod(0o600)
        config = self.base / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.port}", "ListenAddress 127.0.0.1", f"HostKey {self.base / 'host_key'}",
            f"AuthorizedKeysFile {keys}", f"PidFile {self.base / 'sshd.pid'}",
            "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
            "StrictModes no", "PermitRootLogin prohibit-password",
            f"Subsystem sftp {SFTP_SERVER}", "LogLevel ERROR", "",
        ]))  # fmt: skip
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation directory
        log = open(self.base / "sshd.log", "wb")  # noqa: SIM115  (closed with the process)
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log,
                                     stderr=log)  # fmt: skip
        import socket

        def listening() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd exited: {(self.base / 'sshd.log').read_text()}")
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", self.port)) == 0

        wait_until(listening, what="sshd listening")

    def url(self, path: Path) -> str:
        return (f"sftp://{self.user}@127.0.0.1:{self.port}{path}?key={self.base / 'client_key'}"
                f"&host-key={self.base / 'host_key.pub'}")  # fmt: skip

    def sessions(self) -> list[int]:
        """The ``sftp-server`` processes serving this sshd's sessions now."""
        assert self.proc is not None
        found, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            for task in Path(f"/proc/{pid}/task").glob("*"):
                with contextlib.suppress(OSError):
                    todo += [int(c) for c in (task / "children").read_text().split()]
            with contextlib.suppress(OSError):
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
                if pid != self.proc.pid and b"sftp-server" in command:
                    found.append(pid)
        return found

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def qconsole(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from console.cli.main import run; run()",
                           *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=scaled(120))  # fmt: skip


def _station(n: int, servers: str, token: str, result: DrillResult, stop: threading.Event,
             lock: threading.Lock, ready: threading.Barrier,
             halls: dict[int, RemoteHall]) -> None:  # fmt: skip
    desk = n > ISSUERS
    counter = n - ISSUERS
    try:
        hall = RemoteHall(servers, token)  # a station's defaults: its 4 s retry window too
        halls[n] = hall
        clerk = hall.login(str(1000 + n), PIN, "")
        if desk:
            hall.open_counter(clerk, counter)
    except Exception as exc:
        result.setup_errors.append(f"station {n}: {exc!r}")
        ready.abort()  # the drill stops at once and says why
        raise
    try:
        ready.wait()
        while not stop.is_set():
            key = uuid.uuid4().hex
            try:
                if desk:
                    current = hall.counter_view(counter).current
                    if current is None:
                        ticket = hall.call_next(clerk, counter, key=key)
                        op = "call_next"
                    else:
                        ticket = hall.finish(clerk, counter, key=key)
                        op = "finish"
                else:
                    ticket = hall.issue(clerk, "ID" if n % 2 else "PP", key=key).ticket
                    op = "issue"
            except Refused:
                op = ""  # nothing waiting: not an action
            except Unavailable as exc:
                with lock:
                    if exc.reason in ("server.unreachable_unsure", "server.unsure_elsewhere"):
                        result.unknown += 1
                    else:
                        result.not_done += 1
                continue
            except QConsoleError:
                op = ""
            if op:
                with lock:
                    result.acks.append(Ack(time.monotonic(), n, hall.url, op, key, ticket.id,
                                           ticket.number))  # fmt: skip
            stop.wait(PACE_S)
    finally:
        hall.close()


def run_drill(replica_kind: str = "directory", work_s: float = 4.0, after_s: float = 3.0,
              stall_s: float = 0.0, restart_old: bool = False) -> DrillResult:  # fmt: skip
    """One failover: ``replica_kind`` is "directory" or "sftp"; ``stall_s`` (SFTP only):
    seconds of work with Litestream's session stopped, once the primary has said it is
    behind; ``restart_old``: start the old primary again after the failover."""
    if stall_s and replica_kind != "sftp":
        raise ValueError("a stall is an SFTP session stopped: sftp only")
    with tempfile.TemporaryDirectory(prefix="qconsole-drill-") as tmp:
        base = Path(tmp)
        (base / "primary").mkdir()
        (base / "standby").mkdir()
        sshd = None
        if replica_kind == "sftp":
            sshd = Sshd(base / "ssh", free_port())
            sshd.start()
            replica = sshd.url(base / "replica")
        else:
            replica = str(base / "replica")
        state = os.environ.get("QCONSOLE_STATE_DIR")
        os.environ["QCONSOLE_STATE_DIR"] = str(base / "stations")  # what stations remember
        try:
            return _drill(base, replica, replica_kind, work_s, after_s, stall_s, restart_old,
                          sshd)  # fmt: skip
        finally:
            if state is None:
                os.environ.pop("QCONSOLE_STATE_DIR", None)
            else:
                os.environ["QCONSOLE_STATE_DIR"] = state
            if sshd is not None:
                sshd.stop()


def _stall(sshd: Sshd, primary: Server, result: DrillResult, stall_s: float) -> list[int]:
    """Stop Litestream's SFTP session; wait until the primary's /health says the replica is
    behind (at most 20 s), then ``stall_s`` more. The stopped processes."""
    before = set(sshd.sessions())
    time.sleep(1.5)  # Litestream's session lasts; the server's short checks come and go
    stopped = [pid for pid in sshd.sessions() if pid in before]
    for pid in stopped:
        os.kill(pid, signal.SIGSTOP)
    started, noticing = time.monotonic(), Deadline(20)
    while not noticing.expired:
        with contextlib.suppress(httpx.HTTPError, ValueError):
            replication = httpx.get(primary.url + "/health", timeout=2).json()["replication"]
            if replication and replication["stalled"]:
                result.stall_seen_s = time.monotonic() - started
                result.stall_health = replication
                break
        noticing.pause()
    time.sleep(stall_s)
    return stopped


def _restart_old(db: Path, port: int, replica: str, servers: str, token: str,
                 result: DrillResult, lock: threading.Lock, work_s: float) -> None:  # fmt: skip
    """The old primary started again as systemd would: refused with its replica; without
    it, serving generation 1 to no one."""
    old = Server(db, port, extra=["--replica", replica, "--no-access-log"])
    with contextlib.suppress(RuntimeError):  # "server exited": what we hope for
        old.start()
    assert old.proc is not None
    try:
        result.old_primary_exit = old.proc.wait(scaled(30))
    except subprocess.TimeoutExpired:
        result.old_primary_exit = None
    assert old.log is not None
    result.old_primary_said = old.log.read_text(errors="replace")[-600:]
    old.stop()
    bare = Server(db, port, extra=["--no-access-log"])  # nothing fences it
    bare.start()
    try:
        since = time.monotonic()
        newcomer = RemoteHall(servers, token)
        try:
            newcomer.hall_view()
            result.new_station_on = "standby" if newcomer.url != bare.url else "old primary"
        finally:
            newcomer.close()
        time.sleep(work_s)
        with lock:
            result.acks_on_old_primary = sum(1 for a in result.acks
                                             if a.server == bare.url and a.at >= since)  # fmt: skip
    finally:
        bare.stop()


def _drill(base: Path, replica: str, kind: str, work_s: float, after_s: float, stall_s: float,
           restart_old: bool, sshd: Sshd | None) -> DrillResult:  # fmt: skip
    db = base / "primary" / "hall.db"
    build_hall(db, clerks=ISSUERS + DESKS, counters=DESKS)
    tokens = {n: register(db, f"station-{n}") for n in range(1, ISSUERS + DESKS + 1)}
    primary = Server(db, free_port(), extra=["--replica", replica, "--no-access-log"])  # fmt: skip
    standby_db = base / "standby" / "hall.db"
    standby = Server(standby_db, free_port(), extra=["--no-access-log"])
    result = DrillResult(replica=kind)
    stop, lock = threading.Event(), threading.Lock()
    ready = threading.Barrier(ISSUERS + DESKS + 1)
    primary.start()
    servers = f"{primary.url},{standby.url}"
    halls: dict[int, RemoteHall] = {}
    threads = [threading.Thread(target=_station, args=(n, servers, tokens[n], result, stop,
                                                       lock, ready, halls), daemon=True)
               for n in tokens]  # fmt: skip
    stopped: list[int] = []
    try:
        for thread in threads:
            thread.start()
        try:
            ready.wait(timeout=scaled(60))
        except threading.BrokenBarrierError:
            raise RuntimeError(f"stations did not start: {result.setup_errors}") from None
        time.sleep(work_s)
        if stall_s and sshd is not None:
            stopped = _stall(sshd, primary, result, stall_s)
        result.killed_at = time.monotonic()
        primary.kill()  # and Litestream with it (it dies with its parent, as with the machine)
        for pid in stopped:  # the stalled session's server, whose client just died
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        env = {**os.environ, "TZ": "Asia/Shanghai", "QCONSOLE_NOW": primary.timeline}
        started = time.monotonic()
        restored = qconsole("restore", "--from", replica, "--db", str(standby_db), "--json",
                            env=env)  # fmt: skip
        if restored.returncode != 0:
            raise RuntimeError(f"restore failed: {restored.stderr}")
        result.restored_s = time.monotonic() - started
        result.gap = json.loads(restored.stdout)["gap"]
        standby.timeline = primary.timeline
        started = time.monotonic()
        standby.start()
        result.standby_start_s = time.monotonic() - started
        deadline = Deadline(60)
        while not deadline.expired:
            with lock:
                if any(a.server == standby.url for a in result.acks):
                    break
            deadline.pause()
        # every station on: the desks too, whose "call next" the standby holds a few seconds
        while not deadline.expired:
            with lock:
                if len({a.station for a in result.acks if a.server == standby.url}) == len(tokens):
                    break
            deadline.pause()
        time.sleep(after_s)
        if restart_old:
            _restart_old(db, primary.port, replica, servers, tokens[1], result, lock, after_s)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=scaled(30))
        primary.kill()
        standby.stop()
    _judge(result, standby_db, standby.url, db)
    return result


def _judge(result: DrillResult, standby_db: Path, standby_url: str, primary_db: Path) -> None:
    on_standby = [a for a in result.acks if a.server == standby_url]
    result.first_standby_ack = min((a.at for a in on_standby), default=None)
    result.stations_on_standby = len({a.station for a in on_standby})
    conn = sqlite3.connect(standby_db)
    try:
        # the server stores a key as station:session:key
        keys = {r[0].rsplit(":", 1)[-1] for r in conn.execute("SELECT key FROM commands")}
        result.lost = [a for a in result.acked_on_primary() if a.key not in keys]
        result.failover_events = conn.execute(
            "SELECT count(*) FROM events WHERE kind = 'failover'").fetchone()[0]  # fmt: skip
        changes = conn.execute("SELECT changes FROM events WHERE kind = 'failover'").fetchone()
        from_event = json.loads(changes[0])["from_event"] if changes else 0
        primary = sqlite3.connect(primary_db)
        try:
            last = primary.execute("SELECT max(id) FROM events").fetchone()[0] or 0
        finally:
            primary.close()
        result.lost_commits = max(0, last - from_event)
        final = {}
        for ack in result.acked_on_primary():
            final[ack.station] = ack
        lost = {a.key for a in result.lost}
        for ack in final.values():  # a desk's last call on the primary, lost: to call back
            if ack.op != "call_next" or ack.key not in lost:
                continue
            result.lost_calls.append(ack.number)
            counters = {r[0] for r in conn.execute(
                "SELECT e.counter_number FROM events e JOIN tickets t ON t.id = e.ticket_id"
                " WHERE e.kind = 'called' AND e.id > ? AND t.number = ?",
                (from_event, ack.number))}  # fmt: skip
            if counters - {ack.station - ISSUERS}:
                result.called_elsewhere.append(ack.number)
            elif counters:
                result.called_back.append(ack.number)
    finally:
        conn.close()
    numbers = [a.number for a in result.acks if a.op == "issue"]
    result.duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
