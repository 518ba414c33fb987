"""The kiosk's station token and routes, over HTTP against a real server.

* A kiosk token is refused (403) on every station route but the kiosk's own and its print
  agent's (who am I, claim, renew, report), walked from the server's OpenAPI description,
  and changes nothing where it is refused; other stations are refused the kiosk's routes.
* A repeated tap (the same Idempotency-Key) gives one ticket; ``elderly`` gives the green
  channel with the reason "elderly"; the search finds a matter by its pinyin initials.
* A kiosk follows only the slips it asked for.
* Senior mode's spoken prompt is a WAV from the announcement voice, without a token.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
import uuid
import wave
from collections.abc import Iterator

import httpx
import pytest
from typer.testing import CliRunner

from console.cli.main import app
from console.local import LocalHall
from console.server.auth import add_station
from tests.server.conftest import ADMIN, Server, build_hall, free_port, register

KIOSK_ROUTES = {
    ("get", "/api/v1/kiosk/home"),
    ("get", "/api/v1/kiosk/search"),
    ("post", "/api/v1/kiosk/tickets"),
    ("get", "/api/v1/kiosk/print-jobs/{job_id}"),
}
PRINT_AGENT = {
    ("get", "/api/v1/whoami"),
    ("post", "/api/v1/print-jobs/claim"),
    ("post", "/api/v1/print-jobs/{job_id}/lease"),
    ("post", "/api/v1/print-jobs/{job_id}/result"),
}
"""What the kiosk's print agent (``qconsole printers work``) needs besides."""
VALUES = {"name": "day", "code": "ID", "number": "1", "staff_no": "1001", "job_id": "1"}


def add_kiosk(db, name: str) -> str:
    hall = LocalHall(db)
    try:
        return add_station(hall.engine, ADMIN, name, "kiosk")[1]
    finally:
        hall.close()


@pytest.fixture(scope="module")
def kiosk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("kiosk") / "hall.db"
    build_hall(db)
    hall = LocalHall(db)
    try:
        hall.add_matter(ADMIN, code="SCJ-001", name_zh="个体工商户设立登记",
                        name_en="Sole trader registration", department="SCJ",
                        department_zh="市场监管局", service="PP")  # fmt: skip
    finally:
        hall.close()
    srv = Server(db, free_port())
    srv.tokens["admin-pc"] = register(db, "admin-pc", admin=True)
    srv.tokens["desk-1"] = register(db, "desk-1")
    srv.tokens["kiosk-1"] = add_kiosk(db, "kiosk-1")
    srv.tokens["kiosk-2"] = add_kiosk(db, "kiosk-2")
    srv.start()
    yield srv
    srv.stop()


