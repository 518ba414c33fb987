"""Following the city's halls from this process (``qconsole city floor --halls``): the same
follower as ``city serve``, on an event loop of its own thread, keeping the same database.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from console.city import views
from console.city.config import CityConfig
from console.city.follow import Follower
from console.city.store import list_halls, open_city
from console.engine.clock import Clock


class FollowHere:
    """A follower on a daemon thread (it ends with the process) and a reader for the screen."""

    def __init__(self, config: CityConfig, db: str | Path, clock: Clock):
        self.config = config
        self.clock = clock
        self.writer = open_city(db, create=True)
        list_halls(self.writer, config)
        self.reader = open_city(db)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._done: asyncio.Event | None = None

    def start(self) -> None:
        ready = threading.Event()

        async def follow() -> None:
            self._loop = asyncio.get_running_loop()
            self._done = asyncio.Event()
            follower = Follower(self.config, self.writer, self.clock)
            follower.start()
            ready.set()
            await self._done.wait()  # until stop(), or the process ends (a daemon thread)
            await follower.stop()

        self._thread = threading.Thread(target=asyncio.run, args=(follow(),),
                                        name="city-follow", daemon=True)  # fmt: skip
        self._thread.start()
        ready.wait(10)

    def stop(self) -> None:
        """End the follower (the screen quit) and close the database."""
        if self._thread is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._done.set)  # type: ignore[union-attr]
            self._thread.join(10)
        self.reader.close()
        self.writer.close()

    def halls(self) -> list[dict[str, Any]]:
        with self._lock:
            return views.halls(self.reader, self.clock.now())
