"""The city's token and routes on a hall server, over HTTP against a real server.

* A city token is refused (403) on every station route, walked from the server's OpenAPI
  description, and changes nothing there; it cannot write even on its own routes; other
  stations are refused the city's routes.
* The snapshot's figures are the hall's own (its report of today), the ended days'
  figures add up to the hall's report of that day, night-session tickets counted.
* After a day with names, notes, phone numbers and green-channel reasons, nothing the city
  can read carries one of them, nor a ticket's number or a clerk's staff number.
* The city's stream resumes after ``Last-Event-ID``, with notices only.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from console.cli.main import app
from console.engine import FixedClock
from console.local import LocalHall
from console.reports.dates import DayRange
from console.reports.db import open_readonly
from console.reports.report import Figures, compute
from console.server.auth import add_station
from tests.conftest import MORNING, TZ
from tests.server.conftest import ADMIN, PIN, Server, build_hall, free_port, register

CITY_ROUTES = {
    ("get", "/api/v1/city/snapshot"),
    ("get", "/api/v1/city/catalogue"),
    ("get", "/api/v1/city/days"),
    ("get", "/api/v1/city/stream"),
}
YESTERDAY = "2026-11-25"
TODAY = "2026-11-26"
PERSONAL = ("Zhang Wei", "13800138000", "110101199001011234", "left the folder", "Li Si",
            "photo booth", "clerk 1", "clerk 2", "manager", "great service")  # fmt: skip
"""What citizens and clerks told the hall, and the clerks' names: never in the city's view."""
VALUES = {"name": "day", "code": "ID", "number": "1", "staff_no": "1001", "job_id": "1",
          "session": "day", "ticket": "A001"}  # fmt: skip


def add_city(db, name: str = "city") -> str:
    hall = LocalHall(db)
    try:
        return add_station(hall.engine, ADMIN, name, "city")[1]
    finally:
        hall.close()


def serve_one(hall: LocalHall, counter: int, rating: int | None, note: str | None) -> None:
    clerk = hall.login(f"100{counter}", PIN, "")
    hall.call_next(clerk, counter)
    hall.serve(clerk, counter)
    hall.finish(clerk, counter, rating=rating, note=note)


def a_day(db, moment: float, night: bool) -> None:
    """Tickets with a citizen's words on them, served and rated; one in the night session."""
    clock = FixedClock(moment, TZ)
    hall = LocalHall(db, clock=clock)
    try:
        for n in (1, 2):
            clerk = hall.login(f"100{n}", PIN, "")
            hall.open_counter(clerk, n)
        hall.issue(ADMIN, "ID", green_reason="elderly", green_note="Zhang Wei 13800138000")
        hall.issue(ADMIN, "ID", green_note="ID 110101199001011234")
        hall.issue(ADMIN, "PP", matter="SCJ-001")
        clock.t += 600
        serve_one(hall, 1, 5, "left the folder")
        clock.t += 1500
        serve_one(hall, 2, 2, None)
        clock.t += 300
        if night:
            clock.t = moment + 10 * 3600  # 18:30, the evening session
            hall.issue(ADMIN, "ID")
            clock.t += 60
            serve_one(hall, 1, 4, None)
    finally:
        hall.close()


@pytest.fixture(scope="module")
def city_hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("city-hall") / "hall.db"
    build_hall(db)
    srv = Server(db, free_port(), now=MORNING + 60, start_timeout=90)
    # registered first: these writes run on the real clock, whose day change would end the
    # test days' open tickets
    srv.tokens["admin-pc"] = register(db, "admin-pc", admin=True)
    srv.tokens["desk-1"] = register(db, "desk-1")
    srv.tokens["city"] = add_city(db)
    hall = LocalHall(db)
    try:
        hall.add_matter(ADMIN, code="SCJ-001", name_zh="个体工商户设立登记",
                        name_en="Sole trader registration", department="SCJ",
                        department_zh="市场监管局", service="PP")  # fmt: skip
        hall.add_session(ADMIN, name="day", opens="08:30", closes="17:00")
        hall.add_session(ADMIN, name="evening", opens="18:00", closes="21:00")
    finally:
        hall.close()
    a_day(db, MORNING - 86400 - 3600, night=True)
    a_day(db, MORNING - 3600, night=False)
    hall = LocalHall(db, clock=FixedClock(MORNING, TZ))  # (the tests' own clock starts later)
    try:
        clerk = hall.login("1003", PIN, "")
        hall.open_counter(clerk, 3)
        hall.issue(ADMIN, "ID")
        hall.call_next(clerk, 3)
        hall.park(clerk, 3, reason="Li Si went to the photo booth")
        hall.issue(ADMIN, "ID")
    finally:
        hall.close()
    srv.start()
    yield srv
    srv.stop()


