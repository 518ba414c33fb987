"""The "where to go now" page in a real browser at phone size (Debian's headless Chromium,
as the ticket page's tests drive it), served by a real city process following real hall
servers on loopback.

A citizen picks a service, sorts the halls nearest first from the phone's own position
(which no request carries), sees a hall cut off marked with the time of its figures, and
sees the figures move without reloading.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.local import LocalHall
from tests.city.conftest import City, until
from tests.server.conftest import ADMIN
from tests.server.test_public_browser import (
    CHROMEDRIVER,
    CHROMIUM,
    policy_violations,
    start_browser,
    wait_for_text,
)

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason="needs Debian's chromium and chromium-driver (apt install chromium chromium-driver)",
)
PHONE = "390,844"
WEST = {"latitude": 22.71, "longitude": 113.9, "accuracy": 50}
"""Beside the hall "west" (22.7, 113.9); "south" is 12 km away, "north" 23 km."""


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    driver = start_browser(tmp_path_factory.mktemp("chromium-profile"), PHONE)
    yield driver
    driver.quit()


def halls_listed(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#halls .name')).map(e => e.textContent)"
    )


def figures(driver, hall: str) -> str:
    return driver.execute_script(
        "for (const li of document.querySelectorAll('#halls li')) {"
        "  if (li.querySelector('.name').textContent === arguments[0])"
        "    return li.querySelector('.figs').textContent; }",
        hall,
    )


def all_read(city: City) -> None:
    for key in city.halls:
        until(lambda key=key: city.hall_now(key)["reachable"], what=f"{key} read")


def test_a_phone_finds_the_halls_open_now_for_a_service(city: City, phone) -> None:
    all_read(city)
    phone.get(f"{city.url}/where?lang=en")
    phone.find_element("id", "service").send_keys("ID card")
    phone.find_element("css selector", "form.pick button").click()
    wait_for_text(phone, "asked", "For: ID card")
    assert sorted(halls_listed(phone)) == ["Hall north", "Hall south", "Hall west"]
    assert "min wait" in figures(phone, "Hall north") or "no counter" in figures(
        phone, "Hall north"
    )
    assert phone.execute_script("return document.cookie") == ""
    assert policy_violations(phone) == []


def test_nearest_first_uses_the_position_in_the_phone_only(city: City, phone) -> None:
    all_read(city)
    origin = city.url
    phone.execute_cdp_cmd("Browser.grantPermissions",
                          {"origin": origin, "permissions": ["geolocation"]})  # fmt: skip
    phone.execute_cdp_cmd("Emulation.setGeolocationOverride", WEST)
    phone.get(f"{origin}/where?service=ID&lang=en")
    phone.execute_script("performance.setResourceTimingBufferSize(1000)")
    phone.find_element("id", "near").click()
    wait_for_text(phone, "sorted", "Sorted by distance")
    assert halls_listed(phone) == ["Hall west", "Hall south", "Hall north"]
    distances = phone.execute_script(
        "return Array.from(document.querySelectorAll('#halls .dist')).map(e => e.textContent)"
    )
    assert distances[0] == "1.1 km" and distances[2].endswith(" km")
    phone.execute_script("document.dispatchEvent(new Event('visibilitychange'))")  # a refresh
    until(lambda: phone.execute_script(
        "return performance.getEntriesByType('resource')"
        ".some(e => e.name.includes('/where/state'))"), 10, "the page's refresh")  # fmt: skip
    asked = phone.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert asked and not any("22.7" in url or "113.9" in url or "lat" in url for url in asked)
    assert halls_listed(phone)[0] == "Hall west"  # the refreshed list is sorted again
    assert policy_violations(phone) == []


def test_the_figures_move_without_a_reload(city: City, phone) -> None:
    all_read(city)
    phone.get(f"{city.url}/where?service=PP&lang=en")
    before = city.hall_now("south")
    waiting = next(s["waiting"] for s in before["services"] if s["code"] == "PP")
    phone.execute_script("window.loadedOnce = 'this very page';")
    hall = LocalHall(city.halls["south"].db)
    try:
        for _ in range(3):
            hall.issue(ADMIN, "PP")
    finally:
        hall.close()
    until(lambda: next(s["waiting"] for s in city.hall_now("south")["services"]
                       if s["code"] == "PP") == waiting + 3, what="the city sees them")  # fmt: skip
    phone.execute_script("document.dispatchEvent(new Event('visibilitychange'))")
    until(lambda: f"{waiting + 3} waiting" in figures(phone, "Hall south"), 10, "the page")
    assert phone.execute_script("return window.loadedOnce") == "this very page"


def test_a_hall_cut_off_says_since_when_its_figures_are(city: City, phone) -> None:
    all_read(city)
    west = city.halls["west"]
    west.stop()
    try:
        until(lambda: not city.hall_now("west")["reachable"], what="west marked unreachable")
        phone.get(f"{city.url}/where?service=ID&lang=zh")
        notes = phone.execute_script(
            "return Array.from(document.querySelectorAll('#halls .stale-note'))"
            ".map(e => e.closest('li').querySelector('.name').textContent + ': ' + e.textContent)"
        )
        assert len(notes) == 1 and notes[0].startswith("Hall west: 数据停留在 ")
        assert notes[0].endswith("暂时无法连接该大厅")
        state = json.loads(phone.execute_script(
            "var r = new XMLHttpRequest(); r.open('GET', '/where/state?service=ID&lang=en', false);"
            " r.send(); return r.responseText;"))  # fmt: skip
        cut = next(h for h in state["halls"] if h["name"] == "Hall west")
        assert cut["stale"].startswith("Figures from ")
        assert policy_violations(phone) == []
    finally:
        west.start()
        until(lambda: city.hall_now("west")["reachable"], what="west back")
