"""Counters: their setup (number, name, services by tier, printer) and their state
(open, paused, closed, and the clerk at each), each change one write with its event.

Opening a counter takes it for the clerk logging in at it; a manager may open counters for
whoever logs in there. The guards that say whether an actor may act at a counter live
here too: the ticket operations at a desk ask them first.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from console.domain import Actor, Counter
from console.domain import fields as f
from console.domain.errors import AuthError, BadInput, Refused
from console.engine import commands
from console.engine.core import Core, Room
from console.engine.print_jobs import PrintJobs
from console.engine.services import Services


class Counters(Room):
    """List, add, edit and remove counters; open, pause, resume and close them."""

    def __init__(self, core: Core, services: Services, print_jobs: PrintJobs) -> None:
        super().__init__(core)
        self.services = services
        self.print_jobs = print_jobs

    # -- guards -----------------------------------------------------------
    def for_actor(self, actor: Actor, number: int, *states: str) -> sqlite3.Row:
        """The counter row, if ``actor`` may act at it and it is in one of ``states``."""
        row = self.core.counter_row(number)
        if (
            row["clerk_staff_no"] is not None
            and row["clerk_staff_no"] != actor.staff_no
            and not actor.may("manager")
        ):
            raise AuthError(
                reason="counter.run_by_other", counter=number, clerk=row["clerk_staff_no"]
            )
        if row["clerk_staff_no"] is None and row["state"] != "closed" and not actor.may("manager"):
            raise AuthError(reason="counter.no_clerk", counter=number)
        if states and row["state"] not in states:
            if row["state"] == "paused":
                raise Refused(
                    reason="counter.paused", counter=number, pause_reason=row["pause_reason"]
                )
            raise Refused(reason="counter.not_open", counter=number, state=row["state"])
        return row

    def current_row(self, number: int) -> sqlite3.Row | None:
        return self.conn.execute(
            "SELECT * FROM tickets WHERE counter_number = ? AND status IN ('called', 'serving')",
            (number,),
        ).fetchone()

    # -- setup -------------------------------------------------------------
    def list_counters(self) -> list[Counter]:
        rows = self.conn.execute(
            "SELECT c.*, k.staff_no AS clerk_staff_no, k.name AS clerk_name"
            " FROM counters c LEFT JOIN clerks k ON k.id = c.clerk_id ORDER BY c.number"
        ).fetchall()
        return [self.core.counter_from_row(r) for r in rows]

    def _set_services(self, counter_id: int, services: list[str]) -> None:
        self.conn.execute("DELETE FROM counter_services WHERE counter_id = ?", (counter_id,))
        seen: set[str] = set()
        for tier, group in enumerate(services, start=1):
            for code in str(group).split("+"):
                code = code.strip()
                if not code:
                    continue
                if code in seen:
                    raise BadInput(reason="service.listed_twice", service=code)
                seen.add(code)
                row = self.services.row(code)
                if not row["active"]:
                    raise Refused(reason="service.inactive", service=code)
                self.conn.execute(
                    "INSERT INTO counter_services (counter_id, service_id, tier) VALUES (?, ?, ?)",
                    (counter_id, row["id"], tier),
                )

    @staticmethod
    def _services_list(value: Any) -> list[str]:
        if isinstance(value, str):
            value = [v for v in value.split(",") if v.strip()]
        return [str(v).strip() for v in value]

    def _fields(self, fields: dict[str, Any]) -> dict[str, Any]:
        allowed = {
            "number",
            "name",
            "services",
            "green_channel",
            "low_position",
            "active",
            "printer",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise BadInput(
                reason="field.unknown", kind="counters", fields=", ".join(sorted(unknown))
            )
        out: dict[str, Any] = {}
        for name, value in fields.items():
            if value is None:
                continue
            if name == "number":
                if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 10_000:
                    raise BadInput(reason="counter.bad_number", value=repr(value))
                out[name] = value
            elif name == "name":
                out[name] = f.COUNTER_NAME.check(value)
            elif name in ("green_channel", "low_position", "active"):
                out[name] = 1 if value else 0
            else:
                out[name] = value
        return out

    def add_counter(self, actor: Actor, key: str | None = None, **fields: Any) -> Counter:
        self.core.require(actor, "admin", "adding a counter")
        values = self._fields(fields)
        if "number" not in values:
            raise BadInput(reason="counter.needs_number")
        values.setdefault("name", f"{values['number']}号窗口")
        services = self._services_list(values.pop("services", []))
        printer = values.pop("printer", None)

        def op() -> Counter:
            if self.conn.execute(
                "SELECT 1 FROM counters WHERE number = ?", (values["number"],)
            ).fetchone():
                raise Refused(reason="counter.exists", counter=values["number"])
            if printer:
                values["printer_id"] = self.print_jobs.printer_row(printer)["id"]
            cols = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            cur = self.conn.execute(
                f"INSERT INTO counters ({cols}) VALUES ({marks})", list(values.values())
            )
            self._set_services(int(cur.lastrowid or 0), services)
            self.core.event(
                "counter.added",
                actor,
                counter=values["number"],
                changes={**values, "services": services},
            )
            return self.core.counter(values["number"])

        return self.core.write(
            "add_counter", commands.keyed(key, actor, fields=fields), op, decode=Counter.from_dict
        )

    def edit_counter(
        self, actor: Actor, number: int, key: str | None = None, **changes: Any
    ) -> Counter:
        self.core.require(actor, "admin", "editing a counter")
        values = self._fields(changes)
        services = values.pop("services", None)
        printer = values.pop("printer", None)

        def op() -> Counter:
            row = self.core.counter_row(number)
            if printer is not None:
                values["printer_id"] = (
                    self.print_jobs.printer_row(printer)["id"] if printer else None
                )
            diff = {k: [row[k], v] for k, v in values.items() if row[k] != v}
            if diff:
                sets = ", ".join(f"{k} = ?" for k in diff)
                self.conn.execute(
                    f"UPDATE counters SET {sets} WHERE id = ?",
                    [v[1] for v in diff.values()] + [row["id"]],
                )
            if services is not None:
                before = self.core.counter_from_row(row).services
                after = self._services_list(services)
                self._set_services(row["id"], after)
                diff["services"] = [before, after]
            self.core.event("counter.edited", actor, counter=number, changes=diff)
            return self.core.counter(values.get("number", number))

        return self.core.write(
            "edit_counter",
            commands.keyed(key, actor, number=number, changes=changes),
            op,
            decode=Counter.from_dict,
        )

    def remove_counter(self, actor: Actor, number: int, key: str | None = None) -> str:
        self.core.require(actor, "admin", "removing a counter")

        def op() -> str:
            row = self.core.counter_row(number)
            if row["state"] != "closed":
                raise Refused(reason="counter.not_closed", counter=number, state=row["state"])
            held = self.conn.execute(
                "SELECT number FROM tickets"
                " WHERE (counter_number = ? AND status IN ('called', 'serving', 'parked'))"
                " OR (directed_counter = ? AND status = 'waiting')",
                (number, number),
            ).fetchone()
            if held:
                raise Refused(reason="counter.holds_ticket", ticket=held["number"], counter=number)
            self.conn.execute("DELETE FROM counters WHERE id = ?", (row["id"],))
            self.core.event("counter.removed", actor, counter=number)
            return "removed"

        return self.core.write(
            "remove_counter", commands.keyed(key, actor, number=number), op, encode=lambda r: r
        )

    # -- state -------------------------------------------------------------
    def _change(self, kind: str, actor: Actor, row: sqlite3.Row, **new: Any) -> Counter:
        new["state_since"] = self.clock.now()
        changes = {k: [row[k], v] for k, v in new.items() if row[k] != v}
        sets = ", ".join(f"{k} = ?" for k in new)
        self.conn.execute(f"UPDATE counters SET {sets} WHERE id = ?", [*new.values(), row["id"]])
        self.core.event(kind, actor, counter=row["number"], changes=changes)
        return self.core.counter(row["number"])

    def open_counter(
        self, actor: Actor, number: int, key: str | None = None, take: bool = True
    ) -> Counter:
        """Open a counter; with ``take`` (a login at the desk) the actor becomes its clerk.

        The floor view opens counters with ``take=False``: the manager opens the counter
        for whoever logs in there, and can open any number of them.
        """

        if not take:
            self.core.require(actor, "manager", "opening a counter for another clerk (take=false)")

        def op() -> Counter:
            row = self.core.counter_row(number)
            if not row["active"]:
                raise Refused(reason="counter.inactive", counter=number)
            clerk = self.conn.execute(
                "SELECT id FROM clerks WHERE staff_no = ?", (actor.staff_no,)
            ).fetchone()
            taking = (
                clerk is not None and take and (actor.role == "clerk" or row["clerk_id"] is None)
            )
            if row["state"] != "closed" and row["clerk_staff_no"] not in (None, actor.staff_no):
                if not actor.may("manager"):
                    raise Refused(
                        reason="counter.open_for_other",
                        counter=number,
                        clerk=row["clerk_staff_no"],
                    )
                taking = False
            if taking:
                other = self.conn.execute(
                    "SELECT number FROM counters WHERE clerk_id = ? AND state != 'closed'"
                    " AND id != ?",
                    (clerk["id"], row["id"]),
                ).fetchone()
                if other:
                    raise Refused(
                        reason="counter.clerk_has_other",
                        clerk=actor.staff_no,
                        counter=other["number"],
                    )
            if row["state"] == "open" and (not taking or row["clerk_id"] == clerk["id"]):
                return self.core.counter(number)
            return self._change(
                "counter.opened",
                actor,
                row,
                state="open",
                pause_reason=None,
                clerk_id=clerk["id"] if taking else row["clerk_id"],
            )

        return self.core.write(
            "open_counter",
            commands.keyed(key, actor, number=number, take=take),
            op,
            decode=Counter.from_dict,
        )

    def pause_counter(
        self, actor: Actor, number: int, reason: str, key: str | None = None
    ) -> Counter:
        reason = f.PAUSE_REASON.check(reason)

        def op() -> Counter:
            row = self.for_actor(actor, number, "open")
            return self._change("counter.paused", actor, row, state="paused", pause_reason=reason)

        return self.core.write(
            "pause_counter",
            commands.keyed(key, actor, number=number, reason=reason),
            op,
            decode=Counter.from_dict,
        )

    def resume_counter(self, actor: Actor, number: int, key: str | None = None) -> Counter:
        def op() -> Counter:
            row = self.for_actor(actor, number, "paused")
            return self._change("counter.resumed", actor, row, state="open", pause_reason=None)

        return self.core.write(
            "resume_counter",
            commands.keyed(key, actor, number=number),
            op,
            decode=Counter.from_dict,
        )

    def close_counter(self, actor: Actor, number: int, key: str | None = None) -> Counter:
        def op() -> Counter:
            row = self.for_actor(actor, number, "open", "paused")
            current = self.current_row(number)
            if current is not None:
                raise Refused(reason="counter.busy_call", counter=number, ticket=current["number"])
            return self._change(
                "counter.closed", actor, row, state="closed", pause_reason=None, clerk_id=None
            )

        return self.core.write(
            "close_counter", commands.keyed(key, actor, number=number), op, decode=Counter.from_dict
        )
