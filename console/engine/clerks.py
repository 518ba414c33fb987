"""Clerks: who may act in the hall (staff number, name, role, PIN), and their login.

The PIN is stored only as a slow hash and never goes into the event log. Wrong PINs count
towards a lockout (``pin_max_failures``, ``pin_lockout_min``); a new PIN, a new role or a
deactivation ends the clerk's logins at every station.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from console.domain import ROLES, Actor, Clerk
from console.domain import fields as f
from console.domain.errors import AuthError, BadInput, NotFound, Refused
from console.engine import commands
from console.engine.core import Room
from console.engine.pins import check_pin_format, hash_pin, pin_matches


class Clerks(Room):
    """Log a clerk in; list, add, edit and remove clerks."""

    # -- login ------------------------------------------------------------
    def login(self, staff_no: str, pin: str, station: str) -> Actor:
        """Check a clerk's PIN. The attempt is counted before the (slow) check, in one write,
        so racing attempts each take one of the ``pin_max_failures`` tries and no more."""
        row = self.conn.execute(
            "SELECT * FROM clerks WHERE staff_no = ? AND active = 1", (staff_no,)
        ).fetchone()
        if row is None:
            pin_matches(None, pin)  # as long as a wrong PIN takes
            raise AuthError(reason="auth.wrong_pin")
        who = Actor(staff_no=row["staff_no"], role=row["role"], station=station, name=row["name"])
        attempt = self.core.write("login", None, lambda: self._take_attempt(staff_no, row["id"]),
                                  encode=str)  # fmt: skip
        if pin_matches(row["pin_hash"], pin):
            self.core.write("login", None, lambda: self._reset_failures(row["id"]), encode=str)
            return who
        locked = self.core.write(
            "login", None, lambda: self._count_failure(who, row["id"], attempt), encode=str
        )
        if locked:
            raise AuthError(
                reason="auth.now_locked",
                clerk=staff_no,
                minutes=self.core.setting("pin_lockout_min"),
            )
        raise AuthError(reason="auth.wrong_pin")

    def _take_attempt(self, staff_no: str, clerk_id: int) -> int:
        """Reserve one try (refused while locked, or when every try is taken); its number."""
        row = self.conn.execute(
            "SELECT failed_attempts, locked_until FROM clerks WHERE id = ?", (clerk_id,)
        ).fetchone()
        now = self.clock.now()
        if row["locked_until"] and row["locked_until"] > now:
            minutes = max(1, round((row["locked_until"] - now) / 60))
            raise AuthError(reason="auth.locked", clerk=staff_no, minutes=minutes)
        if row["failed_attempts"] >= self.core.setting("pin_max_failures"):
            raise AuthError(reason="auth.no_tries", clerk=staff_no)
        attempt = row["failed_attempts"] + 1
        self.conn.execute("UPDATE clerks SET failed_attempts = ? WHERE id = ?", (attempt, clerk_id))
        return attempt

    def _reset_failures(self, clerk_id: int) -> None:
        self.conn.execute("UPDATE clerks SET failed_attempts = 0 WHERE id = ?", (clerk_id,))

    def _count_failure(self, who: Actor, clerk_id: int, attempt: int) -> bool:
        """A reserved try was a wrong PIN: the last allowed one locks the clerk."""
        if attempt >= self.core.setting("pin_max_failures"):
            until = self.clock.now() + self.core.setting("pin_lockout_min") * 60
            self.conn.execute(
                "UPDATE clerks SET failed_attempts = 0, locked_until = ? WHERE id = ?",
                (until, clerk_id),
            )
            self.core.event("clerk.locked", who, changes={"staff_no": who.staff_no})
            return True
        self.core.event("login.failed", who, changes={"staff_no": who.staff_no})
        return False

    # -- clerks -----------------------------------------------------------
    def list_clerks(self) -> list[Clerk]:
        rows = self.conn.execute("SELECT * FROM clerks ORDER BY staff_no").fetchall()
        return [self.from_row(r) for r in rows]

    @staticmethod
    def from_row(row: sqlite3.Row) -> Clerk:
        data = dict(row)
        data["active"] = bool(data["active"])
        return Clerk.from_dict(data)

    def row(self, staff_no: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM clerks WHERE staff_no = ?", (staff_no,)).fetchone()
        if row is None:
            raise NotFound(reason="clerk.not_found", clerk=repr(staff_no))
        return row

    def add_clerk(self, actor: Actor, key: str | None = None, **fields: Any) -> Clerk:
        self.core.require(actor, "admin", "adding a clerk")
        staff_no = f.STAFF_NO.check(fields.get("staff_no"))
        name = f.CLERK_NAME.check(fields.get("name"))
        role = fields.get("role") or "clerk"
        if role not in ROLES:
            raise BadInput(reason="clerk.bad_role", choices=", ".join(ROLES), value=repr(role))
        pin_hash = hash_pin(check_pin_format(str(fields.get("pin") or "")))

        def op() -> Clerk:
            if self.conn.execute("SELECT 1 FROM clerks WHERE staff_no = ?", (staff_no,)).fetchone():
                raise Refused(reason="clerk.exists", clerk=staff_no)
            self.conn.execute(
                "INSERT INTO clerks (staff_no, name, role, pin_hash) VALUES (?, ?, ?, ?)",
                (staff_no, name, role, pin_hash),
            )
            self.core.event(
                "clerk.added", actor, changes={"staff_no": staff_no, "name": name, "role": role}
            )
            return self.from_row(self.row(staff_no))

        return self.core.write(
            "add_clerk", commands.keyed(key, actor, fields=fields), op, decode=Clerk.from_dict
        )

    def edit_clerk(
        self, actor: Actor, staff_no: str, key: str | None = None, **changes: Any
    ) -> Clerk:
        self.core.require(actor, "admin", "editing a clerk")
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if value is None:
                continue
            if name == "name":
                values["name"] = f.CLERK_NAME.check(value)
            elif name == "role":
                if value not in ROLES:
                    raise BadInput(
                        reason="clerk.bad_role", choices=", ".join(ROLES), value=repr(value)
                    )
                values["role"] = value
            elif name == "pin":
                values["pin_hash"] = hash_pin(str(value))
            elif name == "active":
                values["active"] = 1 if value else 0
            elif name == "unlock":
                if value:
                    values["failed_attempts"] = 0
                    values["locked_until"] = None
            else:
                raise BadInput(reason="field.unknown", kind="clerks", fields=name)

        def op() -> Clerk:
            row = self.row(staff_no)
            diff = {k: [row[k], v] for k, v in values.items() if row[k] != v}
            if diff:
                sets = ", ".join(f"{k} = ?" for k in diff)
                self.conn.execute(
                    f"UPDATE clerks SET {sets} WHERE id = ?",
                    [v[1] for v in diff.values()] + [row["id"]],
                )
            if "pin_hash" in diff or values.get("active") == 0 or "role" in diff:
                self._end_sessions(staff_no)
            logged = {k: (["…", "…"] if k == "pin_hash" else v) for k, v in diff.items()}
            self.core.event("clerk.edited", actor, changes={"staff_no": staff_no, **logged})
            return self.from_row(self.row(staff_no))

        return self.core.write(
            "edit_clerk",
            commands.keyed(key, actor, staff_no=staff_no, changes=changes),
            op,
            decode=Clerk.from_dict,
        )

    def _end_sessions(self, staff_no: str) -> None:
        """A new PIN, a new role or a deactivation ends the clerk's logins at every station."""
        self.conn.execute("DELETE FROM server_sessions WHERE staff_no = ?", (staff_no,))

    def remove_clerk(self, actor: Actor, staff_no: str, key: str | None = None) -> str:
        self.core.require(actor, "admin", "removing a clerk")

        def op() -> str:
            row = self.row(staff_no)
            if self.conn.execute(
                "SELECT 1 FROM counters WHERE clerk_id = ? AND state != 'closed'", (row["id"],)
            ).fetchone():
                raise Refused(reason="clerk.at_open_counter", clerk=staff_no)
            self._end_sessions(staff_no)
            # Tickets and events name clerks by staff number, so history stays readable;
            # the row is kept (inactive) when the counters still point at it.
            if self.conn.execute(
                "SELECT 1 FROM counters WHERE clerk_id = ?", (row["id"],)
            ).fetchone():
                self.conn.execute("UPDATE clerks SET active = 0 WHERE id = ?", (row["id"],))
                self.core.event("clerk.deactivated", actor, changes={"staff_no": staff_no})
                return "deactivated"
            self.conn.execute("DELETE FROM clerks WHERE id = ?", (row["id"],))
            self.core.event("clerk.removed", actor, changes={"staff_no": staff_no})
            return "removed"

        return self.core.write(
            "remove_clerk", commands.keyed(key, actor, staff_no=staff_no), op, encode=lambda r: r
        )
