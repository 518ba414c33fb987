"""``qconsole restore``: the standby takes over from a Litestream replica.

The replica is restored under a temporary name beside the target, checked
(``PRAGMA integrity_check`` and the hall's schema version, as a backup is)
and only then renamed into place; a replica that fails the check never gets
the hall database's name. Then the failover is recorded through the engine's
one write path: the event log says it happened and from which event, and the
day's ticket numbers continue with a gap (``failover_number_gap``, default 50
per prefix), so a ticket printed in the last second before the crash, which
the replica may not have, is never handed to a second citizen.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path
from typing import Any

from console.domain.errors import BadInput, Unavailable
from console.replica import Replica, restore
from console.reports.backup import verify
from console.store.migrations import SCHEMA_VERSION
from console.store.netfs import network_fs_problem


def restore_hall(url: str, db: Path, gap: int | None = None) -> dict[str, Any]:
    """Restore the replica at ``url`` to ``db`` (which must not exist) and record the failover."""
    replica = Replica.parse(url)
    if db.exists():
        raise BadInput(f"{db} exists: a restore never overwrites a hall database; move it "
                       "away first (it may be the only copy of something)")  # fmt: skip
    if not db.parent.is_dir():
        raise BadInput(f"directory {db.parent} does not exist")
    problem = network_fs_problem(db)
    if problem:
        raise Unavailable(problem)
    if gap is not None and not 0 <= gap <= 999:
        raise BadInput(f"--gap is 0-999, not {gap}")
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
            raise Unavailable(f"the restored database failed its integrity check: {integrity}")
        if version != SCHEMA_VERSION:
            raise Unavailable(
                f"the replica has schema version {version}, this qconsole "
                f"expects {SCHEMA_VERSION}: install the primary's qconsole"
            )
        try:
            os.link(tmp, db)  # never over a database another restore put there meanwhile
        except FileExistsError:
            raise BadInput(f"{db} appeared while restoring (another restore?): left as it "
                           "is; this restore is discarded") from None  # fmt: skip
    finally:
        _remove(tmp)
    restored_s = time.monotonic() - started
    from console.local import LocalHall

    hall = LocalHall(db)
    try:
        failover = hall.engine.record_failover(gap, replica.shown)
    finally:
        hall.close()
    return {
        "database": str(db), "replica": replica.shown, "integrity": "ok",
        "schema_version": version, "from_event": failover["from_event"],
        "failover_event": failover["event_id"], "gap": failover["gap"],
        "next_numbers": failover["floors"], "seconds": round(restored_s, 3),
    }  # fmt: skip


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
