"""A failover drill on loopback: a primary replicating with Litestream, 16 stations working,
the primary SIGKILLed, the standby taking over by the README's procedure, the stations going on.

Used by ``tests/standby/test_drill.py`` (which asserts what a hall must be able to
rely on) and ``bench/standby.py`` (which prints the figures: RPO and RTO).

The procedure is the README's (Hall server → Failover), run by a script instead of a
person: ``qconsole restore --from REPLICA --db PATH`` on the standby, then
``qconsole serve`` there. The stations were started with ``--server primary,standby``
and find the standby by themselves.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
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

from console.domain.errors import QConsoleError, Refused, Unavailable
from console.remote import RemoteHall
from tests.server.conftest import PIN, Server, build_hall, free_port, register

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
            "standby_start_s": round(self.standby_start_s, 2),
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
        deadline = time.monotonic() + 10
        import socket

        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd exited: {(self.base / 'sshd.log').read_text()}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("sshd did not start")

    def url(self, path: Path) -> str:
        return (f"sftp://{self.user}@127.0.0.1:{self.port}{path}?key={self.base / 'client_key'}"
                f"&host-key={self.base / 'host_key.pub'}")  # fmt: skip

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def qconsole(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from console.cli.main import run; run()",
                           *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)  # fmt: skip


def _station(n: int, servers: str, token: str, result: DrillResult, stop: threading.Event,
             lock: threading.Lock, ready: threading.Barrier) -> None:  # fmt: skip
    desk = n > ISSUERS
    counter = n - ISSUERS
    try:
        hall = RemoteHall(servers, token)  # a station's defaults: its 4 s retry window too
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


def run_drill(replica_kind: str = "directory", work_s: float = 4.0,
              after_s: float = 3.0) -> DrillResult:  # fmt: skip
    """One failover: ``replica_kind`` is "directory" or "sftp"."""
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
        try:
            return _drill(base, replica, replica_kind, work_s, after_s)
        finally:
            if sshd is not None:
                sshd.stop()


def _drill(base: Path, replica: str, kind: str, work_s: float, after_s: float) -> DrillResult:
    db = base / "primary" / "hall.db"
    build_hall(db, clerks=ISSUERS + DESKS, counters=DESKS)
    tokens = {n: register(db, f"station-{n}") for n in range(1, ISSUERS + DESKS + 1)}
    primary = Server(db, free_port(), extra=["--replica", replica, "--no-access-log"])
    standby_db = base / "standby" / "hall.db"
    standby = Server(standby_db, free_port(), extra=["--no-access-log"])
    result = DrillResult(replica=kind)
    stop, lock = threading.Event(), threading.Lock()
    ready = threading.Barrier(ISSUERS + DESKS + 1)
    primary.start()
    servers = f"{primary.url},{standby.url}"
    threads = [threading.Thread(target=_station, args=(n, servers, tokens[n], result, stop,
                                                       lock, ready), daemon=True)
               for n in tokens]  # fmt: skip
    try:
        for thread in threads:
            thread.start()
        try:
            ready.wait(timeout=60)
        except threading.BrokenBarrierError:
            raise RuntimeError(f"stations did not start: {result.setup_errors}") from None
        time.sleep(work_s)
        result.killed_at = time.monotonic()
        primary.kill()  # and Litestream with it (it dies with its parent, as with the machine)
        env = {**os.environ, "TZ": "Asia/Shanghai", "QCONSOLE_NOW": primary.timeline}
        started = time.monotonic()
        restored = qconsole("restore", "--from", replica, "--db", str(standby_db), env=env)
        if restored.returncode != 0:
            raise RuntimeError(f"restore failed: {restored.stderr}")
        result.restored_s = time.monotonic() - started
        standby.timeline = primary.timeline
        started = time.monotonic()
        standby.start()
        result.standby_start_s = time.monotonic() - started
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with lock:
                if any(a.server == standby.url for a in result.acks):
                    break
            time.sleep(0.02)
        time.sleep(after_s)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
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
    finally:
        conn.close()
    numbers = [a.number for a in result.acks if a.op == "issue"]
    result.duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
