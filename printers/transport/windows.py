"""A printer of the Windows print spooler, sent raw bytes (pywin32's ``win32print``).

On a Windows station the ``cups`` connection means the system's print queue, as it does
on Linux: the address is the printer's name in the spooler ("XP-58"), and the job goes in
RAW so the spooler passes the ESC/POS bytes untouched — python-escpos's ``Win32Raw`` does
the same calls. Once the spooler has the job it owns it, and whether it printed is not
known here (as with CUPS). The queue's state is the only status: a printer the spooler
marks offline is offline; paper and cover are unknown.
"""

from __future__ import annotations

import contextlib

from printers.errors import (
    PrinterConfigError,
    PrinterNotFound,
    PrinterOffline,
    PrinterUnavailable,
    PrinterUnreachable,
)
from printers.status import UNKNOWN, PrinterStatus
from printers.transport.base import DEFAULT_TIMEOUTS, Timeouts, Transport

STATUS_OFFLINE = 0x00000080
"""``PRINTER_STATUS_OFFLINE`` of the spooler's PRINTER_INFO_2."""
ATTRIBUTE_WORK_OFFLINE = 0x00000400
"""``PRINTER_ATTRIBUTE_WORK_OFFLINE``: "use printer offline" ticked in Windows."""


def _spooler():
    try:
        import win32print
    except ImportError:
        raise PrinterUnavailable(
            "printing to a Windows printer needs pywin32 (installed with qconsole on Windows)"
        ) from None
    return win32print


class WindowsSpoolerTransport(Transport):
    """``OpenPrinter`` / ``StartDocPrinter(RAW)`` / ``WritePrinter``."""

    def __init__(self, name: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(timeouts)
        self.name = name.strip()
        if not self.name:
            raise PrinterConfigError(f"bad Windows printer name {name!r}")
        self.description = f"Windows printer {self.name}"
        self.spooler = None
        self.handle = None

    def open(self) -> None:
        self.spooler = _spooler()
        try:
            self.handle = self.spooler.OpenPrinter(self.name)
        except Exception:  # pywintypes.error: no such printer, or no right to it
            raise PrinterNotFound(f"no Windows printer named {self.name}") from None

    def status(self, settle: bool = False, timeout: float | None = None) -> PrinterStatus:
        if self.handle is None:
            return UNKNOWN
        try:
            info = self.spooler.GetPrinter(self.handle, 2)
        except Exception:
            return UNKNOWN
        if info.get("Status", 0) & STATUS_OFFLINE or info.get("Attributes", 0) & (
            ATTRIBUTE_WORK_OFFLINE
        ):
            raise PrinterOffline(f"Windows reports {self.name} offline")
        return UNKNOWN

    def write(self, data: bytes) -> None:
        spooler = self.spooler
        try:
            spooler.StartDocPrinter(self.handle, 1, ("qconsole", None, "RAW"))
        except Exception as e:
            raise PrinterUnreachable(f"the spooler refused the job for {self.name}: {e}") from None
        try:
            spooler.StartPagePrinter(self.handle)
            spooler.WritePrinter(self.handle, data)
            spooler.EndPagePrinter(self.handle)
        except Exception as e:
            raise PrinterUnreachable(
                f"the spooler dropped the job for {self.name}: {e}", may_have_printed=True
            ) from None
        finally:
            spooler.EndDocPrinter(self.handle)

    def close(self) -> None:
        if self.handle is not None:
            handle, self.handle = self.handle, None
            with contextlib.suppress(Exception):  # closing never raises (Transport.close)
                self.spooler.ClosePrinter(handle)
