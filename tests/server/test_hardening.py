"""The hall server's answers to odd input and odd clients: clear refusals, never a 500.

* Digits outside ASCII (``#²``, ``Last-Event-ID: ²``) are bad input, and the
  connection stays usable.
* A damaged database file is answered 503 with ``{error, message}``; ``/health``
  and ``qconsole doctor`` name it.
* A client trickling its request head is cut off; connections beyond the cap get 503.
* take=false is for managers; no redirect echoes the Host header; 405 names every
  method; the long poll ends when its station is revoked; GET /clerks is for managers.
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from console.local import LocalHall
from console.server.auth import revoke_station
from tests.server.conftest import ADMIN, PIN, Server, build_hall, free_port, register
from tests.waiting import scaled

ROOT = Path(__file__).resolve().parents[2]
SUPERSCRIPT_TWO = "#\u00b2"
"""'²'.isdigit() is True, int('²') raises: what made the server answer 500."""


def http(server: Server, station: str, session: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {server.tokens[station]}"}
    if session:
        headers["X-QConsole-Session"] = session
    return httpx.Client(base_url=server.url, headers=headers, timeout=30)


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def login(server: Server, station: str, staff_no: str) -> str:
    with http(server, station) as c:
        r = c.post("/api/v1/login", json={"staff_no": staff_no, "pin": PIN})
        assert r.status_code == 200, r.text
        return r.json()["session"]


def test_non_ascii_digits_are_bad_input_everywhere(server: Server) -> None:
    session = login(server, "desk-3", "1004")
    with http(server, "desk-3", session) as c:
        assert c.post("/api/v1/counters/3/open", headers=key()).status_code == 200
        bad = [
            c.get("/api/v1/ticket", params={"ref": SUPERSCRIPT_TWO}),
            c.get("/api/v1/ticket", params={"ref": "A\u0661\u0662"}),  # Arabic-Indic digits
            c.post("/api/v1/tickets/cancel", json={"ticket": SUPERSCRIPT_TWO}, headers=key()),
            c.post(
                "/api/v1/tickets/transfer",
                json={"ticket": SUPERSCRIPT_TWO, "to_service": "PP"},
                headers=key(),
            ),
            c.post(
                "/api/v1/tickets/green",
                json={"ticket": SUPERSCRIPT_TWO, "reason": "elderly"},
                headers=key(),
            ),
            c.post(
                "/api/v1/print-jobs",
                json={"ticket": SUPERSCRIPT_TWO, "kind": "ticket"},
                headers=key(),
            ),
            c.post("/api/v1/counters/3/call", json={"ticket": SUPERSCRIPT_TWO}, headers=key()),
            c.post(
                "/api/v1/counters/3/resume-ticket", json={"ticket": SUPERSCRIPT_TWO}, headers=key()
            ),
            c.get("/api/v1/events", params={"after": "\u00b2"}),
            c.get("/api/v1/stream", headers={"Last-Event-ID": "\u00b2".encode()}),
            c.get("/api/v1/stream", headers={"Last-Event-ID": "12a"}),
        ]
        for r in bad:
            assert r.status_code == 422, (r.request.url, r.text)
            assert r.json()["error"] == "bad_input" and "Traceback" not in r.text
        # the same connection goes on working
        assert c.get("/api/v1/hall").status_code == 200
        assert c.post("/api/v1/counters/3/close", headers=key()).status_code == 200
    assert "Traceback" not in server.log.read_text(encoding="utf-8", errors="replace")


def test_a_clerk_cannot_open_a_counter_for_someone_else(server: Server) -> None:
    session = login(server, "desk-2", "1003")
    with http(server, "desk-2", session) as c:
        r = c.post("/api/v1/counters/2/open", params={"take": "false"}, headers=key())
        assert r.status_code == 403 and "manager" in r.json()["message"]
    manager = login(server, "desk-1", "9001")
    with http(server, "desk-1", manager) as c:
        r = c.post("/api/v1/counters/2/open", params={"take": "false"}, headers=key())
        assert r.status_code == 200 and r.json()["clerk_staff_no"] is None
        assert c.post("/api/v1/counters/2/close", headers=key()).status_code == 200


def test_no_redirect_echoes_the_host_header(server: Server) -> None:
    for path in ("/api/v1/hall/", "/api/v1/tickets/", "/health/"):
        r = httpx.get(server.url + path, headers={"Host": "evil.example"})
        assert r.status_code in (401, 404), (path, r.status_code)
        assert "location" not in r.headers and "evil.example" not in r.text


def test_method_not_allowed_names_every_allowed_method(server: Server) -> None:
    with http(server, "admin-pc") as c:
        r = c.put("/api/v1/tickets", headers=key())
        assert r.status_code == 405
        assert set(r.headers["allow"].split(", ")) == {"GET", "POST"}
        r = c.post("/api/v1/services/ID", headers=key())
        assert set(r.headers["allow"].split(", ")) == {"PATCH", "DELETE"}


def test_the_long_poll_ends_when_its_station_is_revoked(server: Server) -> None:
    server.tokens["leaving"] = register(server.db, "leaving")
    answer: list[httpx.Response] = []
    with http(server, "leaving") as c:
        after = c.get("/api/v1/events/last").json()["last_event_id"]

    def poll() -> None:
        with http(server, "leaving") as c:
            answer.append(c.get("/api/v1/events/wait", params={"after": after + 10**6,
                                                               "timeout": 25}))  # fmt: skip

    waiter = threading.Thread(target=poll)
    waiter.start()
    time.sleep(scaled(1.5))  # let the poll get past its token check and start waiting (the
    # server gives no sign of it; had it not, the poll's answer is the same 401 all the same)
    hall = LocalHall(server.db)
    try:
        revoke_station(hall.engine, ADMIN, "leaving")
    finally:
        hall.close()
    waiter.join(40)
    assert answer and answer[0].status_code == 401, answer and answer[0].text


def test_the_clerk_list_is_for_managers(server: Server) -> None:
    with http(server, "desk-2") as plain:
        assert plain.get("/api/v1/clerks").status_code == 403
    clerk = login(server, "desk-2", "1002")
    with http(server, "desk-2", clerk) as c:
        r = c.get("/api/v1/clerks")
        assert r.status_code == 403 and "manager" in r.json()["message"]
    manager = login(server, "desk-1", "9001")
    with http(server, "desk-1", manager) as c:
        assert {x["staff_no"] for x in c.get("/api/v1/clerks").json()} >= {"1001", "9001"}


# -- servers of their own ---------------------------------------------------------------
@pytest.fixture
def damaged(tmp_path: Path) -> Iterator[Server]:
    """A hall whose tickets table is damaged on disk (its pages overwritten)."""
    db = tmp_path / "hall.db"
    build_hall(db)
    hall = LocalHall(db)
    try:
        clerk = hall.login("1001", PIN, "t")
        for _ in range(400):
            hall.issue(clerk, "ID")
    finally:
        hall.close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [r[0] for r in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'tickets' ORDER BY pageno")]  # fmt: skip
    conn.close()
    srv = Server(db, free_port())
    srv.tokens["admin-pc"] = register(db, "admin-pc", admin=True)
    with open(db, "r+b") as f:
        for n in pages:
            f.seek((n - 1) * page)
            f.write(b"\xa5" * page)
    srv.start()
    yield srv
    srv.stop()


def test_a_damaged_database_is_503_and_doctor_says_so(damaged: Server) -> None:
    with http(damaged, "admin-pc") as c:
        for r in (c.get("/api/v1/tickets"), c.get("/api/v1/ticket", params={"ref": "#5"}),
                  c.post("/api/v1/tickets", json={"service": "ID"}, headers=key())):  # fmt: skip
            assert r.status_code == 503, r.text
            assert r.json()["error"] == "unavailable" and "damaged" in r.json()["message"]
        health = httpx.get(damaged.url + "/health").json()
    assert health["status"] == "degraded" and "damaged" in health["warnings"][0]
    doctor = subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", "doctor", "--db",
         str(damaged.db), "--quick"], capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert doctor.returncode != 0 and "PROBLEM" in doctor.stdout, doctor.stdout + doctor.stderr
    remote = subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", "doctor", "--server",
         damaged.url], capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert remote.returncode == 1 and "damaged" in remote.stdout, remote.stdout + remote.stderr
    assert "Traceback" not in damaged.log.read_text(encoding="utf-8", errors="replace")


def test_slow_clients_are_cut_off_and_connections_capped(tmp_path: Path) -> None:
    db = tmp_path / "hall.db"
    build_hall(db)
    srv = Server(db, free_port(), extra=["--request-timeout", "1", "--max-connections", "4"])
    srv.start()
    try:
        trickling = socket.create_connection(("127.0.0.1", srv.port), timeout=15)
        trickling.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the rest
        assert trickling.recv(1024) == b"", "a request head that never ends was not cut off"
        trickling.close()
        # connections that say nothing give way to one that asks
        idle = [socket.create_connection(("127.0.0.1", srv.port), timeout=15) for _ in range(4)]
        try:
            assert httpx.get(srv.url + "/health", timeout=10).status_code == 200
        finally:
            for s in idle:
                s.close()
        # four streams being served hold every connection: the fifth client is told 503
        with contextlib.ExitStack() as streams:
            for _ in range(4):
                opened = streams.enter_context(httpx.stream("GET", srv.url + "/board/events",
                                                            timeout=10))  # fmt: skip
                assert opened.status_code == 200
            r = httpx.get(srv.url + "/health", timeout=10)
            assert r.status_code == 503 and r.json()["error"] == "unavailable"
    finally:
        srv.stop()
