"""The live change feed: every event of the log, pushed to every station as it commits.

One watcher thread notices commits the way a local screen does (SQLite's
``PRAGMA data_version`` on its own connection, poked right after each write
this server makes and polled for writes from elsewhere, such as an admin
shell on the server machine), reads the new events once and keeps the latest
ones in memory. Each stream (Server-Sent Events) sends the events after its
cursor with the event id as the SSE ``id``; a reconnecting station sends
``Last-Event-ID`` and gets what it missed, from memory or from the log. When
the gap is too large, or the cursor is ahead of the log (a restored backup),
the stream sends ``event: resync`` and the station reloads its views.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import sqlite3
import threading
from collections.abc import AsyncIterator
from typing import Any

POLL_S = 0.02
"""How often the watcher looks for commits made outside this server."""
BUFFER = 5000
"""Events kept in memory for streams that are a little behind."""
RESYNC_AFTER = 20000
"""A station further behind than this reloads its views instead of replaying the log."""
HEARTBEAT_S = 5.0
"""A comment line this often, so a station notices a dead server within seconds."""


def _event_dict(row: sqlite3.Row) -> dict[str, Any]:
    return {**dict(row), "changes": json.loads(row["changes"])}


class EventHub:
    """Reads new events once and wakes every waiting stream."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._conn_lock = threading.Lock()
        self.last = self._newest()
        self.buffer: collections.deque[dict[str, Any]] = collections.deque(maxlen=BUFFER)
        self._buf_lock = threading.Lock()
        self._poke = threading.Event()
        self._stop = threading.Event()
        self.closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed = asyncio.Event()
        self._thread: threading.Thread | None = None

    def _newest(self) -> int:
        with self._conn_lock:
            return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])

    # -- the watcher -------------------------------------------------------
    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        self._thread = threading.Thread(target=self._watch, name="qconsole-events", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """Called after a write: look now rather than at the next poll."""
        self._poke.set()

    def _watch(self) -> None:
        version = None
        while not self._stop.is_set():
            self._poke.wait(POLL_S)
            self._poke.clear()
            try:
                with self._conn_lock:
                    now_version = self.conn.execute("PRAGMA data_version").fetchone()[0]
                    if now_version == version:
                        continue
                    version = now_version
                    rows = self.conn.execute(
                        "SELECT * FROM events WHERE id > ? ORDER BY id", (self.last,)
                    ).fetchall()
            except sqlite3.Error:
                continue
            if not rows:
                continue
            events = [_event_dict(row) for row in rows]
            with self._buf_lock:
                self.buffer.extend(events)
                self.last = int(rows[-1]["id"])
            if self._loop is not None:
                with contextlib.suppress(RuntimeError):  # the loop is closing
                    self._loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        old, self._changed = self._changed, asyncio.Event()
        old.set()

    def begin_shutdown(self) -> None:
        """Shutdown has started: streams say goodbye so in-flight requests can drain."""
        self.closing = True
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._wake)

    def stop(self) -> None:
        self.closing = True
        self._stop.set()
        self._poke.set()
        if self._loop is not None:
            self._wake()
        if self._thread is not None:
            self._thread.join(timeout=2)

    # -- readers -----------------------------------------------------------
    async def wait(self, after: int, timeout: float) -> int:
        """Newest event id once it passes ``after``, or ``after`` at the timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.last <= after and not self.closing:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)
        return max(self.last, after) if self.last > after else after

    def _after(self, cursor: int, limit: int = 1000) -> list[dict[str, Any]] | None:
        """Events after ``cursor`` (from memory when it reaches back far enough)."""
        with self._buf_lock:
            buf = self.buffer
            if cursor >= self.last:
                return []
            if buf and buf[0]["id"] <= cursor + 1:
                newer = []
                for event in reversed(buf):  # the newest few are what a live stream wants
                    if event["id"] <= cursor:
                        break
                    newer.append(event)
                newer.reverse()
                return newer[:limit]
        if self.last - cursor > RESYNC_AFTER:
            return None
        with self._conn_lock:
            rows = self.conn.execute(
                "SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?", (cursor, limit)
            ).fetchall()
        return [_event_dict(r) for r in rows]

    def tickets_touched(self, cursor: int) -> set[int] | None:
        """Ids of the tickets the events after ``cursor`` changed, from memory; None when
        memory does not reach back that far."""
        with self._buf_lock:
            if cursor < self.last and not (self.buffer and self.buffer[0]["id"] <= cursor + 1):
                return None
            touched = set()
            for event in reversed(self.buffer):
                if event["id"] <= cursor:
                    break
                if event["ticket_id"] is not None:
                    touched.add(event["ticket_id"])
            return touched

    async def stream(self, cursor: int | None) -> AsyncIterator[str]:
        """SSE text: a hello, then every event after ``cursor``; resync when it cannot."""
        if cursor is None:
            cursor = self.last
        yield f"retry: 1000\nevent: hello\ndata: {json.dumps({'last_event_id': self.last})}\n\n"
        if cursor > self.last:
            yield _resync(self.last)
            cursor = self.last
        loop = asyncio.get_running_loop()
        while not self.closing:
            changed = self._changed
            if self.buffer and self.buffer[0]["id"] <= cursor + 1:
                events = self._after(cursor)  # from memory: no need for a thread
            else:
                events = await loop.run_in_executor(None, self._after, cursor)
            if events is None:
                yield _resync(self.last)
                cursor = self.last
                continue
            for event in events:
                data = json.dumps(event, ensure_ascii=False)
                yield f"id: {event['id']}\nevent: change\ndata: {data}\n\n"
                cursor = event["id"]
            if events and cursor < self.last:
                continue
            try:
                await asyncio.wait_for(changed.wait(), HEARTBEAT_S)
            except TimeoutError:
                yield ": ping\n\n"
        yield "event: bye\ndata: {}\n\n"


def _resync(last: int) -> str:
    return f"event: resync\ndata: {json.dumps({'last_event_id': last})}\n\n"
