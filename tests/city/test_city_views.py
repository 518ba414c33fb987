"""What the city shows from its own database (no process): "where to go now" in its order,
a matter in each hall's own queue, a hall cut off never "open now", waits carried forward.
"""

from __future__ import annotations

from typing import Any

from console.city import views
from console.city.config import CityConfig, HallEntry
from console.city.store import CityWriter, list_halls, open_city

NOW = 1_795_660_000.0
DAY = "2026-11-26"


def snap(state: str, service: str, waiting: int, estimate: int | None, **more: Any) -> dict:
    return {
        "hall": "h", "now": NOW - 10, "day": DAY, "as_of_event": 5, "catalogue_event": 1,
        "state": state, "session": "day" if state != "closed" else None,
        "next_opens": more.get("next_opens"), "closed_for": None,
        "sessions_today": [{"name": "night", "opens": "18:00", "closes": "21:00",
                            "night": True}],
        "counters_open": 2,
        "services": [{"code": service, "name_zh": "业务", "name_en": "Service",
                      "waiting": waiting, "green_waiting": 0, "longest_wait_s": 600.0,
                      "target_wait_min": 5, "estimated_wait_min": estimate,
                      "counters_open": 2, "issued": 9, "served": 4, "called": 5,
                      "within_target": 3, "rated": 0, "rating_avg": None}],
        "matters": [], "alerts": [],
    }  # fmt: skip


def catalogue(service: str) -> dict:
    matter = {"code": "M-1", "name_zh": "事项", "name_en": "Matter", "service": service,
              "department": "D", "target_wait_min": 20}  # fmt: skip
    return {"services": [{"code": service, "name_zh": "业务", "name_en": "Service",
                          "target_wait_min": 5}], "matters": [matter]}  # fmt: skip


def city(tmp_path) -> Any:
    halls = [HallEntry(key=k, name=k, url="http://x", token="t", lat=lat, lon=113.9)
             for k, lat in (("a", 22.9), ("b", 22.5), ("c", 22.6))]  # fmt: skip
    conn = open_city(tmp_path / "city.db", create=True)
    list_halls(conn, CityConfig(name="", halls=halls))
    writer = CityWriter(conn)
    # a: open, the matter in queue X; b: closed until its night session, the matter in
    # queue Y; c: open when last read, then cut off
    for key, service, data in (
        ("a", "X", snap("open", "X", 7, 30)),
        ("b", "Y", snap("closed", "Y", 0, None, next_opens=f"{DAY} 18:00 night")),
        ("c", "X", snap("open", "X", 1, 3)),
    ):
        writer.catalogue(key, catalogue(service), 1)
        writer.snapshot(key, data, NOW - 10)
    writer.unreachable("c", "connection refused", NOW - 5)
    return conn


def test_open_halls_first_then_later_today_then_the_rest(tmp_path) -> None:
    conn = city(tmp_path)
    found = views.where(conn, NOW, matter="M-1")
    assert [(h["hall"], h["open_now"], h["opens_later_today"]) for h in found["halls"]] == [
        ("a", True, False), ("b", False, True), ("c", False, False)]  # fmt: skip
    assert [h["service"] for h in found["halls"]] == ["X", "Y", "X"], "each hall's own queue"
    assert found["halls"][0]["target_wait_min"] == 20, "the matter's target"
    near_b = views.where(conn, NOW, matter="M-1", lat=22.5, lon=113.9)
    assert [h["hall"] for h in near_b["halls"]] == ["a", "b", "c"]  # open first, then near
    assert near_b["halls"][1]["distance_km"] == 0.0


def test_a_hall_cut_off_keeps_its_figures_as_read(tmp_path) -> None:
    conn = city(tmp_path)
    rows = {h["key"]: h for h in views.halls(conn, NOW + 60)}
    assert rows["a"]["longest_wait_s"] == 670.0, "carried forward while the link is up"
    assert rows["c"]["longest_wait_s"] == 600.0 and not rows["c"]["reachable"]
    assert rows["c"]["seen_at"] == NOW - 10 and rows["c"]["link_since"] == NOW - 5
    assert rows["a"]["over_target"] == ["X"] and rows["a"]["over_target_s"] == 370
