"""What a citizen's phone may know about one ticket, found by the ticket's public code.

The QR on a ticket leads to ``/t/{code}`` and the receipt's to ``/f/{code}``. The code is
random (128 bits, made at issue) and stored with the ticket; ticket ids and numbers are
sequential, so they would let anyone walk every ticket of the day. A public view holds
only what the citizen's page shows — the number, the service, the state, the counter,
how many are ahead and the estimate (the same one printed on the ticket) — never a
clerk, a note or a green-channel reason. The rating given on the receipt's page is one
more write through the engine's one write path, with its event, once per ticket.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from typing import Any

from console.domain import Actor, Ticket
from console.domain.errors import BadInput, NotFound, Refused
from console.engine import checks, commands, estimate
from console.engine.core import Room
from console.engine.sessions import closed_for_holiday

CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{22}")
CITIZEN = Actor(staff_no="citizen", role="clerk", station="public page", name="citizen")
"""Who rates a ticket from its receipt's page, in the event log."""
COMMENT_MAX = 300

STATES = {
    "waiting": "waiting",
    "called": "called",
    "serving": "serving",
    "parked": "parked",
    "done": "finished",
    "no_show": "missed",
    "cancelled": "cancelled",
    "expired": "expired",
}
"""Ticket status → the state a public page shows (a waiting ticket that was moved shows
``transferred``; an open ticket of an earlier day shows ``expired``)."""
FINAL_STATES = frozenset({"finished", "missed", "cancelled", "expired"})


PUBLIC_SELECT = (
    "SELECT t.*, s.code AS service_code,"
    " coalesce(m.name_zh || '（' || s.name_zh || '）', s.name_zh) AS service_zh,"
    " coalesce(m.name_en || ' (' || s.name_en || ')', s.name_en) AS service_en"
    " FROM tickets t JOIN services s ON s.id = t.service_id"
    " LEFT JOIN matters m ON m.id = t.matter_id"
)
"""A ticket with what its page calls its service: the matter it came for (in its queue),
as its slip names it, else the service."""


def row_by_code(conn: sqlite3.Connection, code: str) -> sqlite3.Row | None:
    """The ticket (with its service's names) of a public code; None for any other text."""
    if not isinstance(code, str) or not CODE_SHAPE.fullmatch(code):
        return None
    return conn.execute(PUBLIC_SELECT + " WHERE t.public_code = ?", (code,)).fetchone()


def view(conn: sqlite3.Connection, row: sqlite3.Row, now: float, today: str,
         settings: dict[str, Any], estimated: bool = True,
         memo: dict | None = None) -> dict[str, Any]:  # fmt: skip
    """The public view of one ticket row (from :func:`row_by_code`) as of ``now``; without
    ``estimated`` a waiting ticket's ahead and wait stay None (the estimate is the costly
    part, and a page may keep the last one for a few seconds)."""
    status = row["status"]
    state = STATES[status]
    if row["day"] < today and state not in FINAL_STATES:
        state = "expired"  # the day change ends it at the next write
    out: dict[str, Any] = {
        "number": row["number"],
        "day": row["day"],
        "service_zh": row["service_zh"],
        "service_en": row["service_en"],
        "state": state,
        "counter": row["counter_number"] if state in ("called", "serving", "parked") else None,
        "recalls": row["recall_count"],
        "ahead": None,
        "wait_min": None,
        "to_counter": None,
        "outcome": row["outcome"] if state == "finished" else None,
        "rated": row["rating"] is not None,
        "closed_for": None,
    }
    if row["day"] < today:  # a ticket of an earlier day, looked at on a day the hall is shut
        memo = {} if memo is None else memo
        if "closed_for" not in memo:
            memo["closed_for"] = closed_for_holiday(conn, datetime.fromisoformat(today))
        out["closed_for"] = memo["closed_for"] and list(memo["closed_for"])
    if state == "waiting":
        if row["transferred"]:
            out["state"] = "transferred"
            out["to_counter"] = row["directed_counter"]
        if estimated:
            expected = estimate.estimate(conn, row, now, settings, memo)
            out["ahead"], out["wait_min"] = expected.ahead, expected.minutes
    return out


class Public(Room):
    """The citizen's own write: a rating from the receipt's page."""

    def rate_by_code(self, code: str, rating: Any, comment: str | None = None,
                     key: str | None = None) -> Ticket:  # fmt: skip
        """Store the citizen's rating (1–5) and comment of a finished ticket, once, on the
        ticket's own day (a receipt found days later no longer rates)."""
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise BadInput(reason="finish.bad_rating", value=repr(rating))
        text = checks.note(comment, "comment")
        if text is not None and len(text) > COMMENT_MAX:
            raise BadInput(reason="field.too_long", what="comment", max_len=COMMENT_MAX)

        def op() -> Ticket:
            row = row_by_code(self.conn, code)
            if row is None:
                raise NotFound(reason="ticket.code_not_found")
            if row["rating"] is not None:
                raise Refused(reason="rating.already", ticket=row["number"])
            if row["day"] != self.clock.day():  # the receipt's code expires with its day
                raise Refused(reason="rating.expired", ticket=row["number"], day=row["day"])
            if row["status"] != "done":
                raise Refused(reason="rating.not_finished", ticket=row["number"])
            return self.core.update_ticket("rated", CITIZEN, row, rating=rating, feedback=text)

        return self.core.write(
            "rate_by_code",
            commands.keyed(key, CITIZEN, code=code, rating=rating, comment=comment),
            op,
            decode=Ticket.from_dict,
        )

    def public_ticket(self, code: str) -> tuple[int, dict[str, Any]] | None:
        """(id, public view) of the ticket with ``code``; None when there is none."""
        row = row_by_code(self.conn, code)
        if row is None:
            return None
        return row["id"], view(
            self.conn, row, self.clock.now(), self.clock.day(), self.core.settings()
        )

    def public_views(self, ticket_ids: list[int], estimates: bool) -> dict[int, dict[str, Any]]:
        """Public views of many tickets at once (the pages open on phones), with or without
        the waiting tickets' estimates (see :func:`view`)."""
        out: dict[int, dict[str, Any]] = {}
        now, today = self.clock.now(), self.clock.day()
        settings = self.core.settings()
        memo: dict = {}  # one moment: what the tickets of a service share is read once
        for start in range(0, len(ticket_ids), 500):
            chunk = ticket_ids[start : start + 500]
            rows = self.conn.execute(
                PUBLIC_SELECT + f" WHERE t.id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
            for row in rows:
                out[row["id"]] = view(self.conn, row, now, today, settings, estimates, memo)
        return out
