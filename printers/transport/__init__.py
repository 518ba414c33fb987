"""One transport per connection kind: usb, network, serial, file, cups (the system's
print queue: CUPS on Linux, the print spooler on Windows)."""

from __future__ import annotations

import sys

from printers.errors import PrinterConfigError
from printers.transport.base import DEFAULT_TIMEOUTS, Timeouts, Transport

CONNECTIONS = ("usb", "network", "serial", "file", "cups")

ADDRESS_HELP = {
    "usb": "VID:PID in hex, e.g. 0416:5011 (optionally :SERIAL)",
    "network": "HOST or HOST:PORT, port 9100 by default, e.g. 192.168.1.50",
    "serial": "PORT or PORT@BAUD, e.g. /dev/ttyUSB0@9600",
    "file": "a device or file path, e.g. /dev/usb/lp0",
    "cups": "a CUPS queue name, e.g. Xprinter58 (on Windows: the printer's name)",
}


def make_transport(
    connection: str, address: str, timeouts: Timeouts = DEFAULT_TIMEOUTS
) -> Transport:
    """The transport for a connection kind and its address (not yet opened)."""
    if connection == "network":
        from printers.transport.network import NetworkTransport

        return NetworkTransport(address, timeouts)
    if connection == "usb":
        from printers.transport.usb import UsbTransport

        return UsbTransport(address, timeouts)
    if connection == "serial":
        from printers.transport.serial import SerialTransport

        return SerialTransport(address, timeouts)
    if connection == "file":
        from printers.transport.file import FileTransport

        return FileTransport(address, timeouts)
    if connection == "cups" and sys.platform == "win32":
        from printers.transport.windows import WindowsSpoolerTransport

        return WindowsSpoolerTransport(address, timeouts)
    if connection == "cups":
        from printers.transport.cups import CupsTransport

        return CupsTransport(address, timeouts)
    raise PrinterConfigError(f"unknown printer connection {connection!r}; use one of {CONNECTIONS}")


__all__ = ["ADDRESS_HELP", "CONNECTIONS", "Timeouts", "Transport", "make_transport"]
