"""The engine's base: the single write path, the event log and row conversion.

Every state change in the hall goes through :meth:`Core.write`: one
``BEGIN IMMEDIATE`` transaction that checks the idempotency key (its scope and
argument fingerprint: :mod:`console.engine.commands`), runs the operation (which
validates, changes rows and appends events) and records the result under the
key before committing. Nothing else writes.

A ticket write reads the hall's setup (settings, each counter's services) only when
it may have changed since the last write: :class:`Known` keeps it, with the day whose
earlier tickets are known to be ended, for as long as no other connection committed
(SQLite's ``PRAGMA data_version``) and this one ran only ticket writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from console.announce.voice import SETTINGS as ANNOUNCE_SETTINGS
from console.domain import Actor, Counter, Ticket
from console.domain.errors import AuthError, BadInput, NotFound, Refused
from console.engine import commands
from console.engine.clock import Clock
from console.engine.ticket_select import TICKET_SELECT
from console.store.connection import sqlite_failure, write_transaction

T = TypeVar("T")

DEFAULT_SETTINGS: dict[str, Any] = {
    "hall_name": "政务服务大厅 Service Hall",
    "green_streak_limit": 3,
    "green_credit_min": 20,
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
    "public_url": "",
    "board_token": "",
    "public_rate_per_min": 120,
    "failover_number_gap": 50,
    **ANNOUNCE_SETTINGS,
    "elderly_age": 60,
    "failover_call_hold_s": 10,
    "personal_retention_days": 90,
}
"""Hall settings and their defaults; ``qconsole settings`` changes them."""

OPEN_STATUSES = "('waiting', 'called', 'serving', 'parked')"
"""The statuses of a ticket still in the hall's day, as the partial index ``tickets_open``
spells them (the planner uses that index only for this exact condition)."""

TICKET_WRITES = frozenset({
    "issue", "check_in", "call_next", "call_number", "recall", "serve", "finish", "no_show",
    "transfer", "park", "resume", "cancel", "flag_green", "change_matter", "request_print",
    "close_day", "open_counter", "pause_counter", "resume_counter", "close_counter",
    "rate_by_code", "login", "login_attempt", "login_session", "logout", "print.expire",
    "print.claim", "print.lease", "print.settle", "print.set_printer",
})  # fmt: skip
"""Writes that change neither the settings nor any counter's services, nor leave a ticket
of an earlier day open: what :class:`Known` holds stays true across them. Any other write
(setup, imports, a failover) forgets it."""


@dataclass
class Known:
    """The hall's setup as of ``version`` (this connection's ``PRAGMA data_version``)."""

    version: int
    settings: dict[str, Any]
    tiers: dict[int, dict[int, list[int]]] = field(default_factory=dict)
    """Counter id → its services by tier, read the first time the counter calls."""
    swept: str | None = None
    """The service day whose earlier days hold no open ticket."""


DAY_CHANGE = Actor(staff_no="system", role="admin", station="day-change", name="day change")
"""Who ends yesterday's open tickets in the event log."""

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
    "park_reason",
    "parked_at",
    "parked_s",
    "matter_id",
    "feedback",
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
        self.calls_held_until = 0.0
        """``time.monotonic()`` until which "call next" is held: the first seconds a standby
        serves, so each counter can call back the ticket it had called on the lost primary
        before another counter calls that citizen (``console.engine.failover``)."""
        self._known: Known | None = None
        self._ticket_write = False
        """Inside a ticket write: ``_known`` was checked at its start and holds."""
        self._prune_at = 0.0
        """When the next keyed write prunes old command keys (clock time)."""

    # -- the write path -----------------------------------------------------
    def write(
        self,
        op: str,
        command: commands.Command | None,
        fn: Callable[[], T],
        encode: Callable[[T], Any] = lambda r: r.to_dict(),  # type: ignore[attr-defined]
        decode: Callable[[Any], T] | None = None,
    ) -> T:
        """Run ``fn`` as one idempotent write transaction, on today's tickets only.

        ``command`` is the call's idempotency key with its scope and arguments
        (:func:`console.engine.commands.keyed`), or None for a write that carries none: a
        repeat of a recorded command returns the recorded result and changes nothing.

        The first write of a service day, whatever it is, first ends every ticket
        still open from an earlier day (:meth:`_end_earlier_days`) and commits
        that on its own; then ``fn`` runs in a fresh transaction. So a refused
        write still turns the day, and no operation ever sees yesterday's
        tickets open.
        """
        try:
            while True:
                with write_transaction(self.conn, self.path):
                    known = self._known_now()
                    day = self.clock.day()
                    if known.swept != day:
                        if self._end_earlier_days(day):
                            continue  # committed on leaving the block; the operation runs anew
                        known.swept = day
                    self._ticket_write = op in TICKET_WRITES
                    if command is not None:
                        found = commands.recorded(self.conn, command, op)
                        if found is not commands.MISSING:
                            return decode(found) if decode else found
                    result = fn()
                    if command is not None:
                        now = self.clock.now()
                        commands.record(self.conn, command, op, encode(result), now)
                        if now >= self._prune_at:
                            self._prune_at = commands.prune(self.conn, now)
                    return result
        except sqlite3.IntegrityError as exc:
            # The schema's own guards (one active ticket per counter, one counter per clerk,
            # unique names) caught what a check missed: refuse, nothing was written.
            raise Refused(reason="db.refused", detail=str(exc)) from exc
        except sqlite3.DatabaseError as exc:  # busy, full, read-only, or a damaged file
            raise sqlite_failure(self.path, exc) from exc
        finally:
            if not self._ticket_write:
                self._known = None  # a setup write may have changed what it held
            self._ticket_write = False

    def _known_now(self) -> Known:
        """What :class:`Known` holds, read again when another connection has committed."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        known = self._known
        if known is None or known.version != version:
            known = self._known = Known(version, self._stored_settings())
        return known

    def tiers(self, counter_id: int) -> dict[int, list[int]]:
        """A counter's services by tier; in a ticket write, read once per change of setup."""
        from console.engine.policy import counter_tiers

        if not self._ticket_write or self._known is None:
            return counter_tiers(self.conn, counter_id)
        tiers = self._known.tiers.get(counter_id)
        if tiers is None:
            tiers = self._known.tiers[counter_id] = counter_tiers(self.conn, counter_id)
        return tiers

    # -- the day change -----------------------------------------------------
    def expire(self, actor: Actor, where: str, params: Sequence[Any]) -> int:
        """End the open tickets matching ``where`` as expired, each with its event."""
        rows = self.conn.execute(
            f"SELECT * FROM tickets WHERE status IN {OPEN_STATUSES} AND {where}", params
        ).fetchall()
        now = self.clock.now()
        for row in rows:
            self.update_ticket("expired", actor, row, status="expired", finished_at=now)
        return len(rows)

    def _end_earlier_days(self, day: str) -> int:
        """Expire every ticket still open from a day before ``day`` (waiting, called,
        serving or parked alike: a service day never carries over), as the day change.

        Once none is left open, the ended days' totals are kept (:mod:`console.reports.totals`)
        in the same transaction: yesterday's, on an ordinary morning."""
        expired = self.expire(DAY_CHANGE, "day < ?", (day,))
        if not expired:
            # imported here: the reports read the hall's days with the engine's clock
            from console.reports.totals import keep_ended_days

            keep_ended_days(self.conn, day)
        return expired

    def event(
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

    def update_ticket(
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
        self.event(
            kind,
            actor,
            ticket_id=row["id"],
            counter=counter if counter is not None else row["counter_number"],
            changes=changes,
        )
        columns = row.keys()  # a Row's ``in`` looks at its values
        if "service_code" in columns and not {"service_id", "matter_id"} & changes.keys():
            # read with its codes (TICKET_SELECT), which did not change: no need to read it again
            return ticket_from_row({**dict(row), **{k: v[1] for k, v in changes.items()}})
        return self.ticket_by_id(row["id"])

    # -- reads shared by every part ----------------------------------------
    def settings(self) -> dict[str, Any]:
        if self._ticket_write and self._known is not None:
            return dict(self._known.settings)
        if self.conn.in_transaction:  # a setup write, perhaps changing them, or a snapshot
            return self._stored_settings()
        return dict(self._known_now().settings)

    def _stored_settings(self) -> dict[str, Any]:
        stored = {
            r["key"]: json.loads(r["value"])
            for r in self.conn.execute("SELECT key, value FROM settings")
        }
        return {**DEFAULT_SETTINGS, **stored}

    def setting(self, name: str) -> Any:
        return self.settings()[name]

    def ticket_by_id(self, ticket_id: int) -> Ticket:
        return ticket_from_row(self.ticket_select_row(ticket_id))

    def ticket_select_row(self, ticket_id: int) -> sqlite3.Row:
        """The ticket's row with its service's and matter's codes (``TICKET_SELECT``)."""
        row = self.conn.execute(TICKET_SELECT + " WHERE t.id = ?", (ticket_id,)).fetchone()
        if row is None:
            raise NotFound(reason="ticket.id_not_found", ticket_id=ticket_id)
        return row

    def ticket_row(self, ref: str) -> sqlite3.Row:
        """The ticket named by 'A023' (today), '2026-11-25/A023' or '#17'."""
        ref = ref.strip()
        if ref.startswith("#"):
            digits = ref[1:]
            # ASCII only ('²' passes isdigit but not int) and within SQLite's 64-bit integers
            if not (digits.isascii() and digits.isdigit() and len(digits) <= 18):
                raise BadInput(reason="ticket.bad_id", ref=repr(ref))
            row = self.conn.execute(
                "SELECT * FROM tickets WHERE id = ?", (int(ref[1:]),)
            ).fetchone()
        else:
            day, _, number = ref.rpartition("/")
            day = day or self.clock.day()
            number = number.upper()
            if not (number.isascii() and number[-1:].isdigit() and number.isalnum()):
                raise BadInput(reason="ticket.bad_ref", ref=repr(ref))
            row = self.conn.execute(
                "SELECT * FROM tickets WHERE day = ? AND number = ?", (day, number)
            ).fetchone()
        if row is None:
            raise NotFound(
                reason="ticket.not_found" if "/" in ref or "#" in ref else "ticket.not_found_today",
                ticket=ref,
            )
        return row

    def counter_row(self, number: int) -> sqlite3.Row:
        row = self.conn.execute(
            "SELECT c.*, k.staff_no AS clerk_staff_no, k.name AS clerk_name,"
            " (SELECT t.id FROM tickets t WHERE t.counter_number = c.number"
            "  AND t.status IN ('called', 'serving')) AS current_id"
            " FROM counters c LEFT JOIN clerks k ON k.id = c.clerk_id WHERE c.number = ?",
            (number,),
        ).fetchone()
        if row is None:
            raise NotFound(reason="counter.not_found", counter=number)
        return row

    def counter(self, number: int) -> Counter:
        row = self.counter_row(number)
        return self.counter_from_row(row)

    def counter_from_row(self, row: sqlite3.Row) -> Counter:
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
    def require(actor: Actor, role: str, what: str) -> None:
        if not actor.may(role):
            raise AuthError(
                reason="auth.needs_role",
                what=what,
                role=role,
                clerk=actor.staff_no,
                actual=actor.role,
            )


class Room:
    """One aggregate of the hall (tickets, counters, clerks, ...): its operations over the
    shared :class:`Core`, whose :meth:`Core.write` is the only way any room changes a row.
    A room that needs another's rows is handed that room when the engine is built."""

    def __init__(self, core: Core) -> None:
        self.core = core

    @property
    def conn(self) -> sqlite3.Connection:
        return self.core.conn

    @property
    def clock(self) -> Clock:
        return self.core.clock
