"""Wrap mixed Chinese and English text at word boundaries, never inside a number.

Rich folds a line of Chinese (which has no spaces) at any cell, so "超过目标30分钟"
could become "超过目标3" / "0分钟". Here a run of Latin letters, digits and their
punctuation is one unbreakable word, a Chinese character is a word of its own, and
brackets and punctuation stay with what they open or close.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_TOKEN = re.compile(
    r"[(（「『《]*(?:[A-Za-z0-9_.,:;/%+#▲×·'’-]+|\S)[)）」』》，。、；：！？]*\s*|\s+"
)
"""A word: an unbreakable Latin/digit run or one other character, with the brackets that
open before it and the punctuation that closes after it, and its trailing space."""


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells (a single longer word gets its own line)."""
    if width <= 0:
        return [text]
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(text):
        if line and cell_len((line + token).rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines
