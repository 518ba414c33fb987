"""What every connection kind offers the print job: open, status, write, close.

Transports raise only ``printers.errors`` classes. They never retry a write:
the job decides, and it does not retry once bytes may have gone out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from printers.status import QUERY, UNKNOWN, PrinterStatus, is_status_byte, parse

QUIET_AFTER_ANSWER = 0.03
"""Seconds to keep listening after the answers arrived, so stray bytes come before ours."""


@dataclass(frozen=True)
class Timeouts:
    """Short limits everywhere: a printer that does not answer must not hold a job."""

    connect: float = 3.0
    write: float = 10.0
    status: float = 0.8
    link_bytes_per_s: float = 4000.0
    """The slowest a job's bytes are expected to reach the printer and be taken in; the
    status answer after a job cannot come before the printer has read every byte."""

    def confirm(self, size: int) -> float:
        """Seconds to wait for the status answer after ``size`` bytes: the status timeout
        plus the time those bytes take over the link (a 75 KB raster slip needs ~19 s)."""
        return self.status + size / self.link_bytes_per_s


DEFAULT_TIMEOUTS = Timeouts()


class Transport:
    """One connection to one printer for one job; use as a context manager."""

    description = "printer"
    can_read = False
    """Whether the connection can carry the printer's status answers."""
    keeps_every_byte = False
    """A plain file: once written, every byte is kept (its "paper" is the file), so the
    write itself confirms the job."""

    def __init__(self, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        self.timeouts = timeouts

    def open(self) -> None:
        """Connect; raise PrinterRefused / PrinterTimeout / PrinterNotFound ... (nothing sent)."""

    def write(self, data: bytes) -> None:
        """Send the job's bytes; raise PrinterDropped / PrinterTimeout."""
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the connection; never raises."""

    def status(self, settle: bool = False, timeout: float | None = None) -> PrinterStatus:
        """Ask DLE EOT 1, 2, 4; UNKNOWN when the connection cannot read or nothing answers.

        ``settle`` after a job whose bytes contain DLE EOT by chance (image data): the printer
        answers those too, so listen a moment longer and keep the last answers. ``timeout``
        replaces the status timeout (after a job: sized to its bytes).
        """
        if not self.can_read:
            return UNKNOWN
        expect = QUERY.count(b"\x10\x04")
        return parse(self.exchange(QUERY, expect=expect, settle=settle, timeout=timeout))

    def exchange(
        self, question: bytes, expect: int, settle: bool = False, timeout: float | None = None
    ) -> bytes:
        """Send a question and collect the answer bytes until ``expect`` status bytes have come
        (and, with ``settle``, the line has been quiet briefly), or the timeout passes."""
        self.write_query(question)
        deadline = time.monotonic() + (self.timeouts.status if timeout is None else timeout)
        received = b""
        quiet_until: float | None = None
        while True:
            now = time.monotonic()
            limit = deadline if quiet_until is None else min(deadline, quiet_until)
            if now >= limit:
                return received
            chunk = self.read(limit - now)
            if not self.can_read:  # the connection found out it cannot answer
                return received
            if chunk:
                received += chunk
                if sum(1 for b in received if is_status_byte(b)) >= expect:
                    if not settle:
                        return received
                    quiet_until = time.monotonic() + QUIET_AFTER_ANSWER

    def write_query(self, question: bytes) -> None:
        """Send a status question (same path as the job's bytes unless a transport differs)."""
        self.write(question)

    def read(self, timeout: float) -> bytes:
        """Bytes the printer sent, waiting up to ``timeout``; b"" when none came."""
        return b""

    def __enter__(self) -> Transport:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
