"""Real-time status (DLE EOT): is the printer online, is the cover shut, is there paper.

``DLE EOT n`` asks; the printer answers one byte at once, even with a full
buffer. Every answer has bits 1 and 4 set and bits 0 and 7 clear, which is how
an answer is told apart from stray bytes. Where the connection cannot read
(file, CUPS) or the printer does not answer, every field is ``None``:
unknown, never "paper OK" (python-escpos's ``paper_status()`` says "adequate"
when nothing answers; we do not).

n = 1 printer status: bit 3 offline.
n = 2 offline cause: bit 2 cover open, bit 3 paper fed by the button, bit 5
paper end stopped printing, bit 6 error.
n = 4 roll paper sensor: bits 2-3 near end, bits 5-6 paper end.
"""

from __future__ import annotations

from dataclasses import dataclass

from printers.render.commands import DLE_EOT_OFFLINE, DLE_EOT_PAPER, DLE_EOT_PRINTER

QUERY = DLE_EOT_PRINTER + DLE_EOT_OFFLINE + DLE_EOT_PAPER
"""The three questions asked before and after a job, answered in this order."""


def is_status_byte(b: int) -> bool:
    """True for a byte shaped like a DLE EOT answer (0xx1x01x0)."""
    return b & 0b1001_0011 == 0b0001_0010


WORDS = {
    "unknown": "status unknown (the printer did not answer the status query)",
    "paper_out": "paper out",
    "cover_open": "cover open",
    "printer_error": "printer error",
    "offline": "offline",
    "paper_near_end": "online, paper near end",
    "paper_unknown": "online, paper state unknown",
    "paper_ok": "online, paper ok",
}
"""A printer's state, word by word (``PrinterStatus.words``), in English."""


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said; ``None`` means it did not say."""

    online: bool | None = None
    cover_open: bool | None = None
    paper: str = "unknown"
    """ok | near_end | out | unknown"""
    error: bool | None = None
    raw: bytes = b""

    @property
    def known(self) -> bool:
        """The printer answered."""
        return self.online is not None

    def describe(self) -> str:
        """One line for a screen: what is wrong, or that all is well, or that nobody answered."""
        return ", ".join(WORDS[key] for key in self.words())

    def words(self) -> tuple[str, ...]:
        """What :meth:`describe` says, as keys of ``WORDS``: a screen in another language says
        each in its own words."""
        if not self.known:
            return ("unknown",)
        problems = []
        if self.paper == "out":
            problems.append("paper_out")
        if self.cover_open:
            problems.append("cover_open")
        if self.error:
            problems.append("printer_error")
        if self.online is False and not problems:
            problems.append("offline")
        if problems:
            return tuple(problems)
        if self.paper == "near_end":
            return ("paper_near_end",)
        if self.paper == "unknown":
            return ("paper_unknown",)
        return ("paper_ok",)

    def to_dict(self) -> dict:
        return {
            "online": self.online,
            "cover_open": self.cover_open,
            "paper": self.paper,
            "error": self.error,
            "known": self.known,
            "summary": self.describe(),
        }


UNKNOWN = PrinterStatus()


def parse(answers: bytes) -> PrinterStatus:
    """The status from the answers to QUERY (the last three status bytes received).

    Anything else (no answer, too few bytes, bytes of the wrong shape) is unknown.
    """
    found = [b for b in answers if is_status_byte(b)]
    if len(found) < 3:
        return UNKNOWN
    printer, offline, paper = found[-3:]
    paper_state = "ok"
    if paper & 0b0110_0000 or offline & 0b0010_0000:
        paper_state = "out"
    elif paper & 0b0000_1100:
        paper_state = "near_end"
    return PrinterStatus(
        online=not (printer & 0b0000_1000),
        cover_open=bool(offline & 0b0000_0100),
        paper=paper_state,
        error=bool(offline & 0b0100_0000),
        raw=bytes((printer, offline, paper)),
    )


def answer_bytes(
    *, online: bool = True, cover_open: bool = False, paper: str = "ok", error: bool = False
) -> dict[int, int]:
    """The bytes a printer in this state answers to DLE EOT 1, 2 and 4 (for fakes and tests)."""
    offline = not online or cover_open or paper == "out" or error
    n1 = 0x12 | (0x08 if offline else 0)
    n2 = 0x12 | (0x04 if cover_open else 0) | (0x20 if paper == "out" else 0)
    n2 |= 0x40 if error else 0
    n4 = 0x12 | {"ok": 0, "near_end": 0x0C, "out": 0x6C}[paper]
    return {1: n1, 2: n2, 3: 0x12, 4: n4}
