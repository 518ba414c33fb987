"""``qconsole backup``: an online, consistent copy of the hall database, verified.

``VACUUM INTO`` reads one snapshot (WAL lets the stations keep writing while
it runs) and writes a compact, self-contained copy with no ``-wal`` file to
carry along. The copy is written under a temporary name, checked with
``PRAGMA integrity_check`` and for the hall's schema version, and only then
renamed into place; a copy that fails the check never gets the final name.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from console.domain.errors import BadInput, Unavailable
from console.engine.clock import wall_source
from console.reports.atomic import atomic_path
from console.reports.db import open_readonly
from console.store.migrations import schema_version


def backup_target(db: Path, out: Path, now: float | None = None) -> Path:
    """The backup file for ``out``: itself, or ``<stem>-YYYYMMDD-HHMMSS.db`` inside a directory."""
    if out.is_dir():
        stamp = datetime.fromtimestamp(now or wall_source()()).strftime("%Y%m%d-%H%M%S")
        return out / f"{db.stem}-{stamp}.db"
    if not out.parent.is_dir():
        raise BadInput(reason="backup.no_parent", target=out, directory=out.parent)
    if out.resolve() == db.resolve():
        raise BadInput(reason="backup.is_hall")
    return out


def verify(path: Path) -> tuple[str, int]:
    """(integrity_check result, schema version) of a database file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())
        return result, schema_version(conn)
    finally:
        conn.close()


def rotate(
    directory: Path,
    stem: str,
    keep: int,
    max_age_days: int | None = None,
    now: float | None = None,
) -> list[str]:
    """Delete all but the newest ``keep`` backups named ``<stem>-YYYYMMDD-HHMMSS.db``, and
    any of them older than ``max_age_days`` (the personal data retention: a copy keeps
    what the hall has since erased)."""
    pattern = re.compile(rf"^{re.escape(stem)}-(\d{{8}}-\d{{6}})\.db$")
    found = sorted(p for p in directory.iterdir() if pattern.match(p.name))
    old = set(found[: max(0, len(found) - keep)])
    if max_age_days is not None:
        limit = datetime.fromtimestamp((now or wall_source()()) - max_age_days * 86400)
        for p in found[:-1]:  # never the newest: the copy just made
            if datetime.strptime(pattern.match(p.name).group(1), "%Y%m%d-%H%M%S") < limit:
                old.add(p)
    removed = []
    for p in sorted(old):
        p.unlink()
        removed.append(str(p))
    return removed


def retention_days(conn: sqlite3.Connection) -> int:
    """The hall's ``personal_retention_days`` (its default when never set)."""
    from console.engine.core import DEFAULT_SETTINGS

    row = conn.execute(
        "SELECT value FROM settings WHERE key = 'personal_retention_days'"
    ).fetchone()
    return int(json.loads(row[0])) if row else int(DEFAULT_SETTINGS["personal_retention_days"])


def backup(db: Path, out: Path, keep: int | None = None) -> dict[str, Any]:
    """Copy ``db`` to ``out`` (a file, or a directory for a time-stamped name), verified."""
    if keep is not None and keep < 1:
        raise BadInput(reason="backup.keep_min")
    if keep is not None and not out.is_dir():
        raise BadInput(reason="backup.keep_needs_dir")
    started = time.monotonic()
    target = backup_target(db, out)
    conn = open_readonly(db)
    try:
        expected = schema_version(conn)
        max_age = retention_days(conn)
        conn.execute("PRAGMA query_only = 0")  # VACUUM INTO writes only the new file
        with atomic_path(target) as tmp:
            try:
                conn.execute("VACUUM INTO ?", (str(tmp),))
            except sqlite3.DatabaseError as exc:
                raise Unavailable(reason="backup.failed", db=db, target=target, detail=exc) from exc
            result, version = verify(tmp)
            if result != "ok":
                raise Unavailable(reason="backup.integrity", detail=result)
            if version != expected:
                raise Unavailable(reason="backup.schema", version=version, expected=expected)
    finally:
        conn.close()
    removed = rotate(target.parent, db.stem, keep, max_age) if keep else []
    return {
        "database": str(db), "backup": str(target), "bytes": target.stat().st_size,
        "integrity": "ok", "schema_version": expected,
        "seconds": round(time.monotonic() - started, 3), "removed": removed,
    }  # fmt: skip
