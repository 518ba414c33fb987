"""`qconsole serve --replica`: Litestream runs as the server's child, is restarted when it
exits (the hall keeps serving meanwhile, `/health` says so), and does the checkpoints."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import httpx

from console.local import LocalHall
from console.replica import Replica, restore
from tests.server.conftest import ADMIN, Server, build_hall, free_port
from tests.waiting import scaled, wait_until


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(p) for p in text]
    return found


def litestream_of(server: Server) -> int:
    """The server's Litestream child's pid, or 0."""
    assert server.proc is not None
    for pid in children(server.proc.pid):
        if b"litestream" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
    return 0


def test_litestream_is_restarted_and_health_says_while_it_is_down(tmp_path):
    db = tmp_path / "hall.db"
    build_hall(db)
    server = Server(db, free_port(), extra=["--replica", str(tmp_path / "replica")])
    server.start()
    try:
        first = wait_until(lambda: litestream_of(server))
        assert httpx.get(server.url + "/health").json()["warnings"] == []
        wait_until(lambda: (tmp_path / "replica" / "ltx").is_dir())  # the first snapshot
        os.kill(first, signal.SIGKILL)
        warned = wait_until(lambda: httpx.get(server.url + "/health").json()["warnings"])
        assert "replication to file://" in warned[0] and "not running" in warned[0]
        second = wait_until(lambda: (pid := litestream_of(server)) != first and pid)
        assert second != first
        wait_until(lambda: httpx.get(server.url + "/health").json()["warnings"] == [])
        replica = Replica.parse(str(tmp_path / "replica"))
        # the new Litestream's first looks at the database (it syncs on exit only a database
        # it has looked at: one stopped within 250 ms of its start does not), which it gives
        # no sign of: the one pause here
        time.sleep(scaled(1.0))
        hall = LocalHall(db)
        try:
            last = hall.issue(ADMIN, "ID").ticket.number
        finally:
            hall.close()
    finally:
        server.stop()  # at once: Litestream ships the ticket on its way out
    restore(replica, tmp_path / "copy.db")
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT max(number) FROM tickets").fetchone()[0] == last
    copy.close()
    assert server.proc is not None and server.proc.returncode == 143  # SIGTERM, cleanly
    assert gone(second)  # stopped by the server after its last sync, not orphaned


def gone(pid: int) -> bool:
    """Ended (a zombie waiting for init to reap it counts: it runs nothing)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
