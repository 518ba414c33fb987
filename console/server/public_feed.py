"""Live views for the citizens' pages: read once per change for every open page.

Five hundred phones watching their tickets must not cost five hundred queries per
call, nor wake five hundred streams. One task follows the event hub; after each burst
of changes (at most every ``REFRESH_S``) it reads, on a reader thread, the public views
of the watched tickets those events touched (and, when a board is open, the board's
view), and wakes only the streams whose view changed. The estimate (how many are
ahead, how long) changes with every call in the hall: it is recomputed for every
watched waiting ticket at most every ``ESTIMATE_S`` (the queue read once for all of
them), and at once for a ticket that has just (again) started waiting; between those
full passes a waiting ticket keeps its last estimate.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from typing import Any

from console.local import LocalHall
from console.server.hall import ServerHall
from console.server.public_text import board_data

REFRESH_S = 0.1
"""Changes closer together than this are read in one pass."""
ESTIMATE_S = 3.0
"""A waiting page's estimate is at most this old while the hall is busy."""
WAITING = ("waiting", "transferred")
Views = dict[int, dict[str, Any]]


def _pass(reader: LocalHall, ids: list[int], full: bool, old: Views,
          board: bool) -> tuple[Views, dict[str, Any] | None, dict]:  # fmt: skip
    """One read of the given watched tickets (and the board): runs on a reader thread."""
    views = reader.public_views(ids, full) if ids else {}
    if not full:
        fresh = []
        for ticket_id, view in views.items():
            before = old.get(ticket_id)
            if view["state"] not in WAITING:
                continue
            kept = before is not None and before["state"] == view["state"]
            if kept and before["ahead"] is not None:
                view["ahead"], view["wait_min"] = before["ahead"], before["wait_min"]
            else:
                fresh.append(ticket_id)
        if fresh:
            views.update(reader.public_views(fresh, True))
    settings = reader.settings()
    hall_name = str(settings.get("hall_name") or "")
    shown = board_data(reader.hall_view(8), hall_name, settings) if board else None
    return views, shown, settings


class PublicFeed:
    """The views the open public pages show, refreshed as the hall changes."""

    def __init__(self, hall: ServerHall, max_streams: int):
        self.hall = hall
        self.max_streams = max_streams
        self.streams = 0
        """Live streams open (or answered and about to open): taken before the answer."""
        self.watchers: collections.Counter[int] = collections.Counter()
        self.views: Views = {}
        self.signals: dict[int, asyncio.Event] = {}
        self.board: dict[str, Any] | None = None
        self.board_watchers = 0
        self.board_signal = asyncio.Event()
        self.settings: dict[str, Any] = {}
        self._task: asyncio.Task | None = None

    @property
    def closing(self) -> bool:
        return self.hall.hub.closing

    def take_stream(self) -> bool:
        """One of the ``max_streams`` places, taken at once (no await between the check and
        the count, so a burst of requests cannot all pass the check); False when full."""
        if self.streams >= self.max_streams:
            return False
        self.streams += 1
        return True

    def give_back_stream(self) -> None:
        self.streams -= 1

    def start(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.board_signal = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._wake_all()

    # -- who is watching ---------------------------------------------------------
    def watch(self, ticket_id: int, view: dict[str, Any]) -> None:
        self.watchers[ticket_id] += 1
        self.views.setdefault(ticket_id, view)
        self.signals.setdefault(ticket_id, asyncio.Event())

    def unwatch(self, ticket_id: int) -> None:
        self.watchers[ticket_id] -= 1
        if self.watchers[ticket_id] <= 0:
            del self.watchers[ticket_id]
            self.views.pop(ticket_id, None)
            self.signals.pop(ticket_id, None)

    def signal(self, ticket_id: int) -> asyncio.Event:
        """Set when the ticket's view next changes (or the server shuts down)."""
        return self.signals[ticket_id]

    # -- the loop ------------------------------------------------------------------
    async def _run(self) -> None:
        hub = self.hall.hub
        after = hub.last
        last_full = 0.0
        stale = False
        loop = asyncio.get_running_loop()
        while not hub.closing:
            newest = await hub.wait(after, ESTIMATE_S)
            if hub.closing:
                break
            touched: set[int] | None = set()
            if newest > after:
                touched = hub.tickets_touched(after)
                after, stale = newest, True
            full = stale and loop.time() - last_full >= ESTIMATE_S
            if touched == set() and not full:
                continue
            if not self.watchers and not self.board_watchers:
                stale = False  # nobody to tell; a page opening now reads its own first view
                self.settings = await self.hall.aread("settings")  # the request allowance
                await asyncio.sleep(REFRESH_S)
                continue
            if full:
                last_full, stale = loop.time(), False
            ids = [t for t in self.watchers if full or touched is None or t in touched]
            if not ids and not self.board_watchers:
                continue  # the changes were to tickets no page is showing
            try:
                await self.refresh(ids, full)
            except Exception:  # a busy or damaged database: the next change tries again
                await asyncio.sleep(1.0)
            await asyncio.sleep(REFRESH_S)
        self._wake_all()  # the server is shutting down: the streams say goodbye

    async def refresh(self, ids: list[int], full: bool) -> None:
        """Read the views of ``ids`` (and the board) now; wake the streams they changed."""
        old = {t: self.views[t] for t in ids if t in self.views}
        views, board, settings = await self.hall.aquery(
            _pass, ids, full, old, self.board_watchers > 0
        )
        self.settings = settings
        for ticket_id, view in views.items():
            if ticket_id in self.watchers and view != self.views.get(ticket_id):
                self.views[ticket_id] = view
                self._wake(ticket_id)
        if board is not None and board != self.board:
            self.board = board
            self._wake_board()

    async def board_now(self) -> dict[str, Any]:
        """The board's view as of now (for a board opening while no other is)."""
        _, board, _ = await self.hall.aquery(_pass, [], True, {}, True)
        self.board = board
        return board or {}

    def _wake(self, ticket_id: int) -> None:
        old, self.signals[ticket_id] = self.signals[ticket_id], asyncio.Event()
        old.set()

    def _wake_board(self) -> None:
        old, self.board_signal = self.board_signal, asyncio.Event()
        old.set()

    def _wake_all(self) -> None:
        for ticket_id in list(self.signals):
            self._wake(ticket_id)
        self._wake_board()