def client(srv: Server, station: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {srv.tokens[station]}"} if station else {}
    return httpx.Client(base_url=srv.url, headers=headers, timeout=10)


def fill(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: VALUES.get(m.group(1), "1"), path)


def events(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def read_stream(srv: Server, headers: dict[str, str], until: int) -> list[tuple[str, dict]]:
    """(event name, data) of the city's stream up to the change with id ``until``."""
    got: list[tuple[str, dict]] = []
    name = ""
    with client(srv, "city") as http, http.stream("GET", "/api/v1/city/stream",
                                                  headers=headers) as r:  # fmt: skip
        assert r.status_code == 200, r.read()
        for line in r.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                got.append((name, json.loads(line[6:])))
                if name == "change" and got[-1][1]["id"] >= until:
                    break
    return got


def strings(value: Any, keys: bool = True) -> Iterator[str]:
    """Every string in a JSON value (its keys too, when ``keys``)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if keys:
                yield k
            yield from strings(v, keys and not k.endswith("waits") and k != "handling")
    elif isinstance(value, list):
        for v in value:
            yield from strings(v, keys)


def test_the_city_token_is_refused_on_every_station_route(city_hall: Server) -> None:
    with client(city_hall, "admin-pc") as http:
        spec = http.get("/openapi.json").json()
    station_routes = {(m, p) for p, ops in spec["paths"].items() for m in ops if p != "/health"}
    assert station_routes >= CITY_ROUTES
    before = events(city_hall.db)
    with client(city_hall, "city") as http:
        assert http.get("/openapi.json").status_code == 403
        for method, path in sorted(station_routes - CITY_ROUTES):
            r = http.request(method.upper(), fill(path), json={},
                             headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
            assert r.status_code == 403, (method, path, r.status_code, r.text)
            assert r.json()["error"] == "forbidden" and "city" in r.json()["message"]
        # nor may it write on its own routes
        for _, path in CITY_ROUTES:
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                assert http.request(method, path, json={}).status_code == 405, (method, path)
    assert events(city_hall.db) == before, "a refused request changed something"


def test_other_stations_are_refused_the_city_routes(city_hall: Server) -> None:
    for station in ("desk-1", "admin-pc"):
        with client(city_hall, station) as http:
            for _, path in CITY_ROUTES:
                r = http.get(path, params={"day": YESTERDAY})
                assert r.status_code == 403 and "not the city" in r.json()["message"], r.text
    with client(city_hall, None) as http:
        for _, path in CITY_ROUTES:
            assert http.get(path).status_code == 401


def _report(db, day: str) -> dict:
    conn = open_readonly(db)
    try:
        return compute(conn, DayRange(day, day))
    finally:
        conn.close()


def test_the_snapshot_is_the_halls_own_figures(city_hall: Server) -> None:
    with client(city_hall, "city") as http:
        snap = http.get("/api/v1/city/snapshot").json()
    assert snap["day"] == TODAY and snap["state"] == "open" and snap["session"] == "day"
    assert [(s["name"], s["night"]) for s in snap["sessions_today"]] == [
        ("day", False), ("evening", True)]  # fmt: skip
    assert snap["counters_open"] == 3
    report = {s["code"]: s for s in _report(city_hall.db, TODAY)["by_service"]}
    for service in snap["services"]:
        mine = report[service["code"]]
        assert (service["issued"], service["served"], service["called"],
                service["within_target"], service["rated"], service["rating_avg"]) == (
            mine["issued"], mine["served"], mine["called"], mine["within_target"],
            mine["rated"], mine["rating_avg"])  # fmt: skip
    with sqlite3.connect(city_hall.db) as conn:
        waiting = dict(conn.execute(
            "SELECT s.code, count(*) FROM tickets t JOIN services s ON s.id = t.service_id"
            " WHERE t.status = 'waiting' AND t.day = ? GROUP BY s.code", (TODAY,)))  # fmt: skip
    assert {s["code"]: s["waiting"] for s in snap["services"] if s["waiting"]} == waiting
    assert waiting and all(s["estimated_wait_min"] is not None for s in snap["services"])
    assert [m["code"] for m in snap["matters"]] == ["SCJ-001"]
    with client(city_hall, "city") as http:
        names = http.get("/api/v1/city/catalogue").json()
    assert [m["name_en"] for m in names["matters"]] == ["Sole trader registration"]


def test_ended_days_add_up_to_the_halls_report(city_hall: Server) -> None:
    with client(city_hall, "city") as http:
        days = http.get("/api/v1/city/days", params={"day": YESTERDAY}).json()
        today = http.get("/api/v1/city/days", params={"day": TODAY})
        ranged = http.get("/api/v1/city/days", params={"from": YESTERDAY, "to": YESTERDAY})
    assert today.status_code == 422 and "not ended" in today.json()["message"]
    assert ranged.json() == days
    (day,) = days["days"]
    assert day["day"] == YESTERDAY and day["kept"], "read from the kept totals"
    report = {s["code"]: s for s in _report(city_hall.db, YESTERDAY)["by_service"]}
    assert set(day["services"]) == set(report)
    for code, service in day["services"].items():
        figures = Figures.load(service["figures"]).to_dict()
        assert figures == {k: v for k, v in report[code].items() if k in figures}
    assert day["services"]["ID"]["night_issued"] == 1
    assert day["services"]["PP"]["night_issued"] == 0


def test_nothing_the_city_reads_is_personal(city_hall: Server) -> None:
    with sqlite3.connect(city_hall.db) as conn:
        numbers = {r[0] for r in conn.execute("SELECT number FROM tickets")}
        staff = {r[0] for r in conn.execute("SELECT staff_no FROM clerks")}
        last = conn.execute("SELECT max(id) FROM events").fetchone()[0]
    with client(city_hall, "city") as http:
        answers = [http.get(path, params={"day": YESTERDAY}).json()
                   for _, path in sorted(CITY_ROUTES) if not path.endswith("stream")]  # fmt: skip
    notices = read_stream(city_hall, {"Last-Event-ID": "0"}, last)
    texts = set(strings(answers + [n for _, n in notices]))
    values = set(strings(answers + [n for _, n in notices], keys=False))
    for said in PERSONAL:
        assert not [t for t in texts if said in t], said
    assert not values & numbers, "a ticket's number"
    assert not values & staff, "a clerk's staff number"
    for name, notice in notices:
        if name == "change":
            assert set(notice) == {"id", "at", "kind", "counter_number"}


def test_the_stream_resumes_after_the_last_event_the_city_saw(city_hall: Server) -> None:
    with sqlite3.connect(city_hall.db) as conn:
        last = conn.execute("SELECT max(id) FROM events").fetchone()[0]
    seen = read_stream(city_hall, {"Last-Event-ID": str(last - 5)}, last)
    changes = [n["id"] for name, n in seen if name == "change"]
    assert changes == list(range(last - 4, last + 1))
    hall = LocalHall(city_hall.db)
    try:
        hall.issue(ADMIN, "PP")
    finally:
        hall.close()
    more = read_stream(city_hall, {"Last-Event-ID": str(last)}, last + 1)
    assert [(name, n["kind"]) for name, n in more if name == "change"] == [("change", "issued")]


def test_stations_add_city_registers_the_role(tmp_path) -> None:
    db = tmp_path / "hall.db"
    build_hall(db, clerks=1, counters=1)
    runner = CliRunner()
    added = runner.invoke(app, ["stations", "add", "city", "--city", "--db", str(db), "--json"])
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["role"] == "city"
    both = runner.invoke(app, ["stations", "add", "c2", "--city", "--kiosk", "--db", str(db)])
    assert both.exit_code == 2 and "not both" in both.output
