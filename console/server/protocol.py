"""HTTP/1.1 for the hall server with a deadline on each request's headers.

uvicorn times out idle keep-alive connections but not a client that sends a
request's head one byte at a time: a few hundred such clients would hold
every connection. Here the head of each request must be complete within
``header_timeout`` seconds of its first byte, or the connection is closed.
Bodies have their own deadline (``app.BODY_TIMEOUT_S``) and the number of
connections its cap (``serve --max-connections``, uvicorn's
``limit_concurrency``: beyond it a request is answered 503).
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0


def with_header_timeout(seconds: float) -> type[H11Protocol]:
    """The h11 protocol class, closing connections whose request head is late."""

    class TimedH11Protocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def data_received(self, data: bytes) -> None:
            if self.conn.their_state is h11.IDLE and self._head_timer is None:
                self._head_timer = self.loop.call_later(seconds, self._head_late)
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:
                self._cancel_head_timer()

        def _head_late(self) -> None:
            self._head_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

        def _cancel_head_timer(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def connection_lost(self, exc: Any) -> None:
            self._cancel_head_timer()
            super().connection_lost(exc)

    return TimedH11Protocol
