"""How one run of the app is set up: which counter, language, theme, who is logged in."""

from __future__ import annotations

import os
from dataclasses import dataclass

from console.domain import Actor
from console.domain.errors import BadInput

THEMES = ("default", "contrast")
"""default, or contrast: high-contrast colours, bold large text (屏幕可视度)."""


def detect_language(env: dict[str, str] | None = None) -> str:
    """zh-CN or en from the locale (LC_ALL, LC_MESSAGES, LANG); Chinese unless it says otherwise."""
    env = dict(os.environ) if env is None else env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = (env.get(name) or "").strip()
        if value and value not in ("C", "POSIX", "C.UTF-8", "C.utf8"):
            return "en" if value.lower().startswith("en") else "zh-CN"
    return "zh-CN"


def normalise_language(lang: str | None) -> str:
    """'zh', 'zh_CN', 'zh-CN.UTF-8' -> 'zh-CN'; 'en', 'en_US' -> 'en'; None -> from the locale."""
    if not lang:
        return detect_language()
    low = lang.strip().lower().replace("_", "-")
    if low.startswith("zh"):
        return "zh-CN"
    if low.startswith("en"):
        return "en"
    raise BadInput(f"language is zh-CN or en, not {lang!r}")


def normalise_theme(theme: str | None) -> str:
    if not theme:
        return "default"
    low = theme.strip().lower()
    if low in ("high-contrast", "hc", "large"):
        low = "contrast"
    if low not in THEMES:
        raise BadInput(f"theme is one of {', '.join(THEMES)}, not {theme!r}")
    return low


@dataclass(frozen=True)
class Settings:
    """Everything ``build_app`` needs besides the service."""

    counter: int | None = None
    """The counter this station runs (the desk screen); None for hall-wide screens."""
    lang: str = "zh-CN"
    theme: str = "default"
    station: str = "desk"
    """Recorded with every event this station causes."""
    staff_no: str | None = None
    """Pre-filled staff number on the login screen."""
    actor: Actor | None = None
    """Already logged in (the demo): the login screen is skipped."""
    screen: str = "desk"
    """Which screen the app opens with (desk; later floor, reception, board)."""
    live: bool = True
    """Watch the hall for other stations' changes (tests may switch it off)."""
    live_timeout: float = 0.5
    """Longest single wait of the live worker; bounds how long quitting can take."""
    tick_s: float = 1.0
    """How often the handling timer is redrawn."""
    cursor_blink: bool = True
    """Off in snapshot tests so a frame never depends on when it was taken."""
    print_tickets: bool = True
    """Reception: print each ticket issued (the screen can switch it off per ticket)."""
    voice: bool = False
    """Board: announce each call through this machine's speakers (off by default)."""
    voice_player: str | None = None
    """Board: the program that plays an announcement's WAV (its last argument); None: the
    first of aplay, paplay, pw-play and play that is installed."""
