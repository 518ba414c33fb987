"""Two small files qconsole keeps beside Litestream's in a replica: the hall's generation
and the primary's last word on its lag.

* ``qconsole-generation.json``: written by ``qconsole restore`` before the standby
  serves: the generation it starts. A server that replicates there and finds a
  newer generation than its database's is an old primary come back: it must not
  serve (``console.server.replication``).
* ``qconsole-primary.json``: written every few seconds by the serving primary: its
  generation, its newest event and how many of its changes the replica lacked. When
  Litestream's own session stalls, this file still arrives over a session of its own,
  so the standby's restore knows how far behind the replica was and makes the gap in
  the ticket numbers at least that wide.

Litestream reads only its ``ltx/`` directory, so these files do not disturb it. A
directory replica is written with a rename; an SFTP replica through OpenSSH's ``sftp``
client (with the replica URL's key and host key); an S3 replica has no such files
(reading says nothing is there, writing refuses).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from console.domain.errors import Unavailable
from console.replica import Replica

GENERATION_FILE = "qconsole-generation.json"
PRIMARY_FILE = "qconsole-primary.json"
TIMEOUT_S = 5.0
"""An SFTP transfer of a few hundred bytes that takes longer has failed."""


def read_json(replica: Replica, name: str) -> dict[str, Any] | None:
    """The file ``name`` of the replica as a dict; None when it is not there (or the replica
    is S3). Unavailable when the replica cannot be reached."""
    kind = replica.settings["type"]
    if kind == "file":
        path = Path(replica.settings["path"]) / name
        try:
            return _parse(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise Unavailable(reason="replica.file_unreadable", replica=replica.shown, name=name,
                              detail=exc) from None  # fmt: skip
    if kind != "sftp":
        return None
    with tempfile.TemporaryDirectory(prefix="qconsole-replica-") as tmp:
        local = Path(tmp) / name
        remote = _remote(replica, name)
        _sftp(replica, Path(tmp), [f"-get {_quote(remote)} {_quote(str(local))}"])
        if not local.is_file():
            return None
        return _parse(local.read_text(encoding="utf-8"))


def write_json(replica: Replica, name: str, data: dict[str, Any]) -> None:
    """Replace the file ``name`` of the replica with ``data`` (readers see the old or the
    new file, never half of one)."""
    text = json.dumps(data, indent=1, sort_keys=True)
    kind = replica.settings["type"]
    if kind == "file":
        folder = Path(replica.settings["path"])
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{name}.{os.getpid()}"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, folder / name)
        except OSError as exc:
            raise Unavailable(reason="replica.file_unwritable", replica=replica.shown, name=name,
                              detail=exc) from None  # fmt: skip
        return
    if kind != "sftp":
        raise Unavailable(reason="replica.s3_no_files", replica=replica.shown, name=name)
    with tempfile.TemporaryDirectory(prefix="qconsole-replica-") as tmp:
        local = Path(tmp) / name
        local.write_text(text, encoding="utf-8")
        remote = _remote(replica, name)
        staged = f"{remote}.{os.getpid()}"
        _sftp(replica, Path(tmp), [f"put {_quote(str(local))} {_quote(staged)}",
                                   f"rename {_quote(staged)} {_quote(remote)}"])  # fmt: skip


def _parse(text: str) -> dict[str, Any] | None:
    with contextlib.suppress(ValueError):
        data = json.loads(text)
        if isinstance(data, dict):
            return data
    return None


def _remote(replica: Replica, name: str) -> str:
    return replica.settings["path"].rstrip("/") + "/" + name


def _quote(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sftp(replica: Replica, tmp: Path, commands: list[str]) -> None:
    """Run ``commands`` in one batch of OpenSSH's ``sftp`` against the replica's host."""
    settings = replica.settings
    program = shutil.which("sftp")
    if program is None:
        raise Unavailable(reason="replica.no_sftp")
    if "password" in settings:
        raise Unavailable(reason="replica.sftp_password", replica=replica.shown)
    host, _, port = settings["host"].partition(":")
    options = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR"]
    if settings.get("host-key"):
        known = tmp / "known_hosts"
        name = f"[{host}]:{port}" if port else host
        known.write_text(f"{name} {settings['host-key']}\n", encoding="utf-8")
        options += ["-o", "StrictHostKeyChecking=yes", "-o", f"UserKnownHostsFile={known}"]
    else:  # the URL accepts any host key (docs/admin.md asks to note that risk)
        options += ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"]
    if settings.get("key-path"):
        options += ["-i", settings["key-path"], "-o", "IdentitiesOnly=yes"]
    if port:
        options += ["-P", port]
    batch = tmp / "batch"
    batch.write_text("\n".join(commands) + "\n", encoding="utf-8")
    command = [program, "-q", "-b", str(batch), *options, f"{settings['user']}@{host}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S,
                              stdin=subprocess.DEVNULL)  # fmt: skip
    except subprocess.TimeoutExpired:
        raise Unavailable(reason="replica.timeout", replica=replica.shown,
                          seconds=f"{TIMEOUT_S:.0f}") from None  # fmt: skip
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        last = said[-1] if said else done.returncode
        raise Unavailable(reason="replica.sftp_failed", replica=replica.shown, detail=last)
