"""Open the hall database the one way it is safe to open.

Every connection gets WAL (readers never block the writer), ``synchronous=FULL``
(an acknowledged call survives a power cut), foreign keys and a busy timeout.
Python's sqlite3 runs in autocommit mode here so that the engine alone decides
where a transaction starts: always ``BEGIN IMMEDIATE`` for writes, which takes
the write lock up front and so can never deadlock on a lock upgrade.

Switching to WAL writes the file, so before it the file is looked at through a
read-only connection: a file that is not a hall (another program's SQLite
database, a 0-byte file, garbage) is refused untouched. A new database is
created ``0640``: it holds PIN hashes and names, and SQLite gives its -wal and
-shm files the same mode.
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from console.domain.errors import BadInput, Unavailable
from console.store.netfs import network_fs_problem

BUSY_TIMEOUT_MS = 10_000
DB_MODE = 0o640
"""A new hall database: readable by its owner and group, by nobody else."""


class HallConnection(sqlite3.Connection):
    """A connection to the hall database, knowing whether SQLite's busy handler is off."""

    polls_for_lock = False
    """True on a writer's own connection (:func:`only_for_writes`): it never waits in
    SQLite's busy handler, so a write takes the lock without switching the handler off."""


def only_for_writes(conn: sqlite3.Connection) -> None:
    """Dedicate ``conn`` to the engine's writes (the hall server's writer, which reads
    on other connections): SQLite's busy handler stays off, and each ``BEGIN IMMEDIATE``
    polls for the lock as :func:`begin_immediate` does, without two PRAGMAs per write.
    Inside a write transaction nothing waits for a lock; outside one, a WAL read never
    waits for a writer."""
    conn.execute("PRAGMA busy_timeout = 0")
    conn.polls_for_lock = True  # type: ignore[attr-defined]


def connect(path: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """A connection to the hall database at ``path``.

    ``create`` allows a new file (``qconsole init``); otherwise a missing file is
    an error, so a mistyped ``--db`` never silently starts an empty hall.
    """
    path = Path(path)
    if str(path) != ":memory:":
        problem = network_fs_problem(path)
        if problem:
            raise Unavailable(problem, reason="db.network_fs", path=path)
        if not path.exists() and not create:
            raise Unavailable(reason="db.missing", path=path)
        if path.is_dir():
            raise BadInput(reason="db.is_directory", path=path)
        if create and not path.parent.exists():
            raise Unavailable(reason="db.no_directory", path=path, directory=path.parent)
        if path.exists():
            _look(path, create)
        else:
            _create(path)
    try:
        conn = sqlite3.connect(
            str(path),
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            factory=HallConnection,
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise sqlite_failure(path, exc) from exc
    if str(path) != ":memory:" and mode.lower() != "wal":
        conn.close()
        raise Unavailable(reason="db.no_wal", path=path, mode=mode)
    return conn


def _look(path: Path, create: bool) -> None:
    """Refuse a file that is not a hall database, reading it only (before any PRAGMA)."""
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    try:
        look = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {r[0] for r in look.execute("SELECT name FROM sqlite_master")}
        finally:
            look.close()
    except sqlite3.DatabaseError as exc:
        raise sqlite_failure(path, exc) from exc
    if tables and "_sqlite_migrations" not in tables:
        raise Unavailable(reason="db.foreign", path=path)
    if not tables and not create:
        raise Unavailable(reason="db.empty", path=path)


def _create(path: Path) -> None:
    """Make the new database file with the mode hall data needs, before SQLite opens it."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DB_MODE))
    except FileExistsError:  # another station made it meanwhile: the look decides
        _look(path, True)
    except OSError as exc:
        raise Unavailable(reason="db.cannot_open", path=path, detail=exc.strerror) from exc


def sqlite_failure(path: Path | str, exc: sqlite3.Error) -> Unavailable:
    """The error a person can act on, for the errors SQLite raises on open or write."""
    text = str(exc)
    if "file is not a database" in text or "malformed" in text:
        reason = "db.not_a_hall"
    elif "unable to open" in text:
        reason = "db.cannot_open"
    elif "readonly" in text or "read-only" in text:
        reason = "db.read_only"
    elif "disk is full" in text or ("disk I/O error" in text and _disk_full(path)):
        reason = "db.disk_full"
    elif "locked" in text or "busy" in text:
        reason = "db.locked"
    else:
        reason = "db.error"
    return Unavailable(reason=reason, path=path, detail=text)


def _disk_full(path: Path | str) -> bool:
    """Whether the file system holding ``path`` has no room left: SQLite reports a failed
    WAL write on a full disk as a plain I/O error."""
    try:
        fs = os.statvfs(Path(path).resolve().parent)
    except OSError:
        return False
    return fs.f_bavail * fs.f_frsize < 64 * 1024


def begin_immediate(conn: sqlite3.Connection, path: str, timeout_s: float) -> None:
    """Take the write lock, retrying every millisecond or so until ``timeout_s``.

    SQLite's own busy handler backs off up to 100 ms between tries, so with a
    dozen writers some calls wait hundreds of milliseconds for a lock that was
    free long before. Polling briefly with jitter keeps the waits near the
    length of the transactions ahead.
    """
    if getattr(conn, "polls_for_lock", False):
        _poll_for_lock(conn, path, time.monotonic() + timeout_s)
        return
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        _poll_for_lock(conn, path, time.monotonic() + timeout_s)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _poll_for_lock(conn: sqlite3.Connection, path: str, deadline: float) -> None:
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() >= deadline:
                raise sqlite_failure(path, exc) from exc
            time.sleep(random.uniform(0.0002, 0.002))


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection, path: str = "hall database") -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back whole on any error."""
    begin_immediate(conn, path, BUSY_TIMEOUT_MS / 1000)
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise sqlite_failure(path, exc) from exc
