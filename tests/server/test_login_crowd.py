"""A whole hall logs in at once (after a power cut every PC boots together): each PIN check
is a deliberately slow hash, run on the server's login threads, and the stations wait for
it, so no clerk is told the server is unreachable."""

from __future__ import annotations

import sqlite3
import threading

from argon2 import PasswordHasher

from console.remote import RemoteHall
from tests.server.conftest import PIN, Server, build_hall, free_port, register

CLERKS = 12


def test_twelve_clerks_logging_in_at_once_all_get_in(tmp_path):
    db = tmp_path / "hall.db"
    build_hall(db, clerks=CLERKS, counters=1)
    conn = sqlite3.connect(db)
    with conn:  # the production hash (the suite's clerks get cheap ones, for speed)
        conn.execute("UPDATE clerks SET pin_hash = ?", (PasswordHasher().hash(PIN),))
    conn.close()
    tokens = [register(db, f"desk-{n}") for n in range(CLERKS)]
    server = Server(db, free_port())
    server.start()
    results: list[object] = []
    halls = [RemoteHall(server.url, token) for token in tokens]  # a station's own defaults
    go = threading.Barrier(CLERKS)

    def log_in(n: int) -> None:
        go.wait()
        try:
            results.append(halls[n].login(str(1001 + n), PIN, "").staff_no)
        except Exception as exc:  # what a clerk would see: recorded, asserted below
            results.append(exc)

    threads = [threading.Thread(target=log_in, args=(n,)) for n in range(CLERKS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert sorted(map(str, results)) == sorted(str(1001 + n) for n in range(CLERKS))
    finally:
        for hall in halls:
            hall.close()
        server.stop()
