"""Generations: a restore starts a new one, written in the replica and the database; the old
primary, restarted as systemd would, refuses to serve; a running primary that finds it is
fenced; a station that has seen the standby's generation refuses the old primary, even
after a restart of its own; a stalled replica is seen on /health and the floor, in writes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from console.domain.errors import Unavailable
from console.local import LocalHall
from console.remote import RemoteHall
from console.replica import Replica
from console.replica_files import GENERATION_FILE, write_json
from console.reports.restore import restore_hall
from tests.server.conftest import ADMIN, PIN, Server, build_hall, free_port, register
from tests.standby.test_serve_replica import litestream_of
from tests.waiting import scaled, wait_until

ROOT = Path(__file__).resolve().parents[2]


def generation(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT coalesce(max(n), 1) FROM generations").fetchone()[0]
    finally:
        conn.close()


def replicated_hall(tmp_path: Path) -> tuple[Path, Path, str]:
    """A hall that a primary served with a directory replica and stopped cleanly."""
    db, replica = tmp_path / "a" / "hall.db", tmp_path / "replica"
    db.parent.mkdir()
    build_hall(db)
    token = register(db, "desk-1")
    server = Server(db, free_port(), extra=["--replica", str(replica)])
    server.start()
    try:
        wait_until(lambda: (replica / "ltx").is_dir())
        time.sleep(scaled(1.0))  # Litestream's first look at the database (test_serve_replica)
        hall = LocalHall(db)
        try:
            hall.issue(ADMIN, "ID")
        finally:
            hall.close()
    finally:
        server.stop()
    return db, replica, token


def test_the_old_primary_restarted_with_its_replica_refuses_to_serve(tmp_path):
    db, replica, _ = replicated_hall(tmp_path)
    (tmp_path / "b").mkdir()
    result = restore_hall(str(replica), tmp_path / "b" / "hall.db")
    assert result["generation"] == 2 and generation(tmp_path / "b" / "hall.db") == 2
    assert json.loads((replica / GENERATION_FILE).read_text())["generation"] == 2
    before = sorted(p.name for p in (replica / "ltx").rglob("*"))
    done = subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", "serve", "--db",
         str(db), "--port", str(free_port()), "--replica", str(replica)],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1
    assert "the hall moved on without this server" in done.stderr
    assert "generation 2" in done.stderr and "generation 1" in done.stderr
    assert "Traceback" not in done.stderr
    # its Litestream never started: nothing of the old primary went into the replica
    assert sorted(p.name for p in (replica / "ltx").rglob("*")) == before


def test_a_serving_primary_that_finds_a_newer_generation_stops_serving(tmp_path):
    db, replica = tmp_path / "hall.db", tmp_path / "replica"
    build_hall(db)
    token = register(db, "desk-1")
    server = Server(db, free_port(), extra=["--replica", str(replica)])
    server.start()
    try:
        wait_until(lambda: (replica / "ltx").is_dir())
        hall = RemoteHall(server.url, token, retry_for=0.3)
        try:
            clerk = hall.login("1001", PIN, "")
            hall.issue(clerk, "ID")
            # a standby restored from this replica (the primary was only cut off the LAN)
            write_json(Replica.parse(str(replica)), GENERATION_FILE,
                       {"generation": 2, "at": time.time(), "host": "hall-b"})  # fmt: skip
            health = wait_until(lambda: (r := httpx.get(server.url + "/health")).status_code == 503
                              and r.json())  # fmt: skip
            assert health["status"] == "fenced"
            assert "the hall moved on without this server" in health["warnings"][0]
            with pytest.raises(Unavailable, match="has stopped serving"):
                hall.issue(clerk, "ID")
        finally:
            hall.close()
        assert wait_until(lambda: litestream_of(server) == 0)  # no more writes into the replica
    finally:
        server.stop()


@pytest.fixture
def old_and_new(tmp_path: Path):
    """The old primary (generation 1) and the standby restored from its replica
    (generation 2), both serving: what a split brain would be."""
    db, replica, token = replicated_hall(tmp_path)
    (tmp_path / "b").mkdir()
    restore_hall(str(replica), tmp_path / "b" / "hall.db")
    old = Server(db, free_port())  # started without its replica: nothing fences it itself
    new = Server(tmp_path / "b" / "hall.db", free_port())
    old.start()
    new.start()
    try:
        yield old, new, token
    finally:
        old.stop()
        new.stop()


def issued(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
    finally:
        conn.close()


def test_a_station_that_has_seen_the_standby_refuses_the_old_primary(old_and_new, station_state):
    old, new, token = old_and_new
    hall = RemoteHall(f"{new.url},{old.url}", token, retry_for=0.3)
    try:
        assert hall.generation == 2
    finally:
        hall.close()
    # the station's PC restarts; its list names the old primary first, which answers
    before = issued(old.db)
    hall = RemoteHall(f"{old.url},{new.url}", token, retry_for=0.3)
    try:
        clerk = hall.login("1001", PIN, "")
        ticket = hall.issue(clerk, "ID").ticket
        assert hall.url == new.url
        assert hall.wait_for_change(0, 5) >= 1  # the live feed is on the standby too
    finally:
        hall.close()
    assert issued(old.db) == before  # nothing done on the old primary
    assert ticket.number == "A052"  # the standby's numbers, after the failover's gap
    assert any(station_state.glob("station-*.json"))


def test_doctor_says_when_two_servers_of_the_list_both_serve(old_and_new):
    old, new, _ = old_and_new
    done = subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", "doctor", "--server",
         f"{old.url},{new.url}"], capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout
    assert "generation 1" in done.stdout and "generation 2" in done.stdout


def test_a_stalled_replica_shows_on_health_and_the_floor_in_writes(tmp_path):
    db, replica = tmp_path / "hall.db", tmp_path / "replica"
    build_hall(db)
    token = register(db, "floor-1")
    server = Server(db, free_port(), extra=["--replica", str(replica)])
    server.start()
    hall = RemoteHall(server.url, token, retry_for=0.3)
    try:
        wait_until(lambda: (replica / "ltx").is_dir())
        clerk = hall.login("1001", PIN, "")
        hall.issue(clerk, "ID")
        wait_until(lambda: httpx.get(server.url + "/health").json()["replication"]["checked"])
        litestream = litestream_of(server)
        os.kill(litestream, signal.SIGSTOP)  # hung: running, shipping nothing, saying nothing
        try:
            for _ in range(5):
                hall.issue(clerk, "ID")
            # seen within 10 s, counted in writes
            health = wait_until(lambda: (h := httpx.get(server.url + "/health").json())[
                "replication"]["stalled"] and h, timeout=10)  # fmt: skip
            assert health["replication"]["lag_writes"] >= 5
            assert any("changes not on the replica" in w for w in health["warnings"])
            view = hall.hall_view()
            assert view.replication is not None and view.replication["lag_writes"] >= 5
        finally:
            os.kill(litestream, signal.SIGCONT)
        wait_until(lambda: not httpx.get(server.url + "/health").json()["replication"]["stalled"])
    finally:
        hall.close()
        server.stop()


def test_a_new_station_picks_the_standby_over_an_old_primary_serving_beside_it(
    old_and_new, tmp_path, monkeypatch
):
    old, new, token = old_and_new
    monkeypatch.setenv("QCONSOLE_STATE_DIR", str(tmp_path / "a-new-pc"))  # remembers nothing
    hall = RemoteHall(f"{old.url},{new.url}", token, retry_for=0.3)
    try:
        assert hall.url == new.url and hall.generation == 2
    finally:
        hall.close()


def test_the_gap_widens_by_the_changes_the_primary_said_the_replica_lacked(tmp_path):
    db = tmp_path / "hall.db"
    build_hall(db)
    hall = LocalHall(db)
    try:
        hall.issue(ADMIN, "ID")  # A001 is the replica's highest
        failover = hall.engine.record_failover(unreplicated=70)  # a stalled replica
        assert failover["gap"] == 50 + 70 and failover["generation"] == 2
        assert hall.issue(ADMIN, "ID").ticket.number == "A122"  # never one the primary gave
    finally:
        hall.close()
