"""The engine's base: the single write path, the event log and row conversion.

Every state change in the hall goes through :meth:`Core._write`: one
``BEGIN IMMEDIATE`` transaction that checks the idempotency key, runs the
operation (which validates, changes rows and appends events) and records the
result under the key before committing. Nothing else writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from console.domain import Actor, Counter, Ticket
from console.domain.errors import AuthError, BadInput, NotFound, Refused, Unavailable
from console.engine.clock import Clock
from console.store.connection import describe_sqlite_error, write_transaction

T = TypeVar("T")

DEFAULT_SETTINGS: dict[str, Any] = {
    "hall_name": "政务服务大厅 Service Hall",
    "green_streak_limit": 3,
    "green_credit_min": 15,
    "green_designated_only": False,
    "pin_max_failures": 5,
    "pin_lockout_min": 15,
    "estimate_sample": 120,
    "qr_url_template": "",
    "feedback_url_template": "",
    "ticket_footer": "",
    "receipt_next_step": "",
    "print_lang": "both",
    "paused_alert_min": 15,
}
"""Hall settings and their defaults; ``qconsole settings`` changes them."""

TICKET_SELECT = (
    "SELECT t.*, s.code AS service_code FROM tickets t JOIN services s ON s.id = t.service_id"
)
TICKET_COLUMNS = (
    "id",
    "day",
    "prefix",
    "seq",
    "number",
    "service_id",
    "status",
    "issued_at",
    "queued_at",
    "green_reason",
    "green_note",
    "low_position",
    "directed_counter",
    "counter_number",
    "clerk_staff_no",
    "called_at",
    "served_at",
    "finished_at",
    "recall_count",
    "outcome",
    "materials",
    "rating",
    "note",
    "transferred",
    "session_id",
    "appointment_code",
)
"""Every column of ``tickets``: an issue event records all of them, so the log alone
rebuilds each ticket."""


def ticket_from_row(row: sqlite3.Row) -> Ticket:
    data = dict(row)
    data["materials"] = json.loads(data.get("materials") or "[]")
    data["low_position"] = bool(data["low_position"])
    data["transferred"] = bool(data["transferred"])
    return Ticket.from_dict(data)


class Core:
    """Connection, clock, settings, the write path and the event log."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock | None = None, path: str = ""):
        self.conn = conn
        self.clock = clock or Clock()
        self.path = path or "hall database"

    # -- the write path -----------------------------------------------------
    def _write(
        self,
        op: str,
        key: str | None,
        fn: Callable[[], T],
        encode: Callable[[T], Any] = lambda r: r.to_dict(),  # type: ignore[attr-defined]
        decode: Callable[[Any], T] | None = None,
    ) -> T:
        """Run ``fn`` as one idempotent write transaction."""
        try:
            with write_transaction(self.conn, self.path):
                if key is not None:
                    row = self.conn.execute(
                        "SELECT op, result FROM commands WHERE key = ?", (key,)
                    ).fetchone()
                    if row is not None:
                        if row["op"] != op:
                            raise BadInput(f"command key {key!r} was already used for {row['op']}")
                        recorded = json.loads(row["result"])
                        return decode(recorded) if decode else recorded
                result = fn()
                if key is not None:
                    self.conn.execute(
                        "INSERT INTO commands (key, op, result, at) VALUES (?, ?, ?, ?)",
                        (key, op, json.dumps(encode(result), ensure_ascii=False), self.clock.now()),
                    )
                return result
        except sqlite3.IntegrityError as exc:
            # The schema's own guards (one active ticket per counter, one counter per clerk,
            # unique names) caught what a check missed: refuse, nothing was written.
            raise Refused(f"refused by the database: {exc}") from exc
        except sqlite3.OperationalError as exc:
            raise Unavailable(describe_sqlite_error(self.path, exc)) from exc

    def _event(
        self,
        kind: str,
        actor: Actor,
        *,
        ticket_id: int | None = None,
        counter: int | None = None,
        changes: dict[str, Any] | None = None,
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO events (at, kind, ticket_id, counter_number, actor, station, changes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                self.clock.now(),
                kind,
                ticket_id,
                counter,
                actor.staff_no,
                actor.station,
                json.dumps(changes or {}, ensure_ascii=False),
            ),
        )
        return int(cur.lastrowid or 0)

    def _update_ticket(
        self, kind: str, actor: Actor, row: sqlite3.Row, counter: int | None = None, **new: Any
    ) -> Ticket:
        """Change one ticket's columns and log exactly what changed, in the caller's transaction."""
        if "materials" in new:
            new["materials"] = json.dumps(list(new["materials"]), ensure_ascii=False)
        changes = {k: [row[k], v] for k, v in new.items() if row[k] != v}
        if changes:
            sets = ", ".join(f"{k} = ?" for k in changes)
            self.conn.execute(
                f"UPDATE tickets SET {sets} WHERE id = ?",
                [v[1] for v in changes.values()] + [row["id"]],
            )
        self._event(
            kind,
            actor,
            ticket_id=row["id"],
            counter=counter if counter is not None else row["counter_number"],
            changes=changes,
        )
        return self._ticket_by_id(row["id"])

    # -- reads shared by every part ----------------------------------------
    def settings(self) -> dict[str, Any]:
        stored = {
            r["key"]: json.loads(r["value"])
            for r in self.conn.execute("SELECT key, value FROM settings")
        }
        return {**DEFAULT_SETTINGS, **stored}

    def _setting(self, name: str) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (name,)).fetchone()
        return json.loads(row["value"]) if row else DEFAULT_SETTINGS[name]

    def _ticket_by_id(self, ticket_id: int) -> Ticket:
        row = self.conn.execute(TICKET_SELECT + " WHERE t.id = ?", (ticket_id,)).fetchone()
        if row is None:
            raise NotFound(f"no ticket #{ticket_id}")
        return ticket_from_row(row)

    def _ticket_row(self, ref: str) -> sqlite3.Row:
        """The ticket named by 'A023' (today), '2026-11-25/A023' or '#17'."""
        ref = ref.strip()
        if ref.startswith("#"):
            if not ref[1:].isdigit():
                raise BadInput(f"{ref!r} is not a ticket id (#17)")
            row = self.conn.execute(
                "SELECT * FROM tickets WHERE id = ?", (int(ref[1:]),)
            ).fetchone()
        else:
            day, _, number = ref.rpartition("/")
            day = day or self.clock.day()
            number = number.upper()
            if not number or not number[-1].isdigit() or not number.isalnum():
                raise BadInput(f"{ref!r} is not a ticket number (A023, 2026-11-25/A023 or #17)")
            row = self.conn.execute(
                "SELECT * FROM tickets WHERE day = ? AND number = ?", (day, number)
            ).fetchone()
        if row is None:
            raise NotFound(f"no ticket {ref}" + ("" if "/" in ref or "#" in ref else " today"))
        return row

    def _counter_row(self, number: int) -> sqlite3.Row:
        row = self.conn.execute(
            "SELECT c.*, k.staff_no AS clerk_staff_no, k.name AS clerk_name"
            " FROM counters c LEFT JOIN clerks k ON k.id = c.clerk_id WHERE c.number = ?",
            (number,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no counter {number}")
        return row

    def _counter(self, number: int) -> Counter:
        row = self._counter_row(number)
        return self._counter_from_row(row)

    def _counter_from_row(self, row: sqlite3.Row) -> Counter:
        tiers = self.conn.execute(
            """SELECT s.code, cs.tier FROM counter_services cs
               JOIN services s ON s.id = cs.service_id
               WHERE cs.counter_id = ? ORDER BY cs.tier, s.code""",
            (row["id"],),
        ).fetchall()
        grouped: dict[int, list[str]] = {}
        for t in tiers:
            grouped.setdefault(t["tier"], []).append(t["code"])
        printer = None
        if row["printer_id"] is not None:
            p = self.conn.execute(
                "SELECT name FROM printers WHERE id = ?", (row["printer_id"],)
            ).fetchone()
            printer = p["name"] if p else None
        return Counter(
            id=row["id"],
            number=row["number"],
            name=row["name"],
            services=["+".join(codes) for _, codes in sorted(grouped.items())],
            green_channel=bool(row["green_channel"]),
            low_position=bool(row["low_position"]),
            active=bool(row["active"]),
            state=row["state"],
            pause_reason=row["pause_reason"],
            state_since=row["state_since"],
            clerk_staff_no=row["clerk_staff_no"],
            clerk_name=row["clerk_name"],
            printer=printer,
        )

    @staticmethod
    def _require(actor: Actor, role: str, what: str) -> None:
        if not actor.may(role):
            raise AuthError(f"{what} needs the {role} role; {actor.staff_no} is a {actor.role}")
