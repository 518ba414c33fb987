"""The indexed calling policy gives exactly the order of its plain definition.

``reference`` is the policy written over the whole queue (directed first, then
low-position tickets at a low-position counter, then green tickets with their
queue-time credit merged into the tiers' order): easy to read, but it sorts the
whole queue. ``calling_order`` answers each rule from an index instead;
Hypothesis checks the two agree on random queues.
"""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.engine.policy import calling_order
from console.store import connect, migrate

CANDIDATES = (
    "SELECT t.*, cs.tier AS tier FROM tickets t LEFT JOIN counter_services cs"
    " ON cs.service_id = t.service_id AND cs.counter_id = 1"
    " WHERE t.status = 'waiting' AND t.day = :day AND ("
    "   t.directed_counter = :number OR (t.directed_counter IS NULL"
    "   AND cs.service_id IS NOT NULL AND (t.low_position = 0 OR :low)))"
)


def reference(conn, day, low, green, credit_s, limit):
    """Every candidate ticket, ordered by the policy's rules in plain Python."""
    rows = conn.execute(CANDIDATES, {"day": day, "number": 1, "low": low}).fetchall()
    by_time = lambda r: (r["queued_at"], r["id"])  # noqa: E731
    directed = sorted((r for r in rows if r["directed_counter"] == 1), key=by_time)
    rest = [r for r in rows if r["directed_counter"] is None]
    lows = sorted((r for r in rest if low and r["low_position"]), key=by_time)
    rest = [r for r in rest if r not in lows]
    greens = sorted((r for r in rest if green and r["green_reason"]), key=by_time)
    normals = sorted((r for r in rest if r not in greens), key=lambda r: (r["tier"], *by_time(r)))
    merged = []
    while greens or normals:
        if greens and (
            not normals
            or (greens[0]["queued_at"] - credit_s, greens[0]["id"]) <= by_time(normals[0])
        ):
            merged.append(greens.pop(0))
        else:
            merged.append(normals.pop(0))
    return (directed + lows + merged)[:limit]


tickets = st.lists(
    st.tuples(
        st.integers(1, 4),  # service
        st.booleans(),  # green
        st.booleans(),  # low position
        st.sampled_from([None, None, None, 1, 2]),  # directed to a counter
        st.integers(0, 50),  # queue time (ties on purpose)
        st.sampled_from(["waiting", "waiting", "waiting", "called", "done"]),
        st.sampled_from(["2026-11-26", "2026-11-26", "2026-11-25"]),
    ),
    min_size=4,
    max_size=40,
)
tiers = st.lists(st.lists(st.integers(1, 4), min_size=1, max_size=2), min_size=2, max_size=3)


def build(conn: sqlite3.Connection, rows, counter_tiers, low: bool) -> sqlite3.Row:
    conn.execute("BEGIN")
    for sid in range(1, 5):
        conn.execute(
            "INSERT INTO services (id, code, name_zh, name_en, prefix) VALUES (?, ?, ?, ?, ?)",
            (sid, f"S{sid}", "s", "s", "ABCD"[sid - 1]),
        )
    conn.execute(
        "INSERT INTO counters (id, number, name, low_position) VALUES (1, 1, 'c', ?)", (low,)
    )
    seen = set()
    for tier, services in enumerate(counter_tiers, start=1):
        for sid in services:
            if sid not in seen:
                seen.add(sid)
                conn.execute("INSERT INTO counter_services VALUES (1, ?, ?)", (sid, tier))
    for i, (sid, green, is_low, directed, queued, status, day) in enumerate(rows, start=1):
        conn.execute(
            "INSERT INTO tickets (day, prefix, seq, number, service_id, status, issued_at,"
            " queued_at, green_reason, low_position, directed_counter, counter_number)"
            " VALUES (?, 'A', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                day,
                i,
                f"A{i:03d}",
                sid,
                status,
                queued,
                queued,
                "elderly" if green else None,
                is_low,
                directed,
                i if status == "called" else None,
            ),
        )
    conn.execute("COMMIT")
    return conn.execute("SELECT * FROM counters WHERE id = 1").fetchone()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=tickets,
    counter_tiers=tiers,
    low=st.booleans(),
    green=st.booleans(),
    limit=st.integers(1, 12),
    credit_min=st.sampled_from([0, 0.25, 100]),
)
def test_indexed_policy_matches_its_definition(rows, counter_tiers, low, green, limit, credit_min):
    conn = connect(":memory:")
    migrate(conn)
    counter = build(conn, rows, counter_tiers, low)
    day = "2026-11-26"
    expected = reference(conn, day, low, green, credit_min * 60, limit)
    got = calling_order(
        conn, counter, day, {"green_credit_min": credit_min}, limit=limit, green=green
    )
    assert [r["id"] for r in got] == [r["id"] for r in expected]
