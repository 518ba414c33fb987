"""USB printers through pyusb and libusb-1.0 (the ``usb`` extra; Debian: libusb-1.0-0).

Address: ``VID:PID`` in hex (``0416:5011``), optionally ``VID:PID:SERIAL`` to
tell two identical printers apart. pyusb directly rather than python-escpos's
``Usb``: that one waits forever by default (timeout 0), assumes endpoints 0x01
and 0x82 and resets the device on open. Here the bulk endpoints are read from
the device and every transfer has a timeout.

A printer claimed by the kernel's usblp driver (``/dev/usb/lp0``) can also be
used as a ``file`` printer, with no extra package.
"""

from __future__ import annotations

import contextlib

from printers.errors import (
    PrinterConfigError,
    PrinterDropped,
    PrinterNotFound,
    PrinterTimeout,
    PrinterUnavailable,
    PrinterUnreachable,
)
from printers.transport.base import DEFAULT_TIMEOUTS, Timeouts, Transport


def parse_address(address: str) -> tuple[int, int, str | None]:
    """``VID:PID[:SERIAL]`` with hex ids."""
    parts = address.strip().split(":")
    try:
        vid, pid = int(parts[0], 16), int(parts[1], 16)
    except (IndexError, ValueError):
        raise PrinterConfigError(
            f"bad USB printer address {address!r}; use VID:PID in hex, e.g. 0416:5011"
        ) from None
    serial = ":".join(parts[2:]) or None
    return vid, pid, serial


class UsbTransport(Transport):
    """Bulk transfers to a USB printer."""

    can_read = True

    def __init__(self, address: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(timeouts)
        self.vid, self.pid, self.serial = parse_address(address)
        self.description = f"USB {self.vid:04x}:{self.pid:04x}" + (
            f" ({self.serial})" if self.serial else ""
        )
        self.dev = None
        self.ep_out = None
        self.ep_in = None

    def open(self) -> None:
        try:
            import usb.core
            import usb.util
        except ImportError:
            raise PrinterUnavailable(
                "USB printing needs pyusb: install qconsole with the usb extra"
            ) from None
        try:
            found = usb.core.find(find_all=True, idVendor=self.vid, idProduct=self.pid)
            devices = list(found) if found is not None else []
        except usb.core.NoBackendError:
            raise PrinterUnavailable(
                "USB printing needs libusb-1.0 (Debian package libusb-1.0-0)"
            ) from None
        if self.serial:
            devices = [d for d in devices if _serial_of(d) == self.serial]
        if not devices:
            raise PrinterNotFound(f"no {self.description} printer plugged in")
        self.dev = devices[0]
        try:
            try:
                if self.dev.is_kernel_driver_active(0):
                    self.dev.detach_kernel_driver(0)
            except (NotImplementedError, usb.core.USBError):
                pass
            with contextlib.suppress(usb.core.USBError):  # already configured: use it as it is
                self.dev.set_configuration()
            intf = self.dev.get_active_configuration()[(0, 0)]
            self.ep_out = usb.util.find_descriptor(
                intf,
                custom_match=lambda e: (
                    usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_OUT
                ),
            )
            self.ep_in = usb.util.find_descriptor(
                intf,
                custom_match=lambda e: (
                    usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_IN
                ),
            )
        except usb.core.USBError as e:
            raise PrinterUnreachable(
                f"cannot open {self.description}: {e.strerror or e} "
                "(permissions: a udev rule or the lp group)"
            ) from None
        if self.ep_out is None:
            raise PrinterUnreachable(f"{self.description} has no output endpoint")
        self.can_read = self.ep_in is not None

    def write(self, data: bytes) -> None:
        import usb.core

        assert self.ep_out is not None, "open() first"
        try:
            self.ep_out.write(data, timeout=int(self.timeouts.write * 1000))
        except usb.core.USBTimeoutError:
            raise PrinterTimeout(
                f"{self.description} stopped taking data for {self.timeouts.write:g} s",
                may_have_printed=True,
            ) from None
        except usb.core.USBError as e:
            raise PrinterDropped(
                f"{self.description} failed during the job: {e.strerror or e}",
                may_have_printed=True,
            ) from None

    def read(self, timeout: float) -> bytes:
        import usb.core

        if self.ep_in is None:
            return b""
        try:
            return bytes(self.ep_in.read(64, timeout=max(1, int(timeout * 1000))))
        except usb.core.USBError:
            return b""

    def close(self) -> None:
        if self.dev is not None:
            try:
                import usb.util

                usb.util.dispose_resources(self.dev)
            except Exception:
                pass
            self.dev = None


def _serial_of(dev) -> str | None:
    try:
        import usb.util

        return usb.util.get_string(dev, dev.iSerialNumber) if dev.iSerialNumber else None
    except Exception:
        return None
