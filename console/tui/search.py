"""One way to search a list on every screen: by what is shown, by code, and by pinyin.

Staff type on any keyboard: "hz" or "huzhao" finds 护照 as surely as "护照" or "PP".
The reception's service search and every picker (transfer, call a number, park,
pause, resume) use these two functions, so a search that works in one works in all.
"""

from __future__ import annotations

from functools import cache


@cache
def searchable(text: str) -> str:
    """``text`` with the pinyin of its Chinese, whole and as initials, lowercased."""
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(text))
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER))
    return f"{text} {full} {initials}".lower()


def matches(haystack: str, needle: str) -> bool:
    """Every word of ``needle`` is somewhere in ``haystack`` (an empty search finds all)."""
    return all(part in haystack for part in needle.strip().lower().split())
