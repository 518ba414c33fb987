"""What the city shows, read from its own database: every hall now, and "where to go now".

A hall's figures are the last the city read (``seen_at``, the city's clock). While its link
is up, a longest wait is carried forward to now (the hall's queue keeps ageing between
reads); a hall cut off keeps its figures as they were read, marked unreachable with their
time, and is never offered as "open now" on the public page.
"""

from __future__ import annotations

import json
import math
import sqlite3
from typing import Any

OPEN_STATES = ("open", "night")


def halls(conn: sqlite3.Connection, now: float) -> list[dict[str, Any]]:
    """Every hall listed in city.toml, in its order of keys, with its latest figures."""
    rows = conn.execute(
        "SELECT h.*, n.snapshot, n.seen_at, n.reachable, n.link_since, n.problem FROM halls h"
        " LEFT JOIN hall_now n ON n.hall = h.key WHERE h.listed ORDER BY h.key"
    ).fetchall()
    return [_hall(r, now) for r in rows]


def hall(conn: sqlite3.Connection, key: str, now: float) -> dict[str, Any] | None:
    return next((h for h in halls(conn, now) if h["key"] == key), None)


def _hall(r: sqlite3.Row, now: float) -> dict[str, Any]:
    snap = json.loads(r["snapshot"]) if r["snapshot"] else None
    reachable = bool(r["reachable"])
    out: dict[str, Any] = {
        "key": r["key"],
        "name": r["name"],
        "district": r["district"],
        "address": r["address"],
        "lat": r["lat"],
        "lon": r["lon"],
        "reachable": reachable,
        "problem": r["problem"],
        "link_since": r["link_since"],
        "seen_at": r["seen_at"],
    }
    if snap is None:
        return {**out, "state": None, "figures": None}
    drift = max(0.0, now - r["seen_at"]) if reachable else 0.0
    services = []
    for s in snap["services"]:
        longest = s["longest_wait_s"] + drift if s["waiting"] else 0.0
        over = max(0.0, longest - s["target_wait_min"] * 60)
        services.append({**s, "longest_wait_s": round(longest, 1), "over_target_s": round(over)})
    matters = [
        {**m, "longest_wait_s": round(m["longest_wait_s"] + drift if m["waiting"] else 0.0, 1)}
        for m in snap["matters"]
    ]
    return {
        **out,
        "hall_name": snap["hall"],
        "day": snap["day"],
        "state": snap["state"],
        "session": snap["session"],
        "next_opens": snap["next_opens"],
        "closed_for": snap["closed_for"],
        "sessions_today": snap["sessions_today"],
        "night_today": any(s["night"] for s in snap["sessions_today"]),
        "counters_open": snap["counters_open"],
        "waiting": sum(s["waiting"] for s in services),
        "longest_wait_s": max((s["longest_wait_s"] for s in services), default=0.0),
        "over_target_s": max((s["over_target_s"] for s in services), default=0),
        "over_target": [s["code"] for s in services if s["over_target_s"] > 0],
        "issued": sum(s["issued"] for s in services),
        "served": sum(s["served"] for s in services),
        "alerts": snap["alerts"],
        "services": services,
        "matters": matters,
    }


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def catalogue(conn: sqlite3.Connection) -> dict[str, Any]:
    """Every service and matter some listed hall offers, with its names, its halls and, per
    hall, the service whose queue it is called in (``queues``: a matter's may differ)."""
    services: dict[str, dict[str, Any]] = {}
    matters: dict[str, dict[str, Any]] = {}
    for key, text in conn.execute(
        "SELECT n.hall, n.catalogue FROM hall_now n JOIN halls h ON h.key = n.hall"
        " WHERE h.listed AND n.catalogue IS NOT NULL ORDER BY n.hall"
    ):
        data = json.loads(text)
        for kind, into in (("services", services), ("matters", matters)):
            for item in data[kind]:
                entry = into.setdefault(item["code"], {**item, "halls": [], "queues": {}})
                entry["halls"].append(key)
                entry["queues"][key] = item.get("service", item["code"])
    return {
        "services": [services[c] for c in sorted(services)],
        "matters": [matters[c] for c in sorted(matters)],
    }


def where(
    conn: sqlite3.Connection,
    now: float,
    *,
    service: str | None = None,
    matter: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> dict[str, Any]:
    """The halls that offer ``service`` (or ``matter``): open now first, then those opening
    later today (a night session), then the rest; nearest first when the asker's place is
    given, else the shortest estimated wait first."""
    kind, code = ("matter", matter) if matter else ("service", service)
    offered = catalogue(conn)[kind + "s"]
    item = next((i for i in offered if i["code"] == code), None)
    answers = []
    for h in halls(conn, now):
        if item is None or h["key"] not in item["halls"] or h["state"] is None:
            continue
        queue = _queue(h, kind, code, item)
        if queue is None:
            continue
        km = (
            round(distance_km(lat, lon, h["lat"], h["lon"]), 2)
            if lat is not None and lon is not None and h["lat"] is not None
            else None
        )
        open_now = h["reachable"] and h["state"] in OPEN_STATES
        later_today = (
            not open_now
            and h["reachable"]
            and bool(h["next_opens"])
            and h["next_opens"].startswith(h["day"])
        )
        answers.append(
            {
                "hall": h["key"],
                "name": h["name"],
                "district": h["district"],
                "address": h["address"],
                "lat": h["lat"],
                "lon": h["lon"],
                "distance_km": km,
                "reachable": h["reachable"],
                "seen_at": h["seen_at"],
                "state": h["state"],
                "open_now": open_now,
                "opens_later_today": later_today,
                "session": h["session"],
                "next_opens": h["next_opens"],
                "sessions_today": h["sessions_today"],
                "night_today": h["night_today"],
                **queue,
            }
        )

    def order(a: dict[str, Any]) -> tuple:
        rank = 0 if a["open_now"] else 1 if a["opens_later_today"] else 2
        wait = a["estimated_wait_min"] if a["estimated_wait_min"] is not None else math.inf
        near = a["distance_km"] if a["distance_km"] is not None else math.inf
        return (rank, near, wait, a["hall"]) if lat is not None else (rank, wait, a["hall"])

    answers.sort(key=order)
    names = {k: item[k] for k in ("code", "name_zh", "name_en")} if item else {"code": code}
    return {"kind": kind, **names, "known": item is not None, "now": now, "halls": answers}


def _queue(h: dict[str, Any], kind: str, code: str, item: dict[str, Any]) -> dict | None:
    """The queue a citizen would join at hall ``h``: waiting, longest, estimate, target."""
    services = {s["code"]: s for s in h["services"]}
    service_code = item["queues"].get(h["key"], code)
    s = services.get(service_code)
    if s is None:
        return None
    out = {
        "service": service_code,
        "waiting": s["waiting"],
        "longest_wait_s": s["longest_wait_s"],
        "estimated_wait_min": s["estimated_wait_min"],
        "target_wait_min": s["target_wait_min"],
        "counters_open": s["counters_open"],
    }
    if kind == "matter":
        m = next((m for m in h["matters"] if m["code"] == code), None)
        out["target_wait_min"] = item["target_wait_min"]
        if m is not None:
            out["estimated_wait_min"] = m["estimated_wait_min"]
    return out
