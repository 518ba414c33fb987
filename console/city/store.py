"""The city's own SQLite database: the latest figures of each hall and its days.

One writer (the city process's follower, on its event loop); readers (the API, the floor
view, the report) open their own connections. The schema is ``schemas/city/*.sql``, applied
in order and counted in ``PRAGMA user_version``. Writes replace what the hall said last, so
reading a hall again after an outage never counts anything twice.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from console.city.config import CityConfig
from console.domain.errors import BadInput, Unavailable
from console.store.migrations import MIGRATIONS_DIR

SCRIPTS = sorted((MIGRATIONS_DIR.parent / "city").glob("[0-9][0-9][0-9][0-9]_*.sql"))


def open_city(path: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """A connection to the city database at ``path``, migrated; ``create`` allows a new file."""
    path = Path(path)
    if path.is_dir():
        raise BadInput(reason="city.db_is_directory", path=path)
    if not path.exists() and not create:
        raise Unavailable(reason="city.no_db", path=path)
    if not path.parent.is_dir():
        raise Unavailable(reason="city.db_no_directory", path=path, directory=path.parent)
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=10, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise BadInput(reason="city.not_city_db", path=path)
        for script in SCRIPTS[version:]:
            conn.executescript(
                "BEGIN;"
                + script.read_text(encoding="utf-8")
                + f";PRAGMA user_version = {SCRIPTS.index(script) + 1}; COMMIT;"
            )
    except sqlite3.DatabaseError as exc:
        raise Unavailable(reason="city.db_failure", path=path, detail=exc) from None
    return conn


def list_halls(conn: sqlite3.Connection, config: CityConfig) -> None:
    """Record the halls of ``config`` (name, district, address, place) as listed now."""
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('name', ?)", (config.name,)
        )
        conn.execute("UPDATE halls SET listed = 0")
        for h in config.halls:
            conn.execute(
                "INSERT INTO halls (key, name, district, address, lat, lon, listed)"
                " VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (key) DO UPDATE SET"
                " name = excluded.name, district = excluded.district,"
                " address = excluded.address, lat = excluded.lat, lon = excluded.lon, listed = 1",
                (h.key, h.name, h.district, h.address, h.lat, h.lon),
            )
            conn.execute("INSERT OR IGNORE INTO hall_now (hall) VALUES (?)", (h.key,))


class CityWriter:
    """The follower's writes, each one short transaction."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def _write(self, sql: str, params: tuple) -> None:
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute(sql, params)

    def snapshot(self, hall: str, snap: dict[str, Any], seen_at: float) -> None:
        """The hall's figures now, and today's totals per service (replacing the last)."""
        today = {
            s["code"]: {
                k: s[k]
                for k in ("issued", "served", "called", "within_target", "rated", "rating_avg")
            }
            for s in snap["services"]
        }
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute(
                "UPDATE hall_now SET snapshot = ?, seen_at = ?, last_event = ?,"
                " reachable = 1, link_since = CASE WHEN reachable THEN link_since ELSE ? END,"
                " problem = NULL WHERE hall = ?",
                (json.dumps(snap, ensure_ascii=False), seen_at, snap["as_of_event"], seen_at, hall),
            )
            self.conn.execute(
                "INSERT INTO hall_days (hall, day, ended, services, seen_at) VALUES (?, ?, 0, ?, ?)"
                " ON CONFLICT (hall, day) DO UPDATE SET services = excluded.services,"
                " seen_at = excluded.seen_at WHERE NOT ended",
                (hall, snap["day"], json.dumps(today), seen_at),
            )

    def catalogue(self, hall: str, catalogue: dict[str, Any], event: int) -> None:
        self._write(
            "UPDATE hall_now SET catalogue = ?, catalogue_event = ? WHERE hall = ?",
            (json.dumps(catalogue, ensure_ascii=False), event, hall),
        )

    def ended_days(self, hall: str, days: list[dict[str, Any]], seen_at: float) -> None:
        """The hall's own totals of ended days: final, they replace what was seen live."""
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            for day in days:
                self.conn.execute(
                    "INSERT INTO hall_days (hall, day, ended, services, seen_at) VALUES"
                    " (?, ?, 1, ?, ?) ON CONFLICT (hall, day) DO UPDATE SET ended = 1,"
                    " services = excluded.services, seen_at = excluded.seen_at",
                    (hall, day["day"], json.dumps(day["services"]), seen_at),
                )

    def unreachable(self, hall: str, problem: str, at: float) -> None:
        """The link is down: the last figures stay, with their time."""
        self._write(
            "UPDATE hall_now SET link_since = CASE WHEN reachable OR link_since IS NULL"
            " THEN ? ELSE link_since END, reachable = 0, problem = ? WHERE hall = ?",
            (at, problem, hall),
        )


def last_ended_day(conn: sqlite3.Connection, hall: str) -> str | None:
    row = conn.execute(
        "SELECT max(day) FROM hall_days WHERE hall = ? AND ended = 1", (hall,)
    ).fetchone()
    return row[0]


def hall_state(conn: sqlite3.Connection, hall: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM hall_now WHERE hall = ?", (hall,)).fetchone()


def city_name(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM settings WHERE key = 'name'").fetchone()
    return row[0] if row else ""
