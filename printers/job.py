"""One print job: render, check the status, send, check again, report.

The rules of issue 4, in code:

* one job at a time per printer (a lock per printer name, in this process);
* status first where the connection can read it: paper out, cover open or
  offline refuse the job before any byte is sent; no answer is "unknown" and
  the job goes ahead, with a warning in the result;
* no retry once bytes may have gone out: a failure after that point says
  ``may_have_printed`` and a person decides about a reprint;
* after sending, the status is asked again, waiting as long as the bytes
  take over the link: only that answer confirms the printer took every byte
  (``PrintResult.confirmed``). No answer leaves the job unconfirmed: it may not
  have printed, and nobody is told "printed". An answer of paper out, cover
  open, offline or error fails the job (the slip may be incomplete).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from printers.errors import (
    CoverOpen,
    PaperOut,
    PrinterBusy,
    PrinterConfigError,
    PrinterError,
    PrinterOffline,
)
from printers.render import RenderOptions, render
from printers.slips import Lang, Slip
from printers.status import UNKNOWN, PrinterStatus
from printers.transport import CONNECTIONS, Timeouts, Transport, make_transport

UNCONFIRMED = "unconfirmed: may not have printed (the printer did not confirm the job)"

LOCK_WAIT = 30.0
"""Seconds a job waits for another job on the same printer before giving up (busy)."""


@dataclass(frozen=True)
class PrinterConfig:
    """One printer as the print path needs it (a ``printers`` row plus defaults)."""

    name: str
    connection: str
    address: str
    width_dots: int = 384
    mode: str = "text"
    encoding: str = "gb18030"
    lang: Lang = Lang.BOTH
    qr: str = "native"
    font: str | None = None
    timeouts: Timeouts = field(default_factory=Timeouts)
    check_status: bool = True

    def __post_init__(self) -> None:
        if self.connection not in CONNECTIONS:
            raise PrinterConfigError(
                f"unknown printer connection {self.connection!r}; use one of {CONNECTIONS}"
            )
        try:
            self.render_options()
        except ValueError as e:
            raise PrinterConfigError(f"printer {self.name}: {e}") from None

    @classmethod
    def from_record(cls, record: Any, **overrides: Any) -> PrinterConfig:
        """From a ``console.domain.Printer`` (or a dict of the same fields)."""
        get = record.get if isinstance(record, dict) else lambda k, d=None: getattr(record, k, d)
        fields = {
            "name": get("name"),
            "connection": get("connection"),
            "address": get("address"),
            "width_dots": get("width_dots", 384) or 384,
            "mode": get("mode", "text") or "text",
            "encoding": get("encoding", "gb18030") or "gb18030",
        }
        fields.update(overrides)
        return cls(**fields)

    def render_options(self) -> RenderOptions:
        return RenderOptions(
            width_dots=self.width_dots,
            mode=self.mode,
            encoding=self.encoding,
            lang=Lang(self.lang),
            qr=self.qr,
            font=self.font,
        )


@dataclass(frozen=True)
class PrintResult:
    """A job that went out: what was sent, what the printer said, what to mention."""

    printer: str
    bytes_sent: int
    status_before: PrinterStatus
    status_after: PrinterStatus
    render_ms: float
    send_ms: float
    warning: str | None = None
    confirmed: bool = False
    """The printer answered after the last byte (or the "printer" is a plain file)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "printer": self.printer,
            "confirmed": self.confirmed,
            "bytes_sent": self.bytes_sent,
            "status_before": self.status_before.to_dict(),
            "status_after": self.status_after.to_dict(),
            "render_ms": round(self.render_ms, 2),
            "send_ms": round(self.send_ms, 2),
            "warning": self.warning,
        }


_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def printer_lock(name: str) -> threading.Lock:
    """The lock that keeps jobs for one printer one at a time."""
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


def _refuse(status: PrinterStatus, name: str, *, during: bool) -> None:
    when = "during the job; the slip may be incomplete" if during else "nothing was printed"
    if status.paper == "out":
        raise PaperOut(f"printer {name} is out of paper ({when})", may_have_printed=during)
    if status.cover_open:
        raise CoverOpen(f"printer {name} has its cover open ({when})", may_have_printed=during)
    if status.error:
        raise PrinterOffline(f"printer {name} reports an error ({when})", may_have_printed=during)
    if status.online is False:
        said = status.describe()
        why = "" if said == "offline" else f": {said}"
        raise PrinterOffline(f"printer {name} is offline{why} ({when})", may_have_printed=during)


def send_job(
    config: PrinterConfig,
    data: bytes,
    *,
    transport: Transport | None = None,
    render_ms: float = 0.0,
) -> PrintResult:
    """Send rendered bytes to a printer under its lock; PrinterError on failure."""
    lock = printer_lock(config.name)
    if not lock.acquire(timeout=LOCK_WAIT):
        raise PrinterBusy(f"printer {config.name} is busy with another job")
    started = time.perf_counter()
    try:
        link = transport or make_transport(config.connection, config.address, config.timeouts)
        try:
            try:
                link.open()
                before = link.status() if config.check_status else UNKNOWN
            except PrinterError as e:
                e.may_have_printed = False
                raise
            _refuse(before, config.name, during=False)
            link.write(data)
            after = UNKNOWN
            if link.can_read:
                wait = config.timeouts.confirm(len(data))
                after = link.status(settle=b"\x10\x04" in data, timeout=wait)
            _refuse(after, config.name, during=True)
        finally:
            link.close()
    finally:
        lock.release()
    confirmed = after.known or link.keeps_every_byte
    warning = None
    if not confirmed:
        warning = UNCONFIRMED
    elif config.check_status and not before.known and link.can_read:
        warning = "printer did not answer the status query: sent without checking paper"
    elif after.paper == "near_end" or before.paper == "near_end":
        warning = f"printer {config.name}: paper near end"
    return PrintResult(
        printer=config.name,
        bytes_sent=len(data),
        status_before=before,
        status_after=after,
        render_ms=render_ms,
        send_ms=(time.perf_counter() - started) * 1000,
        warning=warning,
        confirmed=confirmed,
    )


def print_slip(
    config: PrinterConfig, slip: Slip, *, transport: Transport | None = None
) -> PrintResult:
    """Render a ticket or receipt for this printer and send it."""
    started = time.perf_counter()
    try:
        data = render(slip, config.render_options())
    except ValueError as e:
        raise PrinterConfigError(f"printer {config.name}: {e}") from None
    render_ms = (time.perf_counter() - started) * 1000
    return send_job(config, data, transport=transport, render_ms=render_ms)


def query_status(config: PrinterConfig) -> PrinterStatus:
    """Connect, ask the status, disconnect (for ``printers list --status`` and doctor)."""
    lock = printer_lock(config.name)
    if not lock.acquire(timeout=LOCK_WAIT):
        raise PrinterBusy(f"printer {config.name} is busy with another job")
    try:
        link = make_transport(config.connection, config.address, config.timeouts)
        try:
            link.open()
            return link.status()
        finally:
            link.close()
    finally:
        lock.release()
