"""Make text printable: normalise it for the printer's code page, measure it, wrap it.

A Chinese printer's font ROM holds the GBK (or GB18030-2000) repertoire. A
character outside it would print as garbage, so it is first tried in its
compatibility form (NFKC: full-width letters, circled digits ...) and otherwise
replaced by a visible □, the usual mark for a missing character. Control
characters never reach the printer: a stray ESC in a hall name would be a
command.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

MISSING = "□"
"""Printed in place of a character the printer cannot show (GB2312 A1F5, in every ROM)."""

ENCODINGS = ("gb18030", "gbk")

_EXT_A = range(0x3400, 0x4DC0)
"""CJK Extension A: in GB18030-2000's four-byte area and in printers' GB18030 ROMs."""


@lru_cache(maxsize=4096)
def _printable_char(ch: str, encoding: str) -> bool:
    if ch in "\t" or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return False
    try:
        data = ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    if len(data) <= 2:
        return data != b"\x80" or encoding != "gbk"  # cp936's euro is not in printer ROMs
    return encoding == "gb18030" and ord(ch) in _EXT_A


@lru_cache(maxsize=4096)
def _normalise_char(ch: str, encoding: str) -> str:
    if _printable_char(ch, encoding) or ch == "\n":
        return ch
    if ch in "\t\r" or unicodedata.category(ch) == "Zs":
        return " "
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return ""
    compat = unicodedata.normalize("NFKC", ch)
    if compat != ch and all(_printable_char(c, encoding) for c in compat):
        return compat
    return MISSING


def normalise(text: str, encoding: str = "gb18030") -> str:
    """The text with every character the printer cannot show normalised or replaced by □.

    Line feeds are kept (the renderers break lines there); other controls become spaces or go.
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown printer encoding {encoding!r}; use one of {ENCODINGS}")
    if text.isascii() and text.isprintable():
        return text
    return "".join(_normalise_char(ch, encoding) for ch in text)


def cols(ch: str) -> int:
    """Columns one character takes in text mode: every non-ASCII character is a GB
    double-byte (or four-byte) character, printed from the 24-dot Chinese font (2 columns)."""
    return 1 if ord(ch) < 0x80 else 2


def width(text: str) -> int:
    """Display width of a normalised line in half-width (12-dot) columns."""
    if text.isascii():
        return len(text)
    return sum(1 if ord(ch) < 0x80 else 2 for ch in text)


def wrap(text: str, limit: float, measure: Callable[[str], float] = width) -> list[str]:
    """Greedy line breaking: Chinese breaks anywhere, Latin words break at spaces when they can."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for ch in paragraph:
            candidate = line + ch
            if measure(candidate) <= limit or not line:
                line = candidate
                continue
            cut = line.rfind(" ")
            if ch != " " and cut > 0 and line[-1].isascii() and line[-1].isalnum():
                lines.append(line[:cut].rstrip())
                line = line[cut + 1 :] + ch
            else:
                lines.append(line.rstrip())
                line = ch.lstrip()
        lines.append(line.rstrip())
    return lines
