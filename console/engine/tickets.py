"""Tickets: issue, transfer, cancel, green channel, a ticket's matter, and the close of the
day; what a counter does with the ticket at its desk is :mod:`console.engine.calls`.

Each method validates its arguments first (bad input never opens a
transaction), then inside ``Core.write`` re-reads the rows it depends on, checks
the state machine and the actor's right to act, changes the rows and appends
the event, all in one ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any

from console.domain import Actor, IssueResult, Ticket
from console.domain import fields as f
from console.domain.errors import AuthError, BadInput, Refused
from console.domain.lifecycle import check_transition
from console.engine import checks, commands, estimate
from console.engine.catalogue import Catalogue
from console.engine.core import TICKET_COLUMNS, Core, Room
from console.engine.failover import number_floor
from console.engine.print_jobs import PrintJobs
from console.engine.services import Services
from console.engine.sessions import closed_for_holiday, next_opening, open_session

PUBLIC_CODE_BYTES = 16
"""A ticket's public code (its QR leads to /t/{code}): 128 random bits, 22 characters.
Not in the event log: the log goes to every station and into exports, the code is the
citizen's key to their own ticket's page."""


class Tickets(Room):
    """A ticket's life on the floor: its issue, its moves, its end by the floor."""

    def __init__(self, core: Core, services: Services, catalogue: Catalogue,
                 print_jobs: PrintJobs) -> None:  # fmt: skip
        super().__init__(core)
        self.services = services
        self.catalogue = catalogue
        self.print_jobs = print_jobs

    # -- guards -----------------------------------------------------------

    def _may_touch(self, actor: Actor, row: sqlite3.Row, what: str) -> None:
        """A clerk acts on the ticket at their own counter; a manager on any ticket."""
        if actor.may("manager"):
            return
        if row["counter_number"] is not None:
            counter = self.core.counter_row(row["counter_number"])
            if counter["clerk_staff_no"] == actor.staff_no:
                return
        raise AuthError(reason="ticket.manager_only", what=what, ticket=row["number"])

    # -- day handling -----------------------------------------------------
    def close_day(self, actor: Actor, key: str | None = None) -> int:
        self.core.require(actor, "manager", "closing the day")
        today = self.clock.day()
        return self.core.write(
            "close_day",
            commands.keyed(key, actor),
            lambda: self.core.expire(actor, "day <= ?", (today,)),
            encode=lambda n: n,
            decode=int,
        )

    # -- issue ------------------------------------------------------------
    def issue(
        self,
        actor: Actor,
        service: str | None = None,
        *,
        green_reason: str | None = None,
        green_note: str | None = None,
        low_position: bool = False,
        print_ticket: bool = False,
        matter: str | None = None,
        key: str | None = None,
    ) -> IssueResult:
        """A ticket in ``service``'s queue, or in ``matter``'s (recording the matter)."""
        reason = checks.green_reason(green_reason)
        note = f.GREEN_NOTE.check(green_note)
        if not service and not matter:
            raise BadInput(reason="issue.needs_service")

        def op() -> IssueResult:
            queue, matter_id = service, None
            if matter:
                row = self.catalogue.issuable_matter(matter)
                queue = self.conn.execute(
                    "SELECT code FROM services WHERE id = ?", (row["service_id"],)
                ).fetchone()[0]
                if service and service != queue:
                    raise BadInput(reason="matter.other_queue", code=matter, service=queue)
                matter_id = row["id"]
            return self.issue_in_write(
                actor, str(queue), reason, note, low_position, print_ticket, None, matter_id
            )

        return self.core.write(
            "issue",
            commands.keyed(
                key,
                actor,
                service=service,
                green_reason=green_reason,
                green_note=green_note,
                low_position=low_position,
                print_ticket=print_ticket,
                matter=matter,
            ),
            op,
            decode=IssueResult.from_dict,
        )

    def issue_in_write(
        self,
        actor: Actor,
        service: str,
        reason: str | None,
        note: str | None,
        low_position: bool,
        print_ticket: bool,
        appointment: str | None,
        matter_id: int | None = None,
    ) -> IssueResult:
        srow = self.services.row(service)
        if not srow["active"]:
            raise Refused(reason="service.retired", service=service)
        if (
            low_position
            and not self.conn.execute(
                "SELECT 1 FROM counters c JOIN counter_services cs ON cs.counter_id = c.id"
                " WHERE cs.service_id = ? AND c.low_position = 1 AND c.active = 1",
                (srow["id"],),
            ).fetchone()
        ):
            raise Refused(reason="service.no_low_counter", service=srow["code"])
        now = self.clock.now()
        local = self.clock.local(now)
        day = local.date().isoformat()
        is_open, session_id = open_session(self.conn, local)
        if not is_open:
            upcoming = next_opening(self.conn, local)
            holiday = closed_for_holiday(self.conn, local)
            if holiday:
                raise Refused(reason="issue.hall_closed_holiday", holiday_zh=holiday[0],
                              holiday_en=holiday[1], upcoming=upcoming or "-")  # fmt: skip
            raise (
                Refused(reason="issue.hall_closed_until", upcoming=upcoming)
                if upcoming
                else Refused(reason="issue.hall_closed")
            )
        seq = self.conn.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM tickets WHERE day = ? AND prefix = ?",
            (day, srow["prefix"]),
        ).fetchone()[0]
        seq = max(seq, number_floor(self.conn, day, srow["prefix"]))  # after a failover: a gap
        number = f"{srow['prefix']}{seq:03d}"
        cur = self.conn.execute(
            "INSERT INTO tickets (day, prefix, seq, number, service_id, status, issued_at,"
            " queued_at, green_reason, green_note, low_position, session_id, appointment_code,"
            " matter_id, public_code)"
            " VALUES (?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                day,
                srow["prefix"],
                seq,
                number,
                srow["id"],
                now,
                now,
                reason,
                note,
                1 if low_position else 0,
                session_id,
                appointment,
                matter_id,
                secrets.token_urlsafe(PUBLIC_CODE_BYTES),
            ),
        )
        row = self.conn.execute("SELECT * FROM tickets WHERE id = ?", (cur.lastrowid,)).fetchone()
        self.core.event(
            "issued", actor, ticket_id=row["id"], changes={c: row[c] for c in TICKET_COLUMNS}
        )
        if print_ticket:
            self.print_jobs.queue(actor, row["id"], "ticket", None)
        settings = self.core.settings()
        expected = estimate.estimate(self.conn, row, now, settings)
        public_url = str(settings.get("public_url") or "").rstrip("/")
        return IssueResult(
            ticket=self.core.ticket_by_id(row["id"]),
            ahead=expected.ahead,
            estimated_wait_min=expected.minutes,
            page_url=f"{public_url}/t/{row['public_code']}" if public_url else None,
        )

    def transfer(
        self,
        actor: Actor,
        ticket: str,
        *,
        to_service: str | None = None,
        to_counter: int | None = None,
        key: str | None = None,
    ) -> Ticket:
        if (to_service is None) == (to_counter is None):
            raise BadInput(reason="transfer.one_target")

        def op() -> Ticket:
            row = self.core.ticket_row(ticket)
            check_transition("transfer", row["number"], row["status"])
            self._may_touch(actor, row, "transferring")
            new: dict[str, Any] = {
                "status": "waiting",
                "counter_number": None,
                "clerk_staff_no": None,
                "called_at": None,
                "served_at": None,
                "transferred": 1,
            }
            if to_service is not None:
                srow = self.services.row(to_service)
                if not srow["active"]:
                    raise Refused(reason="service.retired", service=to_service)
                new.update(service_id=srow["id"], directed_counter=None)
            else:
                target = self.core.counter_row(int(to_counter or 0))
                if not target["active"]:
                    raise Refused(reason="counter.out_of_use", counter=to_counter)
                if target["state"] == "closed":
                    # nobody would call it there: the citizen would wait unseen
                    raise Refused(reason="transfer.counter_closed", counter=to_counter)
                if row["counter_number"] == to_counter and row["status"] != "parked":
                    raise Refused(
                        reason="ticket.already_there", ticket=row["number"], counter=to_counter
                    )
                new["directed_counter"] = to_counter
            return self.core.update_ticket(
                "transferred", actor, row, counter=row["counter_number"], **new
            )

        return self.core.write(
            "transfer",
            commands.keyed(key, actor, ticket=ticket, to_service=to_service, to_counter=to_counter),
            op,
            decode=Ticket.from_dict,
        )

    def cancel(self, actor: Actor, ticket: str, key: str | None = None) -> Ticket:
        def op() -> Ticket:
            row = self.core.ticket_row(ticket)
            check_transition("cancel", row["number"], row["status"])
            self._may_touch(actor, row, "cancelling")
            return self.core.update_ticket(
                "cancelled", actor, row, status="cancelled", finished_at=self.clock.now()
            )

        return self.core.write(
            "cancel", commands.keyed(key, actor, ticket=ticket), op, decode=Ticket.from_dict
        )

    def flag_green(
        self,
        actor: Actor,
        ticket: str,
        reason: str,
        note: str | None = None,
        key: str | None = None,
    ) -> Ticket:
        checked = checks.green_reason(reason)
        text = f.GREEN_NOTE.check(note)

        def op() -> Ticket:
            row = self.core.ticket_row(ticket)
            check_transition("flag_green", row["number"], row["status"])
            return self.core.update_ticket(
                "green_flagged", actor, row, green_reason=checked, green_note=text
            )

        return self.core.write(
            "flag_green",
            commands.keyed(key, actor, ticket=ticket, reason=reason, note=note),
            op,
            decode=Ticket.from_dict,
        )

    # -- a ticket's matter ------------------------------------------------
    def change_matter(
        self, actor: Actor, ticket: str, matter: str, key: str | None = None
    ) -> Ticket:
        """Record the matter the citizen really came for (they often name the wrong one).

        A waiting ticket also moves to the new matter's queue, keeping its place; a ticket
        at a desk stays there (the clerk handles it), only its matter changes."""

        def op() -> Ticket:
            row = self.core.ticket_row(ticket)
            check_transition("change_matter", row["number"], row["status"])
            if row["status"] != "waiting":
                self._may_touch(actor, row, "changing the matter of")
            target = self.catalogue.issuable_matter(matter)  # as an issue checks it
            new: dict[str, Any] = {"matter_id": target["id"]}
            if row["status"] == "waiting":
                new["service_id"] = target["service_id"]
            return self.core.update_ticket("matter.changed", actor, row, **new)

        return self.core.write(
            "change_matter",
            commands.keyed(key, actor, ticket=ticket, matter=matter),
            op,
            decode=Ticket.from_dict,
        )
