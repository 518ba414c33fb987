"""The city's floor view: every hall on one screen, a hall cut off marked with the time of its
last figures (fixed figures, the clock pinned; the live follower is tested with real
processes in ``test_city_serve.py``).

Update the picture after a deliberate change: uv run pytest tests/city --snapshot-update
"""

from __future__ import annotations

from typing import Any

from console.city.floor import CityFloorApp
from tests.conftest import MORNING, TZ
from tests.tui.conftest import until

NOW = MORNING + 1800  # 10:00

SESSIONS = [{"name": "day", "opens": "08:30", "closes": "17:00", "night": False},
            {"name": "evening", "opens": "18:00", "closes": "21:00", "night": True}]  # fmt: skip


def hall(key: str, **more: Any) -> dict[str, Any]:
    return {"key": key, "name": f"Hall {key}", "district": "南山区", "reachable": True,
            "link_since": NOW - 7200, "seen_at": NOW - 3, "state": "open",
            "sessions_today": SESSIONS[:1], "waiting": 12, "over_target_s": 0,
            "over_target": [], "counters_open": 4, "alerts": [], **more}  # fmt: skip


HALLS = [
    hall("central", waiting=41, over_target_s=1260, over_target=["ID", "PP"],
         alerts=[{"kind": "wait"}, {"kind": "idle"}], sessions_today=SESSIONS),
    hall("harbour", state="night", sessions_today=SESSIONS, waiting=7),
    hall("hills", reachable=False, link_since=NOW - 1500, seen_at=NOW - 1560, waiting=3),
    hall("new", state=None, reachable=False, link_since=NOW - 60, seen_at=None),
    hall("quiet", state="closed", waiting=0, counters_open=0),
]  # fmt: skip


def city_app(halls: list[dict[str, Any]] = HALLS) -> CityFloorApp:
    return CityFloorApp(lambda: halls, name="测试市", tz=TZ, now=lambda: NOW, live=False)


async def test_every_hall_has_its_row_and_a_hall_cut_off_says_since_when() -> None:
    app = city_app()
    async with app.run_test(size=(140, 20)) as pilot:
        await until(pilot, lambda: app.halls is not None)
        table = app.query_one("DataTable")
        rows = {key.value: [str(c) for c in table.get_row(key)] for key in table.rows}
    assert list(rows) == ["central", "harbour", "hills", "new", "quiet"]
    assert rows["central"][1:8] == ["open 开放", "41", "21 min ID,PP", "4", "2", "18:00–21:00",
                                    "09:59"]  # fmt: skip
    assert rows["harbour"][1] == "night 夜间专场"
    assert rows["hills"][1:3] == ["unreachable 无法连接", "3"]
    assert rows["hills"][7] == "09:34 (lost 09:35)"
    assert rows["new"][1] == "unreachable 无法连接" and rows["new"][7] == "- (lost 09:59)"
    assert rows["quiet"][1] == "closed 休息" and rows["quiet"][8] == "南山区"
    assert str(app.summary()).startswith("3/5 halls reachable")


async def test_the_city_process_away_keeps_the_last_rows() -> None:
    answers: list[Any] = [HALLS]

    def source() -> list[dict[str, Any]]:
        if isinstance(answers[-1], Exception):
            raise answers[-1]
        return answers[-1]

    app = CityFloorApp(source, tz=TZ, now=lambda: NOW, live=False)
    async with app.run_test(size=(140, 20)) as pilot:
        await until(pilot, lambda: app.halls is not None)
        answers.append(ConnectionError("connection refused"))
        await pilot.press("r")  # read again: the city process is away
        await until(pilot, lambda: app.problem is not None)
        assert len(app.query_one("DataTable").rows) == 5
        assert "city process: connection refused" in str(app.summary())


def test_the_city_floor_at_120_columns(snap_compare) -> None:
    async def ready(pilot) -> None:
        await until(pilot, lambda: pilot.app.halls is not None)

    assert snap_compare(city_app(), terminal_size=(120, 16), run_before=ready)
