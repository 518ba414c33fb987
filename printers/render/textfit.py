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


def wrap(text: str, limit: float, char_width: Callable[[str], float] = cols) -> list[str]:
    """Greedy line breaking: Chinese breaks anywhere, Latin words break at spaces when they can.

    ``char_width`` gives one character's advance (columns in text mode, dots in raster mode).
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        used = 0.0
        for ch in paragraph:
            advance = char_width(ch)
            if used + advance <= limit or not line:
                line += ch
                used += advance
                continue
            cut = line.rfind(" ")
            rest = line[cut + 1 :] + ch if cut > 0 else ""
            if ch != " " and rest and line[-1].isascii() and line[-1].isalnum():
                rest_used = sum(char_width(c) for c in rest)
                if rest_used <= limit:
                    lines.append(line[:cut].rstrip())
                    line, used = rest, rest_used
                    continue
            lines.append(line.rstrip())
            line = ch.lstrip()
            used = char_width(line) if line else 0.0
        lines.append(line)
    return lines
