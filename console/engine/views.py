"""Read-only views: a counter's desk, the whole hall, ticket lists and the change feed.

Each view carries ``as_of_event``, the newest event id it reflects, read in
the same snapshot; a screen that then asks for ``changes_since(as_of_event)``
misses nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from console.domain import (
    CounterState,
    CounterView,
    Event,
    HallView,
    MatterStats,
    ServiceStats,
    Ticket,
)
from console.domain.errors import BadInput
from console.engine import estimate
from console.engine.core import TICKET_SELECT, ticket_from_row
from console.engine.failover import last_failover
from console.engine.matters import MatterOps
from console.engine.policy import calling_order
from console.engine.sessions import next_opening, open_session

CATALOGUE_KINDS = (
    "kind GLOB 'service.*' OR kind GLOB 'matter.*' OR kind GLOB 'matters.*'"
    " OR kind GLOB 'department.*'"
)
"""The events that change what reception searches (services, matters, departments): the
partial index ``events_catalogue`` (migration 0013) holds exactly these."""

STATUSES = ("waiting", "called", "serving", "parked", "done", "no_show", "cancelled", "expired")


class Views(MatterOps):
    """Queries the screens and the CLI need."""

    @contextmanager
    def _snapshot(self):
        """One read transaction, so a view never mixes two moments."""
        own = not self.conn.in_transaction
        if own:
            self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if own and self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def last_event_id(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])

    def changes_since(self, event_id: int, limit: int = 500) -> list[Event]:
        rows = self.conn.execute(
            "SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?", (event_id, limit)
        ).fetchall()
        return [Event.from_dict({**dict(r), "changes": json.loads(r["changes"])}) for r in rows]

    def get_ticket(self, ticket: str) -> Ticket:
        return self._ticket_by_id(self._ticket_row(ticket)["id"])

    def list_tickets(
        self, status: str | None = None, day: str | None = None, limit: int | None = None
    ) -> list[Ticket]:
        if status is not None and status not in STATUSES:
            raise BadInput(
                reason="ticket.bad_status", choices=", ".join(STATUSES), value=repr(status)
            )
        day = check_day(day) if day else self.clock.day()
        sql = TICKET_SELECT + " WHERE t.day = ?"
        params: list = [day]
        if status:
            sql += " AND t.status = ?"
            params.append(status)
        sql += " ORDER BY t.issued_at, t.id"
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return [ticket_from_row(r) for r in self.conn.execute(sql, params)]

    # -- service figures --------------------------------------------------
    def _service_stats(
        self, day: str, now: float, only: list[int] | None = None
    ) -> list[ServiceStats]:
        rows = self.conn.execute(
            """
            SELECT s.id, s.code, s.name_zh, s.name_en, s.target_wait_min,
                (SELECT count(*) FROM tickets t WHERE t.service_id = s.id AND t.day = :day
                    AND t.status = 'waiting') AS waiting,
                (SELECT count(*) FROM tickets t WHERE t.service_id = s.id AND t.day = :day
                    AND t.status = 'waiting' AND t.green_reason IS NOT NULL) AS green_waiting,
                (SELECT min(t.issued_at) FROM tickets t WHERE t.service_id = s.id
                    AND t.day = :day AND t.status = 'waiting') AS oldest,
                (SELECT avg(t.finished_at - t.served_at - t.parked_s) FROM tickets t
                    WHERE t.service_id = s.id
                    AND t.day = :day AND t.status = 'done' AND t.served_at IS NOT NULL)
                    AS avg_handling,
                (SELECT count(*) FROM counter_services cs JOIN counters c ON c.id = cs.counter_id
                    WHERE cs.service_id = s.id AND c.state != 'closed') AS counters_open
            FROM services s WHERE s.active = 1 ORDER BY s.code
            """,
            {"day": day},
        ).fetchall()
        today = {
            r[0]: r
            for r in self.conn.execute(
                "SELECT service_id, count(*), count(green_reason),"
                " avg(called_at - issued_at) FILTER (WHERE green_reason IS NOT NULL),"
                " avg(called_at - issued_at) FILTER (WHERE green_reason IS NULL)"
                " FROM tickets INDEXED BY tickets_day WHERE day = ? GROUP BY service_id",
                (day,),
            )
        }
        stats = {
            r["id"]: ServiceStats(
                code=r["code"],
                name_zh=r["name_zh"],
                name_en=r["name_en"],
                waiting=r["waiting"],
                green_waiting=r["green_waiting"],
                longest_wait_s=max(0.0, now - r["oldest"]) if r["oldest"] else 0.0,
                target_wait_min=r["target_wait_min"],
                avg_handling_s=r["avg_handling"],
                counters_open=r["counters_open"],
                issued_today=today[r["id"]][1] if r["id"] in today else 0,
                green_share_today=(
                    round(today[r["id"]][2] / today[r["id"]][1], 3) if r["id"] in today else None
                ),
                green_wait_avg_s=today[r["id"]][3] if r["id"] in today else None,
                normal_wait_avg_s=today[r["id"]][4] if r["id"] in today else None,
            )
            for r in rows
        }
        if only is None:
            return list(stats.values())
        return [stats[i] for i in only if i in stats]

    # -- a counter's desk -------------------------------------------------
    def counter_view(self, number: int, upcoming: int = 8) -> CounterView:
        with self._snapshot():
            as_of = self.last_event_id()
            now = self.clock.now()
            day = self.clock.day(now)
            crow = self._counter_row(number)
            counter = self._counter_from_row(crow)
            current = self._current_row(number)
            if current is not None and current["day"] != day:
                current = None  # ends at the next write, as the day change: not today's work
            service_ids = [
                r["service_id"]
                for r in self.conn.execute(
                    "SELECT service_id FROM counter_services WHERE counter_id = ? ORDER BY tier",
                    (crow["id"],),
                )
            ]
            parked = self.conn.execute(
                TICKET_SELECT + " WHERE t.status = 'parked' AND t.counter_number = ?"
                " AND t.day = ? ORDER BY t.called_at",
                (number, day),
            ).fetchall()
            who = "clerk_staff_no = ?" if crow["clerk_staff_no"] else "counter_number = ?"
            mine = self.conn.execute(
                f"SELECT count(*) FILTER (WHERE status = 'done') AS served,"
                f" count(*) FILTER (WHERE status = 'no_show') AS no_shows,"
                f" avg(finished_at - served_at - parked_s) FILTER (WHERE status = 'done')"
                f" AS handling"
                f" FROM tickets WHERE day = ? AND {who}",
                (day, crow["clerk_staff_no"] or number),
            ).fetchone()
            return CounterView(
                as_of_event=as_of,
                now=now,
                counter=counter,
                current=self._ticket_by_id(current["id"]) if current else None,
                services=[
                    replace(
                        stats,
                        estimated_wait_min=estimate.for_new_ticket(
                            self.conn, service_id, day, now, self.settings()
                        ).minutes,
                    )
                    for service_id, stats in zip(
                        service_ids, self._service_stats(day, now, service_ids), strict=True
                    )
                ],
                next_tickets=[
                    ticket_from_row(r)
                    for r in calling_order(self.conn, crow, day, self.settings(), upcoming)
                ],
                parked=[ticket_from_row(r) for r in parked],
                served_today=mine["served"],
                no_shows_today=mine["no_shows"],
                avg_handling_s=mine["handling"],
            )

    # -- the whole hall ---------------------------------------------------
    def hall_view(self, recent: int = 8) -> HallView:
        with self._snapshot():
            as_of = self.last_event_id()
            now = self.clock.now()
            local = self.clock.local(now)
            day = local.date().isoformat()
            counters = self.list_counters()
            current = {
                r["counter_number"]: ticket_from_row(r)
                for r in self.conn.execute(
                    TICKET_SELECT + " WHERE t.status IN ('called', 'serving') AND t.day = ?",
                    (day,),
                )
            }
            parked: dict[int, list[Ticket]] = {}
            rows = self.conn.execute(
                TICKET_SELECT + " WHERE t.status = 'parked' AND t.day = ?", (day,)
            ).fetchall()  # a handful: sorted here rather than by a temporary b-tree
            for r in sorted(rows, key=lambda r: r["parked_at"] or 0.0):
                parked.setdefault(r["counter_number"], []).append(ticket_from_row(r))
            # counted here rather than by GROUP BY, which would sort the day's tickets
            served = Counter(
                r[0]
                for r in self.conn.execute(
                    "SELECT counter_number FROM tickets WHERE day = ? AND status = 'done'", (day,)
                )
            )
            # '+t.day' keeps the planner on the green-channel queue's index, already in order
            green = self.conn.execute(
                TICKET_SELECT + " WHERE +t.day = ? AND t.status = 'waiting'"
                " AND t.green_reason IS NOT NULL ORDER BY t.queued_at",
                (day,),
            ).fetchall()
            calls = self._recent_calls(now - 86400, recent)
            low = self.conn.execute(
                TICKET_SELECT.replace("tickets t", "tickets t INDEXED BY tickets_low_waiting")
                + " WHERE t.status = 'waiting' AND t.low_position = 1 AND t.day = ?"
                " ORDER BY t.queued_at",
                (day,),
            ).fetchall()
            is_open, _ = open_session(self.conn, local)
            return HallView(
                as_of_event=as_of,
                now=now,
                day=day,
                counters=[
                    CounterState(
                        counter=c,
                        current=current.get(c.number),
                        served_today=served.get(c.number, 0),
                        parked=parked.get(c.number, []),
                    )
                    for c in counters
                ],
                services=self._service_stats(day, now),
                green_waiting=[ticket_from_row(r) for r in green],
                recent_calls=[ticket_from_row(r) for r in calls if r["day"] == day],
                session_open=is_open,
                next_session_opens=None if is_open else next_opening(self.conn, local),
                low_position_waiting=[ticket_from_row(r) for r in low],
                matters=self._matter_stats(now),
                failover=last_failover(self.conn, day),
                catalogue_event=self._catalogue_event(),
            )

    def _catalogue_event(self) -> int:
        """The newest change to the services or the catalogue (0: none yet)."""
        row = self.conn.execute(
            f"SELECT max(id) FROM events INDEXED BY events_catalogue WHERE {CATALOGUE_KINDS}"
        ).fetchone()
        return row[0] or 0

    def _matter_stats(self, now: float) -> list[MatterStats]:
        """Today's figures of every matter issued today or waiting, counted here (a GROUP BY
        would sort the rows apart): the waiting queue is short, today's issues bounded."""
        midnight = self.clock.midnight(now)
        issued = Counter(
            r[0]
            for r in self.conn.execute(
                "SELECT matter_id FROM tickets INDEXED BY tickets_matter_issued"
                " WHERE matter_id IS NOT NULL AND issued_at >= ?",
                (midnight,),
            )
        )
        waiting: dict[int, list[float]] = {}
        for matter_id, queued_at in self.conn.execute(
            "SELECT matter_id, queued_at FROM tickets WHERE status = 'waiting'"
            " AND matter_id IS NOT NULL"
        ):
            waiting.setdefault(matter_id, []).append(queued_at)
        ids = set(issued) | set(waiting)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            "SELECT m.id, m.code, m.target_wait_min, d.code AS department, s.code AS service"
            " FROM matters m JOIN departments d ON d.id = m.department_id"
            f" JOIN services s ON s.id = m.service_id WHERE m.id IN ({marks}) ORDER BY m.code",
            sorted(ids),
        ).fetchall()
        return [
            MatterStats(
                code=r["code"],
                service=r["service"],
                department=r["department"],
                waiting=len(waiting.get(r["id"], [])),
                longest_wait_s=now - min(waiting[r["id"]]) if r["id"] in waiting else 0.0,
                issued_today=issued.get(r["id"], 0),
                target_wait_min=r["target_wait_min"],
            )
            for r in rows
        ]

    def _recent_calls(self, since: float, recent: int) -> list[sqlite3.Row]:
        """The ``recent`` tickets called or recalled last since ``since``, newest call first.

        Reads the event log backwards from its end and stops at the ``recent``-th ticket,
        so the cost is that of the last few calls, not of the day's (or the year's) log.
        """
        first = self.conn.execute(
            "SELECT id FROM events WHERE at >= ? ORDER BY at LIMIT 1", (since,)
        ).fetchone()
        if first is None:
            return []
        ids: list[int] = []
        for ticket_id, kind, at in self.conn.execute(
            "SELECT ticket_id, kind, at FROM events WHERE id >= ? ORDER BY id DESC", (first[0],)
        ):
            if kind in ("called", "recalled") and at >= since and ticket_id not in ids:
                ids.append(ticket_id)
                if len(ids) == recent:
                    break
        if not ids:
            return []
        rows = {
            r["id"]: r
            for r in self.conn.execute(
                TICKET_SELECT + f" WHERE t.id IN ({', '.join('?' * len(ids))})", ids
            )
        }
        return [rows[i] for i in ids if i in rows]

    # -- the floor view's extras ------------------------------------------
    def floor_figures(self) -> dict:
        """Today by local hour (tickets issued, served, average wait of those called) and each
        counter's last finish, for the floor view's chart and its idle-counter alert."""
        with self._snapshot():
            as_of = self.last_event_id()
            now = self.clock.now()
            local = self.clock.local(now)
            day = local.date().isoformat()
            midnight = self.clock.midnight(now)
            hours: dict[int, dict] = {}
            last: dict[str, float] = {}

            def slot(at: float) -> dict:
                h = int((at - midnight) // 3600)
                if h not in hours:
                    hours[h] = {"hour": h, "issued": 0, "served": 0, "avg_wait_s": None, "_w": []}
                return hours[h]

            # one pass over today's tickets: cheaper than a GROUP BY per figure
            for issued, called, finished, status, counter in self.conn.execute(
                "SELECT issued_at, called_at, finished_at, status, counter_number FROM tickets"
                " WHERE day = ?",
                (day,),
            ):
                slot(issued)["issued"] += 1
                if called is not None:
                    slot(called)["_w"].append(called - issued)
                if finished is not None:
                    if status == "done":
                        slot(finished)["served"] += 1
                    if counter is not None and finished > last.get(str(counter), 0.0):
                        last[str(counter)] = finished
            for figures in hours.values():
                waits = figures.pop("_w")
                figures["avg_wait_s"] = sum(waits) / len(waits) if waits else None
            return {
                "as_of_event": as_of,
                "day": day,
                "hours": [hours[h] for h in sorted(hours)],
                "last_finished": last,
            }


def check_day(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise BadInput(reason="day.bad", value=repr(value)) from None
