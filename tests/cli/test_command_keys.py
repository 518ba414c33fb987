"""Idempotency keys from the shell: a retry replays, anything else with the key does not."""

from __future__ import annotations

import sqlite3
import time

from console.domain import Actor
from console.engine import FixedClock
from console.engine.commands import KEEP_S
from console.local import LocalHall


def test_a_reused_key_with_other_arguments_is_bad_input(qc_hall):
    qc = qc_hall
    qc("services", "add", "PP", "--zh", "护照", "--en", "Passport", "--prefix", "B")
    first = qc("tickets", "issue", "ID", "--key", "reception-1-0001", "--json")
    assert first.exit_code == 0
    again = qc("tickets", "issue", "PP", "--key", "reception-1-0001")
    assert again.exit_code == 2
    assert again.stderr.count("\n") == 1 and "other arguments" in again.stderr
    assert len(qc("tickets", "list", "--json").json) == 1


def test_keys_are_scoped_by_station(qc_hall, monkeypatch):
    qc = qc_hall
    monkeypatch.setenv("QCONSOLE_STATION", "reception-1")
    a = qc("tickets", "issue", "ID", "--key", "shared-key-1", "--json").json
    monkeypatch.setenv("QCONSOLE_STATION", "reception-2")
    b = qc("tickets", "issue", "ID", "--key", "shared-key-1", "--json").json
    assert a["ticket"]["number"] != b["ticket"]["number"]
    assert len(qc("tickets", "list", "--json").json) == 2


def test_keys_older_than_a_day_are_pruned_by_an_index(qc_hall):
    clock = FixedClock(time.time())
    hall = LocalHall(qc_hall.db, clock=clock)
    admin = Actor(staff_no="cli", role="admin", station="test", name="admin")
    try:
        hall.issue(admin, "ID", key="old-key-0001")
        clock.advance(KEEP_S + 60)
        hall.issue(admin, "ID", key="new-key-0001")
        keys = [r[0] for r in hall.engine.conn.execute("SELECT key FROM commands")]
        assert keys == ["new-key-0001"]
        plan = " ".join(
            str(tuple(r))
            for r in hall.engine.conn.execute(
                "EXPLAIN QUERY PLAN DELETE FROM commands WHERE at < ?", (0.0,)
            )
        )
        assert "USING COVERING INDEX commands_at" in plan or "USING INDEX commands_at" in plan
    finally:
        hall.close()
    assert sqlite3.connect(qc_hall.db).execute("SELECT count(*) FROM commands").fetchone()[0] == 1
