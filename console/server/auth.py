"""Who is asking the hall server: a registered station, and perhaps a clerk logged in at it.

Every request but ``/health`` carries the station's token (``Authorization:
Bearer …``), registered by an admin with ``qconsole stations add``. A clerk
logs in at a station (staff number + PIN, checked by the engine, which counts
wrong PINs towards a lockout) and gets a session token that later requests
carry in ``X-QConsole-Session``. The server builds the ``Actor`` from these
two alone; an actor sent by a client is never read.

Tokens are random (``secrets.token_urlsafe``) and only their sha256 is stored,
so a copy of the database does not hand out working tokens. Sessions live in
``server_sessions`` and so survive a server restart; they end at logout, at
expiry (a working day), when the station is revoked, and when the clerk gets a
new PIN or role or is deactivated (the engine deletes them then).

Writes here (stations, sessions) go through the engine's one write path and
leave an event in the log, so the audit trail shows who registered or revoked
a station.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

from console.domain import Actor
from console.domain.errors import AuthError, BadInput, NotFound, Refused
from console.engine import Engine

SESSION_HOURS = 14.0
"""A clerk session lasts a long working day (a night session included), then logs out."""

STATION_LOGIN_FAILURES = 10
STATION_LOGIN_WINDOW_S = 300.0
"""Besides the engine's per-clerk lockout: a station that sends this many wrong PINs in
the window (guessing across staff numbers) is refused logins until the window passes.
Counted in ``station_login_attempts``, so a restart does not reset it."""

STATION_ROLES = ("station", "admin", "kiosk", "city")
"""``kiosk``: a self-service ticket machine by the door. It may only issue tickets and read
what the kiosk shows (``console.server.kiosk``); every other station route refuses it.
``city``: the city's process following its halls (``qconsole city serve``). It may only
read the city's routes (``console.server.city``), which carry no personal field."""


class Unauthenticated(AuthError):
    """No station token, or one the server does not (or no longer) accept: HTTP 401."""

    http_status = 401
    code = "unauthenticated"


def new_token() -> str:
    """A station token that never starts with '-': one in 64 would, and then
    ``stations save-token TOKEN`` takes it for an option and refuses it."""
    while (token := secrets.token_urlsafe(32)).startswith("-"):
        pass
    return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Station:
    """A registered station (without its token)."""

    id: int
    name: str
    role: str
    created_at: float
    revoked_at: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
        }


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""

    station: Station
    actor: Actor | None
    """The clerk logged in at the station, the admin shell of an admin station, or None."""
    session_hash: str | None = None

    def acting(self) -> Actor:
        """The actor for a state change: a clerk session, or an admin station."""
        if self.actor is None:
            raise AuthError(reason="station.needs_login", station=self.station.name)
        return self.actor


def station_actor(station: Station) -> Actor | None:
    if station.role == "admin":
        return Actor(staff_no=f"station:{station.name}", role="admin", station=station.name,
                     name=f"admin station {station.name}")  # fmt: skip
    return None


def _station(row: sqlite3.Row) -> Station:
    return Station(id=row["id"], name=row["name"], role=row["role"],
                   created_at=row["created_at"], revoked_at=row["revoked_at"])  # fmt: skip


# -- station registry (admin, from the server machine's shell) ----------------
def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 60 or not all(c.isalnum() or c in "-_.@" for c in name):
        raise BadInput(reason="station.bad_name")
    return name


def add_station(
    engine: Engine, actor: Actor, name: str, role: str = "station"
) -> tuple[Station, str]:
    """Register a station; returns it and its token (shown once, stored only hashed)."""
    engine.core.require(actor, "admin", "registering a station")
    name = _check_name(name)
    if role not in STATION_ROLES:
        raise BadInput(
            reason="station.bad_role", choices=", ".join(STATION_ROLES), value=repr(role)
        )
    token = new_token()

    def op() -> Station:
        row = engine.conn.execute("SELECT * FROM stations WHERE name = ?", (name,)).fetchone()
        now = engine.clock.now()
        if row is not None and row["revoked_at"] is None:
            raise Refused(reason="station.exists", station=name)
        if row is not None:
            engine.conn.execute(
                "UPDATE stations SET token_hash = ?, created_at = ?, revoked_at = NULL, role = ?"
                " WHERE id = ?",
                (token_hash(token), now, role, row["id"]),
            )
        else:
            engine.conn.execute(
                "INSERT INTO stations (name, token_hash, created_at, role) VALUES (?, ?, ?, ?)",
                (name, token_hash(token), now, role),
            )
        engine.core.event("station.added", actor, changes={"name": name, "role": role})
        return _station(
            engine.conn.execute("SELECT * FROM stations WHERE name = ?", (name,)).fetchone()
        )

    station = engine.core.write("add_station", None, op)
    return station, token


def list_stations(engine: Engine) -> list[Station]:
    rows = engine.conn.execute("SELECT * FROM stations ORDER BY name").fetchall()
    return [_station(r) for r in rows]


