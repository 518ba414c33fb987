"""The calling policy: which waiting ticket a counter takes next. Written once, here.

For counter C, among today's waiting tickets C may serve:

1. **Directed tickets** — transferred to C itself — come first, oldest first.
2. **Green-channel tickets** (elderly, disabled, pregnant, sick, urgent) of any
   of C's services come next, oldest first. With the hall setting
   ``green_designated_only`` they jump the queue only at green-channel
   counters; elsewhere they queue by issue time like everyone else, so they are
   never stranded.
3. **Everyone else** by the counter's service order: services are in tiers
   (``counters add 1 --services ID+PP,RES`` puts ID and PP in tier 1, RES in
   tier 2); a lower tier is emptied first, and within a tier the oldest ticket
   (by queue time, which a transfer keeps) goes first.

Anti-starvation: after ``green_streak_limit`` green-channel calls in a row at a
counter (default 3), its next call skips rule 2 if anyone else is waiting, so
a steady stream of priority cases cannot stop the normal queue.

Which tickets C may serve: those directed to C, and undirected tickets of C's
services; a ticket needing the low-position counter (wheelchair) only at a
low-position counter.
"""

from __future__ import annotations

import sqlite3

from console.engine.core import TICKET_SELECT

_ELIGIBLE = """
    t.status = 'waiting' AND t.day = :day AND (
        t.directed_counter = :number
        OR (t.directed_counter IS NULL
            AND cs.service_id IS NOT NULL
            AND (t.low_position = 0 OR :low_position))
    )
"""

_ORDER = """
    CASE
        WHEN t.directed_counter = :number THEN 0
        WHEN :green_first AND t.green_reason IS NOT NULL THEN 1
        ELSE 2
    END,
    CASE
        WHEN t.directed_counter = :number THEN 0
        WHEN :green_first AND t.green_reason IS NOT NULL THEN 0
        ELSE cs.tier
    END,
    t.queued_at, t.id
"""


def green_first(counter: sqlite3.Row, settings: dict) -> bool:
    """Whether rule 2 applies to this counter's next call."""
    if settings["green_designated_only"] and not counter["green_channel"]:
        return False
    return counter["green_streak"] < settings["green_streak_limit"]


def calling_order(
    conn: sqlite3.Connection,
    counter: sqlite3.Row,
    day: str,
    settings: dict,
    limit: int = 1,
    green: bool | None = None,
) -> list[sqlite3.Row]:
    """The next ``limit`` tickets counter ``counter`` would call, in order."""
    params = {
        "number": counter["number"],
        "counter_id": counter["id"],
        "day": day,
        "low_position": counter["low_position"],
        "green_first": green_first(counter, settings) if green is None else green,
        "limit": limit,
    }
    sql = (
        TICKET_SELECT + " LEFT JOIN counter_services cs ON cs.service_id = t.service_id"
        " AND cs.counter_id = :counter_id"
        f" WHERE {_ELIGIBLE} ORDER BY {_ORDER} LIMIT :limit"
    )
    return conn.execute(sql, params).fetchall()


def next_ticket(
    conn: sqlite3.Connection, counter: sqlite3.Row, day: str, settings: dict
) -> sqlite3.Row | None:
    """The ticket call-next takes, with the anti-starvation rule applied."""
    rows = calling_order(conn, counter, day, settings)
    return rows[0] if rows else None
