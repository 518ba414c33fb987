"""The floor view says that the standby took over, when, and from which event."""

from __future__ import annotations

from tests.screens.conftest import MANAGER, loaded, plain, station_app
from tests.tui.conftest import until


async def test_the_floor_header_says_a_failover_happened(desk_hall):
    app = station_app(desk_hall, "floor", actor=MANAGER)
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        assert "failover" not in plain(app, "#header")
        last = desk_hall.changes_since(0, limit=100_000)[-1].id
        desk_hall.engine.record_failover(replica="sftp://qreplica@hall-b/srv/replica")
        await until(pilot, lambda: "failover" in plain(app, "#header"))
        assert f"standby took over after event {last}" in plain(app, "#header")
        assert "failover at 09:30" in plain(app, "#header")