def revoke_station(engine: Engine, actor: Actor, name: str) -> Station:
    """Refuse the station's token from now on and end its clerks' sessions."""
    engine.core.require(actor, "admin", "revoking a station")

    def op() -> Station:
        row = engine.conn.execute("SELECT * FROM stations WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(reason="station.not_found", station=repr(name))
        if row["revoked_at"] is not None:
            raise Refused(reason="station.revoked_already", station=name)
        engine.conn.execute(
            "UPDATE stations SET revoked_at = ? WHERE id = ?", (engine.clock.now(), row["id"])
        )
        engine.conn.execute("DELETE FROM server_sessions WHERE station_id = ?", (row["id"],))
        engine.core.event("station.revoked", actor, changes={"name": name})
        return _station(
            engine.conn.execute("SELECT * FROM stations WHERE id = ?", (row["id"],)).fetchone()
        )

    return engine.core.write("revoke_station", None, op)


# -- per-request authentication -------------------------------------------
class Authenticator:
    """Checks tokens on its own read connection (so auth never waits for a write)."""

    def __init__(self, conn: sqlite3.Connection, clock: Any):
        self.conn = conn
        self.clock = clock
        self._lock = threading.Lock()

    def station(self, token: str | None) -> Station:
        if not token:
            raise Unauthenticated(reason="station.token_needed")
        with self._lock:
            row = self.conn.execute(
                "SELECT * FROM stations WHERE token_hash = ?", (token_hash(token),)
            ).fetchone()
        if row is None:
            raise Unauthenticated(reason="station.unknown_token")
        if row["revoked_at"] is not None:
            raise Unauthenticated(reason="station.revoked", station=row["name"])
        return _station(row)

    def principal(self, token: str | None, session: str | None) -> Principal:
        return self.session_principal(self.station(token), session)

    def session_principal(self, station: Station, session: str | None) -> Principal:
        """Who acts at ``station`` (its token already checked): the clerk of ``session``."""
        if not session:
            return Principal(station, station_actor(station))
        digest = token_hash(session)
        with self._lock:
            row = self.conn.execute(
                "SELECT s.*, c.name, c.role, c.active FROM server_sessions s"
                " LEFT JOIN clerks c ON c.staff_no = s.staff_no WHERE s.token_hash = ?",
                (digest,),
            ).fetchone()
        if row is None or row["expires_at"] <= self.clock.now():
            raise AuthError(reason="session.ended")
        if row["station_id"] != station.id:
            raise AuthError(reason="session.other_station")
        if row["role"] is None or not row["active"]:
            raise AuthError(reason="clerk.inactive", clerk=row["staff_no"])
        actor = Actor(staff_no=row["staff_no"], role=row["role"], station=station.name,
                      name=row["name"])  # fmt: skip
        return Principal(station, actor, digest)


# -- the wrong-PIN limit per station ------------------------------------------
def take_login_attempt(engine: Engine, station: Station) -> int:
    """Count a login attempt of ``station`` before its PIN is checked, in one write (so racing
    attempts are all counted) and in the database (so a restart does not forget them);
    refused once the station has used its tries in the window. Returns the attempt's id."""

    def op() -> int:
        now = engine.clock.now()
        engine.conn.execute(
            "DELETE FROM station_login_attempts WHERE at < ?", (now - STATION_LOGIN_WINDOW_S,)
        )
        used, oldest = engine.conn.execute(
            "SELECT count(*), min(at) FROM station_login_attempts WHERE station_id = ?",
            (station.id,),
        ).fetchone()
        if used >= STATION_LOGIN_FAILURES:
            wait = int(oldest + STATION_LOGIN_WINDOW_S - now) + 1
            raise AuthError(reason="station.pin_throttled", station=station.name, wait=wait)
        cur = engine.conn.execute(
            "INSERT INTO station_login_attempts (station_id, at) VALUES (?, ?)", (station.id, now)
        )
        return int(cur.lastrowid or 0)

    return engine.core.write("login_attempt", None, op, encode=lambda r: r)


def give_back_login_attempt(engine: Engine, attempt: int) -> None:
    """A right PIN does not count towards the station's limit."""

    def op() -> str:
        engine.conn.execute("DELETE FROM station_login_attempts WHERE id = ?", (attempt,))
        return "ok"

    engine.core.write("login_attempt", None, op, encode=lambda r: r)


def open_session(engine: Engine, actor: Actor, station: Station) -> str:
    """Store a new clerk session for ``actor`` at ``station``; returns its token."""
    token = new_token()
    now = engine.clock.now()

    def op() -> str:
        engine.conn.execute("DELETE FROM server_sessions WHERE expires_at <= ?", (now,))
        engine.conn.execute(
            "INSERT INTO server_sessions (token_hash, station_id, staff_no, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?)",
            (token_hash(token), station.id, actor.staff_no, now, now + SESSION_HOURS * 3600),
        )
        engine.core.event("login", actor, changes={"staff_no": actor.staff_no})
        return "ok"

    engine.core.write("login_session", None, op, encode=lambda r: r)
    return token


def close_session(engine: Engine, principal: Principal) -> None:
    if principal.session_hash is None or principal.actor is None:
        return
    actor = principal.actor
    digest = principal.session_hash

    def op() -> str:
        engine.conn.execute("DELETE FROM server_sessions WHERE token_hash = ?", (digest,))
        engine.core.event("logout", actor, changes={"staff_no": actor.staff_no})
        return "ok"

    engine.core.write("logout", None, op, encode=lambda r: r)
