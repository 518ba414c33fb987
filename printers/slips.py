"""What gets printed, as plain frozen data: the renderer's only input.

The print worker fills these from a stored ticket; tests and the benchmark
build them by hand. Nothing here knows about the database, bytes or printers.
A receipt carries the clerk's staff number and never the clerk's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Lang(StrEnum):
    """Which language the slip's labels are printed in."""

    ZH = "zh"
    EN = "en"
    BOTH = "both"


@dataclass(frozen=True)
class TicketSlip:
    """The ticket a citizen takes at reception (取号凭条)."""

    hall_name: str
    number: str
    service_zh: str
    service_en: str
    issued_at: datetime
    ahead: int
    estimated_wait_min: int | None
    """None: no counter that may call it is open (a wheelchair ticket, the low-position
    counter closed): the slip says it waits for that counter instead of a number."""
    green_reason: str | None = None
    """One of console.domain.GREEN_REASONS, or None for an ordinary ticket."""
    qr_url: str | None = None
    """The ticket's own address (a template filled with the ticket id), or None for no QR."""
    footer: str | None = None
    """One line at the bottom; None prints the standard reminder."""


@dataclass(frozen=True)
class ReceiptSlip:
    """The receipt a counter prints when a matter is finished (办事回执)."""

    hall_name: str
    number: str
    service_zh: str
    service_en: str
    counter: int
    staff_no: str
    """The clerk's staff number (工号); the name is deliberately not on paper."""
    waited_min: int
    handling_min: int
    outcome: str
    """done | incomplete | referred (console.domain.OUTCOMES)"""
    finished_at: datetime
    materials: tuple[str, ...] = ()
    """The one-time notice (一次性告知): everything to bring next time, when incomplete."""
    feedback_url: str | None = None
    """Satisfaction / feedback address for the QR code, or None for no QR."""
    next_step: str | None = None
    """What to do next; None prints the standard text for the outcome."""


Slip = TicketSlip | ReceiptSlip
