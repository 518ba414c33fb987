"""One report across the city's halls, from the ended days' totals the city holds.

Per hall and service: issued, served, mean and p90 wait, within target, ratings and the
share of tickets issued in a night session; each hall's total, each service's across the
halls and the city's. Every figure comes from the halls' own ended-day figures (their
histograms of whole seconds, added), with the definitions of the hall's report
(:mod:`console.reports.report`): a hall's line equals that hall's ``qconsole report`` for
the same days. A day a hall's totals are missing for (it was unreachable since) is listed
in ``missing``, not guessed. A one-day report compares with the day before and the same
weekday a week before, a range with the range of the same length just before it, as the
hall's report does.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from typing import Any

from console.city.store import city_name
from console.reports.dates import DayRange
from console.reports.report import GOAL_WITHIN_TARGET_PCT, PERCENTILE_METHOD, Figures


class Group:
    """The figures of some tickets, with those issued in a night session."""

    def __init__(self) -> None:
        self.figures = Figures()
        self.night = 0

    def add(self, service: dict[str, Any]) -> None:
        self.figures.merge(Figures.load(service["figures"]))
        self.night += int(service.get("night_issued", 0))

    def merge(self, other: Group) -> None:
        self.figures.merge(other.figures)
        self.night += other.night

    def summary(self) -> dict[str, Any]:
        f = self.figures.to_dict()
        waits = self.figures.waits
        called = sum(waits.values())
        issued = f["issued"]
        return {
            "issued": issued,
            "served": f["served"],
            "called": f["called"],
            "no_show": f["no_show"],
            "wait_mean_s": round(sum(s * n for s, n in waits.items()) / called) if called else None,
            "wait_p50_s": f["wait_p50_s"],
            "wait_p90_s": f["wait_p90_s"],
            "within_target": f["within_target"],
            "within_target_pct": f["within_target_pct"],
            "rated": f["rated"],
            "rating_avg": f["rating_avg"],
            "ratings": f["ratings"],
            "night_issued": self.night,
            "night_share_pct": round(100 * self.night / issued, 1) if issued else None,
        }


def _names(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    names: dict[str, dict[str, Any]] = {}
    for (text,) in conn.execute("SELECT catalogue FROM hall_now WHERE catalogue IS NOT NULL"):
        for s in json.loads(text)["services"]:
            names.setdefault(s["code"], s)
    return names


def _held(conn: sqlite3.Connection, days: DayRange) -> dict[str, dict[str, dict]]:
    """{hall: {day: services}} of the ended days the city holds in ``days``."""
    out: dict[str, dict[str, dict]] = {}
    for hall, day, services in conn.execute(
        "SELECT hall, day, services FROM hall_days WHERE ended = 1 AND day BETWEEN ? AND ?",
        (days.first, days.last),
    ):
        out.setdefault(hall, {})[day] = json.loads(services)
    return out


def _total(conn: sqlite3.Connection, days: DayRange) -> dict[str, Any]:
    total = Group()
    held = _held(conn, days)
    for by_day in held.values():
        for services in by_day.values():
            for service in services.values():
                total.add(service)
    return {"from": days.first, "to": days.last, "halls": len(held), **total.summary()}


def compare(conn: sqlite3.Connection, days: DayRange) -> dict[str, Any]:
    first, last = date.fromisoformat(days.first), date.fromisoformat(days.last)
    if days.single:
        before, week = first - timedelta(days=1), first - timedelta(days=7)
        return {
            "previous_day": _total(conn, DayRange(before.isoformat(), before.isoformat())),
            "last_week": _total(conn, DayRange(week.isoformat(), week.isoformat())),
        }
    length = (last - first).days + 1
    start = first - timedelta(days=length)
    end = first - timedelta(days=1)
    return {"previous_period": _total(conn, DayRange(start.isoformat(), end.isoformat()))}


def compute(conn: sqlite3.Connection, days: DayRange) -> dict[str, Any]:
    """Every figure of the city's report for ``days``, JSON-ready."""
    conn.execute("BEGIN")  # one snapshot for the whole report
    try:
        city = city_name(conn)
        names = _names(conn)
        listed = conn.execute(
            "SELECT key, name, district FROM halls WHERE listed OR key IN"
            " (SELECT hall FROM hall_days WHERE ended = 1 AND day BETWEEN ? AND ?) ORDER BY key",
            (days.first, days.last),
        ).fetchall()
        held = _held(conn, days)
        comparison = compare(conn, days)
    finally:
        conn.execute("COMMIT")
    wanted = days.days()
    city_total, by_service = Group(), {}
    halls_out, missing = [], []
    for key, name, district in listed:
        by_day = held.get(key, {})
        missing += [{"hall": key, "day": d} for d in wanted if d not in by_day]
        mine: dict[str, Group] = {}
        for services in by_day.values():
            for code, service in services.items():
                mine.setdefault(code, Group()).add(service)
        hall_total = Group()
        rows = []
        for code in sorted(mine):
            group = mine[code]
            hall_total.merge(group)
            by_service.setdefault(code, Group()).merge(group)
            rows.append({**_service(names, code), **group.summary()})
        city_total.merge(hall_total)
        halls_out.append(
            {
                "hall": key,
                "name": name,
                "district": district,
                "days_held": len(by_day),
                "total": hall_total.summary(),
                "services": rows,
            }
        )
    return {
        "city": city,
        "from": days.first,
        "to": days.last,
        "percentile_method": PERCENTILE_METHOD,
        "goal_within_target_pct": GOAL_WITHIN_TARGET_PCT,
        "total": city_total.summary(),
        "compare": comparison,
        "by_service": [
            {**_service(names, c), **by_service[c].summary()} for c in sorted(by_service)
        ],
        "halls": halls_out,
        "missing": missing,
    }


def _service(names: dict[str, dict[str, Any]], code: str) -> dict[str, Any]:
    s = names.get(code, {})
    return {"code": code, "name_zh": s.get("name_zh", code), "name_en": s.get("name_en", code)}
