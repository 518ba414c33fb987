"""Ethernet / Wi-Fi printers on a raw TCP port (JetDirect, 9100).

A raw socket rather than python-escpos's ``Network``: connect, send and read
each get their own short timeout, and a refused, timed-out or dropped
connection each become their own product error.
"""

from __future__ import annotations

import contextlib
import errno
import select
import socket

from printers.errors import (
    PrinterConfigError,
    PrinterDropped,
    PrinterRefused,
    PrinterTimeout,
    PrinterUnreachable,
)
from printers.transport.base import DEFAULT_TIMEOUTS, Timeouts, Transport

DEFAULT_PORT = 9100
_DROPPED = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


def parse_address(address: str) -> tuple[str, int]:
    """``HOST`` or ``HOST:PORT`` (``[v6]:PORT`` for IPv6); the port defaults to 9100."""
    address = address.strip()
    if address.startswith("["):
        host, _, rest = address[1:].partition("]")
        port = rest.lstrip(":") or str(DEFAULT_PORT)
    elif address.count(":") == 1:
        host, _, port = address.partition(":")
    else:
        host, port = address, str(DEFAULT_PORT)
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise PrinterConfigError(f"bad network printer address {address!r}; use HOST or HOST:PORT")
    return host, int(port)


class NetworkTransport(Transport):
    """A TCP connection to the printer's raw port."""

    can_read = True

    def __init__(self, address: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(timeouts)
        self.host, self.port = parse_address(address)
        self.description = f"{self.host}:{self.port}"
        self.sock: socket.socket | None = None

    def open(self) -> None:
        try:
            self.sock = socket.create_connection(
                (self.host, self.port), timeout=self.timeouts.connect
            )
        except ConnectionRefusedError:
            raise PrinterRefused(
                f"printer at {self.description} refused the connection "
                "(switched off, or wrong address or port)"
            ) from None
        except TimeoutError:
            raise PrinterTimeout(
                f"printer at {self.description} did not answer within "
                f"{self.timeouts.connect:g} s (switched off or unplugged?)"
            ) from None
        except socket.gaierror as e:
            raise PrinterUnreachable(
                f"cannot find printer host {self.host!r}: {e.strerror}"
            ) from None
        except OSError as e:
            raise PrinterUnreachable(
                f"cannot reach printer at {self.description}: {e.strerror or e}"
            ) from None
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def write(self, data: bytes) -> None:
        assert self.sock is not None, "open() first"
        self.sock.settimeout(self.timeouts.write)
        try:
            self.sock.sendall(data)
        except TimeoutError:
            raise PrinterTimeout(
                f"printer at {self.description} stopped taking data for {self.timeouts.write:g} s",
                may_have_printed=True,
            ) from None
        except _DROPPED:
            raise PrinterDropped(
                f"printer at {self.description} dropped the connection during the job",
                may_have_printed=True,
            ) from None
        except OSError as e:
            raise PrinterDropped(
                f"connection to printer at {self.description} failed during the job: "
                f"{e.strerror or e}",
                may_have_printed=True,
            ) from None

    def read(self, timeout: float) -> bytes:
        assert self.sock is not None, "open() first"
        try:
            ready, _, _ = select.select([self.sock], [], [], max(timeout, 0))
            if not ready:
                return b""
            chunk = self.sock.recv(256)
        except _DROPPED:
            raise PrinterDropped(
                f"printer at {self.description} dropped the connection", may_have_printed=True
            ) from None
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                return b""
            raise PrinterDropped(
                f"connection to printer at {self.description} failed: {e.strerror or e}",
                may_have_printed=True,
            ) from None
        if not chunk:
            raise PrinterDropped(
                f"printer at {self.description} closed the connection", may_have_printed=True
            )
        return chunk

    def close(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.close()
            self.sock = None
