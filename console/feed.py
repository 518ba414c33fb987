"""The hall server's live change feed, as a station reads it: one SSE stream in a thread.

The stream reconnects by itself with backoff and resumes from the last event
id it saw (``Last-Event-ID``); while the server cannot be reached, ``wait``
raises ``Unavailable`` (the screens show their banner) and ``online`` is
False. A ``resync`` (the station was too far behind, or the server's log is
behind it after a restored backup) wakes every waiter so the screens reload.
"""

from __future__ import annotations

import collections
import contextlib
import json
import random
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from console.domain import Event
from console.domain.errors import (
    AuthError,
    BadInput,
    NotFound,
    QConsoleError,
    Refused,
    Unavailable,
)
from console.servers import ServerList

ERRORS: dict[str, type[QConsoleError]] = {
    "refused": Refused,
    "forbidden": AuthError,
    "unauthenticated": AuthError,
    "bad_input": BadInput,
    "not_found": NotFound,
    "unavailable": Unavailable,
}
"""The server's error codes back to the classes the engine raised."""

BACKOFF_S = (0.1, 0.2, 0.4, 0.8, 1.6, 3.0)
HELD_EVENTS = 2000
"""The stream's newest events kept in memory, so a screen asking what changed since its
last look (a desk, after every wake) is answered without a request to the server."""
STREAM_READ_S = 15.0
"""No byte (not even a heartbeat) for this long: the server is gone, reconnect."""


REFUSED_FOR_GOOD = frozenset({"station.revoked", "station.unknown_token", "station.token_needed"})
"""The gate's refusals a retry cannot change: the station needs a new token."""


def error_of(response: httpx.Response) -> QConsoleError:
    """The product error a refusal of the hall server stands for."""
    body: Any = None
    try:
        body = response.json()
        code, message = body.get("error", ""), body.get("message") or response.text
    except (ValueError, AttributeError):
        code, message = "", response.text.strip()[:200]
    cls = ERRORS.get(code)
    if cls is None:
        if response.status_code >= 500:
            return Unavailable(reason="server.error", status=response.status_code, detail=message)
        cls = BadInput if response.status_code < 409 else Refused
    reason = body.get("reason") if isinstance(body, dict) else None
    params = body.get("params") if isinstance(body, dict) else None
    if isinstance(reason, str) and isinstance(params, dict):
        return cls(message, reason=reason, **params)
    return cls(message)


