"""Find English sentences on a screen: what a Chinese-speaking clerk must never be shown."""

from __future__ import annotations

import html
import re

SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’()-]+[A-Za-z]{2,}){2,}")
"""Three English words in a row (key names, codes and URLs are single words)."""

_TEXT = re.compile(r'<text[^>]*?x="([\d.]+)"[^>]*?y="([\d.]+)"[^>]*>(.*?)</text>', re.S)


def screen_text(app) -> str:
    """Every line of the terminal as drawn now (a dialog over its screen included)."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in _TEXT.findall(app.export_screenshot()):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(rows[y])) for y in sorted(rows))


def english_sentences(app) -> list[str]:
    """Sentences, not lists of service codes ("HH,RES,ZH": capitals only)."""
    return [s for s in SENTENCE.findall(screen_text(app)) if not s.isupper()]
