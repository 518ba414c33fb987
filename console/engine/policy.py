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
    """The next ``limit`` tickets counter ``counter`` would call, in order.

    Each rule is its own query that an index answers in queue order (directed:
    ``tickets_directed``; green: ``tickets_green_waiting``; each service of a
    tier: ``tickets_waiting``), so the cost does not grow with the queue.
    """
    picked: list[sqlite3.Row] = []
    seen: set[int] = set()

    def take(rows: list[sqlite3.Row]) -> None:
        for row in rows:
            if row["id"] not in seen and len(picked) < limit:
                seen.add(row["id"])
                picked.append(row)

    # The unary '+' keeps SQLite off the other indexes (day, service, directed) so that each
    # rule reads its own partial index in queue order, without a sort and without reading
    # every waiting ticket to find the few green-channel ones.
    base = TICKET_SELECT + " WHERE t.status = 'waiting' AND +t.day = ?"
    take(
        conn.execute(
            base + " AND t.directed_counter = ? ORDER BY t.queued_at, t.id LIMIT ?",
            (day, counter["number"], limit),
        ).fetchall()
    )
    tiers: dict[int, list[int]] = {}
    for row in conn.execute(
        "SELECT service_id, tier FROM counter_services WHERE counter_id = ? ORDER BY tier",
        (counter["id"],),
    ):
        tiers.setdefault(row["tier"], []).append(row["service_id"])
    everyone = [sid for ids in tiers.values() for sid in ids]
    undirected = " AND +t.directed_counter IS NULL AND (t.low_position = 0 OR ?)"
    low = counter["low_position"]
    if (
        len(picked) < limit
        and everyone
        and (green_first(counter, settings) if green is None else green)
    ):
        marks = ",".join("?" * len(everyone))
        take(
            conn.execute(
                base
                + " AND t.green_reason IS NOT NULL"
                + undirected
                + f" AND +t.service_id IN ({marks}) ORDER BY t.queued_at, t.id LIMIT ?",
                (day, low, *everyone, limit),
            ).fetchall()
        )
    for _, services in sorted(tiers.items()):
        if len(picked) >= limit:
            break
        rows = [
            row
            for sid in services
            for row in conn.execute(
                base + undirected + " AND t.service_id = ? ORDER BY t.queued_at, t.id LIMIT ?",
                (day, low, sid, limit),
            )
        ]
        take(sorted(rows, key=lambda r: (r["queued_at"], r["id"])))
    return picked


def next_ticket(
    conn: sqlite3.Connection, counter: sqlite3.Row, day: str, settings: dict
) -> sqlite3.Row | None:
    """The ticket call-next takes, with the anti-starvation rule applied."""
    rows = calling_order(conn, counter, day, settings)
    return rows[0] if rows else None
