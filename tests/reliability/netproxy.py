"""A tiny TCP proxy on 127.0.0.1 for network-fault trials, between a station and the server.

Modes, switchable while it runs (``proxy.mode = ...``):

* ``pass``: bytes flow both ways.
* ``delay``: every chunk, either way, is held ``delay_s`` before it is passed on
  (a slow link or an overloaded server; the request still arrives, late).
* ``hold``: requests flow to the server, answers are kept back (the server did the
  work, the station hears nothing) until the mode changes.
* ``blackhole``: connections are accepted and bytes swallowed; nothing is passed on.
* ``refuse``: new connections are closed at once (the server's port is dead).

``cut()`` closes every open connection (a cable pulled mid-stream). Loopback only;
every thread is a daemon and ``stop()`` joins them.

The proxy counts what crosses it, so a test waits for what it needs to have happened (a
request on the wire, every late copy answered) instead of guessing how long that takes.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

MODES = ("pass", "delay", "hold", "blackhole", "refuse")
METHODS = (b"GET", b"POST", b"PUT", b"PATCH", b"DELETE", b"HEAD", b"OPTIONS")


class Proxy:
    """Forwards 127.0.0.1:``port`` to 127.0.0.1:``target_port``, with faults on demand."""

    def __init__(self, target_port: int, *, mode: str = "pass", delay_s: float = 0.0):
        self.target_port = target_port
        self.mode = mode
        self.delay_s = delay_s
        self.accepted = 0
        self.requests_in = 0
        """HTTP requests that reached the proxy from a station."""
        self.requests_out = 0
        """Of those, the ones passed on to the server."""
        self.answers_in = 0
        """HTTP answers that reached the proxy from the server."""
        self._socks: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Proxy:
        self._spawn(self._accept)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self.cut()
        for thread in list(self._threads):
            thread.join(timeout=2)
        self._listener.close()

    @property
    def settled(self) -> bool:
        """Every request that reached the proxy went on to the server and was answered."""
        with self._lock:
            return self.requests_in == self.requests_out == self.answers_in

    def cut(self) -> None:
        """Close every open connection, both sides."""
        with self._lock:
            socks, self._socks = list(self._socks), set()
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    # -- internals ------------------------------------------------------------
    def _spawn(self, fn, *args) -> None:
        thread = threading.Thread(target=fn, args=args, daemon=True, name="netproxy")
        thread.start()
        self._threads.append(thread)

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._socks.add(sock)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            if self.mode == "refuse":
                client.close()
                continue
            self._track(client)
            if self.mode == "blackhole":
                self._spawn(self._swallow, client)
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=2)
            except OSError:
                client.close()  # the server is down: the station sees the connection close
                continue
            self._track(upstream)
            self._spawn(self._pipe, client, upstream, False)
            self._spawn(self._pipe, upstream, client, True)

    def _count(self, request: bool, answer: bool) -> None:
        with self._lock:
            self.requests_in += request
            self.answers_in += answer

    def _swallow(self, sock: socket.socket) -> None:
        sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                if not sock.recv(65536):
                    return
            except TimeoutError:
                continue
            except OSError:
                return

    def _pipe(self, src: socket.socket, dst: socket.socket, answers: bool) -> None:
        src.settimeout(0.1)
        try:
            while not self._stop.is_set():
                try:
                    chunk = src.recv(65536)
                except TimeoutError:
                    continue
                if not chunk:
                    break
                starts_request = not answers and chunk.split(b" ", 1)[0] in METHODS
                self._count(starts_request, answers and chunk.startswith(b"HTTP/"))
                if self.mode == "delay":
                    time.sleep(self.delay_s)
                while answers and self.mode == "hold" and not self._stop.is_set():
                    time.sleep(0.01)
                if self.mode == "blackhole":
                    continue
                dst.sendall(chunk)
                if starts_request:
                    with self._lock:
                        self.requests_out += 1
        except OSError:
            pass
        finally:
            # a station that hangs up does not take back a request already on its way: the
            # server's side stays open for the answer, and the answer's pipe closes both
            for sock in (src, dst) if answers else (src,):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
