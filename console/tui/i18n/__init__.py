"""Every string the screens show, in zh-CN and English.

Each screen keeps its strings in its own catalog module in this package
(``common``, ``login``, ``desk``, ``dialogs`` ...), as ``STRINGS = {key: (zh, en)}``
with ``str.format`` placeholders. A new screen adds a module and names it in
``CATALOGS``; a test checks that keys are unique across modules, that both
languages are filled in, and that both use the same placeholders.

Use: ``t = Translator("en")``; ``t("desk.waiting", n=3)``. The app holds one as
``app.t``. The engine's errors carry a reason code and parameters;
``Translator.error`` renders them from ``console.domain.reasons`` in this language.
"""

from __future__ import annotations

import importlib
from functools import cache

from console.domain import reasons

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

    def error(self, error: BaseException | str) -> str:
        """An error in this language: rendered from its reason code, never parsed from English.

        An error without a code (a library's, or a string from elsewhere) is shown as it is,
        so nothing is ever hidden.
        """
        reason = getattr(error, "reason", "")
        if reason:
            return reasons.render(reason, getattr(error, "params", {}), self.lang)
        if isinstance(error, str):
            return reasons.stored(error, self.lang) or ""
        return getattr(error, "message", None) or f"{type(error).__name__}: {error}"
