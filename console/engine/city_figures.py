"""What a hall tells its city: the live figures a city office and a citizen choosing a hall
need, and nothing personal.

Read from the same kept figures as the floor view (``day_services``, ``day_matters``, the
hall view's counters and sessions), with an estimate for a new ticket per service and per
matter issued today, and the floor's alerts stripped of ticket numbers and free text. No
name, staff or ID number, note, phone or ticket code leaves here: a service or matter is
named by its code and catalogue names, a counter by its number.

Today's called tickets within target and ratings are not kept per service (the report
counts them from the tickets), so :func:`today_totals` counts them in one pass of the
day's index; the hall server makes a snapshot at most every 0.5 s (``console.server.city``).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from console.alerts import hall_alerts
from console.engine import estimate
from console.engine.sessions import is_night, open_session, sessions_on

STATES = ("open", "night", "closed")
"""``night``: open in a night session (夜间专场)."""
ALERT_FIELDS = ("kind", "since", "minutes", "counter", "service", "count")
"""What the city sees of an alert: never its ticket or its detail (a pause reason, a
printer's words)."""


def today_totals(conn: sqlite3.Connection, day: str) -> dict[str, dict[str, Any]]:
    """Per service code: called, called within target, rated and the sum of ratings today,
    with the report's definitions (:mod:`console.reports.report`)."""
    rows = conn.execute(
        "SELECT s.code, count(t.called_at),"
        " total(t.called_at IS NOT NULL AND max(0, t.called_at - t.issued_at)"
        "       <= coalesce(m.target_wait_min, s.target_wait_min) * 60),"
        " count(CASE WHEN t.status = 'done' THEN t.rating END),"
        " total(CASE WHEN t.status = 'done' THEN t.rating END)"
        " FROM tickets t JOIN services s ON s.id = t.service_id"
        " LEFT JOIN matters m ON m.id = t.matter_id WHERE t.day = ? GROUP BY s.code",
        (day,),
    )
    return {
        code: {"called": called, "within_target": int(within), "rated": rated,
               "rating_sum": int(rating_sum)}
        for code, called, within, rated, rating_sum in rows
    }  # fmt: skip


def snapshot(hall: Any) -> dict[str, Any]:
    """The hall now, for the city (JSON-ready). ``hall`` is a ``LocalHall``."""
    engine = hall.engine
    conn = engine.conn
    view = hall.hall_view(recent=0)
    figures = hall.floor_figures()
    settings = engine.settings()
    now = view.now
    local = engine.clock.local(now)
    is_open, session_id = open_session(conn, local)
    today = sessions_on(conn, local)
    current = next((r for r in today if r["id"] == session_id), None)
    state = "closed" if not is_open else "night" if current and is_night(current["opens"]) \
        else "open"  # fmt: skip
    totals = today_totals(conn, view.day)
    ids = dict(conn.execute("SELECT code, id FROM services"))
    memo: dict = {}

    def new_ticket(service_id: int, matter_id: int | None = None) -> int | None:
        ticket = {"id": 0, "day": view.day, "service_id": service_id, "low_position": 0,
                  "green_reason": None, "queued_at": now, "matter_id": matter_id}  # fmt: skip
        return estimate.estimate(conn, ticket, now, settings, memo).minutes

    services = []
    for s in view.services:
        counted = totals.get(s.code, {})
        rated = counted.get("rated", 0)
        services.append({
            "code": s.code, "name_zh": s.name_zh, "name_en": s.name_en,
            "waiting": s.waiting, "green_waiting": s.green_waiting,
            "longest_wait_s": round(s.longest_wait_s, 1), "target_wait_min": s.target_wait_min,
            "estimated_wait_min": new_ticket(ids[s.code]) if is_open else None,
            "counters_open": s.counters_open, "issued": s.issued_today,
            "served": _served(conn, view.day, ids[s.code]),
            "called": counted.get("called", 0), "within_target": counted.get("within_target", 0),
            "rated": rated,
            "rating_avg": round(counted["rating_sum"] / rated, 2) if rated else None,
        })  # fmt: skip
    matter_ids = dict(conn.execute("SELECT code, id FROM matters")) if view.matters else {}
    matters = [
        {"code": m.code, "service": m.service, "department": m.department,
         "waiting": m.waiting, "longest_wait_s": round(m.longest_wait_s, 1),
         "target_wait_min": m.target_wait_min, "issued": m.issued_today,
         "estimated_wait_min": new_ticket(ids[m.service], matter_ids.get(m.code))
         if is_open and m.service in ids else None}
        for m in view.matters
    ]  # fmt: skip
    counters_open = sum(
        1 for c in view.counters if c.counter.active and c.counter.state != "closed"
    )
    sessions = [
        {
            "name": r["name"],
            "opens": r["opens"],
            "closes": r["closes"],
            "night": is_night(r["opens"]),
        }
        for r in today
        if not r["closed"]
    ]
    alerts = hall_alerts(view, now, paused_alert_min=float(settings.get("paused_alert_min", 15)),
                         last_finished=figures["last_finished"])  # fmt: skip
    return {
        "hall": str(settings["hall_name"]),
        "now": now,
        "day": view.day,
        "as_of_event": view.as_of_event,
        "catalogue_event": view.catalogue_event,
        "state": state,
        "session": current["name"] if current else None,
        "next_opens": view.next_session_opens,
        "closed_for": view.closed_for,
        "sessions_today": sessions,
        "counters_open": counters_open,
        "services": services,
        "matters": matters,
        "alerts": [{f: getattr(a, f) for f in ALERT_FIELDS} for a in alerts],
    }


def _served(conn: sqlite3.Connection, day: str, service_id: int) -> int:
    row = conn.execute(
        "SELECT served FROM day_services WHERE day = ? AND service_id = ?", (day, service_id)
    ).fetchone()
    return row[0] if row else 0


def catalogue(conn: sqlite3.Connection) -> dict[str, Any]:
    """The services and active matters a citizen may come for, with their names: what the
    city's "where to go now" finds a hall by."""
    services = [
        {"code": r[0], "name_zh": r[1], "name_en": r[2], "target_wait_min": r[3]}
        for r in conn.execute(
            "SELECT code, name_zh, name_en, target_wait_min FROM services WHERE active = 1"
            " ORDER BY code"
        )
    ]
    matters = [
        {"code": r[0], "name_zh": r[1], "name_en": r[2], "service": r[3], "department": r[4],
         "target_wait_min": r[5]}
        for r in conn.execute(
            "SELECT m.code, m.name_zh, m.name_en, s.code, d.code, m.target_wait_min"
            " FROM matters m JOIN services s ON s.id = m.service_id"
            " JOIN departments d ON d.id = m.department_id"
            " WHERE m.active = 1 AND s.active = 1 ORDER BY m.code"
        )
    ]  # fmt: skip
    return {"services": services, "matters": matters}
