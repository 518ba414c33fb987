"""Opening hours: whether a session is open now, and when the next one opens.

A daily session runs on its ISO weekdays; an extra session (a night session for
the ID-card renewal peak, say) runs on its one date. A hall with no sessions
configured is always open, so a new hall can issue tickets before its hours
are set.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta

from console.domain.errors import BadInput

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def check_hhmm(value: str, what: str) -> str:
    if not _HHMM.match(value or ""):
        raise BadInput(reason="session.bad_time", what=what, value=repr(value))
    return value


def _runs_on(row: sqlite3.Row, when: datetime) -> bool:
    if row["date"]:
        return row["date"] == when.date().isoformat()
    return str(when.isoweekday()) in row["weekdays"]


def _sessions(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM sessions WHERE active = 1 ORDER BY opens").fetchall()


def open_session(conn: sqlite3.Connection, when: datetime) -> tuple[bool, int | None]:
    """(open?, id of the session open at ``when``); (True, None) when no hours are set."""
    rows = _sessions(conn)
    if not rows:
        return True, None
    hhmm = when.strftime("%H:%M")
    # An extra session on this date wins over the daily one, so reports split by it.
    for row in sorted(rows, key=lambda r: r["date"] is None):
        if _runs_on(row, when) and row["opens"] <= hhmm < row["closes"]:
            return True, row["id"]
    return False, None


def next_opening(conn: sqlite3.Connection, when: datetime) -> str | None:
    """'YYYY-MM-DD HH:MM name' of the next session to open within a week, or None."""
    rows = _sessions(conn)
    hhmm = when.strftime("%H:%M")
    for offset in range(8):
        day = when + timedelta(days=offset)
        starts = sorted(
            (r["opens"], r["name"])
            for r in rows
            if _runs_on(r, day) and (offset > 0 or r["opens"] > hhmm)
        )
        if starts:
            return f"{day.date().isoformat()} {starts[0][0]} {starts[0][1]}"
    return None
