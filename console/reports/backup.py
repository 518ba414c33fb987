"""``qconsole backup``: an online, consistent copy of the hall database, verified.

``VACUUM INTO`` reads one snapshot (WAL lets the stations keep writing while
it runs) and writes a compact, self-contained copy with no ``-wal`` file to
carry along. The copy is written under a temporary name, checked with
``PRAGMA integrity_check`` and for the hall's schema version, and only then
renamed into place; a copy that fails the check never gets the final name.
"""

from __future__ import annotations

import re
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from console.domain.errors import BadInput, Unavailable
from console.reports.atomic import atomic_path
from console.reports.db import open_readonly
from console.store.migrations import schema_version


def backup_target(db: Path, out: Path, now: float | None = None) -> Path:
    """The backup file for ``out``: itself, or ``<stem>-YYYYMMDD-HHMMSS.db`` inside a directory."""
    if out.is_dir():
        stamp = datetime.fromtimestamp(now or time.time()).strftime("%Y%m%d-%H%M%S")
        return out / f"{db.stem}-{stamp}.db"
    if not out.parent.is_dir():
        raise BadInput(f"backup target {out}: directory {out.parent} does not exist")
    if out.resolve() == db.resolve():
        raise BadInput("the backup target is the hall database itself")
    return out


def verify(path: Path) -> tuple[str, int]:
    """(integrity_check result, schema version) of a database file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())
        return result, schema_version(conn)
    finally:
        conn.close()


def rotate(directory: Path, stem: str, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` backups named ``<stem>-YYYYMMDD-HHMMSS.db``."""
    pattern = re.compile(rf"^{re.escape(stem)}-\d{{8}}-\d{{6}}\.db$")
    found = sorted(p for p in directory.iterdir() if pattern.match(p.name))
    removed = []
    for p in found[: max(0, len(found) - keep)]:
        p.unlink()
        removed.append(str(p))
    return removed


def backup(db: Path, out: Path, keep: int | None = None) -> dict[str, Any]:
    """Copy ``db`` to ``out`` (a file, or a directory for a time-stamped name), verified."""
    if keep is not None and keep < 1:
        raise BadInput("--keep must be at least 1")
    if keep is not None and not out.is_dir():
        raise BadInput("--keep rotates backups in a directory: give a directory as OUT")
    started = time.monotonic()
    target = backup_target(db, out)
    conn = open_readonly(db)
    try:
        expected = schema_version(conn)
        conn.execute("PRAGMA query_only = 0")  # VACUUM INTO writes only the new file
        with atomic_path(target) as tmp:
            try:
                conn.execute("VACUUM INTO ?", (str(tmp),))
            except sqlite3.DatabaseError as exc:
                raise Unavailable(f"backup of {db} to {target} failed: {exc}") from exc
            result, version = verify(tmp)
            if result != "ok":
                raise Unavailable(f"the copy failed its integrity check: {result}")
            if version != expected:
                raise Unavailable(f"the copy has schema {version}, the hall {expected}")
    finally:
        conn.close()
    removed = rotate(target.parent, db.stem, keep) if keep else []
    return {
        "database": str(db), "backup": str(target), "bytes": target.stat().st_size,
        "integrity": "ok", "schema_version": expected,
        "seconds": round(time.monotonic() - started, 3), "removed": removed,
    }  # fmt: skip
