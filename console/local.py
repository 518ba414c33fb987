"""The in-process implementation of the service interface: the engine over the SQLite file.

One connection serves every call, behind a lock, because a Textual app calls
from worker threads as well as its own. Change notification polls SQLite's
``PRAGMA data_version`` on a second connection: it changes whenever any
connection (in this process or another) commits, and reading it costs no I/O.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.engine import Clock, Engine
from console.local_operations import LocalOperations
from console.store import connect
from console.store.migrations import check_version, migrate, require_migrations

POLL_S = 0.05
"""How often a waiting screen looks for other stations' commits (well inside 250 ms)."""


class LocalHall(LocalOperations):
    """``HallService`` over a hall database file on this machine.

    Its operations (``LocalOperations``) are generated from the interface and the engine
    (``console.facades``); what is written here is the connection: opening it, the lock,
    waiting for changes and closing."""

    def __init__(self, path: str | Path, *, clock: Clock | None = None, create: bool = False):
        self.path = str(path)
        if create:
            require_migrations()
        conn = connect(path, create=create)
        if create:
            migrate(conn, self.path)
        else:
            check_version(conn, self.path)
        self.engine = Engine(conn, clock, self.path)
        self._lock = threading.RLock()
        self._watcher = connect(path)
        self._watch_lock = threading.Lock()

    def _run(self, method: Callable[..., Any], /, **arguments: Any) -> Any:
        """One engine operation or view, serialised on the one connection (a write states
        its own idempotency scope: ``console.engine.commands.keyed``)."""
        with self._lock:
            return method(**arguments)

    @property
    def clock(self) -> Clock:
        return self.engine.clock

    def wait_for_change(self, after_event_id: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        with self._watch_lock:
            seen = None
            while True:
                version = self._watcher.execute("PRAGMA data_version").fetchone()[0]
                if version != seen:
                    seen = version
                    newest = self._watcher.execute(
                        "SELECT coalesce(max(id), 0) FROM events"
                    ).fetchone()[0]
                    if newest > after_event_id:
                        return int(newest)
                if time.monotonic() >= deadline:
                    return after_event_id
                time.sleep(POLL_S)

    def close(self) -> None:
        with self._lock:
            self.engine.conn.close()
        with self._watch_lock:
            self._watcher.close()
