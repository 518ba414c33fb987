"""The server killed (SIGKILL) and restarted twice under 16 calling stations.

Afterwards every one of 3,000 tickets was called exactly once, every call a
station saw acknowledged is in the database at that station's counter, and
the stations finished the queue by themselves.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from console.domain.errors import Unavailable
from console.local import LocalHall
from console.remote import RemoteHall
from tests.reliability.netproxy import Proxy
from tests.server.conftest import ADMIN, PIN, Server, build_hall, free_port, register
from tests.waiting import Deadline, scaled, wait_until

STATIONS = 16
TICKETS = 3000
KILL_AT = (600, 1600)
"""Kill the server when this many tickets have been called."""


def _seed(db: Path) -> None:
    """3,000 waiting tickets, issued through the engine's write path in one transaction."""
    hall = LocalHall(db)
    engine = hall.engine
    engine.core.write("seed", None, lambda: [
        engine.tickets.issue_in_write(ADMIN, "ID", None, None, False, False, None)
        for _ in range(TICKETS)
    ], encode=len)  # fmt: skip
    hall.close()


def _called(db: Path) -> int:
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute("SELECT count(*) FROM tickets WHERE status != 'waiting'").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
def test_sixteen_stations_survive_two_server_kills(tmp_path: Path) -> None:
    db = tmp_path / "hall.db"
    build_hall(db, clerks=STATIONS, counters=STATIONS)
    _seed(db)
    token = register(db, "desk", admin=False)
    server = Server(db, free_port(), {"desk": token})
    server.start()
    outs = [tmp_path / f"acks-{i}.txt" for i in range(1, STATIONS + 1)]
    clients = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.server.fault_client",
                server.url,
                token,
                str(1000 + i),
                str(i),
                str(outs[i - 1]),
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(1, STATIONS + 1)
    ]
    started = time.monotonic()
    try:
        kills = 0
        for threshold in KILL_AT:
            wait_until(lambda n=threshold: _called(db) >= n, timeout=40,
                       what=f"{threshold} tickets called")  # fmt: skip
            print(f"kill at {time.monotonic() - started:.1f}s, called {_called(db)}")
            server.kill()
            kills += 1
            server.start()  # stations see connection refused meanwhile
            print(f"restarted at {time.monotonic() - started:.1f}s")
        everyone = Deadline(55)
        for client in clients:
            client.wait(timeout=max(1.0, everyone.left))
        print(f"clients done at {time.monotonic() - started:.1f}s")
    finally:
        for client in clients:
            if client.poll() is None:
                client.kill()
        server.stop()

    errors = [c.stderr.read() for c in clients if c.returncode != 0]
    assert not errors, errors[0][-2000:]
    assert kills == 2

    acks: dict[int, int] = {}
    for counter, path in enumerate(outs, start=1):
        for line in path.read_text().splitlines():
            ticket_id = int(line.split()[0])
            assert ticket_id not in acks, f"ticket #{ticket_id} acknowledged twice"
            acks[ticket_id] = counter
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT id, status, counter_number FROM tickets").fetchall()
    calls = dict(conn.execute(
        "SELECT ticket_id, count(*) FROM events WHERE kind = 'called' GROUP BY ticket_id"
    ).fetchall())  # fmt: skip
    conn.close()
    assert len(rows) == TICKETS
    assert all(calls.get(r[0]) == 1 for r in rows), "a ticket was called twice or never"
    assert {r[1] for r in rows} == {"done"}
    assert len(acks) == TICKETS
    for ticket_id, _status, counter in rows:
        assert acks[ticket_id] == counter  # the acknowledged call is the stored one


def test_offline_actions_are_refused_and_the_client_recovers(tmp_path: Path) -> None:
    db = tmp_path / "hall.db"
    build_hall(db)
    token = register(db, "desk")
    server = Server(db, free_port(), {"desk": token})
    server.start()
    hall = RemoteHall(server.url, token, retry_for=1.0)
    try:
        clerk = hall.login("1001", PIN, "")
        hall.open_counter(clerk, 1)
        start = hall.last_event_id()
        assert hall.wait_for_change(start, 0.3) == start
        states: list[bool] = []
        hall.add_status_listener(lambda online, reason: states.append(online))
        server.kill()
        t0 = time.monotonic()
        with pytest.raises(Unavailable, match="not done"):
            hall.issue(clerk, "ID")
        assert time.monotonic() - t0 < scaled(3)
        with pytest.raises(Unavailable):
            hall.wait_for_change(start, 2.0)
        assert not hall.online
        server.start()
        # the session survived the restart; the stream reconnects by itself
        wait_until(lambda: hall.online, what="the station back online")
        assert states[:2] == [False, True]
        issued = hall.issue(clerk, "ID")
        assert hall.wait_for_change(start, 5) > start
        assert hall.call_next(clerk, 1).number == issued.ticket.number
    finally:
        hall.close()
        server.stop()


def test_graceful_shutdown_finishes_in_flight_requests(tmp_path: Path) -> None:
    db = tmp_path / "hall.db"
    build_hall(db)
    token = register(db, "desk")
    server = Server(db, free_port(), {"desk": token})
    server.start()
    headers = {"Authorization": f"Bearer {token}"}
    results: list[int] = []

    def long_poll(url: str) -> None:  # through a proxy, to see it reach the server
        r = httpx.get(url + "/api/v1/events/wait", params={"after": 10**6, "timeout": 1.5},
                      headers=headers, timeout=10)  # fmt: skip
        results.append(r.status_code)

    with (
        Proxy(server.port) as proxy,
        httpx.stream("GET", server.url + "/api/v1/stream", headers=headers, timeout=10) as sse,
    ):
        poller = threading.Thread(target=long_poll, args=(proxy.url,))
        poller.start()
        wait_until(lambda: proxy.requests_out, what="the long poll reaching the server")
        t0 = time.monotonic()
        code = server.stop()
        poller.join(10)
        lines = list(sse.iter_lines())
    assert results == [200]  # the in-flight request was answered, not cut off
    # uvicorn re-raises the SIGTERM once it has shut down cleanly
    assert code in (0, -15) and time.monotonic() - t0 < scaled(5)
    assert "Application shutdown complete" in server.log.read_text()
    assert "event: bye" in lines
