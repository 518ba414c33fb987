"""Make text printable: normalise it for the printer's code page, measure it, wrap it.

A Chinese printer's font ROM holds the GBK (or GB18030-2000) repertoire. A
character outside it would print as garbage, so it is first tried as its
look-alike in that repertoire (• as ·, ✓ as √ ...), then in its compatibility
form (NFKC: full-width letters, circled digits ...) and otherwise replaced by a
visible □, the usual mark for a missing character. Control
characters never reach the printer: a stray ESC in a hall name would be a
command.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

MISSING = "□"
"""Printed in place of a character the printer cannot show (GB2312 A1F5, in every ROM)."""

ENCODINGS = ("gb18030", "gbk")

EQUIVALENTS = {
    "•": "·", "∙": "·", "‧": "·", "・": "·", "◦": "○", "▪": "■", "▫": "□",
    "‑": "-", "‒": "-", "−": "-", "⁃": "-",
    "✓": "√", "✔": "√", "✗": "×", "✘": "×", "⁄": "/", "〜": "～", "‚": ",", "„": "“",
    "‹": "<", "›": ">", "«": "《", "»": "》",
}  # fmt: skip
"""Characters outside the printers' ROM and their nearest equivalent inside it."""

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
    equivalent = EQUIVALENTS.get(ch)
    if equivalent and all(_printable_char(c, encoding) for c in equivalent):
        return equivalent
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


CLOSING = frozenset("、。，．：；！？）》」』】〕〉〗”’％…,.:;!?)]}%")
"""Never at the start of a line (the rule of 行首禁则): it stays with what it closes."""
OPENING = frozenset("（《「『【〔〈〖“‘([{￥＄¥$£€")
"""Never at the end of a line (行尾禁则): it goes with what it opens; a currency sign
goes with its amount ("￥" alone at a line's end, "200元" below, misreads a fee)."""
ITEM = re.compile(r"(?:\d{1,3}[.．、)）]|[（(]\d{1,3}[)）]|[\u2460-\u2473])\s*")
"""A numbered item's marker ("2. ", "3、", "(4)", "⑤"): its lines hang under the text."""
WIDE = ("W", "F")


def _tokens(paragraph: str) -> list[str]:
    """Runs of spaces, single wide (CJK) characters, and words: runs of narrow characters
    (Latin words, numbers with their units, "33mm×48mm") that never break inside."""
    tokens: list[str] = []
    for ch in paragraph:
        wide = unicodedata.east_asian_width(ch) in WIDE
        last = tokens[-1] if tokens else ""
        if (ch == " " and last[:1] == " ") or (
            ch != " " and not wide and last and last[0] != " " and not _is_wide(last)
        ):
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def _is_wide(token: str) -> bool:
    return len(token) == 1 and unicodedata.east_asian_width(token) in WIDE


def _glued(prev: str, token: str) -> bool:
    """No line break between these two tokens."""
    if prev[:1] == " " or token[:1] == " ":
        return False
    if token[0] in CLOSING or prev[-1] in OPENING:
        return True
    return prev[-1].isdigit() and _is_wide(token) and token not in OPENING  # 2张, 15分钟


def _segments(paragraph: str) -> list[str]:
    """The paragraph as pieces a line may break between; spaces are pieces of their own."""
    segments: list[str] = []
    prev = ""
    for token in _tokens(paragraph):
        if segments and prev and _glued(prev, token):
            segments[-1] += token
        else:
            segments.append(token)
        prev = token
    return segments


def wrap(text: str, limit: float, char_width: Callable[[str], float] = cols) -> list[str]:
    """Line breaking for Chinese and Latin text on a slip.

    Breaks between CJK characters, at spaces, and between CJK and Latin text; never
    inside a Latin word or a number with its unit; no line starts with closing punctuation
    (、。，）》」 ...) and none ends with an opening one (（《「 ...). A numbered item ("2. …")
    hangs: its continuation lines are indented under its text. A piece wider than a whole
    line is cut where it must. ``char_width`` gives one character's advance (columns in
    text mode, dots in raster mode).
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _wrap_paragraph(paragraph, limit, char_width)
    return lines


def _wrap_paragraph(paragraph: str, limit: float, char_width: Callable[[str], float]) -> list[str]:
    def measure(piece: str) -> float:
        return sum(char_width(c) for c in piece)

    segments, indent = _segments(paragraph), ""
    item = ITEM.match(paragraph)
    if item and measure(item.group()) <= limit / 3:
        marker = item.group()
        indent = " " * round(measure(marker) / max(char_width(" "), 1e-9))
        body = _segments(paragraph[len(marker) :])
        if body:  # the marker never stands alone at the end of a line
            segments = [marker + body[0], *body[1:]]
    lines: list[str] = []
    line, used = "", 0.0

    def break_line() -> None:
        nonlocal line, used
        lines.append(line.rstrip())
        line, used = indent, measure(indent)

    for piece in segments:
        if piece.isspace():
            if line.strip() or not lines:  # kept inside a line and at the paragraph's start
                line, used = line + piece, used + measure(piece)
            continue
        width = measure(piece)
        if used + width > limit and line.strip():
            break_line()
        elif used + width > limit and not lines and line:  # leading spaces that leave no room
            line, used = "", 0.0
        if used + width <= limit:
            line, used = line + piece, used + width
            continue
        for ch in piece:  # wider than a whole line: cut it where it must
            if used + char_width(ch) > limit and line.strip():
                break_line()
            line, used = line + ch, used + char_width(ch)
    lines.append(line if line.strip() or not lines else "")
    return lines
