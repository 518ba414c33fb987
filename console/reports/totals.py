"""Ended days' totals, kept once: the comparison columns and the daily summary read a row.

The engine keeps them at the day change (the first write of a service day, inside its
write transaction), for the ended days of the last :data:`KEPT_DAYS` that have tickets and
no current totals: on an ordinary morning that is yesterday alone. A day whose tickets
change afterwards has its row marked stale (a trigger of migration 0018) and is counted
from its tickets until the next day change keeps it again (not at once: counting a day
is no cost to add to whatever write comes next); so is a day older than the window, or
one whose tickets were loaded by other means. A kept row is exactly what counting the
day's tickets gave at that moment (:func:`console.reports.report.count_day`), with the
targets then in force.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

from console.reports.dates import DayRange
from console.reports.report import count_day, kept_day

KEPT_DAYS = 9
"""How far back the day change keeps totals: a report on yesterday compares it with the
day before and with the same weekday a week before, eight days back from today."""


def keep_ended_days(conn: sqlite3.Connection, today: str) -> list[str]:
    """Keep the totals of the ended days of the last :data:`KEPT_DAYS` that have tickets
    and no current totals, in the caller's write transaction; returns those days. Once the
    last day that had tickets has a row, stale or not, its day change is past and that is
    all it reads: one row of each of two indexes."""
    last = conn.execute("SELECT max(day) FROM tickets WHERE day < ?", (today,)).fetchone()[0]
    if last is None or conn.execute("SELECT 1 FROM day_totals WHERE day = ?", (last,)).fetchone():
        return []
    kept = []
    first = date.fromisoformat(today) - timedelta(days=KEPT_DAYS)
    for day in DayRange(first.isoformat(), last).days():
        if (
            kept_day(conn, day) is None
            and conn.execute("SELECT 1 FROM tickets WHERE day = ? LIMIT 1", (day,)).fetchone()
        ):
            conn.execute(
                "INSERT OR REPLACE INTO day_totals (day, figures) VALUES (?, ?)",
                (day, json.dumps(count_day(conn, day), ensure_ascii=False)),
            )
            kept.append(day)
    return kept
