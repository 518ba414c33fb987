"""RS-232 / USB-serial printers through pyserial (the ``serial`` extra).

Address: ``/dev/ttyUSB0`` or ``/dev/ttyUSB0@115200``; 9600 baud, 8N1 by
default, the common factory setting of Chinese serial printers. Both the read
and the write have timeouts (python-escpos sets no write timeout).
"""

from __future__ import annotations

import contextlib
import dataclasses

from printers.errors import (
    PrinterConfigError,
    PrinterDropped,
    PrinterNotFound,
    PrinterTimeout,
    PrinterUnavailable,
    PrinterUnreachable,
)
from printers.transport.base import DEFAULT_TIMEOUTS, Timeouts, Transport

DEFAULT_BAUD = 9600


def parse_address(address: str) -> tuple[str, int]:
    """``PORT`` or ``PORT@BAUD``."""
    port, _, baud = address.strip().partition("@")
    if not port or (baud and not baud.isdigit()):
        raise PrinterConfigError(f"bad serial printer address {address!r}; use PORT[@BAUD]")
    return port, int(baud) if baud else DEFAULT_BAUD


class SerialTransport(Transport):
    """A serial port."""

    can_read = True

    def __init__(self, address: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(timeouts)
        self.port, self.baud = parse_address(address)
        self.description = f"{self.port}@{self.baud}"
        self.conn = None
        # about ten bits a byte on the wire: the answer after a job waits for the bytes
        self.timeouts = dataclasses.replace(timeouts, link_bytes_per_s=self.baud / 10)

    def open(self) -> None:
        try:
            import serial
        except ImportError:
            raise PrinterUnavailable(
                "serial printing needs pyserial: install qconsole with the serial extra"
            ) from None
        try:
            self.conn = serial.Serial(
                self.port,
                self.baud,
                timeout=self.timeouts.status,
                write_timeout=self.timeouts.write,
            )
        except serial.SerialException as e:
            message = str(e)
            if "No such file" in message or "could not open port" in message:
                raise PrinterNotFound(f"no serial port {self.port}: {message}") from None
            raise PrinterUnreachable(f"cannot open serial port {self.port}: {message}") from None

    def write(self, data: bytes) -> None:
        import serial

        assert self.conn is not None, "open() first"
        try:
            self.conn.write(data)
            self.conn.flush()
        except serial.SerialTimeoutException:
            raise PrinterTimeout(
                f"serial printer {self.port} stopped taking data for {self.timeouts.write:g} s "
                "(offline, or flow control?)",
                may_have_printed=True,
            ) from None
        except (serial.SerialException, OSError) as e:
            raise PrinterDropped(
                f"serial printer {self.port} failed during the job: {e}", may_have_printed=True
            ) from None

    def read(self, timeout: float) -> bytes:
        import serial

        if self.conn is None:
            return b""
        try:
            self.conn.timeout = max(timeout, 0)
            return self.conn.read(16)
        except (serial.SerialException, OSError):
            return b""

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None
