"""The two looks: ``default`` and ``contrast`` (high contrast, bold, larger numbers).

A terminal cannot change its font size, so "large text" means: pure black and
white with yellow accents, everything bold, the ticket number and timer drawn
in block letters, and fewer rows per panel so each is bigger. Screens style
themselves in ``app.tcss`` under ``.-contrast`` (a class on the app).
"""

from __future__ import annotations

from textual.theme import Theme

DEFAULT = Theme(
    name="qconsole",
    primary="#2f7de1",
    secondary="#5aa9e6",
    accent="#f2b705",
    warning="#f2b705",
    error="#e5484d",
    success="#30a46c",
    foreground="#e6e6e6",
    background="#14161a",
    surface="#1d2026",
    panel="#262a31",
    dark=True,
    variables={
        # secondary text (times, the materials the clerk reads aloud, hints) and the idle
        # card's placeholder meet WCAG AA, 4.5:1, on the background, surface and panel
        "text-muted": "#b4b9c0",
        "text-disabled": "#9aa0a8",
    },
)

CONTRAST = Theme(
    name="qconsole-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffff00",
    error="#ff5555",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    text_alpha=1.0,
    luminosity_spread=0.0,
)

THEMES = {"default": DEFAULT, "contrast": CONTRAST}
