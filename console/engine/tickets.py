"""Ticket and counter operations: each one transaction through the single write path.

Each method validates its arguments first (bad input never opens a
transaction), then inside ``_write`` re-reads the rows it depends on, checks
the state machine and the actor's right to act, changes the rows and appends
the event. The "which ticket next" choice and the update happen in the same
``BEGIN IMMEDIATE`` transaction, so two counters can never take one ticket.
"""

from __future__ import annotations

import math
import secrets
import sqlite3
import time
from collections.abc import Sequence
from datetime import date
from typing import Any

from console.domain import OUTCOMES, Actor, Counter, IssueResult, PrintJob, Ticket, reasons
from console.domain.errors import AuthError, BadInput, NotFound, Refused
from console.domain.lifecycle import check_transition
from console.engine import estimate
from console.engine.core import TICKET_COLUMNS
from console.engine.failover import number_floor
from console.engine.policy import next_ticket
from console.engine.sessions import closed_for_holiday, next_opening, open_session
from console.engine.setup import SetupOps, _text

PUBLIC_CODE_BYTES = 16
"""A ticket's public code (its QR leads to /t/{code}): 128 random bits, 22 characters.
Not in the event log: the log goes to every station and into exports, the code is the
citizen's key to their own ticket's page."""


def _note(value: str | None, what: str = "note") -> str | None:
    if value is None or not str(value).strip():
        return None
    return _text(str(value).replace("\n", " "), what, 500)


