"""Every string the screens show, in zh-CN and English.

Each screen keeps its strings in its own catalog module in this package
(``common``, ``login``, ``desk``, ``dialogs`` ...), as ``STRINGS = {key: (zh, en)}``
with ``str.format`` placeholders. A new screen adds a module and names it in
``CATALOGS``; a test checks that keys are unique across modules, that both
languages are filled in, and that both use the same placeholders.

Use: ``t = Translator("en")``; ``t("desk.waiting", n=3)``. The app holds one as
``app.t``. Engine messages (English sentences) are put into Chinese by
``Translator.error`` with the patterns in ``errors``.
"""

from __future__ import annotations

import importlib
import re
from functools import cache

LANGS = ("zh-CN", "en")
CATALOGS = ("common", "login", "desk", "dialogs", "help", "floor", "reception", "board")
"""Catalog modules of this package, one per screen or role."""


@cache
def strings() -> dict[str, tuple[str, str]]:
    """Every catalog merged: key -> (zh-CN, en). Duplicate keys are a bug."""
    merged: dict[str, tuple[str, str]] = {}
    for name in CATALOGS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a screen not installed yet must not stop the rest
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        for key, pair in module.STRINGS.items():
            if key in merged:
                raise ValueError(f"i18n key {key!r} is defined twice ({name})")
            merged[key] = pair
    return merged


class Translator:
    """Strings in one language; a missing key shows itself rather than crashing."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.index = 0 if lang.startswith("zh") else 1
        self.zh = self.index == 0

    def __call__(self, key: str, **values: object) -> str:
        pair = strings().get(key)
        if pair is None:
            return key
        text = pair[self.index]
        if values:
            try:
                return text.format(**values)
            except (KeyError, IndexError, ValueError):
                return text
        return text

    def has(self, key: str) -> bool:
        return key in strings()

    def error(self, message: str) -> str:
        """An engine or server message in this language (English ones are returned as they are)."""
        if not self.zh:
            return message
        from console.tui.i18n.errors import PATTERNS

        for pattern, template in PATTERNS:
            match = re.fullmatch(pattern, message)
            if match:
                return template.format(*match.groups())
        return message
