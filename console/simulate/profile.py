"""Where a simulated day comes from: the hall's own setup and history, or a profile file.

* setup — active services (target wait, configured handling time), active counters
  (their service tiers, low-position and green-channel flags), the hall's sessions
  (the first opening to the last closing, a one-day extra session included), its
  settings;
* arrivals — per service and local hour, the mean tickets issued on the last
  ``days`` days that had any (read day by day through the ``tickets_day`` index);
* handling — the service's last ``HANDLING_SAMPLE`` finished tickets, drawn from as
  they are (read through ``tickets_done_recent``); the configured handling time
  (exponential) for a service without history;
* green and low-position shares — those of the same tickets.

A profile file replaces the arrivals (and, where given, the handling times): CSV with
columns ``service,hour,per_hour[,handling_min]``, or TOML with ``[[arrivals]]`` tables
of the same keys and an optional ``[handling_min]`` table by service.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from console.domain.errors import BadInput
from console.simulate.model import Counter, Day, Handling, Service

HANDLING_SAMPLE = 500
SIMULATED_SETTINGS = (
    "green_streak_limit",
    "green_credit_min",
    "green_designated_only",
    "estimate_sample",
)
"""The hall settings that change how the engine calls and estimates: copied to the run."""


def _hour_of(ts: float, tz: ZoneInfo | None) -> int:
    return (datetime.fromtimestamp(ts, tz) if tz else datetime.fromtimestamp(ts)).hour


def day_from_hall(
    conn: sqlite3.Connection,
    *,
    days: int = 20,
    tz: ZoneInfo | None = None,
    weekday: int | None = None,
) -> Day:
    """The hall's setup and the last ``days`` days of its history, as a day to simulate;
    with ``weekday`` (ISO, 1 = Monday) only the days of that weekday: a hall's Mondays."""
    conn.row_factory = sqlite3.Row
    services = conn.execute(
        "SELECT id, code, prefix, target_wait_min, handling_min FROM services WHERE active = 1"
        " ORDER BY code"
    ).fetchall()
    recent_days = (
        _recent_days(conn, days) if weekday is None else _recent_weekdays(conn, days, weekday)
    )
    arrivals: dict[str, list[float]] = {s["code"]: [0.0] * 24 for s in services}
    code_of = {s["id"]: s["code"] for s in services}
    total = green = low = 0
    for day in recent_days:
        for sid, issued, is_green, is_low in conn.execute(
            "SELECT service_id, issued_at, green_reason IS NOT NULL, low_position FROM tickets"
            " INDEXED BY tickets_day WHERE day = ?",
            (day,),
        ):
            if sid in code_of:
                arrivals[code_of[sid]][_hour_of(issued, tz)] += 1 / len(recent_days)
                total += 1
                green += is_green
                low += is_low
    out = []
    for s in services:
        samples = tuple(
            round(r[0] / 60, 3)
            for r in conn.execute(
                "SELECT finished_at - served_at FROM tickets INDEXED BY tickets_done_recent"
                " WHERE service_id = ? AND status = 'done' AND served_at IS NOT NULL"
                " ORDER BY finished_at DESC LIMIT ?",
                (s["id"], HANDLING_SAMPLE),
            )
            if r[0] is not None and r[0] > 0
        )
        handling = (
            Handling("empirical", float(s["handling_min"]), samples=samples)
            if len(samples) >= 10
            else Handling("exponential", float(s["handling_min"]))
        )
        out.append(
            Service(
                s["code"],
                tuple(round(a, 3) for a in arrivals[s["code"]]),
                handling,
                int(s["target_wait_min"]),
                prefix=s["prefix"],
            )
        )
    opens, closes = _hours(conn)
    counters = []
    for c in conn.execute(
        "SELECT id, number, low_position, green_channel FROM counters WHERE active = 1"
        " ORDER BY number"
    ).fetchall():
        tiers: dict[int, list[str]] = {}
        for code, tier in conn.execute(
            "SELECT s.code, cs.tier FROM counter_services cs JOIN services s"
            " ON s.id = cs.service_id WHERE cs.counter_id = ? AND s.active = 1 ORDER BY cs.tier",
            (c["id"],),
        ):
            tiers.setdefault(tier, []).append(code)
        if tiers:
            counters.append(
                Counter(
                    c["number"],
                    tuple("+".join(codes) for _, codes in sorted(tiers.items())),
                    ((opens, closes),),
                    bool(c["low_position"]),
                    bool(c["green_channel"]),
                )
            )
    settings = {r[0]: json.loads(r[1]) for r in conn.execute("SELECT key, value FROM settings")}
    return Day(
        services=tuple(out),
        counters=tuple(counters),
        opens=opens,
        closes=closes,
        green_share=round(green / total, 3) if total else 0.0,
        low_share=round(low / total, 3) if total else 0.0,
        settings={k: v for k, v in settings.items() if k in SIMULATED_SETTINGS},
    )


