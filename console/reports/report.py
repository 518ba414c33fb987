"""The daily report's figures, for one day or a range, from the tickets table.

Definitions (the same in the report, the summary export and docs/admin.md):

- wait = called_at − issued_at, over tickets that were called (a transfer
  restarts the call, so it is the wait for the counter that finally took it);
- handling = finished_at − served_at − time parked, over served tickets (status done);
- within target = a called ticket whose wait ≤ its target wait: its matter's in a
  one-stop hall (the wait the catalogue promises for what the citizen came for), else its
  service's; the share is over called tickets;
- percentiles use the nearest-rank method on whole seconds: the p-th
  percentile of n sorted values is the one at rank ceil(p/100 × n).

Durations are kept as histograms of whole seconds, so memory stays flat
however long the range is, and percentiles are still exact.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from console.domain.personal import PURGED_REASON
from console.engine.sessions import is_night
from console.reports.dates import DayRange

GOAL_WITHIN_TARGET_PCT = 80
"""A service meets its target when at least this share of its citizens is called within
the service's target wait; the report marks the rest."""

PERCENTILE_METHOD = "nearest-rank on whole seconds: rank ceil(p/100 × n) of the n sorted values"

_ROWS = """
SELECT t.day, t.status, t.outcome, t.issued_at, t.called_at, t.served_at + t.parked_s,
       t.finished_at, t.green_reason, t.rating, t.counter_number, t.clerk_staff_no, t.session_id,
       s.code, coalesce(m.target_wait_min, s.target_wait_min),
       CAST(strftime('%H', t.issued_at, 'unixepoch', 'localtime') AS INTEGER) AS issued_hour,
       CAST(strftime('%H', t.finished_at, 'unixepoch', 'localtime') AS INTEGER) AS finished_hour,
       t.matter_id
FROM tickets t JOIN services s ON s.id = t.service_id LEFT JOIN matters m ON m.id = t.matter_id
WHERE t.day BETWEEN ? AND ?
ORDER BY t.day
"""


def percentile(hist: Counter[int], p: float) -> int | None:
    """Nearest-rank percentile of a histogram {value: count}; None when empty."""
    n = sum(hist.values())
    if n == 0:
        return None
    rank = max(1, math.ceil(p / 100 * n))
    seen = 0
    for value in sorted(hist):
        seen += hist[value]
        if seen >= rank:
            return value
    return None  # pragma: no cover - rank <= n always reaches a value