def client(srv: Server, station: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {srv.tokens[station]}"} if station else {}
    return httpx.Client(base_url=srv.url, headers=headers, timeout=10)


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def fill(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: VALUES[m.group(1)], path)


def events(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def station_routes(srv: Server) -> set[tuple[str, str]]:
    with client(srv, "admin-pc") as http:
        spec = http.get("/openapi.json").json()
    return {(m, p) for p, ops in spec["paths"].items() for m in ops if p != "/health"}


def test_the_kiosk_token_is_refused_on_every_other_station_route(kiosk_server: Server) -> None:
    routes = station_routes(kiosk_server)
    assert routes >= KIOSK_ROUTES | PRINT_AGENT
    before = events(kiosk_server.db)
    with client(kiosk_server, "kiosk-1") as http:
        assert http.get("/openapi.json").status_code == 403
        for method, path in sorted(routes - KIOSK_ROUTES - PRINT_AGENT):
            r = http.request(method.upper(), fill(path), json={}, headers=key())
            assert r.status_code == 403, (method, path, r.status_code, r.text)
            assert r.json()["error"] == "forbidden" and "kiosk" in r.json()["message"]
        assert events(kiosk_server.db) == before, "a refused request changed something"
        # what it may do answers as for any station
        assert http.get("/api/v1/whoami").json()["station_role"] == "kiosk"
        claim = http.post("/api/v1/print-jobs/claim", json={}, headers=key())
        assert claim.status_code == 200 and claim.json()["job"] is None
        assert http.get("/api/v1/kiosk/home").status_code == 200


def test_other_stations_are_refused_the_kiosk_routes(kiosk_server: Server) -> None:
    for station in ("desk-1", "admin-pc"):
        with client(kiosk_server, station) as http:
            for method, path in KIOSK_ROUTES:
                r = http.request(method.upper(), fill(path), json={"service": "ID"},
                                 headers=key())  # fmt: skip
                assert r.status_code == 403 and "not a kiosk" in r.json()["message"], (
                    station, path, r.text)  # fmt: skip
    with client(kiosk_server, None) as http:
        for method, path in KIOSK_ROUTES:
            assert http.request(method.upper(), fill(path)).status_code == 401


def test_the_home_screen_says_what_the_kiosk_shows(kiosk_server: Server) -> None:
    with client(kiosk_server, "kiosk-1") as http:
        home = http.get("/api/v1/kiosk/home").json()
    assert [s["code"] for s in home["services"]] == ["ID", "PP"]
    assert [m["code"] for m in home["matters"]] == ["SCJ-001"]
    assert home["today"] == "2026-11-26" and home["elderly_age"] == 60 and home["open"]


def test_a_double_tap_gives_one_ticket(kiosk_server: Server) -> None:
    tap = key()
    with client(kiosk_server, "kiosk-1") as http:
        first = http.post("/api/v1/kiosk/tickets", json={"service": "ID"}, headers=tap)
        second = http.post("/api/v1/kiosk/tickets", json={"service": "ID"}, headers=tap)
    assert first.status_code == second.status_code == 200, first.text
    assert first.json() == second.json()
    with sqlite3.connect(kiosk_server.db) as conn:
        issued = conn.execute(
            "SELECT count(*) FROM tickets WHERE number = ?", (first.json()["number"],)
        ).fetchone()[0]
    assert issued == 1


def test_an_elderly_citizen_gets_the_green_channel(kiosk_server: Server) -> None:
    with client(kiosk_server, "kiosk-1") as http:
        r = http.post("/api/v1/kiosk/tickets", json={"service": "ID", "elderly": True},
                      headers=key())  # fmt: skip
        plain = http.post("/api/v1/kiosk/tickets", json={"service": "ID"}, headers=key())
    assert r.json()["green"] and not plain.json()["green"]
    with sqlite3.connect(kiosk_server.db) as conn:
        reason = conn.execute(
            "SELECT green_reason FROM tickets WHERE number = ?", (r.json()["number"],)
        ).fetchone()[0]
    assert reason == "elderly"


def test_pinyin_initials_find_a_matter_and_its_ticket_names_it(kiosk_server: Server) -> None:
    with client(kiosk_server, "kiosk-1") as http:
        found = http.get("/api/v1/kiosk/search", params={"q": "gtgsh"}).json()
        assert [f["code"] for f in found] == ["SCJ-001"]
        r = http.post("/api/v1/kiosk/tickets", json={"matter": "SCJ-001"}, headers=key())
        both = http.post("/api/v1/kiosk/tickets", json={"matter": "SCJ-001", "service": "ID"},
                         headers=key())  # fmt: skip
    assert r.json()["matter_zh"] == "个体工商户设立登记" and r.json()["number"].startswith("B")
    assert both.status_code == 422


def test_a_kiosk_follows_only_its_own_slips(kiosk_server: Server) -> None:
    with client(kiosk_server, "kiosk-1") as http:
        job = http.post("/api/v1/kiosk/tickets", json={"service": "PP"}, headers=key()).json()
        assert job["job"] is not None
        mine = http.get(f"/api/v1/kiosk/print-jobs/{job['job']}").json()
    # no printer is set up here: nothing for the floor's printer alert either
    assert mine == {"status": "failed", "trouble": "other", "floor_told": False}
    with client(kiosk_server, "kiosk-2") as http:
        r = http.get(f"/api/v1/kiosk/print-jobs/{job['job']}")
    assert r.status_code == 403


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_the_spoken_prompt_is_a_wav_in_either_language(kiosk_server: Server) -> None:
    for lang in ("zh", "en"):
        r = httpx.get(f"{kiosk_server.url}/kiosk/prompt.wav", params={"lang": lang}, timeout=60)
        assert r.status_code == 200 and r.headers["content-type"] == "audio/wav"
        with wave.open(io.BytesIO(r.content)) as wav:
            assert wav.getnframes() / wav.getframerate() > 2.0  # a sentence, not a click


def test_stations_add_kiosk_registers_the_role_and_says_where_the_token_goes(tmp_path) -> None:
    db = tmp_path / "hall.db"
    build_hall(db, clerks=1, counters=1)
    runner = CliRunner()
    added = runner.invoke(app, ["stations", "add", "kiosk-9", "--kiosk", "--db", str(db)])
    assert added.exit_code == 0, added.output
    token = added.output.splitlines()[1]
    assert f"/kiosk#token={token}" in added.output
    listed = runner.invoke(app, ["stations", "list", "--db", str(db), "--json"])
    assert [(s["name"], s["role"]) for s in json.loads(listed.stdout)] == [("kiosk-9", "kiosk")]
    both = runner.invoke(app, ["stations", "add", "k2", "--kiosk", "--admin", "--db", str(db)])
    assert both.exit_code == 2 and "not both" in both.output


def test_outside_opening_hours_the_kiosk_says_when_and_issues_nothing(tmp_path) -> None:
    db = tmp_path / "hall.db"
    build_hall(db, clerks=1, counters=1)
    hall = LocalHall(db)
    try:
        hall.add_session(ADMIN, name="evening", opens="18:00", closes="21:00",
                         weekdays="1234567")  # fmt: skip
    finally:
        hall.close()
    srv = Server(db, free_port())  # at 09:30
    srv.tokens["kiosk-1"] = add_kiosk(db, "kiosk-1")
    srv.start()
    try:
        with client(srv, "kiosk-1") as http:
            home = http.get("/api/v1/kiosk/home").json()
            assert home["open"] is False and "18:00" in home["next_opens"]
            r = http.post("/api/v1/kiosk/tickets", json={"service": "ID"}, headers=key())
            assert r.status_code == 409 and r.json()["error"] == "refused"
    finally:
        srv.stop()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM tickets").fetchone()[0] == 0
