"""The city's "where to go now" page over a fixed set of the city's figures: what a citizen
reads on it, in which order, in both languages, and what it may load.

(In a real browser against real hall servers and a city process:
``tests/city/test_where_browser.py``.)
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from console.city.where_page import PageGate, router
from tests.conftest import TZ

NOW = datetime(2026, 11, 26, 14, 0, tzinfo=TZ).timestamp()
DAY = [{"name": "日间", "opens": "08:30", "closes": "17:30", "night": False},
       {"name": "夜间", "opens": "18:00", "closes": "21:00", "night": True}]  # fmt: skip
NIGHT_ONLY = [DAY[1]]


def hall(key: str, name: str, state: str = "open", wait: int | None = 10, waiting: int = 4,
         sessions: list[dict[str, Any]] = DAY, stale: bool = False,
         **more: Any) -> dict[str, Any]:  # fmt: skip
    return {"id": key, "name": name, "district": "锦江区", "address": f"{name}路 1 号",
            "lat": 30.6, "lon": 104.0, "state": state, "next_opens": None,
            "sessions_today": sessions, "waiting": waiting, "estimated_wait_min": wait,
            "counters_open": 3 if state != "closed" else 0, "seen_at": NOW - 5, "stale": stale,
            **more}  # fmt: skip


HALLS = [
    hall("busy", "Busy Hall", wait=40, waiting=19),
    hall("quiet", "Quiet Hall", wait=5, waiting=1),
    hall("cut", "Cut-off Hall", wait=2, waiting=0, stale=True, seen_at=NOW - 3600),
    hall("night", "Night Hall", state="closed", wait=None, waiting=0, sessions=NIGHT_ONLY),
    hall("shut", "Shut Hall", state="closed", wait=None, waiting=0, sessions=[],
         next_opens="2026-11-27 08:30 日间"),
]  # fmt: skip
SERVICES = [{"code": "ID", "name_zh": "身份证办理", "name_en": "ID card"},
            {"code": "PP", "name_zh": "护照", "name_en": "Passport"}]  # fmt: skip
MATTERS = [{"code": "GAJ-0001", "name_zh": "居民身份证换领", "name_en": "ID card renewal",
            "service": "ID"}]  # fmt: skip


class Figures:
    """The city's figures as the page reads them, fixed for the test."""

    tz = TZ

    def __init__(self, halls: list[dict[str, Any]]):
        self.halls = halls

    def catalogue(self) -> dict[str, list[dict[str, Any]]]:
        return {"services": SERVICES, "matters": MATTERS}

    def where(self, service: str | None, matter: str | None) -> dict[str, Any] | None:
        kind, code = ("matter", matter) if matter else ("service", service)
        found = [i for i in (MATTERS if matter else SERVICES) if i["code"] == code]
        return {"now": NOW, kind: found[0], "halls": self.halls} if found else None


@pytest.fixture
def web() -> TestClient:
    app = FastAPI()
    app.state.where = Figures(HALLS)
    app.include_router(router)
    return TestClient(PageGate(app))


def names(page: str) -> list[str]:
    return re.findall(r'<p class="name">([^<]*)</p>', page)


def test_open_halls_come_shortest_wait_first_then_later_then_closed(web) -> None:
    page = web.get("/where", params={"service": "ID", "lang": "en"}).text
    assert names(page) == ["Quiet Hall", "Busy Hall", "Cut-off Hall", "Night Hall", "Shut Hall"]
    assert "about 5 min wait" in page and "1 waiting · 3 counters" in page
    assert "Opens tonight 18:00–21:00" in page
    assert "Closed; opens 11-27 08:30" in page
    assert "For: ID card" in page


def test_a_hall_the_city_cannot_reach_says_since_when_its_figures_are(web) -> None:
    en = web.get("/where", params={"service": "ID", "lang": "en"}).text
    assert "Figures from 13:00: the hall cannot be reached" in en
    zh = web.get("/where", params={"service": "ID"}, headers={"Accept-Language": "zh-CN"}).text
    assert "数据停留在 13:00，暂时无法连接该大厅" in zh
    assert "预计等候约 5 分钟" in zh and "现在去哪儿办" in zh