@dataclass
class Figures:
    """Counts and duration histograms of one group of tickets."""

    issued: int = 0
    served: int = 0
    completed: int = 0
    incomplete: int = 0
    referred: int = 0
    no_show: int = 0
    cancelled: int = 0
    expired: int = 0
    open: int = 0
    green: int = 0
    called: int = 0
    within_target: int = 0
    waits: Counter[int] = field(default_factory=Counter)
    handling: Counter[int] = field(default_factory=Counter)
    green_waits: Counter[int] = field(default_factory=Counter)
    normal_waits: Counter[int] = field(default_factory=Counter)
    ratings: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])

    def add(self, r: sqlite3.Row | tuple) -> None:
        (_, status, outcome, issued_at, called_at, served_at, finished_at, green, rating,
         *_rest) = r  # fmt: skip
        target_s = r[13] * 60
        self.issued += 1
        if status == "done":
            self.served += 1
            if outcome == "incomplete":
                self.incomplete += 1
            elif outcome == "referred":
                self.referred += 1
            else:
                self.completed += 1
            if served_at is not None and finished_at is not None:
                self.handling[round(max(0.0, finished_at - served_at))] += 1
            if rating is not None:
                self.ratings[rating - 1] += 1
        elif status == "no_show":
            self.no_show += 1
        elif status == "cancelled":
            self.cancelled += 1
        elif status == "expired":
            self.expired += 1
        else:
            self.open += 1
        if green is not None:
            self.green += 1
        if called_at is not None:
            wait = max(0.0, called_at - issued_at)
            self.called += 1
            self.waits[round(wait)] += 1
            if wait <= target_s:
                self.within_target += 1
            if green is not None:
                self.green_waits[round(wait)] += 1
            else:
                self.normal_waits[round(wait)] += 1

    def merge(self, other: Figures) -> None:
        """Add ``other``'s tickets to these (counts and histograms alike)."""
        for name, value in vars(other).items():
            mine = getattr(self, name)
            if isinstance(value, Counter):
                mine.update(value)
            elif isinstance(value, list):
                setattr(self, name, [a + b for a, b in zip(mine, value, strict=True)])
            else:
                setattr(self, name, mine + value)

    def dump(self) -> dict[str, Any]:
        """Everything, histograms included: what :meth:`load` makes the same figures of."""
        return {k: dict(v) if isinstance(v, Counter) else v for k, v in vars(self).items()}

    @classmethod
    def load(cls, data: dict[str, Any]) -> Figures:
        out = cls()
        for name, value in data.items():
            current = getattr(out, name)
            if isinstance(current, Counter):
                value = Counter({int(k): n for k, n in value.items()})
            setattr(out, name, value)
        return out

    def to_dict(self) -> dict[str, Any]:
        rated = sum(self.ratings)
        return {
            "issued": self.issued, "served": self.served, "completed": self.completed,
            "incomplete": self.incomplete, "referred": self.referred, "no_show": self.no_show,
            "cancelled": self.cancelled, "expired": self.expired, "open": self.open,
            "green": self.green, "called": self.called,
            "wait_p50_s": percentile(self.waits, 50), "wait_p90_s": percentile(self.waits, 90),
            "handling_p50_s": percentile(self.handling, 50),
            "handling_p90_s": percentile(self.handling, 90),
            "within_target": self.within_target,
            "within_target_pct": round(100 * self.within_target / self.called, 1)
            if self.called else None,
            "green_wait_p50_s": percentile(self.green_waits, 50),
            "green_wait_p90_s": percentile(self.green_waits, 90),
            "green_share_pct": round(100 * self.green / self.issued, 1) if self.issued else None,
            "normal_wait_p50_s": percentile(self.normal_waits, 50),
            "normal_wait_p90_s": percentile(self.normal_waits, 90),
            "rated": rated,
            "rating_avg": round(sum((i + 1) * n for i, n in enumerate(self.ratings)) / rated, 2)
            if rated else None,
            "ratings": {str(i + 1): n for i, n in enumerate(self.ratings)},
        }  # fmt: skip


def green_reason_figures(conn: sqlite3.Connection, day: str) -> dict[str, Figures]:
    """A day's figures per green-channel reason, counted from its tickets: what the purge
    keeps before it erases the tickets' reasons."""
    out: dict[str, Figures] = {}
    for r in conn.execute(_ROWS, (day, day)):
        if r[7] is not None and r[7] != PURGED_REASON:
            out.setdefault(r[7], Figures()).add(r)
    return out


def kept_green_reasons(conn: sqlite3.Connection, days: DayRange) -> dict[str, Figures]:
    """The per-reason figures the purge kept for the days in ``days`` (their tickets now
    say only that they were green)."""
    out: dict[str, Figures] = {}
    for reason, figures in conn.execute(
        "SELECT reason, figures FROM green_reason_days WHERE day BETWEEN ? AND ?",
        (days.first, days.last),
    ):
        out.setdefault(reason, Figures()).merge(Figures.load(json.loads(figures)))
    return out


def _names(conn: sqlite3.Connection, personal: bool) -> dict[str, dict]:
    sql = "SELECT code, name_zh, name_en, target_wait_min FROM services"
    services = {
        r[0]: {"code": r[0], "name_zh": r[1], "name_en": r[2], "target_wait_min": r[3]}
        for r in conn.execute(sql)
    }
    counters = {r[0]: r[1] for r in conn.execute("SELECT number, name FROM counters")}
    clerks = (
        {r[0]: r[1] for r in conn.execute("SELECT staff_no, name FROM clerks")} if personal else {}
    )
    sessions = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM sessions")}
    departments = {
        r[0]: {"code": r[1], "name_zh": r[2], "name_en": r[3]}
        for r in conn.execute("SELECT id, code, name_zh, name_en FROM departments")
    }
    matters = {
        r[0]: {"code": r[1], "name_zh": r[2], "name_en": r[3], "department_id": r[4],
               "department": departments.get(r[4], {}).get("code")}
        for r in conn.execute("SELECT id, code, name_zh, name_en, department_id FROM matters")
    }  # fmt: skip
    return {"services": services, "counters": counters, "clerks": clerks, "sessions": sessions,
            "departments": departments, "matters": matters}  # fmt: skip


