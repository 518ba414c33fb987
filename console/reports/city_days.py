"""Ended days' totals per service, as the hall gives them to its city.

Each day's figures are the ones kept at the day change (``day_totals``, migration 0018;
:mod:`console.reports.totals`), whose ``city`` part holds each service's whole figures
(histograms of whole seconds, so the city adds halls and days and gets the same
percentiles as a report over them) and its tickets issued in a night session. A day kept
before the city part existed, or changed since, is counted from its tickets, as the
report does. Only ended days: today's figures are still moving (the snapshot has them).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from console.domain.errors import BadInput
from console.reports.dates import DayRange
from console.reports.report import count_day, kept_day

MAX_DAYS = 92
"""The longest range one request may ask for (a quarter); the city asks day by day."""


def ended_days(conn: sqlite3.Connection, days: DayRange, today: str) -> dict[str, Any]:
    """``{"from", "to", "days": [{"day", "kept", "services": {code: {"figures",
    "night_issued"}}}]}`` for every day of ``days``, which must have ended before ``today``."""
    if days.last >= today:
        raise BadInput(reason="city.day_not_ended", day=days.last, last=_before(today))
    listed = list(days.days())
    if len(listed) > MAX_DAYS:
        raise BadInput(reason="days.too_many", max=MAX_DAYS, count=len(listed))
    out = []
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # one snapshot for the whole answer
    try:
        for day in listed:
            kept = kept_day(conn, day)
            figures = kept if kept is not None and "city" in kept else count_day(conn, day)
            out.append({"day": day, "kept": figures is kept, "services": figures["city"]})
    finally:
        if own and conn.in_transaction:
            conn.execute("COMMIT")
    return {"from": days.first, "to": days.last, "days": out}


def _before(today: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(today) - timedelta(days=1)).isoformat()
