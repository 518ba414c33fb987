"""Appointments: booked visits imported from a file, and their check-in at reception,
which issues the appointment's ticket (``Tickets.issue_in_write``) in the same write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from console.domain import Actor, IssueResult
from console.domain import fields as f
from console.domain.errors import BadInput, NotFound, Refused
from console.engine import checks, commands
from console.engine.core import Core, Room
from console.engine.services import Services
from console.engine.sessions import check_hhmm
from console.engine.tickets import Tickets


class Appointments(Room):
    """Import appointments; check one in."""

    def __init__(self, core: Core, services: Services, tickets: Tickets) -> None:
        super().__init__(core)
        self.services = services
        self.tickets = tickets

    def import_appointments(
        self, actor: Actor, rows: Sequence[dict[str, str]], key: str | None = None
    ) -> dict[str, Any]:
        """Store the valid rows, report the others by line and column, each with its reason
        code and parameters (and its English sentence); one transaction for all."""
        self.core.require(actor, "manager", "importing appointments")

        def op() -> dict[str, Any]:
            imported, errors = 0, []
            now = self.clock.now()
            for index, raw in enumerate(rows):
                line = int(raw.get("_line", index + 2))
                column = "code"  # the column being read: a bad row names it
                try:
                    code = checks.text(raw.get("code"), "code", 40)
                    column = "service"
                    srow = self.services.row(checks.text(raw.get("service"), "service", 16))
                    column = "date"
                    try:
                        day = date.fromisoformat((raw.get("date") or "").strip()).isoformat()
                    except ValueError:
                        raise BadInput(
                            reason="appointment.bad_date", value=repr(raw.get("date"))
                        ) from None
                    column = "time"
                    slot = (raw.get("time") or "").strip() or None
                    if slot is not None:
                        check_hhmm(slot, "time")
                    column = "name"
                    name = checks.note(raw.get("name"), "name")
                    column = "green_reason"
                    reason = checks.green_reason((raw.get("green_reason") or "").strip() or None)
                    column = "code"
                    if self.conn.execute(
                        "SELECT 1 FROM appointments WHERE code = ?", (code,)
                    ).fetchone():
                        raise Refused(reason="appointment.imported", code=code)
                    self.conn.execute(
                        "INSERT INTO appointments (code, service_id, day, slot, name,"
                        " green_reason, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (code, srow["id"], day, slot, name, reason, now),
                    )
                    imported += 1
                except (BadInput, Refused) as exc:  # said where shown, from its code
                    errors.append({"line": line, "column": column, "error": exc.message,
                                   "reason": exc.reason, "params": exc.params})  # fmt: skip
            self.core.event(
                "appointments.imported",
                actor,
                changes={"imported": imported, "rejected": len(errors)},
            )
            return {"imported": imported, "errors": errors}

        return self.core.write(
            "import_appointments", commands.keyed(key, actor, rows=rows), op, encode=lambda r: r
        )

    def check_in(
        self, actor: Actor, code: str, *, print_ticket: bool = False, key: str | None = None
    ) -> IssueResult:
        code = f.APPOINTMENT_CODE.check(code)

        def op() -> IssueResult:
            row = self.conn.execute(
                "SELECT a.*, s.code AS service_code FROM appointments a"
                " JOIN services s ON s.id = a.service_id WHERE a.code = ?",
                (code,),
            ).fetchone()
            if row is None:
                raise NotFound(reason="appointment.not_found", code=code)
            if row["ticket_id"] is not None:
                number = self.core.ticket_by_id(row["ticket_id"]).number
                raise Refused(reason="appointment.checked_in", code=code, ticket=number)
            today = self.clock.day()
            if row["day"] != today:
                raise Refused(reason="appointment.other_day", code=code, day=row["day"])
            result = self.tickets.issue_in_write(
                actor, row["service_code"], row["green_reason"], None, False, print_ticket, code
            )
            self.conn.execute(
                "UPDATE appointments SET ticket_id = ? WHERE id = ?", (result.ticket.id, row["id"])
            )
            return result

        return self.core.write(
            "check_in",
            commands.keyed(key, actor, code=code, print_ticket=print_ticket),
            op,
            decode=IssueResult.from_dict,
        )
