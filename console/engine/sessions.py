"""Opening hours: whether a session is open now, and when the next one opens.

A daily session runs on its ISO weekdays, following the official calendar
(``console.engine.calendar``): not on a statutory holiday, and on a make-up working day
(a weekend day worked in lieu) as on a Monday, the working week's first day. An extra
session (a night session for the ID-card renewal peak, or the hall's own opening on a
holiday) runs on its one date whatever the calendar says: the hall's exceptions lie on
top of the official days. A year the installed calendar does not know keeps the weekday
rule. A closed day (``sessions add 元旦 --date 2027-01-01 --closed``) closes the hall that
whole day, whatever else would run: how an admin adds a holiday the installed calendar
does not know yet, or a day the hall shuts for its own reasons. A hall with no sessions
configured is always open, so a new hall can issue tickets before its hours are set.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime, timedelta

from console.domain.errors import BadInput
from console.engine.calendar import official_day, unknown_year

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
NIGHT_FROM = "17:00"
"""A session opening at or after this hour is a night session (夜间专场): the city's view
marks a hall open in one, and its reports give each service's share of night tickets."""


def is_night(opens: str) -> bool:
    return opens >= NIGHT_FROM


def check_hhmm(value: str, what: str) -> str:
    if not _HHMM.match(value or ""):
        raise BadInput(reason="session.bad_time", what=what, value=repr(value))
    return value


def _runs_on(row: sqlite3.Row, when: datetime) -> bool:
    if row["closed"]:
        return False
    if row["date"]:
        return row["date"] == when.date().isoformat()
    official = official_day(when.date())
    if official.kind == "holiday":
        return False
    weekday = 1 if official.kind == "workday" else when.isoweekday()
    return str(weekday) in row["weekdays"]


def _sessions(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM sessions WHERE active = 1 ORDER BY opens").fetchall()


def _closed_day(rows: list[sqlite3.Row], when: datetime) -> sqlite3.Row | None:
    """The hall's own closure of ``when``'s date, if it has one."""
    day = when.date().isoformat()
    return next((r for r in rows if r["closed"] and r["date"] == day), None)


def open_session(conn: sqlite3.Connection, when: datetime) -> tuple[bool, int | None]:
    """(open?, id of the session open at ``when``); (True, None) when no hours are set."""
    rows = _sessions(conn)
    if _closed_day(rows, when) is not None:
        return False, None
    if not any(not r["closed"] for r in rows):
        return True, None
    hhmm = when.strftime("%H:%M")
    # An extra session on this date wins over the daily one, so reports split by it.
    for row in sorted(rows, key=lambda r: r["date"] is None):
        if _runs_on(row, when) and row["opens"] <= hhmm < row["closes"]:
            return True, row["id"]
    return False, None


def sessions_on(conn: sqlite3.Connection, when: datetime) -> list[sqlite3.Row]:
    """The sessions that run on ``when``'s date, by opening time (none on a closed day)."""
    rows = _sessions(conn)
    if _closed_day(rows, when) is not None:
        return []
    return [r for r in rows if _runs_on(r, when)]


def next_opening(conn: sqlite3.Connection, when: datetime) -> str | None:
    """'YYYY-MM-DD HH:MM name' of the next session to open within two weeks (a holiday
    runs up to nine days), or None."""
    rows = _sessions(conn)
    hhmm = when.strftime("%H:%M")
    for offset in range(15):
        day = when + timedelta(days=offset)
        starts = sorted(
            (r["opens"], r["name"])
            for r in rows
            if _runs_on(r, day) and (offset > 0 or r["opens"] > hhmm)
        )
        if _closed_day(rows, day) is not None:
            continue
        if starts:
            return f"{day.date().isoformat()} {starts[0][0]} {starts[0][1]}"
    return None


def closed_for_holiday(conn: sqlite3.Connection, when: datetime) -> tuple[str, str] | None:
    """(Chinese, English) name of the day that closes the hall all day at ``when``: the
    hall's own closed day (its one name), or a statutory holiday (National Day, 国庆节: its
    official name beside the English); None on a holiday the hall has a session (its own
    exception), or in a hall without hours."""
    rows = _sessions(conn)
    closure = _closed_day(rows, when)
    if closure is not None:
        return closure["name"], closure["name"]
    official = official_day(when.date())
    hours = [r for r in rows if not r["closed"]]
    if not hours or official.kind != "holiday" or any(_runs_on(r, when) for r in hours):
        return None
    return official.name_zh or "", f"{official.name_en}, {official.name_zh}"


def calendar_missing(conn: sqlite3.Connection, today: date) -> int | None:
    """The year the hall needs now or soon whose official days neither this install nor
    the admin has given: a closed day added by hand in that year counts as given."""
    year = unknown_year(today)
    if year is None:
        return None
    given = conn.execute(
        "SELECT 1 FROM sessions WHERE active = 1 AND closed = 1 AND date LIKE ?", (f"{year}-%",)
    ).fetchone()
    return None if given else year
