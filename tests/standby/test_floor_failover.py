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


async def test_the_floor_header_says_when_the_replica_is_behind(desk_hall, monkeypatch):
    """What the hall server says of its replica (``HallView.replication``) reaches the floor."""
    import dataclasses

    view_of = desk_hall.hall_view
    behind = {"lag_writes": 0, "lag_s": 0.0, "stalled": False, "problem": None}
    monkeypatch.setattr(desk_hall, "hall_view", lambda *a, **k: dataclasses.replace(
        view_of(*a, **k), replication=dict(behind)))  # fmt: skip
    app = station_app(desk_hall, "floor", actor=MANAGER)
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        assert "replica" not in plain_text(app)
        behind.update(lag_writes=70, lag_s=12.0, stalled=True, problem="behind")
        desk_hall.issue(MANAGER, "ID")  # a change: the floor reads the view again
        await until(pilot, lambda: "replica behind: 70 changes not copied" in plain_text(app))


def plain_text(app) -> str:
    return plain(app, "#header")
