"""A read-only connection to the hall database for exports, reports and checks.

Exports and reports only read, so they open the file with ``mode=ro``: a bug
here cannot change the hall, and WAL lets the stations keep writing while a
long export reads one consistent snapshot.

What they write is trusted as the whole day (a nightly file, a director's report), so
they first check the pages of the tables they read (``PRAGMA quick_check(table)``, the
table and its indexes: under a second per million tickets): a damaged page anywhere in
them refuses the read with a sentence (exit 3), even one this day's rows would not
touch, instead of output that looks normal. ``doctor`` checks the whole file.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from console.domain.errors import BadInput, Unavailable
from console.store.connection import BUSY_TIMEOUT_MS, sqlite_failure
from console.store.migrations import check_version
from console.store.netfs import network_fs_problem


def open_readonly(path: str | Path, checked: tuple[str, ...] = ()) -> sqlite3.Connection:
    """A read-only connection to an existing, current hall database whose ``checked``
    tables pass ``PRAGMA quick_check`` (Unavailable, reason ``db.damaged``, otherwise)."""
    path = Path(path)
    problem = network_fs_problem(path)
    if problem:
        raise Unavailable(problem, reason="db.network_fs", path=path)
    if not path.exists():
        raise Unavailable(reason="db.no_hall", path=path)
    if path.is_dir():
        raise BadInput(reason="db.is_directory", path=path)
    # no -wal/-shm yet: nothing had the file open, so what a refusal leaves is this read's
    ours = not any(Path(f"{path}{end}").exists() for end in ("-wal", "-shm"))
    try:
        return _open(path, checked)
    except Unavailable:
        if ours:
            _tidy(path)
        raise


def _tidy(path: Path) -> None:
    """Let SQLite remove the empty -wal/-shm a read-only look created: a connection that
    may write removes them when it is the last to close (a read-only one cannot)."""
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=rw", uri=True)
        try:
            conn.execute("PRAGMA journal_mode").fetchone()  # opens the file (connect does not)
        finally:
            conn.close()


def _open(path: Path, checked: tuple[str, ...]) -> sqlite3.Connection:
    conn = None
    try:
        conn = sqlite3.connect(
            f"file:{path.resolve()}?mode=ro", uri=True, isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
        )  # fmt: skip
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = 1")
        check_version(conn, str(path))
        for table in checked:
            said = [r[0] for r in conn.execute(f"PRAGMA quick_check({table})")]
            if said != ["ok"]:
                detail = said[0].replace("*** in database main ***", "").strip().splitlines()
                raise Unavailable(reason="db.damaged", path=path, table=table,
                                  detail=detail[0] if detail else "?")  # fmt: skip
    except (sqlite3.DatabaseError, Unavailable) as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, Unavailable):
            raise
        raise sqlite_failure(path, exc) from exc
    return conn