class ChangeFeed:
    """The newest event id of the hall, kept current by the server's event stream."""

    def __init__(self, servers: ServerList, headers: dict[str, str],
                 verify: bool | ssl.SSLContext, newest: int, retry_for: float = 4.0):  # fmt: skip
        self.servers = servers
        self.retry_for = retry_for
        """A server the stream cannot reach for this long: try the next one of the list."""
        self._headers = headers
        self._verify = verify
        self._closed = False
        self._cond = threading.Condition()
        self._newest = newest
        self._generation = 0
        self.generation_seen = 0
        """The highest hall generation the station has seen: sent with the stream request, so
        an old primary refuses it (and the stream moves on at once)."""
        self._online = True
        self._held: collections.deque[dict[str, Any]] = collections.deque()
        self._held_after = newest
        """``_held`` has every event after this id that the stream brought (in order)."""
        self._asked_after = newest
        """The Last-Event-ID the current stream was asked from."""
        self._streaming = False
        """A stream is connected (it said hello): what it brings is the log as it commits."""
        self._offline_error: QConsoleError = Unavailable(reason="server.closed")
        self._stream_thread: threading.Thread | None = None
        self._stream_client: httpx.Client | None = None
        self.listeners: list[Callable[[bool, str], None]] = []

    @property
    def online(self) -> bool:
        return self._online

    def mark_offline(self, error: QConsoleError) -> None:
        """No server answered yet: offline until the stream (started now) reaches one."""
        with self._cond:
            self._online = False
            self._offline_error = error
        self.start()

    def newest_at_least(self, event_id: int) -> None:
        with self._cond:
            self._newest = max(self._newest, event_id)

    @property
    def offline_reason(self) -> str:
        return self._offline_error.message if not self._online else ""

    @property
    def offline_error(self) -> QConsoleError | None:
        """Why the server cannot be reached (its reason code renders in any language)."""
        return self._offline_error if not self._online else None

    def events_after(self, after: int, limit: int) -> list[Event] | None:
        """The events after ``after`` (at most ``limit``) as the connected stream brought
        them, or None when no stream is connected or memory does not reach back that far
        (ask the server)."""
        with self._cond:
            if not self._streaming or after < self._held_after:
                return None
            held = [e for e in self._held if e["id"] > after][:limit]
        return [Event.from_dict(e) for e in held]

    def _forget_held(self, after: int) -> None:
        """The stream starts anew from ``after`` (a resync, a restored server): what memory
        holds no longer runs on to it. Under ``_cond``."""
        self._held.clear()
        self._held_after = after

    def start(self) -> None:
        if self._stream_thread is None and not self._closed:
            self._stream_thread = threading.Thread(target=self._stream_loop,
                                                   name="qconsole-stream", daemon=True)  # fmt: skip
            self._stream_thread.start()

    def wait(self, after_event_id: int, timeout: float) -> int:
        """Newest event id once past ``after_event_id`` (or a resync), else the same id at the
        timeout; raises ``Unavailable`` while the server cannot be reached."""
        self.start()
        deadline = time.monotonic() + timeout
        with self._cond:
            generation = self._generation
            while True:
                if self._newest > after_event_id or self._generation != generation:
                    return self._newest
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            if not self._online:
                error = self._offline_error  # its reason too, so a Chinese screen says it
                raise Unavailable(error.message, reason=error.reason, **error.params)
            return after_event_id

    def _set_online(self, online: bool, error: QConsoleError | None = None) -> None:
        reason = error.message if error else ""
        with self._cond:
            changed = online != self._online
            self._online = online
            if error is not None:
                self._offline_error = error
            self._cond.notify_all()
        if changed:
            for fn in list(self.listeners):
                with contextlib.suppress(Exception):  # a listener's bug must not stop the stream
                    fn(online, reason)

    def _stream_loop(self) -> None:
        attempt = 0
        client = httpx.Client(
            headers=self._headers, verify=self._verify,
            timeout=httpx.Timeout(STREAM_READ_S, connect=2.0),
        )  # fmt: skip
        self._stream_client = client
        failing_since: float | None = None
        try:
            while not self._closed:
                server = self.servers.current
                try:
                    with self._cond:
                        self._asked_after = self._newest
                    headers = {"Last-Event-ID": str(self._newest), "Accept": "text/event-stream",
                               "X-QConsole-Generation": str(self.generation_seen)}  # fmt: skip
                    url = server + "/api/v1/stream"
                    with client.stream("GET", url, headers=headers) as response:
                        if response.status_code != 200:
                            response.read()
                            error = error_of(response)
                            if error.reason in ("server.old_generation", "server.fenced"):
                                failing_since = time.monotonic() - self.retry_for  # move on now
                            raise error
                        attempt, failing_since = 0, None
                        try:
                            self._read_stream(response)
                        finally:
                            with self._cond:
                                self._streaming = False
                    continue  # the server said goodbye (shutting down): reconnect at once
                except (httpx.HTTPError, QConsoleError) as exc:
                    if self._closed:
                        break
                    error = exc if isinstance(exc, QConsoleError) else Unavailable(
                        reason="server.unreachable", url=server, detail=type(exc).__name__
                    )  # fmt: skip
                    self._set_online(False, error)
                    if error.reason in REFUSED_FOR_GOOD:
                        break  # the gate will say the same to every retry, on every server
                    now = time.monotonic()
                    failing_since = failing_since or now
                    if len(self.servers) > 1 and now - failing_since >= self.retry_for:
                        self.servers.advance(server)  # a standby may be serving by now
                        attempt, failing_since = 0, None
                pause = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)] * random.uniform(0.8, 1.2)
                attempt += 1
                end = time.monotonic() + pause
                while not self._closed and time.monotonic() < end:
                    time.sleep(0.05)
        finally:
            client.close()

    def _read_stream(self, response: httpx.Response) -> None:
        kind, data, event_id = "message", "", None
        for line in response.iter_lines():
            if self._closed:
                return
            if line == "":
                if data or kind != "message":
                    self._dispatch(kind, data, event_id)
                kind, data, event_id = "message", "", None
                continue
            if line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                kind = value
            elif field == "data":
                data = f"{data}\n{value}" if data else value
            elif field == "id":
                event_id = value

    def _dispatch(self, kind: str, data: str, event_id: str | None) -> None:
        with self._cond:
            if kind == "hello":
                self._streaming = True
                last = json.loads(data)["last_event_id"]
                if last < self._newest:  # the server's log is behind us (a restored backup)
                    self._newest = last
                    self._generation += 1
                    self._forget_held(last)
                elif (self._held[-1]["id"] if self._held else self._held_after) != (
                    self._asked_after
                ):
                    self._forget_held(self._asked_after)  # not where memory ends: start anew
                self._cond.notify_all()
            elif kind == "change" and event_id is not None:
                self._hold(json.loads(data))
                self._newest = max(self._newest, int(event_id))
                self._cond.notify_all()
            elif kind == "resync":
                self._newest = json.loads(data)["last_event_id"]
                self._generation += 1
                self._forget_held(self._newest)
                self._cond.notify_all()
        if kind == "hello" and not self._online:
            self._set_online(True)
        elif kind == "hello":
            with self._cond:
                self._cond.notify_all()

    def _hold(self, event: dict[str, Any]) -> None:
        """Keep one event of the stream (under ``_cond``), forgetting the oldest beyond
        ``HELD_EVENTS``."""
        self._held.append(event)
        if len(self._held) > HELD_EVENTS:
            self._held_after = self._held.popleft()["id"]

    def close(self) -> None:
        self._closed = True
        with self._cond:
            self._cond.notify_all()
        if self._stream_client is not None:
            with contextlib.suppress(Exception):
                self._stream_client.close()
