"""The estimated wait printed on a ticket.

``estimate = ceil(ahead × h ÷ n)`` minutes, where

* ``ahead`` — tickets of the same service that will be called before this one
  (for a green-channel ticket, only the green-channel tickets ahead of it);
* ``h`` — the median handling time of the service's last ``estimate_sample``
  finished tickets over the past 7 days, or the service's configured typical
  handling time when fewer than 3 exist (a new hall, a new service);
* ``n`` — counters serving the service that are open or paused now, or, when
  none is, the active counters assigned to it (the hall is about to open);
  at least 1.

The median, not the mean, so one 40-minute case does not inflate every estimate.
"""

from __future__ import annotations

import math
import sqlite3
import statistics


def handling_seconds(conn: sqlite3.Connection, service_id: int, now: float, sample: int) -> float:
    rows = conn.execute(
        "SELECT finished_at - served_at - parked_s AS h FROM tickets"
        " WHERE service_id = ? AND status = 'done' AND served_at IS NOT NULL"
        " AND finished_at > ? ORDER BY finished_at DESC LIMIT ?",
        (service_id, now - 7 * 86400, sample),
    ).fetchall()
    if len(rows) >= 3:
        return float(statistics.median(r["h"] for r in rows))
    row = conn.execute("SELECT handling_min FROM services WHERE id = ?", (service_id,)).fetchone()
    return float(row["handling_min"]) * 60


def counters_for(conn: sqlite3.Connection, service_id: int) -> int:
    open_now = conn.execute(
        "SELECT count(*) FROM counters c JOIN counter_services cs ON cs.counter_id = c.id"
        " WHERE cs.service_id = ? AND c.state IN ('open', 'paused') AND c.active = 1",
        (service_id,),
    ).fetchone()[0]
    if open_now:
        return int(open_now)
    assigned = conn.execute(
        "SELECT count(*) FROM counters c JOIN counter_services cs ON cs.counter_id = c.id"
        " WHERE cs.service_id = ? AND c.active = 1",
        (service_id,),
    ).fetchone()[0]
    return max(1, int(assigned))


def ahead_of(conn: sqlite3.Connection, ticket: sqlite3.Row) -> int:
    green_only = " AND green_reason IS NOT NULL" if ticket["green_reason"] else ""
    return int(
        conn.execute(
            "SELECT count(*) FROM tickets WHERE status = 'waiting' AND day = ?"
            " AND service_id = ? AND queued_at <= ? AND id != ?" + green_only,
            (ticket["day"], ticket["service_id"], ticket["queued_at"], ticket["id"]),
        ).fetchone()[0]
    )


def estimate_minutes(ahead: int, handling_s: float, counters: int) -> int:
    return math.ceil(ahead * handling_s / max(1, counters) / 60)
