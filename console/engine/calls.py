"""Calls: a counter's work on the ticket at its desk (call next or by number, recall,
serve, finish, no-show, park and resume), each one transaction through the write path.

The "which ticket next" choice and the update happen in the same ``BEGIN IMMEDIATE``
transaction, so two counters can never take one ticket; a desk holds one ticket at a time.
"""

from __future__ import annotations

import math
import sqlite3
import time
from collections.abc import Sequence

from console.domain import OUTCOMES, Actor, Ticket
from console.domain import fields as f
from console.domain.errors import BadInput, Refused
from console.domain.lifecycle import check_transition
from console.engine import commands
from console.engine.core import Core, Room
from console.engine.counters import Counters
from console.engine.policy import next_ticket
from console.engine.print_jobs import PrintJobs


class Calls(Room):
    """What a clerk does at a counter with the ticket in front of them."""

    def __init__(self, core: Core, counters: Counters, print_jobs: PrintJobs) -> None:
        super().__init__(core)
        self.counters = counters
        self.print_jobs = print_jobs

    # -- guards -----------------------------------------------------------
    def _held(self, actor: Actor, number: int, op: str) -> sqlite3.Row:
        """The ticket at counter ``number``'s desk, checked for ``op``."""
        counter = self.counters.for_actor(actor, number, "open", "paused")
        if counter["current_id"] is None:
            raise Refused(reason="counter.no_current", counter=number)
        row = self.core.ticket_select_row(counter["current_id"])
        check_transition(op, row["number"], row["status"])
        return row

    # -- calling ----------------------------------------------------------
    def _refuse_if_busy(self, counter: sqlite3.Row) -> None:
        """One ticket at a time: the desk must be free before a call."""
        if counter["current_id"] is not None:
            current = self.core.ticket_select_row(counter["current_id"])
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
        return self.core.update_ticket(
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
            crow = self.counters.for_actor(actor, counter, "open")
            day = self.clock.day()
            self._refuse_if_busy(crow)
            held = self.core.calls_held_until - time.monotonic()
            if held > 0:
                raise Refused(reason="failover.calls_held", seconds=math.ceil(held))
            row = next_ticket(
                self.conn, crow, day, self.core.settings(), self.core.tiers(crow["id"])
            )
            if row is None:
                raise Refused(reason="counter.queue_empty", counter=counter)
            return self._take(actor, crow, row)

        return self.core.write(
            "call_next", commands.keyed(key, actor, counter=counter), op, decode=Ticket.from_dict
        )

    def call_number(
        self, actor: Actor, counter: int, ticket: str, key: str | None = None
    ) -> Ticket:
        def op() -> Ticket:
            crow = self.counters.for_actor(actor, counter, "open")
            self._refuse_if_busy(crow)
            row = self.core.ticket_row(ticket)
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

        return self.core.write(
            "call_number",
            commands.keyed(key, actor, counter=counter, ticket=ticket),
            op,
            decode=Ticket.from_dict,
        )

    def recall(self, actor: Actor, counter: int, key: str | None = None) -> Ticket:
        def op() -> Ticket:
            row = self._held(actor, counter, "recall")
            return self.core.update_ticket(
                "recalled", actor, row, recall_count=row["recall_count"] + 1
            )

        return self.core.write(
            "recall", commands.keyed(key, actor, counter=counter), op, decode=Ticket.from_dict
        )

    def serve(self, actor: Actor, counter: int, key: str | None = None) -> Ticket:
        def op() -> Ticket:
            row = self._held(actor, counter, "serve")
            return self.core.update_ticket(
                "serving", actor, row, status="serving", served_at=self.clock.now()
            )

        return self.core.write(
            "serve", commands.keyed(key, actor, counter=counter), op, decode=Ticket.from_dict
        )

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
        items = [f.MATERIAL.check(m) for m in materials]
        if outcome == "incomplete" and not items:
            raise BadInput(reason="finish.materials_missing")
        if outcome != "incomplete" and items:
            raise BadInput(reason="finish.materials_not_incomplete")
        if rating is not None and (
            isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5
        ):
            raise BadInput(reason="finish.bad_rating", value=repr(rating))
        text = f.NOTE.check(note)

        def op() -> Ticket:
            row = self._held(actor, counter, "finish")
            now = self.clock.now()
            ticket = self.core.update_ticket(
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
                self.print_jobs.queue(actor, ticket.id, "receipt", counter)
            return ticket

        return self.core.write(
            "finish",
            commands.keyed(
                key,
                actor,
                counter=counter,
                outcome=outcome,
                materials=materials,
                rating=rating,
                note=note,
                print_receipt=print_receipt,
            ),
            op,
            decode=Ticket.from_dict,
        )

    def no_show(
        self, actor: Actor, counter: int, *, requeue: bool = False, key: str | None = None
    ) -> Ticket:
        def op() -> Ticket:
            row = self._held(actor, counter, "no_show")
            now = self.clock.now()
            if requeue:
                return self.core.update_ticket(
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
            return self.core.update_ticket("no_show", actor, row, status="no_show", finished_at=now)

        return self.core.write(
            "no_show",
            commands.keyed(key, actor, counter=counter, requeue=requeue),
            op,
            decode=Ticket.from_dict,
        )

    def park(
        self, actor: Actor, counter: int, reason: str | None = None, key: str | None = None
    ) -> Ticket:
        """Set the ticket at the counter aside (``reason``: why, shown on the floor)."""
        why = f.PARK_REASON.check(reason) if reason and reason.strip() else None

        def op() -> Ticket:
            row = self._held(actor, counter, "park")
            return self.core.update_ticket("parked", actor, row, status="parked",
                                           park_reason=why, parked_at=self.clock.now())  # fmt: skip

        return self.core.write(
            "park",
            commands.keyed(key, actor, counter=counter, reason=reason),
            op,
            decode=Ticket.from_dict,
        )

    def resume(self, actor: Actor, counter: int, ticket: str, key: str | None = None) -> Ticket:
        def op() -> Ticket:
            self.counters.for_actor(actor, counter, "open", "paused")
            row = self.core.ticket_row(ticket)
            check_transition("resume", row["number"], row["status"])
            if row["counter_number"] != counter:
                raise Refused(
                    reason="ticket.parked_elsewhere",
                    ticket=row["number"],
                    parked_at=row["counter_number"],
                    counter=counter,
                )
            current = self.counters.current_row(counter)
            if current is not None:
                raise Refused(
                    reason="counter.busy_resume", counter=counter, ticket=current["number"]
                )
            now = self.clock.now()
            served = row["served_at"] if row["served_at"] is not None else now
            parked = row["parked_s"]
            if row["served_at"] is not None and row["parked_at"] is not None:
                parked += now - row["parked_at"]  # service had started: the pause is not service
            return self.core.update_ticket(
                "resumed", actor, row, status="serving", served_at=served, parked_at=None,
                parked_s=parked,
            )  # fmt: skip

        return self.core.write(
            "resume",
            commands.keyed(key, actor, counter=counter, ticket=ticket),
            op,
            decode=Ticket.from_dict,
        )
