"""60 counters and 2,000 waiting tickets: the floor view follows a change made elsewhere
while the keyboard keeps working."""

from __future__ import annotations

import threading
import time

import pytest
from textual.widgets import DataTable

from bench.floor import build_big_hall, one_change
from console.local import LocalHall
from console.tui.screens.floor import FloorScreen
from tests.screens.conftest import MANAGER, loaded, station_app, until
from tests.waiting import scaled


@pytest.fixture
def big_hall(tmp_path, clock):
    hall = build_big_hall(tmp_path / "big.db", clock, finished=5000)
    yield hall
    hall.close()


async def test_a_change_elsewhere_refreshes_without_blocking_input(big_hall, tmp_path, clock):
    other = LocalHall(tmp_path / "big.db", clock=clock)  # another station's connection
    view = big_hall.hall_view()
    assert (len(view.counters), len(view.services)) == (60, 40)
    assert sum(s.waiting for s in view.services) >= 1900
    try:
        app = station_app(big_hall, "floor", actor=MANAGER)
        async with app.run_test(size=(160, 50)) as pilot:
            await loaded(pilot)
            screen = app.screen
            assert isinstance(screen, FloorScreen)
            table = screen.query_one("#floor-counters", DataTable)
            assert table.row_count == 60
            idle = next(c.counter.number for c in screen.view.counters
                        if c.counter.state == "open" and c.current is None)  # fmt: skip
            before_loads, before_row = screen.loads, table.cursor_row
            changing = threading.Thread(target=one_change, args=(other, idle))
            started = time.perf_counter()
            changing.start()
            for _ in range(5):  # keys pressed while the change lands and the view reloads
                await pilot.press("down")
            keys_s = time.perf_counter() - started
            changing.join()
            await until(pilot, lambda: screen.loads > before_loads and not screen.reading
                        and not screen.dirty)  # fmt: skip
            assert table.cursor_row == before_row + 5
            assert keys_s < scaled(2.0)
            current = next(c.current for c in screen.view.counters if c.counter.number == idle)
            assert current is not None  # the call made elsewhere is on screen
            assert str(table.get_row(str(idle))[3]) == current.number
            assert screen.last_redraw_s < scaled(0.25)  # the screen's own thread is never long busy
    finally:
        other.close()
