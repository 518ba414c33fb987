"""The live worker: notices other stations' changes and tells the screen.

It blocks in ``service.wait_for_change`` in a thread (in-process that polls
SQLite's ``PRAGMA data_version``, over the LAN it is the server's stream), so
the UI never waits and nothing spins. When the hall cannot be reached it posts
``HallUnavailable`` once, retries with a growing pause, and posts
``HallReachable`` and a ``HallChanged`` when it is back, so the screen reloads.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from console.domain import Event
from console.domain.desk_changes import CATCH_UP_S
from console.domain.errors import QConsoleError, Unavailable
from console.engine.clock import Clock
from console.service import HallService
from console.tui.i18n import Translator
from console.tui.messages import HallChanged, HallReachable, HallUnavailable

BACKOFF_S = (0.25, 0.5, 1.0, 2.0, 4.0)
"""Pauses between retries while the hall is unreachable."""

FAILURES = (QConsoleError, sqlite3.Error, OSError)
"""What a service call may raise when the hall is unreachable or broken."""

CHANGES_READ = 200
"""The most events a filtered screen reads after a wake; more, and it simply re-reads."""


def for_good(exc: BaseException | None) -> bool:
    """Whether no retry can help: the server's gate refuses this station's token."""
    from console.feed import REFUSED_FOR_GOOD

    return getattr(exc, "reason", "") in REFUSED_FOR_GOOD


def banner(t: Translator, message: HallUnavailable) -> str:
    """The unreachable banner: "retrying by itself" only when a retry can help."""
    error = message.error.rstrip("。. ")
    if not message.retrying:
        return "⚠ " + t.error(QConsoleError(reason="station.refused_for_good", error=error))
    return t("desk.unavailable", error=error)


def describe(exc: BaseException, t: Translator) -> str:
    """One line for a failure in the station's language, for the banner or the status line."""
    if not isinstance(exc, QConsoleError):
        exc = Unavailable(reason="hall.failure", kind=type(exc).__name__, detail=str(exc))
    return t.error(exc)


def outdated(view: Any, message: HallChanged, clock: Clock) -> bool:
    """Whether ``view`` (a hall or counter view) is behind ``message``: a newer event, or a
    view of an earlier service day (the screens roll over at midnight by themselves)."""
    if view is None or message.event_id > view.as_of_event:
        return True
    return bool(message.day) and message.day != clock.day(view.now)


def show_server(screen: Any) -> None:
    """On a standby server (not the first of ``--server``), the banner says which, calmly:
    the station failed over and the clerk or manager should know where it works now."""
    from textual.widgets import Static

    note = getattr(screen.app.service, "server_note", "")
    banner = screen.query_one("#banner", Static)
    banner.set_class(bool(note), "-standby")
    if note:
        banner.update(screen.app.t("station.on_server", url=note))
        banner.add_class("-shown")


def watch(
    node: DOMNode, service: HallService, after: int, timeout: float = 0.5,
    concerns: Callable[[Event], bool] | None = None,
) -> Worker:  # fmt: skip
    """Start the live worker for ``node`` (a screen); it stops when the node goes away.

    Besides changes, it notices midnight on the hall's clock and tells the screen,
    which then reloads today's (empty) figures though nothing was written.

    With ``concerns`` (a desk: ``console.domain.desk_changes``) the screen is told at once
    only of changes ``concerns`` picks from the events' content; the others are told at
    most ``CATCH_UP_S`` seconds after the screen was last told, in one."""
    clock: Clock = getattr(service, "clock", None) or Clock()

    def run() -> None:
        worker = get_current_worker()
        last, failures, day = after, 0, clock.day()
        pending, told = 0, time.monotonic()
        servers = getattr(service, "servers", None)
        server = servers.primary if servers is not None else None
        while not worker.is_cancelled:
            if clock.day() != day:
                day = clock.day()
                node.post_message(HallChanged(last, day))
            try:
                newest = service.wait_for_change(last, timeout)
            except FAILURES as exc:
                if for_good(exc):  # a revoked or unknown token: say so once, and stop
                    node.post_message(HallUnavailable(describe(exc, node.app.t), retrying=False))
                    return
                if failures == 0:
                    node.post_message(HallUnavailable(describe(exc, node.app.t)))
                pause = BACKOFF_S[min(failures, len(BACKOFF_S) - 1)]
                failures += 1
                sleep(worker, pause)
                continue
            if failures or (servers is not None and servers.current != server):
                failures = 0
                server = servers.current if servers is not None else None
                node.post_message(HallReachable())  # the screen says which server, if a standby
                node.post_message(HallChanged(newest))
            if newest != last:
                now_too = concerns is None or _concerning(service, last, newest, concerns)
                last = newest
                if now_too:
                    pending, told = 0, time.monotonic()
                    node.post_message(HallChanged(newest))
                else:
                    pending = newest
            if pending and time.monotonic() - told >= CATCH_UP_S:
                pending, told = 0, time.monotonic()
                node.post_message(HallChanged(last))

    return node.run_worker(run, thread=True, exclusive=True, group="live", name="live")


def _concerning(
    service: HallService, after: int, newest: int, concerns: Callable[[Event], bool]
) -> bool:
    """Whether some event after ``after`` (up to ``newest``) concerns the screen; yes when
    they cannot all be read (then the screen's own read says what changed)."""
    try:
        events = service.changes_since(after, limit=CHANGES_READ)
    except FAILURES:
        return True
    if len(events) >= CHANGES_READ or not events or events[-1].id < newest:
        return True
    return any(concerns(event) for event in events)


def sleep(worker: Worker, seconds: float) -> None:
    """Sleep, waking early when the worker is cancelled (the screen closed)."""
    end = time.monotonic() + seconds
    while not worker.is_cancelled and time.monotonic() < end:
        time.sleep(min(0.05, end - time.monotonic()))
