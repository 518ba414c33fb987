"""The indexed calling policy gives exactly the order of its one-query definition.

``REFERENCE`` is the policy written as a single ORDER BY (directed first, then
green channel, then tier, then queue time): easy to read, but it sorts the whole
queue. ``calling_order`` answers each rule from an index instead; Hypothesis
checks the two agree on random queues.
"""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.engine.core import TICKET_SELECT
from console.engine.policy import calling_order
from console.store import connect, migrate

REFERENCE = (
    TICKET_SELECT + " LEFT JOIN counter_services cs ON cs.service_id = t.service_id"
    " AND cs.counter_id = :counter_id"
    " WHERE t.status = 'waiting' AND t.day = :day AND ("
    "   t.directed_counter = :number OR (t.directed_counter IS NULL"
    "   AND cs.service_id IS NOT NULL AND (t.low_position = 0 OR :low)))"
    " ORDER BY"
    "   CASE WHEN t.directed_counter = :number THEN 0"
    "        WHEN :green AND t.green_reason IS NOT NULL THEN 1 ELSE 2 END,"
    "   CASE WHEN t.directed_counter = :number THEN 0"
    "        WHEN :green AND t.green_reason IS NOT NULL THEN 0 ELSE cs.tier END,"
    "   t.queued_at, t.id LIMIT :limit"
)

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
)
def test_indexed_policy_matches_its_definition(rows, counter_tiers, low, green, limit):
    conn = connect(":memory:")
    migrate(conn)
    counter = build(conn, rows, counter_tiers, low)
    day = "2026-11-26"
    expected = conn.execute(
        REFERENCE,
        {"counter_id": 1, "number": 1, "day": day, "low": low, "green": green, "limit": limit},
    ).fetchall()
    got = calling_order(conn, counter, day, {}, limit=limit, green=green)
    assert [r["id"] for r in got] == [r["id"] for r in expected]