def _recent_days(conn: sqlite3.Connection, days: int) -> list[str]:
    """The last ``days`` days that had tickets: one index seek a day, however long the
    history."""
    found: list[str] = []
    while len(found) < days:
        day = conn.execute(
            "SELECT max(day) FROM tickets INDEXED BY tickets_day WHERE day < ?",
            (found[-1] if found else "9999",),
        ).fetchone()[0]
        if day is None:
            break
        found.append(day)
    return found


def _recent_weekdays(conn: sqlite3.Connection, days: int, weekday: int) -> list[str]:
    """The last ``days`` days of one ISO weekday that had tickets, a week apart back from
    the newest: one index probe a week, back to the hall's first day."""
    first, last = conn.execute(
        "SELECT min(day), max(day) FROM tickets INDEXED BY tickets_day"
    ).fetchone()
    if last is None:
        return []
    day = date.fromisoformat(last)
    day -= timedelta(days=(day.isoweekday() - weekday) % 7)
    found: list[str] = []
    while len(found) < days and day.isoformat() >= first:
        if conn.execute(
            "SELECT 1 FROM tickets INDEXED BY tickets_day WHERE day = ? LIMIT 1",
            (day.isoformat(),),
        ).fetchone():
            found.append(day.isoformat())
        day -= timedelta(days=7)
    return found


def _hours(conn: sqlite3.Connection) -> tuple[float, float]:
    rows = conn.execute("SELECT min(opens), max(closes) FROM sessions WHERE active = 1").fetchone()
    if not rows or rows[0] is None:
        return 9.0, 17.0

    def hour(hhmm: str) -> float:
        h, m = hhmm.split(":")
        return int(h) + int(m) / 60

    return hour(rows[0]), hour(rows[1])


def read_profile(path: Path) -> list[dict]:
    """The rows of a CSV or TOML profile: ``service``, ``hour``, ``per_hour``, ``handling_min``."""
    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            rows = [dict(r) for r in data.get("arrivals", [])]
            for code, minutes in (data.get("handling_min") or {}).items():
                rows.append({"service": code, "handling_min": minutes})
        else:
            with path.open(encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, csv.Error) as exc:
        raise BadInput(f"cannot read the profile {path}: {exc}") from None
    out = []
    for line, row in enumerate(rows, start=2):
        try:
            item = {"service": str(row["service"]).strip()}
            if row.get("hour") not in (None, ""):
                item["hour"] = int(row["hour"])
                item["per_hour"] = float(row["per_hour"])
                if not 0 <= item["hour"] < 24 or item["per_hour"] < 0:
                    raise ValueError("hour is 0-23 and per_hour not negative")
            if row.get("handling_min") not in (None, ""):
                item["handling_min"] = float(row["handling_min"])
                if item["handling_min"] <= 0:
                    raise ValueError("handling_min is positive")
        except (KeyError, TypeError, ValueError) as exc:
            raise BadInput(f"profile {path}, row {line}: {exc}") from None
        out.append(item)
    return out


def apply_profile(day: Day, rows: list[dict]) -> Day:
    """``day`` with the profile's arrivals (all of them) and handling times (where given)."""
    known = {s.code for s in day.services}
    for row in rows:
        if row["service"] not in known:
            raise BadInput(f"the profile names service {row['service']}, which the hall lacks")
    has_arrivals = any("hour" in r for r in rows)
    services = []
    for s in day.services:
        rates = [0.0] * 24 if has_arrivals else list(s.arrivals_per_hour)
        handling = s.handling
        for row in rows:
            if row["service"] != s.code:
                continue
            if "hour" in row:
                rates[row["hour"]] += row["per_hour"]
            if "handling_min" in row:
                handling = Handling("exponential", row["handling_min"])
        services.append(Service(s.code, tuple(rates), handling, s.target_wait_min, s.prefix))
    return day.with_changes(services=tuple(services))
