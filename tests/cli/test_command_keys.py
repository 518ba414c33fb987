"""Idempotency keys from the shell: a retry replays, anything else with the key does not."""

from __future__ import annotations

import time

from console.domain import Actor
from console.engine import FixedClock
from console.engine.commands import KEEP_S, PRUNE_BATCH, PRUNE_SQL
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
        for n in range(PRUNE_BATCH + 3):  # a busy day's keys, then a quiet night
            hall.issue(admin, "ID", key=f"old-key-{n:04}")
        clock.advance(KEEP_S + 60)
        hall.issue(admin, "ID", key="new-key-0001")  # drains one batch
        hall.issue(admin, "ID", key="new-key-0002")  # and the rest
        keys = [r[0] for r in hall.engine.conn.execute("SELECT key FROM commands ORDER BY key")]
        assert keys == ["new-key-0001", "new-key-0002"]
        plan = " ".join(
            str(tuple(r))
            for r in hall.engine.conn.execute("EXPLAIN QUERY PLAN " + PRUNE_SQL, (0.0, 1))
        )
        assert "INDEX commands_at" in plan, plan
    finally:
        hall.close()