def ticket_rows(conn: sqlite3.Connection, days: DayRange) -> Iterator[tuple]:
    """The rows :meth:`Figures.add` takes, of every ticket of ``days``, in day order."""
    cur = conn.execute(_ROWS, (days.first, days.last))
    while batch := cur.fetchmany(5000):
        yield from batch


def compute(conn: sqlite3.Connection, days: DayRange, personal: bool = False) -> dict[str, Any]:
    """Every figure of the report for ``days``, as a JSON-ready dict."""
    total = Figures()
    by: dict[str, dict[Any, Figures]] = {
        k: {} for k in ("service", "counter", "clerk", "session", "department", "matter")
    }
    green_reasons: dict[str, Figures] = {}
    hours_issued: dict[int, Figures] = {}
    hours_served: Counter[int] = Counter()
    conn.execute("BEGIN")  # one snapshot for the whole report
    try:
        names = _names(conn, personal)
        hall = conn.execute("SELECT value FROM settings WHERE key = 'hall_name'").fetchone()
        for r in ticket_rows(conn, days):
            total.add(r)
            for key, value in (("service", r[12]), ("counter", r[9]), ("clerk", r[10]),
                               ("session", r[11])):  # fmt: skip
                if value is not None or key == "session":
                    by[key].setdefault(value, Figures()).add(r)
            if r[16] is not None:  # a one-stop hall's matter, and its department
                by["matter"].setdefault(r[16], Figures()).add(r)
                department = names["matters"].get(r[16], {}).get("department_id")
                by["department"].setdefault(department, Figures()).add(r)
            if r[7] is not None and r[7] != PURGED_REASON:
                green_reasons.setdefault(r[7], Figures()).add(r)
            hours_issued.setdefault(r[14], Figures()).add(r)
            if r[1] == "done" and r[15] is not None:
                hours_served[r[15]] += 1
        for reason, kept in kept_green_reasons(conn, days).items():
            green_reasons.setdefault(reason, Figures()).merge(kept)
        compare = comparison(conn, days)
    finally:
        conn.execute("COMMIT")

    def group(key: str, label: Any) -> dict[str, Any]:
        if key == "service":
            s = names["services"].get(label, {})
            return {"code": label, "name_zh": s.get("name_zh"), "name_en": s.get("name_en"),
                    "target_wait_min": s.get("target_wait_min")}  # fmt: skip
        if key == "counter":
            return {"counter": label, "name": names["counters"].get(label)}
        if key == "department":
            d = names["departments"].get(label, {})
            return {"code": d.get("code"), "name_zh": d.get("name_zh"),
                    "name_en": d.get("name_en")}  # fmt: skip
        if key == "matter":
            m = names["matters"].get(label, {})
            return {"code": m.get("code"), "name_zh": m.get("name_zh"),
                    "name_en": m.get("name_en"), "department": m.get("department")}  # fmt: skip
        if key == "clerk":
            out = {"staff_no": label}
            if personal:
                out["name"] = names["clerks"].get(label)
            return out
        return {"session_id": label,
                "name": names["sessions"].get(label) if label is not None else None}  # fmt: skip

    def ordered(key: str) -> list[dict[str, Any]]:
        if key in ("department", "matter"):  # by code, the catalogue's order
            rows = [{**group(key, k), **f.to_dict()} for k, f in by[key].items()]
            return sorted(rows, key=lambda g: str(g["code"]))
        items = sorted(by[key].items(), key=lambda kv: (kv[0] is None, str(kv[0]).zfill(8)))
        return [{**group(key, k), **f.to_dict()} for k, f in items]

    hours = sorted(set(hours_issued) | set(hours_served))
    tot = total.to_dict()
    return {
        "hall": json.loads(hall[0]) if hall else None,
        "from": days.first,
        "to": days.last,
        "percentile_method": PERCENTILE_METHOD,
        "goal_within_target_pct": GOAL_WITHIN_TARGET_PCT,
        "personal": personal,
        "total": tot,
        "compare": compare,
        "green": {
            "count": tot["green"],
            "wait_p50_s": tot["green_wait_p50_s"],
            "wait_p90_s": tot["green_wait_p90_s"],
            "share_pct": tot["green_share_pct"],
            "normal_wait_p50_s": tot["normal_wait_p50_s"],
            "normal_wait_p90_s": tot["normal_wait_p90_s"],
            "by_reason": [{"reason": k, **v.to_dict()} for k, v in sorted(green_reasons.items())],
        },
        "satisfaction": {
            "rated": tot["rated"],
            "average": tot["rating_avg"],
            "distribution": tot["ratings"],
        },
        "by_service": ordered("service"),
        "by_counter": ordered("counter"),
        "by_clerk": ordered("clerk"),
        "by_session": ordered("session"),
        "by_department": ordered("department"),
        "by_matter": ordered("matter"),
        "by_hour": [
            {
                "hour": h,
                "issued": hours_issued[h].issued if h in hours_issued else 0,
                "served": hours_served.get(h, 0),
                "wait_p50_s": hours_issued[h].to_dict()["wait_p50_s"]
                if h in hours_issued
                else None,
            }
            for h in hours
            if h is not None
        ],
    }


