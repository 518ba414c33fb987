"""The default theme's text is readable: every text colour meets WCAG AA (4.5:1) against
every background it is drawn on, and the clerk's times and materials are not "dim"."""

from __future__ import annotations

import pytest
from textual.color import Color

from console.tui.themes import DEFAULT
from tests.tui.conftest import desk_app, ready, until

TEXTS = ("foreground", "text", "text-muted", "text-disabled")
BACKGROUNDS = ("background", "surface", "panel")


def luminance(c: Color) -> float:
    def channel(x: int) -> float:
        v = x / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def ratio(a: Color, b: Color) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def drawn(spec: str, background: Color) -> Color:
    """A theme colour as drawn on ``background`` ("auto 60%": the contrasting text at 60%)."""
    if spec.startswith("auto"):
        alpha = float(spec.split()[1].rstrip("%")) / 100 if " " in spec else 1.0
        return background.blend(background.get_contrast_text(1.0), alpha)
    color = Color.parse(spec)
    return background.blend(color.with_alpha(1.0), color.a)


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize("text", TEXTS)
def test_default_theme_text_meets_aa_contrast(text, background):
    colours = DEFAULT.to_color_system().generate()
    under = Color.parse(colours[background])
    assert ratio(drawn(colours[text], under), under) >= 4.5, (text, background)


async def test_the_times_and_materials_are_drawn_in_a_readable_colour(desk_hall):
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await until(pilot, lambda: pilot.app.screen.view.current is not None)
        text = pilot.app.screen.query_one("#ticket-details").content  # times and materials
        styles = [str(text.style), *(str(span.style) for span in text.spans)]
        assert not any("dim" in s for s in styles), styles
