"""``qconsole restore``: the standby takes over from a Litestream replica.

The replica is restored under a temporary name beside the target, checked
(``PRAGMA integrity_check`` and the hall's schema version, as a backup is)
and only then renamed into place; a replica that fails the check never gets
the hall database's name. Then the failover is recorded through the engine's
one write path: the event log says it happened and from which event, and the
day's ticket numbers continue with a gap (``failover_number_gap``, default 50
per prefix), so a ticket printed in the last second before the crash, which
the replica may not have, is never handed to a second citizen; when the primary had
said (in the replica's ``qconsole-primary.json``) that the replica lacked more of its
changes than that, the gap is that many instead.

A restore starts a new generation of the hall: written into the replica
(``qconsole-generation.json``) before the database gets its name, and into the
database with the failover. The old primary, restarted with its usual command,
finds it there and refuses to serve; stations that have seen the new generation
refuse a server on an older one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sqlite3
import time
from pathlib import Path
from typing import Any

from console.domain.errors import BadInput, Unavailable
from console.replica import Replica, restore
from console.replica_files import GENERATION_FILE, PRIMARY_FILE, read_json, write_json
from console.reports.backup import verify
from console.store.migrations import SCHEMA_VERSION
from console.store.netfs import network_fs_problem


def restore_hall(url: str, db: Path, gap: int | None = None) -> dict[str, Any]:
    """Restore the replica at ``url`` to ``db`` (which must not exist) and record the failover."""
    replica = Replica.parse(url)
    if db.exists():
        raise BadInput(reason="restore.exists", path=db)
    if not db.parent.is_dir():
        raise BadInput(reason="restore.no_directory", directory=db.parent)
    problem = network_fs_problem(db)
    if problem:
        raise Unavailable(problem, reason="db.network_fs", path=db)
    if gap is not None and not 0 <= gap <= 999:
        raise BadInput(reason="restore.bad_gap", gap=gap)
    started = time.monotonic()
    # Litestream's own bookkeeping of a database that no longer exists here would confuse
    # the replication this standby starts next
    shutil.rmtree(db.parent / f".{db.name}-litestream", ignore_errors=True)
    tmp = db.parent / f".{db.name}.restoring-{os.getpid()}"
    _remove(tmp)
    try:
        restore(replica, tmp)
        integrity, version = verify(tmp)
        if integrity != "ok":
            raise Unavailable(reason="restore.integrity", detail=integrity)
        if version != SCHEMA_VERSION:
            raise Unavailable(reason="restore.schema", version=version, expected=SCHEMA_VERSION)
        fence = _fence(replica, tmp, db)
        try:
            os.link(tmp, db)  # never over a database another restore put there meanwhile
        except FileExistsError:
            raise BadInput(reason="restore.appeared", path=db) from None
    finally:
        _remove(tmp)
    restored_s = time.monotonic() - started
    from console.local import LocalHall

    hall = LocalHall(db)
    try:
        failover = hall.engine.record_failover(gap, replica.shown, generation=fence["replica"],
                                               unreplicated=fence["unreplicated"])  # fmt: skip
    finally:
        hall.close()
    if failover["generation"] != fence["generation"]:  # only a restore racing this one
        raise Unavailable(reason="restore.generation_moved", written=fence["generation"],
                          recorded=failover["generation"])  # fmt: skip
    return {
        "database": str(db), "replica": replica.shown, "integrity": "ok",
        "schema_version": version, "from_event": failover["from_event"],
        "failover_event": failover["event_id"], "gap": failover["gap"],
        "next_numbers": failover["floors"], "seconds": round(restored_s, 3),
        "generation": failover["generation"], "unreplicated": fence["unreplicated"],
        "warnings": fence["warnings"],
    }  # fmt: skip


def _fence(replica: Replica, restored: Path, db: Path) -> dict[str, Any]:
    """Write the new generation into the replica (so the old primary finds it there), and
    read what the primary last said about its lag. Refuses (Unavailable) when a directory or
    SFTP replica cannot take the generation: a standby that cannot fence must not serve."""
    from console.engine.failover import hall_generation

    conn = sqlite3.connect(f"file:{restored}?mode=ro", uri=True)
    try:
        own = hall_generation(conn)
        last_event = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
    finally:
        conn.close()
    marker = read_json(replica, GENERATION_FILE) or {}
    in_replica = int(marker.get("generation") or 0)
    primary = read_json(replica, PRIMARY_FILE) or {}
    unreplicated = 0
    if int(primary.get("generation") or 0) == own:  # the primary of the restored generation
        unreplicated = max(0, int(primary.get("last_event_id") or 0) - last_event)
    generation = max(own, in_replica) + 1
    warnings: list[str] = []
    record = {"generation": generation, "at": time.time(), "host": socket.gethostname(),
              "database": str(db.resolve()), "from_event": last_event}  # fmt: skip
    if replica.settings["type"] in ("file", "sftp"):
        write_json(replica, GENERATION_FILE, record)
    else:
        warnings.append(f"{replica.shown} cannot hold the hall's generation: make sure the old "
                        "primary cannot start again (stations still refuse it once they have "
                        "seen this standby)")  # fmt: skip
    return {"generation": generation, "replica": in_replica, "unreplicated": unreplicated,
            "warnings": warnings}  # fmt: skip


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
