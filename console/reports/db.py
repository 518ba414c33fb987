"""A read-only connection to the hall database for exports, reports and checks.

Exports and reports only read, so they open the file with ``mode=ro``: a bug
here cannot change the hall, and WAL lets the stations keep writing while a
long export reads one consistent snapshot.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from console.domain.errors import BadInput, Unavailable
from console.store.connection import BUSY_TIMEOUT_MS, sqlite_failure
from console.store.migrations import check_version
from console.store.netfs import network_fs_problem


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to an existing, current hall database."""
    path = Path(path)
    problem = network_fs_problem(path)
    if problem:
        raise Unavailable(problem)
    if not path.exists():
        raise Unavailable(f"no hall database at {path}")
    if path.is_dir():
        raise BadInput(f"{path} is a directory, not a hall database file")
    try:
        conn = sqlite3.connect(
            f"file:{path.resolve()}?mode=ro", uri=True, isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
        )  # fmt: skip
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = 1")
        check_version(conn, str(path))
    except sqlite3.DatabaseError as exc:
        raise sqlite_failure(path, exc) from exc
    return conn