class TicketOps(SetupOps):
    """Issue, call, serve, finish, transfer, park, cancel; open and close counters."""

    # -- guards -----------------------------------------------------------
    def _counter_for(self, actor: Actor, number: int, *states: str) -> sqlite3.Row:
        """The counter row, if ``actor`` may act at it and it is in one of ``states``."""
        row = self._counter_row(number)
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

    def _current_row(self, number: int) -> sqlite3.Row | None:
        return self.conn.execute(
            "SELECT * FROM tickets WHERE counter_number = ? AND status IN ('called', 'serving')",
            (number,),
        ).fetchone()

    def _held(self, actor: Actor, number: int, op: str) -> sqlite3.Row:
        """The ticket at counter ``number``'s desk, checked for ``op``."""
        counter = self._counter_for(actor, number, "open", "paused")
        if counter["current_id"] is None:
            raise Refused(reason="counter.no_current", counter=number)
        row = self._ticket_select_row(counter["current_id"])
        check_transition(op, row["number"], row["status"])
        return row

    def _may_touch(self, actor: Actor, row: sqlite3.Row, what: str) -> None:
        """A clerk acts on the ticket at their own counter; a manager on any ticket."""
        if actor.may("manager"):
            return
        if row["counter_number"] is not None:
            counter = self._counter_row(row["counter_number"])
            if counter["clerk_staff_no"] == actor.staff_no:
                return
        raise AuthError(reason="ticket.manager_only", what=what, ticket=row["number"])

    # -- day handling -----------------------------------------------------
    def close_day(self, actor: Actor, key: str | None = None) -> int:
        self._require(actor, "manager", "closing the day")
        today = self.clock.day()
        return self._write(
            "close_day",
            key,
            lambda: self._expire(actor, "day <= ?", (today,)),
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
        reason = self._green_reason(green_reason)
        note = _note(green_note, "green-channel note")
        if not service and not matter:
            raise BadInput(reason="issue.needs_service")

        def op() -> IssueResult:
            queue, matter_id = service, None
            if matter:
                row = self._issuable_matter(matter)
                queue = self.conn.execute(
                    "SELECT code FROM services WHERE id = ?", (row["service_id"],)
                ).fetchone()[0]
                if service and service != queue:
                    raise BadInput(reason="matter.other_queue", code=matter, service=queue)
                matter_id = row["id"]
            return self._issue(
                actor, str(queue), reason, note, low_position, print_ticket, None, matter_id
            )

        return self._write("issue", key, op, decode=IssueResult.from_dict)

    def _issuable_matter(self, code: str) -> sqlite3.Row:
        """The matter a new ticket (or a changed one) may name: known and not retired."""
        row = self.conn.execute("SELECT * FROM matters WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise NotFound(reason="matter.not_found", code=repr(code))
        if not row["active"]:
            raise Refused(reason="matter.retired", code=code)
        return row

    def _issue(
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
        srow = self._service_row(service)
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
        self._event(
            "issued", actor, ticket_id=row["id"], changes={c: row[c] for c in TICKET_COLUMNS}
        )
        if print_ticket:
            self._queue_print(actor, row["id"], "ticket", None)
        settings = self.settings()
        expected = estimate.estimate(self.conn, row, now, settings)
        public_url = str(settings.get("public_url") or "").rstrip("/")
        return IssueResult(
            ticket=self._ticket_by_id(row["id"]),
            ahead=expected.ahead,
            estimated_wait_min=expected.minutes,
            page_url=f"{public_url}/t/{row['public_code']}" if public_url else None,
        )

    # -- appointments -----------------------------------------------------
    def import_appointments(self, actor: Actor, rows: Sequence[dict[str, str]]) -> dict[str, Any]:
        """Store the valid rows, report the others by line; one transaction for all."""
        self._require(actor, "manager", "importing appointments")

        def op() -> dict[str, Any]:
            imported, errors = 0, []
            now = self.clock.now()
            for index, raw in enumerate(rows):
                line = int(raw.get("_line", index + 2))
                try:
                    code = _text(raw.get("code"), "code", 40)
                    srow = self._service_row(_text(raw.get("service"), "service", 16))
                    try:
                        day = date.fromisoformat((raw.get("date") or "").strip()).isoformat()
                    except ValueError:
                        raise BadInput(
                            reason="appointment.bad_date", value=repr(raw.get("date"))
                        ) from None
                    slot = (raw.get("time") or "").strip() or None
                    if slot is not None:
                        from console.engine.sessions import check_hhmm

                        check_hhmm(slot, "time")
                    name = _note(raw.get("name"), "name")
                    reason = self._green_reason((raw.get("green_reason") or "").strip() or None)
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
                except (BadInput, Refused) as exc:
                    errors.append({"line": line, "error": exc.message})
            self._event(
                "appointments.imported",
                actor,
                changes={"imported": imported, "rejected": len(errors)},
            )
            return {"imported": imported, "errors": errors}

        return self._write("import_appointments", None, op, encode=lambda r: r)

    def check_in(
        self, actor: Actor, code: str, *, print_ticket: bool = False, key: str | None = None
    ) -> IssueResult:
        code = _text(code, "appointment code", 40)

        def op() -> IssueResult:
            row = self.conn.execute(
                "SELECT a.*, s.code AS service_code FROM appointments a"
                " JOIN services s ON s.id = a.service_id WHERE a.code = ?",
                (code,),
            ).fetchone()
            if row is None:
                raise NotFound(reason="appointment.not_found", code=code)
            if row["ticket_id"] is not None:
                number = self._ticket_by_id(row["ticket_id"]).number
                raise Refused(reason="appointment.checked_in", code=code, ticket=number)
            today = self.clock.day()
            if row["day"] != today:
                raise Refused(reason="appointment.other_day", code=code, day=row["day"])
            result = self._issue(
                actor, row["service_code"], row["green_reason"], None, False, print_ticket, code
            )
            self.conn.execute(
                "UPDATE appointments SET ticket_id = ? WHERE id = ?", (result.ticket.id, row["id"])
            )
            return result

        return self._write("check_in", key, op, decode=IssueResult.from_dict)

    # -- counters ---------------------------------------------------------
    def _counter_change(self, kind: str, actor: Actor, row: sqlite3.Row, **new: Any) -> Counter:
        new["state_since"] = self.clock.now()
        changes = {k: [row[k], v] for k, v in new.items() if row[k] != v}
        sets = ", ".join(f"{k} = ?" for k in new)
        self.conn.execute(f"UPDATE counters SET {sets} WHERE id = ?", [*new.values(), row["id"]])
        self._event(kind, actor, counter=row["number"], changes=changes)
        return self._counter(row["number"])

    def open_counter(
        self, actor: Actor, number: int, key: str | None = None, take: bool = True
    ) -> Counter:
        """Open a counter; with ``take`` (a login at the desk) the actor becomes its clerk.

        The floor view opens counters with ``take=False``: the manager opens the counter
        for whoever logs in there, and can open any number of them.
        """

        if not take:
            self._require(actor, "manager", "opening a counter for another clerk (take=false)")

        def op() -> Counter:
            row = self._counter_row(number)
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
                return self._counter(number)
            return self._counter_change(
                "counter.opened",
                actor,
                row,
                state="open",
                pause_reason=None,
                clerk_id=clerk["id"] if taking else row["clerk_id"],
            )

        return self._write("open_counter", key, op, decode=Counter.from_dict)

    def pause_counter(
        self, actor: Actor, number: int, reason: str, key: str | None = None
    ) -> Counter:
        reason = _text(reason, "pause reason", 100)

        def op() -> Counter:
            row = self._counter_for(actor, number, "open")
            return self._counter_change(
                "counter.paused", actor, row, state="paused", pause_reason=reason
            )

        return self._write("pause_counter", key, op, decode=Counter.from_dict)

    def resume_counter(self, actor: Actor, number: int, key: str | None = None) -> Counter:
        def op() -> Counter:
            row = self._counter_for(actor, number, "paused")
            return self._counter_change(
                "counter.resumed", actor, row, state="open", pause_reason=None
            )

        return self._write("resume_counter", key, op, decode=Counter.from_dict)

    def close_counter(self, actor: Actor, number: int, key: str | None = None) -> Counter:
        def op() -> Counter:
            row = self._counter_for(actor, number, "open", "paused")
            current = self._current_row(number)
            if current is not None:
                raise Refused(reason="counter.busy_call", counter=number, ticket=current["number"])
            return self._counter_change(
                "counter.closed", actor, row, state="closed", pause_reason=None, clerk_id=None
            )

        return self._write("close_counter", key, op, decode=Counter.from_dict)

    # -- calling ----------------------------------------------------------
    def _refuse_if_busy(self, counter: sqlite3.Row) -> None:
        """One ticket at a time: the desk must be free before a call."""
        if counter["current_id"] is not None:
            current = self._ticket_select_row(counter["current_id"])
            raise Refused(
                reason="counter.busy_close",
                counter=counter["number"],
                ticket=current["number"],
                status=current["status"],
            )

    def _take(self, actor: Actor, counter: sqlite3.Row, row: sqlite3.Row) -> Ticket:
        number = counter["number"]
        if row["directed_counter"] != number:
            streak = counter["green_streak"] + 1 if row["green_reason"] else 0
            if streak != counter["green_streak"]:
                self.conn.execute(
                    "UPDATE counters SET green_streak = ? WHERE id = ?", (streak, counter["id"])
                )
        return self._update_ticket(
            "called",
            actor,
            row,
            counter=number,
            status="called",
            counter_number=number,
            clerk_staff_no=counter["clerk_staff_no"] or actor.staff_no,
            called_at=self.clock.now(),
        )

    def call_next(self, actor: Actor, counter: int, key: str | None = None) -> Ticket:
        def op() -> Ticket:
            crow = self._counter_for(actor, counter, "open")
            day = self.clock.day()
            self._refuse_if_busy(crow)
            held = self.calls_held_until - time.monotonic()
            if held > 0:
                raise Refused(reason="failover.calls_held", seconds=math.ceil(held))
            row = next_ticket(self.conn, crow, day, self.settings(), self._tiers(crow["id"]))
            if row is None:
                raise Refused(reason="counter.queue_empty", counter=counter)
            return self._take(actor, crow, row)

        return self._write("call_next", key, op, decode=Ticket.from_dict)

    def call_number(
        self, actor: Actor, counter: int, ticket: str, key: str | None = None
    ) -> Ticket:
        def op() -> Ticket:
            crow = self._counter_for(actor, counter, "open")
            self._refuse_if_busy(crow)
            row = self._ticket_row(ticket)
            check_transition("call", row["number"], row["status"])
            if row["directed_counter"] not in (None, counter):
                raise Refused(
                    reason="ticket.directed_elsewhere",
                    ticket=row["number"],
                    counter=row["directed_counter"],
                )
            served = self.conn.execute(
                "SELECT 1 FROM counter_services WHERE counter_id = ? AND service_id = ?",
                (crow["id"], row["service_id"]),
            ).fetchone()
            if row["directed_counter"] is None and not served and not actor.may("manager"):
                raise Refused(
                    reason="ticket.service_not_here", counter=counter, ticket=row["number"]
                )
            return self._take(actor, crow, row)

        return self._write("call_number", key, op, decode=Ticket.from_dict)

    def recall(self, actor: Actor, counter: int, key: str | None = None) -> Ticket:
        def op() -> Ticket:
            row = self._held(actor, counter, "recall")
            return self._update_ticket("recalled", actor, row, recall_count=row["recall_count"] + 1)

        return self._write("recall", key, op, decode=Ticket.from_dict)

    def serve(self, actor: Actor, counter: int, key: str | None = None) -> Ticket:
        def op() -> Ticket:
            row = self._held(actor, counter, "serve")
            return self._update_ticket(
                "serving", actor, row, status="serving", served_at=self.clock.now()
            )

        return self._write("serve", key, op, decode=Ticket.from_dict)

    def finish(
        self,
        actor: Actor,
        counter: int,
        *,
        outcome: str = "done",
        materials: Sequence[str] = (),
        rating: int | None = None,
        note: str | None = None,
        print_receipt: bool = False,
        key: str | None = None,
    ) -> Ticket:
        if outcome not in OUTCOMES:
            raise BadInput(
                reason="finish.bad_outcome", choices=", ".join(OUTCOMES), value=repr(outcome)
            )
        items = [_text(m, "a material", 120) for m in materials]
        if outcome == "incomplete" and not items:
            raise BadInput(reason="finish.materials_missing")
        if outcome != "incomplete" and items:
            raise BadInput(reason="finish.materials_not_incomplete")
        if rating is not None and (
            isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5
        ):
            raise BadInput(reason="finish.bad_rating", value=repr(rating))
        text = _note(note)

        def op() -> Ticket:
            row = self._held(actor, counter, "finish")
            now = self.clock.now()
            ticket = self._update_ticket(
                "finished",
                actor,
                row,
                status="done",
                outcome=outcome,
                materials=items,
                rating=rating,
                note=text,
                finished_at=now,
                served_at=row["served_at"] if row["served_at"] is not None else now,
            )
            if print_receipt:
                self._queue_print(actor, ticket.id, "receipt", counter)
            return ticket

        return self._write("finish", key, op, decode=Ticket.from_dict)

    def no_show(
        self, actor: Actor, counter: int, *, requeue: bool = False, key: str | None = None
    ) -> Ticket:
        def op() -> Ticket:
            row = self._held(actor, counter, "no_show")
            now = self.clock.now()
            if requeue:
                return self._update_ticket(
                    "no_show.requeued",
                    actor,
                    row,
                    status="waiting",
                    counter_number=None,
                    clerk_staff_no=None,
                    called_at=None,
                    queued_at=now,
                    counter=counter,
                )
            return self._update_ticket("no_show", actor, row, status="no_show", finished_at=now)

        return self._write("no_show", key, op, decode=Ticket.from_dict)

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
            row = self._ticket_row(ticket)
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
                srow = self._service_row(to_service)
                if not srow["active"]:
                    raise Refused(reason="service.retired", service=to_service)
                new.update(service_id=srow["id"], directed_counter=None)
            else:
                target = self._counter_row(int(to_counter or 0))
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
            return self._update_ticket(
                "transferred", actor, row, counter=row["counter_number"], **new
            )

        return self._write("transfer", key, op, decode=Ticket.from_dict)

    def park(
        self, actor: Actor, counter: int, reason: str | None = None, key: str | None = None
    ) -> Ticket:
        """Set the ticket at the counter aside (``reason``: why, shown on the floor)."""
        why = _text(reason, "a park reason", 60) if reason and reason.strip() else None

        def op() -> Ticket:
            row = self._held(actor, counter, "park")
            return self._update_ticket("parked", actor, row, status="parked", park_reason=why,
                                       parked_at=self.clock.now())  # fmt: skip

        return self._write("park", key, op, decode=Ticket.from_dict)

    def resume(self, actor: Actor, counter: int, ticket: str, key: str | None = None) -> Ticket:
        def op() -> Ticket:
            self._counter_for(actor, counter, "open", "paused")
            row = self._ticket_row(ticket)
            check_transition("resume", row["number"], row["status"])
            if row["counter_number"] != counter:
                raise Refused(
                    reason="ticket.parked_elsewhere",
                    ticket=row["number"],
                    parked_at=row["counter_number"],
                    counter=counter,
                )
            current = self._current_row(counter)
            if current is not None:
                raise Refused(
                    reason="counter.busy_resume", counter=counter, ticket=current["number"]
                )
            now = self.clock.now()
            served = row["served_at"] if row["served_at"] is not None else now
            parked = row["parked_s"]
            if row["served_at"] is not None and row["parked_at"] is not None:
                parked += now - row["parked_at"]  # service had started: the pause is not service
            return self._update_ticket("resumed", actor, row, status="serving", served_at=served,
                                       parked_at=None, parked_s=parked)  # fmt: skip

        return self._write("resume", key, op, decode=Ticket.from_dict)

    def cancel(self, actor: Actor, ticket: str, key: str | None = None) -> Ticket:
        def op() -> Ticket:
            row = self._ticket_row(ticket)
            check_transition("cancel", row["number"], row["status"])
            self._may_touch(actor, row, "cancelling")
            return self._update_ticket(
                "cancelled", actor, row, status="cancelled", finished_at=self.clock.now()
            )

        return self._write("cancel", key, op, decode=Ticket.from_dict)

    def flag_green(
        self,
        actor: Actor,
        ticket: str,
        reason: str,
        note: str | None = None,
        key: str | None = None,
    ) -> Ticket:
        checked = self._green_reason(reason)
        text = _note(note, "green-channel note")

        def op() -> Ticket:
            row = self._ticket_row(ticket)
            check_transition("flag_green", row["number"], row["status"])
            return self._update_ticket(
                "green_flagged", actor, row, green_reason=checked, green_note=text
            )

        return self._write("flag_green", key, op, decode=Ticket.from_dict)

    # -- printing ---------------------------------------------------------
    def _queue_print(self, actor: Actor, ticket_id: int, kind: str, counter: int | None) -> int:
        """A print job row in the caller's transaction; printing happens after commit."""
        printer = None
        if kind == "receipt" and counter is not None:
            row = (
                self.conn.execute(
                    "SELECT p.name FROM printers p JOIN counters c ON c.printer_id = p.id"
                    " WHERE c.number = ?",
                    (counter,),
                ).fetchone()
                or self.conn.execute(
                    "SELECT name FROM printers WHERE counter_number = ? ORDER BY id LIMIT 1",
                    (counter,),
                ).fetchone()
            )
            printer = row["name"] if row else None
        else:
            row = self.conn.execute(
                "SELECT name FROM printers WHERE purpose = 'ticket'"
                " AND (station = ? OR station IS NULL) ORDER BY station IS NULL, id LIMIT 1",
                (actor.station,),
            ).fetchone()
            printer = row["name"] if row else None
        now = self.clock.now()
        status, error = ("queued", None) if printer else ("failed", reasons.NO_PRINTER)
        cur = self.conn.execute(
            "INSERT INTO print_jobs (ticket_id, kind, printer, status, error, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (ticket_id, kind, printer, status, error, now, now),
        )
        self._event(
            "print.queued",
            actor,
            ticket_id=ticket_id,
            counter=counter,
            changes={"job": cur.lastrowid, "kind": kind, "printer": printer},
        )
        return int(cur.lastrowid or 0)

    def request_print(
        self, actor: Actor, ticket: str, kind: str, key: str | None = None
    ) -> PrintJob:
        if kind not in ("ticket", "receipt"):
            raise BadInput(reason="ticket.bad_print_kind", kind=repr(kind))

        def op() -> PrintJob:
            row = self._ticket_row(ticket)
            if kind == "receipt" and row["status"] != "done":
                raise Refused(
                    reason="ticket.receipt_unfinished", ticket=row["number"], status=row["status"]
                )
            job = self._queue_print(actor, row["id"], kind, row["counter_number"])
            return self._print_job(job)

        return self._write("request_print", key, op, decode=PrintJob.from_dict)

    _JOBS = (
        "SELECT j.*, t.number AS ticket_number FROM print_jobs j"
        " JOIN tickets t ON t.id = j.ticket_id"
    )

    def _print_job(self, job_id: int) -> PrintJob:
        row = self.conn.execute(f"{self._JOBS} WHERE j.id = ?", (job_id,)).fetchone()
        return PrintJob.from_dict(dict(row))

    def list_print_jobs(self, status: str | None = None, limit: int = 100) -> list[PrintJob]:
        where, params = "", []
        if status:
            where, params = " WHERE j.status = ?", [status]
        rows = self.conn.execute(
            f"{self._JOBS}{where} ORDER BY j.id DESC LIMIT ?", [*params, limit]
        ).fetchall()
        return [PrintJob.from_dict(dict(r)) for r in rows]
