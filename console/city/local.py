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

    def start(self) -> None:
        async def follow() -> None:
            follower = Follower(self.config, self.writer, self.clock)
            follower.start()
            await asyncio.Event().wait()  # until the process ends, the follower with it

        threading.Thread(target=asyncio.run, args=(follow(),), name="city-follow",
                         daemon=True).start()  # fmt: skip

    def halls(self) -> list[dict[str, Any]]:
        with self._lock:
            return views.halls(self.reader, self.clock.now())