def night_sessions(conn: sqlite3.Connection) -> set[int]:
    """The ids of the hall's night sessions (opening at or after ``NIGHT_FROM``)."""
    return {r[0] for r in conn.execute("SELECT id, opens FROM sessions") if is_night(r[1])}


def count_day(conn: sqlite3.Connection, day: str) -> dict[str, Any]:
    """A day's totals from its tickets: the whole hall's figures and each service's, and for
    the city (``city``) each service's whole figures (histograms included, so the city sums
    halls and days exactly) with its tickets issued in a night session."""
    total, services, night = Figures(), {}, Counter()
    nights = night_sessions(conn)
    for r in ticket_rows(conn, DayRange(day, day)):
        total.add(r)
        services.setdefault(r[12], Figures()).add(r)
        if r[11] in nights:
            night[r[12]] += 1
    ordered = sorted(services.items())
    return {"total": total.to_dict(),
            "services": {code: f.to_dict() for code, f in ordered},
            "city": {code: {"figures": _as_json(f.dump()), "night_issued": night[code]}
                     for code, f in ordered}}  # fmt: skip


def _as_json(dumped: dict[str, Any]) -> dict[str, Any]:
    """``Figures.dump()`` as it reads back from JSON (a histogram's seconds as text keys)."""
    return {k: {str(s): n for s, n in v.items()} if isinstance(v, dict) else v
            for k, v in dumped.items()}  # fmt: skip


def kept_day(conn: sqlite3.Connection, day: str) -> dict[str, Any] | None:
    """An ended day's totals as kept at the day change (:mod:`console.reports.totals`), or
    None when they are not kept or a ticket of the day changed since."""
    row = conn.execute(
        "SELECT figures FROM day_totals WHERE day = ? AND NOT stale", (day,)
    ).fetchone()
    return json.loads(row[0]) if row else None


def day_totals(conn: sqlite3.Connection, day: str) -> dict[str, Any]:
    """The whole hall's figures for one day (for the comparison columns): kept, else
    counted from its tickets."""
    return (kept_day(conn, day) or count_day(conn, day))["total"]


def comparison(conn: sqlite3.Connection, days: DayRange) -> dict[str, Any] | None:
    """For a one-day report: the previous day and the same weekday a week before."""
    if not days.single:
        return None
    from datetime import date, timedelta

    day = date.fromisoformat(days.first)
    before, week = (day - timedelta(days=1)).isoformat(), (day - timedelta(days=7)).isoformat()
    return {
        "previous_day": {"day": before, **day_totals(conn, before)},
        "last_week": {"day": week, **day_totals(conn, week)},
    }


def daily_summary(conn: sqlite3.Connection, days: DayRange) -> Iterator[dict[str, Any]]:
    """Rows of the summary export: per day, one per service then '*' for the whole hall;
    an ended day's from its kept totals, the others counted from their tickets."""
    names = _names(conn, False)["services"]
    for day in days.days():
        figures = kept_day(conn, day) or count_day(conn, day)
        if not figures["total"]["issued"]:
            continue  # no ticket that day
        for code, group in figures["services"].items():
            s = names.get(code, {})
            yield {"day": day, "service_code": code, "service_name_zh": s.get("name_zh", code),
                   "service_name_en": s.get("name_en", code), **group}  # fmt: skip
        yield {"day": day, "service_code": "*", "service_name_zh": "全部业务",
               "service_name_en": "All services", **figures["total"]}  # fmt: skip
