"""The engine as the hall server holds it: one writer, one reader, one token checker.

Writes go through one ``LocalHall`` (one connection, the engine's single
write path) on one dedicated thread: requests queue for it first come, first
served, instead of a pool of threads fighting over a lock (unfair locks were
what made the slowest calls slow). Views and lists read on their own
connections in two reader threads, so a big floor view never delays a call
(WAL lets readers run beside the writer); a PIN check (a deliberately slow
hash) runs on a login thread of its own, never on the event loop, in the writers' queue or
ahead of a view (a hall logging in at once after a power cut must not stall the floor).
Station tokens and sessions are checked on one more connection.

Every state-changing request carries an idempotency key, and every write of the
interface takes it as its ``key`` argument: the engine records it, scoped to the actor
and fingerprinted by the arguments, in the same transaction as the change.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from console.engine import Clock
from console.engine.failover import hall_generation
from console.local import LocalHall
from console.server.auth import (
    Authenticator,
    Station,
    give_back_login_attempt,
    take_login_attempt,
)
from console.server.printing import ServerPrinting
from console.server.stream import EventHub
from console.store import connect
from console.store.connection import only_for_writes
from console.store.migrations import check_version

T = TypeVar("T")

READERS = 2
"""Reader threads, each with its own connection."""
LOGINS = 2
"""Login threads (PIN checks), each with its own connection: as many as the cores a small
server has, since the hash is all CPU."""
CHECKPOINT_S = 1.0


class Checkpointer:
    """Moves the WAL into the database file every ``CHECKPOINT_S``, beside the writer."""

    def __init__(self, conn: Any):
        self.conn = conn
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qconsole-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(CHECKPOINT_S):
            try:
                self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except Exception:  # busy or closing: the next round catches up
                continue

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            self.conn.close()


class ServerHall:
    """What the routes use: the writer, the reader, the authenticator and the event hub."""

    def __init__(self, path: str | Path, clock: Clock | None = None,
                 printer_dir: str | Path | None = None, checkpoints: bool = True):  # fmt: skip
        self.path = str(path)
        self.printer_dir = printer_dir
        self.writer = LocalHall(path, clock=clock)
        self.writer.engine.print_jobs.confine_file_printers(printer_dir)
        self.writer.engine.print_jobs.leave_unowned_printers_to_server()
        self.clock = self.writer.engine.clock
        # Checkpoints (copying the WAL into the database file, with an fsync) run on their own
        # thread, so no call waits behind one. Under Litestream (``serve --replica``) they are
        # Litestream's: it checkpoints only once it has copied the WAL, so the server does not.
        self.writer.engine.conn.execute("PRAGMA wal_autocheckpoint = 0")
        only_for_writes(self.writer.engine.conn)
        self._checkpointer = Checkpointer(connect(path)) if checkpoints else None
        self._readers = threading.local()
        self._opened: list[LocalHall] = []
        self._write_pool = ThreadPoolExecutor(1, thread_name_prefix="qconsole-write")
        self._read_pool = ThreadPoolExecutor(READERS, thread_name_prefix="qconsole-read")
        self._login_pool = ThreadPoolExecutor(LOGINS, thread_name_prefix="qconsole-login")
        auth_conn = connect(path)
        check_version(auth_conn, self.path)
        self.auth = Authenticator(auth_conn, self.clock)
        self.hub = EventHub(connect(path))
        self.printing = ServerPrinting(self.path, self.clock)
        self.generation = hall_generation(self.writer.engine.conn)
        """The hall's generation this server serves (``console.server.fencing``)."""
        engine = self.writer.engine
        if engine.mark_generation_served() is not None:  # the first start after a restore
            hold = engine.core.setting("failover_call_hold_s")
            engine.core.calls_held_until = time.monotonic() + hold
        self.claims: collections.OrderedDict[str, Any] = collections.OrderedDict()
        """Recent print-job claims by idempotency key, so a retried claim gets the same job."""

    def write(self, op: str, key: str, *args: Any, **kwargs: Any) -> Any:
        """Run one interface operation under ``key`` (every write of the interface takes
        one) and wake the streams and the print worker (the write may have queued a job;
        the worker also polls)."""
        result = getattr(self.writer, op)(*args, key=key, **kwargs)
        self.printing.wake()
        self.hub.poke()
        return result

    def engine_write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a server-side write (stations, sessions) on the writer's engine, under its lock."""
        with self.writer._lock:
            result = fn(self.writer.engine, *args)
        self.hub.poke()
        return result

    @property
    def reader(self) -> LocalHall:
        """This reader thread's own connection."""
        hall = getattr(self._readers, "hall", None)
        if hall is None:
            hall = self._readers.hall = LocalHall(self.path, clock=self.clock)
            self._opened.append(hall)
        return hall

    def read(self, op: str, *args: Any, **kwargs: Any) -> Any:
        return getattr(self.reader, op)(*args, **kwargs)

    def query(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(reader, *args)`` on this reader thread's own connection."""
        return fn(self.reader, *args)

    async def aquery(self, fn: Callable[..., T], *args: Any) -> T:
        """A read of the public pages (several views in one go) on a reader thread."""
        call = functools.partial(self.query, fn, *args)
        return await asyncio.get_running_loop().run_in_executor(self._read_pool, call)

    def login(self, staff_no: str, pin: str, station: Station) -> Any:
        """The PIN check on a login thread's own connection. The station's attempt is counted
        right before it, on the same thread, so only the attempts being checked (one per
        login thread) are ever in flight: simultaneous right PINs are not mistaken for
        guessing."""
        engine = self.reader.engine
        attempt = take_login_attempt(engine, station)
        try:
            result = self.reader.login(staff_no, pin, station.name)
        finally:
            self.hub.poke()
        give_back_login_attempt(engine, attempt)
        return result

    # -- from the event loop ---------------------------------------------------
    async def awrite(self, op: str, key: str, *args: Any, **kwargs: Any) -> Any:
        call = functools.partial(self.write, op, key, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._write_pool, call)

    async def aengine_write(self, fn: Callable[..., T], *args: Any) -> T:
        call = functools.partial(self.engine_write, fn, *args)
        return await asyncio.get_running_loop().run_in_executor(self._write_pool, call)

    async def aread(self, op: str, *args: Any, **kwargs: Any) -> Any:
        call = functools.partial(self.read, op, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._read_pool, call)

    async def alogin(self, staff_no: str, pin: str, station: Station) -> Any:
        call = functools.partial(self.login, staff_no, pin, station)
        return await asyncio.get_running_loop().run_in_executor(self._login_pool, call)

    # -- printing across the LAN ---------------------------------------------
    def _print_write(self, fn: Callable[..., T], *args: Any) -> T:
        with self.writer._lock:
            result = fn(self.writer.engine, *args)
        self.hub.poke()
        return result

    async def aprint(self, fn: Callable[..., T], *args: Any) -> T:
        """A print-job write (claim, report) on the writers' thread."""
        call = functools.partial(self._print_write, fn, *args)
        return await asyncio.get_running_loop().run_in_executor(self._write_pool, call)

    def _print_read(self, fn: Callable[..., T], *args: Any) -> T:
        reader = self.reader
        with reader._lock:
            return fn(reader.engine.conn, self.clock, *args)

    async def aprint_read(self, fn: Callable[..., T], *args: Any) -> T:
        """Rendering a slip (reads only) on a reader thread, out of the writers' queue."""
        call = functools.partial(self._print_read, fn, *args)
        return await asyncio.get_running_loop().run_in_executor(self._read_pool, call)

    def close(self) -> None:
        self.hub.stop()
        self.printing.stop()
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self._write_pool.shutdown(wait=True)
        self._read_pool.shutdown(wait=True)
        self._login_pool.shutdown(wait=True)
        self.writer.close()
        for hall in self._opened:
            hall.close()
        self.auth.conn.close()
        self.hub.conn.close()
