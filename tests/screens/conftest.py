"""Fixtures of the hall-wide screens: the demo hall (shared with the desk tests), an app
factory per station with the language and clock pinned, and a manager."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from rich.console import Console

from console.local import LocalHall
from console.tui.app import QConsoleApp, build_app
from console.tui.settings import Settings
from tests.conftest import clerk
from tests.tui.conftest import demo_template, desk_hall, until  # noqa: F401  (fixtures)

MANAGER = clerk("9001", "manager")


def station_app(
    hall: LocalHall,
    screen: str,
    *,
    lang: str = "en",
    theme: str = "default",
    actor: Any = None,
    live: bool = True,
    tick_s: float = 60.0,
    **extra: Any,
) -> QConsoleApp:
    """The floor / reception / board app as the CLI builds it (``actor`` skips the login)."""
    settings = Settings(lang=lang, theme=theme, station=f"test-{screen}", actor=actor,
                        screen=screen, live=live, cursor_blink=False, live_timeout=0.2,
                        tick_s=tick_s, **extra)  # fmt: skip
    return build_app(hall, settings)


def plain(app: QConsoleApp, selector: str) -> str:
    """What a Static on the current screen shows, as plain text (it may hold a Rich table)."""
    from textual.widgets import Static

    content = app.screen.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(content)
    return " ".join(console.export_text().split())


async def loaded(pilot, condition: Callable[[], object] | None = None) -> None:
    """Wait for the screen's first view (and ``condition``)."""
    await until(pilot, lambda: getattr(pilot.app.screen, "view", None) is not None)
    if condition is not None:
        await until(pilot, condition)