def test_tonight_lists_the_halls_with_a_night_session_left(web) -> None:
    page = web.get("/where", params={"service": "ID", "when": "tonight", "lang": "en"}).text
    assert names(page) == ["Busy Hall", "Night Hall", "Quiet Hall", "Cut-off Hall"]
    assert "Shut Hall" not in page
    assert "By opening time" in page and "Shortest wait first" not in page
    state = web.get("/where/state", params={"service": "ID", "when": "tonight"}).json()
    assert [h["name"] for h in state["halls"]] == names(page)


def test_a_matter_is_found_by_its_name_and_then_asked_for(web) -> None:
    found = web.get("/where", params={"q": "换领", "lang": "zh"}).text
    assert 'href="?matter=GAJ-0001&amp;lang=zh"' in found and "居民身份证换领" in found
    page = web.get("/where", params={"matter": "GAJ-0001", "lang": "zh"}).text
    assert "办理：居民身份证换领" in page and names(page)[0] == "Quiet Hall"
    assert "没有找到匹配的事项" in web.get("/where", params={"q": "xyz", "lang": "zh"}).text


def test_something_no_hall_offers_is_not_found(web) -> None:
    assert web.get("/where", params={"service": "NOPE"}).status_code == 404
    assert web.get("/where/state", params={"service": "NOPE"}).status_code == 404


def test_the_page_refresh_carries_the_same_texts(web) -> None:
    state = web.get("/where/state", params={"service": "ID", "lang": "en"}).json()
    quiet = state["halls"][0]
    assert (quiet["name"], quiet["wait"], quiet["waiting"]) == (
        "Quiet Hall",
        "about 5 min wait",
        "1 waiting",
    )
    assert (quiet["lat"], quiet["lon"]) == (30.6, 104.0)  # the phone sorts by distance itself
    assert state["updated"] == "Updated 14:00"


def test_names_are_escaped() -> None:
    app = FastAPI()
    app.state.where = Figures([hall("x", "<script>alert(1)</script>")])
    app.include_router(router)
    page = TestClient(PageGate(app)).get("/where", params={"service": "ID"}).text
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_page_is_light_and_loads_only_its_own_files(web) -> None:
    weight = 0
    for path in ("/where?service=ID", "/static/where/where.css", "/static/where/where.js"):
        answer = web.get(path)
        assert answer.status_code == 200
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe" not in csp
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert "set-cookie" not in answer.headers
        weight += len(answer.content)
    page = web.get("/where?service=ID").text
    assert "<script>" not in page and "style=" not in page
    assert " on" not in re.sub(r">[^<]*<", "><", page)  # no inline handlers
    for src in re.findall(r'(?:src|href|action)="([^"]*)"', page):
        assert src.startswith(("/static/where/", "/where", "?", "data:,")), src
    assert weight < 30_000  # as light as the hall's ticket page
    script = web.get("/static/where/where.js").text
    assert "document.cookie" not in script and "localStorage" not in script
    assert "/api/" not in script  # the position never leaves the phone: no request carries it
    assert web.get("/static/where/../where_page.py").status_code == 404


def test_requests_are_limited_per_client_address() -> None:
    app = FastAPI()
    app.state.where = Figures(HALLS)
    app.include_router(router)
    web = TestClient(PageGate(app, per_min=5))
    answers = [web.get("/where/state", params={"service": "ID"}).status_code for _ in range(8)]
    assert answers[0] == 200 and answers[-1] == 429


def test_a_city_of_a_hundred_halls_stays_light_on_a_phone() -> None:
    """The list grows with the city; compressed (every phone browser asks for gzip), a
    hundred halls with their page, style and script stay under the ticket page's bound."""
    app = FastAPI()
    app.state.where = Figures([hall(f"h{i}", f"第{i}政务服务中心 Hall {i}", wait=i % 40,
                                    waiting=i % 17) for i in range(100)])  # fmt: skip
    app.include_router(router)
    web = TestClient(PageGate(app))
    weight = 0
    for path in ("/where?service=ID", "/static/where/where.css", "/static/where/where.js"):
        answer = web.get(path, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200
        weight += int(answer.headers.get("content-length") or len(answer.content))
    assert len(names(web.get("/where?service=ID").text)) == 100
    assert weight < 30_000
