"""Reception's search over a catalogue of a thousand matters: a keystroke or two.

Staff type a matter's name, code, pinyin or pinyin initials (``gtgsh`` finds
个体工商户设立登记), or a department's (``scj`` lists the market regulation bureau's
matters). Every word typed must be found. The order, best first:

0. the code exactly;
1. a code, name, pinyin or initials that *starts* with the search;
2. the search inside the matter's own name, pinyin, initials or English name;
3. the matter's department matches (its name, code, pinyin or initials);

and within each, services (the queue lines, as before matters existed) before matters,
then matters by how often the hall issued them in the last 30 days, then in catalogue
order. Everything a search looks in is lowercased and joined once, when the index is
built; a search is then a substring test per entry, and a search that extends the last
one (the next keystroke) looks only among the last one's finds.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from console.domain import Department, Matter, ServiceDef

SEP = "\x00"
"""Between the keys of one haystack, so a search never matches across two of them."""


@cache
def _pinyin(text: str) -> tuple[str, str]:
    """The whole pinyin and the initials of ``text`` (non-Chinese kept as is), lowercased."""
    from pypinyin import Style, lazy_pinyin

    return ("".join(lazy_pinyin(text)).lower(),
            "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower())  # fmt: skip


def _keys(code: str, name_zh: str, name_en: str) -> tuple[str, ...]:
    full, initials = _pinyin(name_zh)
    return code.lower(), name_zh.lower(), full, initials, name_en.lower()


@dataclass(frozen=True)
class Entry:
    """One thing reception can issue: a service (its queue) or a matter (in its queue)."""

    kind: str
    """service | matter"""
    code: str
    name_zh: str
    name_en: str
    queue: str
    """The service the ticket is issued in."""
    department: str | None
    weight: int
    """Tickets issued for it lately: the more, the higher it is listed."""
    own: tuple[str, ...]
    """Lowercased keys: code, name, pinyin, initials, English name (a service: and prefix)."""
    dept: str
    """The department's keys joined by SEP ('' for a service)."""

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


class CatalogueIndex:
    """The services and active matters of a hall, searchable by every way staff type."""

    def __init__(
        self,
        services: Iterable[ServiceDef] = (),
        matters: Iterable[Matter] = (),
        departments: Iterable[Department] = (),
    ) -> None:
        depts = {d.code: SEP.join((*_keys(d.code, d.name_zh, d.name_en),)) for d in departments}
        entries = [Entry("service", s.code, s.name_zh, s.name_en, s.code, None, 0,
                         (*_keys(s.code, s.name_zh, s.name_en), s.prefix.lower()), "")
                   for s in services]  # fmt: skip
        entries += [Entry("matter", m.code, m.name_zh, m.name_en, m.service, m.department,
                          m.issued_recent, _keys(m.code, m.name_zh, m.name_en),
                          depts.get(m.department, m.department.lower()))
                    for m in matters if m.active]  # fmt: skip
        self.entries: list[Entry] = entries
        n = len(entries)
        self._all = [SEP.join((*e.own, e.dept)) for e in entries]
        """Everything a search looks in: a word must be found here."""
        self._codes = [e.own[0] for e in entries]
        self._starts = [SEP + (e.own[0] if e.kind == "service" else SEP.join(e.own[:4]))
                        for e in entries]  # fmt: skip
        """Where a search counts as a start: a service's code; a matter's code, name, pinyin
        and initials, each after a SEP."""
        self._own = [hay if e.kind == "service" else SEP.join(e.own)
                     for hay, e in zip(self._all, entries, strict=True)]  # fmt: skip
        order = sorted(
            range(n), key=lambda i: (entries[i].kind != "service", -entries[i].weight, i)
        )
        self._place = [0] * n
        for place, i in enumerate(order):
            self._place[i] = place
        self._at = order
        self._last: tuple[list[str], list[int]] = ([], list(range(n)))

    def __len__(self) -> int:
        return len(self.entries)

    def _candidates(self, words: list[str]) -> list[int]:
        """Entries that may match ``words``: the last search's finds when this one only
        narrows it (each of the last words grew into this one's word at its place)."""
        last_words, last_found = self._last
        if (
            last_words
            and len(words) >= len(last_words)
            and all(old in new for old, new in zip(last_words, words, strict=False))
        ):
            return last_found
        return list(range(len(self.entries)))

    def search(self, text: str, limit: int = 50) -> list[Entry]:
        """What ``text`` finds, best first (see the module's docstring), at most ``limit``."""
        words = text.strip().lower().split()
        n = len(self.entries)
        if not words:
            self._last = ([], list(range(n)))
            return [self.entries[i] for i in self._at[:limit]]
        hay = self._all
        if len(words) == 1:
            word = words[0]
            found = [i for i in self._candidates(words) if word in hay[i]]
        else:
            found = [i for i in self._candidates(words) if all(w in hay[i] for w in words)]
        self._last = (words, found)
        needle, start = " ".join(words), SEP + " ".join(words)
        codes, starts, own, place = self._codes, self._starts, self._own, self._place
        keys = []
        for i in found:
            if codes[i] == needle:
                tier = 0
            elif start in starts[i]:
                tier = 1
            elif all(w in own[i] for w in words):
                tier = 2
            else:
                tier = 3
            keys.append(tier * n + place[i])
        return [self.entries[self._at[k % n]] for k in heapq.nsmallest(limit, keys)]


def substring_scan(names: Sequence[str], text: str) -> list[int]:
    """The plain baseline a benchmark compares with: names containing ``text``."""
    needle = text.strip()
    return [i for i, name in enumerate(names) if needle in name]
