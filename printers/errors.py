"""The product's printing errors: one clear line for a person, one ``kind`` for code.

The transports catch the library's and the operating system's exceptions
(``socket.timeout``, ``usb.core.USBError``, ``serial.SerialException``,
python-escpos's ``DeviceNotFoundError`` ...) and raise one of these instead, so
a screen or the CLI never shows a traceback from a printer.

``may_have_printed`` says whether any byte of the job left this machine. When
it is true the job is never retried by the software: a second try could print
a second ticket with the same number. A person looks at the printer and asks
for a reprint.
"""

from __future__ import annotations


class PrinterError(Exception):
    """Base of every printing failure; ``kind`` is stored with the failed job."""

    kind = "error"
    exit_code = 3
    """The CLI contract: 3 unreachable, 1 refused (printer state), 2 bad configuration."""

    def __init__(self, message: str, *, may_have_printed: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.may_have_printed = may_have_printed

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict:
        return {
            "error": f"printer_{self.kind}",
            "kind": self.kind,
            "message": self.message,
            "may_have_printed": self.may_have_printed,
        }


class PrinterConfigError(PrinterError):
    """The printer's settings are wrong (bad address, width, mode, encoding)."""

    kind = "config"
    exit_code = 2


class PrinterNotFound(PrinterError):
    """The USB device, serial port, device file or CUPS queue does not exist."""

    kind = "not_found"


class PrinterRefused(PrinterError):
    """The network printer refused the connection (off, wrong address or port)."""

    kind = "refused"


class PrinterUnreachable(PrinterError):
    """The printer's address cannot be reached (no route, unknown host, device gone)."""

    kind = "unreachable"


class PrinterTimeout(PrinterError):
    """The printer did not accept the connection or the bytes in time."""

    kind = "timeout"


class PrinterDropped(PrinterError):
    """The connection broke while the job was being sent."""

    kind = "dropped"


class PrinterOffline(PrinterError):
    """The printer answered that it is offline (error, feed button held, ...)."""

    kind = "offline"
    exit_code = 1


class PaperOut(PrinterError):
    """The printer answered that its paper roll is empty."""

    kind = "paper_out"
    exit_code = 1


class CoverOpen(PrinterError):
    """The printer answered that its cover is open."""

    kind = "cover_open"
    exit_code = 1


class PrinterUnavailable(PrinterError):
    """Something this machine needs is missing: libusb, pyserial, the lp command, a CJK font."""

    kind = "unavailable"


class PrinterBusy(PrinterError):
    """Another job held the printer for longer than the wait allowed."""

    kind = "busy"
