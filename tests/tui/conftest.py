"""Fixtures of the screen tests: a demo hall copied from one built per session, an app
factory with the language and clock pinned, and ``until`` (from ``tests.waiting``) to wait
for workers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.engine import FixedClock
from console.local import LocalHall
from console.tui.app import QConsoleApp, build_app
from console.tui.settings import Settings
from tests.conftest import MORNING, TZ, clerk
from tests.waiting import until


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo hall as of 09:30, built once (PIN hashing makes building it slow)."""
    from console.demo import build_demo

    path = tmp_path_factory.mktemp("template") / "demo.db"
    hall = LocalHall(path, clock=FixedClock(MORNING, TZ), create=True)
    build_demo(hall.engine)
    hall.close()
    return path


@pytest.fixture
def desk_hall(demo_template: Path, tmp_path: Path, clock: FixedClock) -> Iterator[LocalHall]:
    """A private copy of the demo hall on the pinned clock."""
    path = tmp_path / "hall.db"
    shutil.copy(demo_template, path)
    hall = LocalHall(path, clock=clock)
    yield hall
    hall.close()


def desk_app(
    hall: LocalHall,
    *,
    lang: str = "en",
    counter: int = 1,
    staff_no: str = "1001",
    logged_in: bool = True,
    theme: str = "default",
    live: bool = True,
) -> QConsoleApp:
    """The counter console as the CLI builds it; logged in (counter opened) unless told not."""
    actor = None
    if logged_in:
        actor = clerk(staff_no)
        hall.open_counter(actor, counter)
    settings = Settings(
        counter=counter,
        lang=lang,
        theme=theme,
        station=f"test-{counter}",
        actor=actor,
        live=live,
        cursor_blink=False,
        live_timeout=0.2,
    )
    return build_app(hall, settings)


async def ready(pilot) -> None:
    """Wait for the desk's first view."""
    await until(pilot, lambda: getattr(pilot.app.screen, "view", None) is not None)


async def open_dialog(pilot, key: str, dialog: type) -> None:
    """Press ``key`` and wait until ``dialog`` is on screen, so the next key goes to it."""
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, dialog))
