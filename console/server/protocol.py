"""HTTP/1.1 for the hall server: a deadline on every request and room for every client.

uvicorn alone times out a keep-alive connection only after a response, and counts every
open connection against ``limit_concurrency``: a client on the hall's Wi-Fi that opens a
thousand sockets and says nothing would make every request answer 503. Here:

* **A deadline from accept to the end of the body.** A request must be complete (head
  and body) within ``request_timeout`` seconds of the connection's accept, or, on a
  kept-alive connection, of the next request's first byte. A connection that said
  nothing or sent half a head is closed; a request whose body is late is answered 408.
  Between requests uvicorn's keep-alive timeout applies.
* **Connections per client address and in all.** Beyond ``per_address`` connections
  from one address, or ``max_connections`` in all, the newcomer takes the place of the
  longest-waiting connection that has no request in the application (first those that
  never sent a byte, then half-sent heads, then idle keep-alives): sockets held open
  for nothing cannot lock out a station, even from the same address. Only when every
  connection is busy with a request is the newcomer answered 503. Addresses of trusted
  reverse proxies (``serve --forwarded-allow-ips``) count only towards the total.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable
from typing import Any, NamedTuple

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from console.server.limits import REQUEST_TIMEOUT_S

SILENT, HALF_SENT, KEPT_ALIVE = 0, 1, 2
"""Evicted in this order: the connection that never sent a byte goes first."""
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
]


class Answer(NamedTuple):
    """A JSON refusal the connection gives by itself (``{error, message}``, then close)."""

    status: int
    reason: bytes
    message: str

    @property
    def body(self) -> bytes:
        return json.dumps({"error": "unavailable", "message": self.message}).encode()

    @property
    def headers(self) -> list[tuple[bytes, bytes]]:
        return [(b"content-type", b"application/json"),
                (b"content-length", str(len(self.body)).encode()),
                (b"connection", b"close"), *SECURITY_HEADERS]  # fmt: skip

    def raw(self) -> bytes:
        """The whole answer as bytes, for a connection no request was read from."""
        head = [f"HTTP/1.1 {self.status} ".encode() + self.reason]
        head += [name + b": " + value for name, value in self.headers]
        return b"\r\n".join(head) + b"\r\n\r\n" + self.body


BUSY = Answer(503, b"Service Unavailable", "the server has no free connection; try again shortly")
LATE = Answer(408, b"Request Timeout", "the request did not arrive in time")


class Admission:
    """The open connections of one server, by client address, and who gives way to whom."""

    def __init__(self, max_connections: int, per_address: int, exempt: Iterable[str] = ()):
        self.max_connections = max_connections
        self.per_address = per_address
        self.exempt = frozenset(exempt)
        self.open: dict[Any, None] = {}
        self.by_address: dict[str, dict[Any, None]] = {}

    def admit(self, conn: Any) -> bool:
        """Register ``conn``, making room by closing an idle one if need be; False when
        every connection it would displace is busy with a request."""
        address = conn.address
        mine = self.by_address.get(address, {})
        crowded = address not in self.exempt and len(mine) >= self.per_address
        if crowded and not self._evict(mine):
            return False
        if len(self.open) >= self.max_connections and not self._evict(self.open):
            return False
        self.open[conn] = None
        self.by_address.setdefault(address, {})[conn] = None
        return True

    def release(self, conn: Any) -> None:
        if conn in self.open:
            del self.open[conn]
            mine = self.by_address[conn.address]
            del mine[conn]
            if not mine:
                del self.by_address[conn.address]

    def _evict(self, pool: dict[Any, None]) -> bool:
        # the pool is in order of accept: its first silent connection is the oldest one
        victim = next((c for c in pool if c.idle_rank == SILENT), None)
        if victim is None:
            idle = [c for c in pool if c.idle_rank is not None]
            if not idle:
                return False
            victim = min(idle, key=lambda c: (c.idle_rank, c.since))
        self.release(victim)
        victim.transport.close()
        return True


def hall_protocol(admission: Admission, request_timeout: float = REQUEST_TIMEOUT_S) -> type:
    """The HTTP/1.1 protocol class of one server: its connections admitted by ``admission``,
    each request due ``request_timeout`` seconds after it may start.

    It parses with httptools (llhttp, in C) rather than h11 (pure Python): on a desk's
    call+finish cycle h11's parsing and its checks of every response header were the
    largest share of the event loop's CPU."""

    class HallHttpProtocol(HttpToolsProtocol):
        _deadline: asyncio.TimerHandle | None = None
        _spoke = False
        _in_request = False
        """True from a request's first byte to its body's last."""
        address = ""
        since = 0.0

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.address = (self.client or ("?", 0))[0]
            self.since = time.monotonic()
            if not admission.admit(self):
                self.connections.discard(self)
                transport.write(BUSY.raw())
                transport.close()
                return
            self._arm()

        @property
        def idle_rank(self) -> int | None:
            """How readily this connection gives way (None: a request is being served)."""
            if self.cycle is not None and not self.cycle.response_complete:
                return None
            if not self._spoke:
                return SILENT
            return HALF_SENT if self._deadline is not None else KEPT_ALIVE

        def data_received(self, data: bytes) -> None:
            if not self._in_request and self._deadline is None:
                self._arm()  # a kept-alive connection's next request starts now
            if not self._spoke:
                self._spoke = True
                self.since = time.monotonic()
            super().data_received(data)

        def on_message_begin(self) -> None:
            self._in_request = True
            super().on_message_begin()

        def on_message_complete(self) -> None:
            self._in_request = False
            self._disarm()  # the whole request is in
            super().on_message_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self.since = time.monotonic()

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(request_timeout, self._late)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _late(self) -> None:
            """The request did not arrive in time: 408 if the application is waiting for
            its body, else the connection is simply closed (nobody is listening)."""
            self._deadline = None
            if self.transport.is_closing():
                return
            cycle = self.cycle
            if cycle is not None and not cycle.response_complete:
                if not cycle.response_started:
                    # one write: the answer's head and body leave together, before the close
                    self.transport.write(LATE.raw())
                cycle.disconnected = True
                cycle.message_event.set()
            self.transport.close()

        def connection_lost(self, exc: Any) -> None:
            self._disarm()
            admission.release(self)
            super().connection_lost(exc)

    return HallHttpProtocol
