"""Read-only views: a counter's desk, the whole hall, ticket lists and the change feed.

Each view carries ``as_of_event``, the newest event id it reflects, read in
the same snapshot; a screen that then asks for ``changes_since(as_of_event)``
misses nothing.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from console.domain import (
    CounterState,
    CounterView,
    Event,
    HallView,
    MatterStats,
    PrinterProblem,
    ServiceStats,
    Ticket,
)
from console.domain.errors import BadInput
from console.engine import estimate
from console.engine.core import TICKET_SELECT, Core, Room, ticket_from_row
from console.engine.counters import Counters
from console.engine.failover import last_failover
from console.engine.policy import calling_order
from console.engine.sessions import (
    calendar_missing,
    closed_for_holiday,
    next_opening,
    open_session,
)

CATALOGUE_KINDS = (
    "kind GLOB 'service.*' OR kind GLOB 'matter.*' OR kind GLOB 'matters.*'"
    " OR kind GLOB 'department.*'"
)
"""The events that change what reception searches (services, matters, departments): the
partial index ``events_catalogue`` (migration 0013) holds exactly these."""
PRINTER_PROBLEMS_READ = 200
"""Failed (and unconfirmed) print jobs the floor's printer alerts look back through at most."""

STATUSES = ("waiting", "called", "serving", "parked", "done", "no_show", "cancelled", "expired")


class Views(Room):
    """Queries the screens and the CLI need."""

    def __init__(self, core: Core, counters: Counters) -> None:
        super().__init__(core)
        self.counters = counters

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
        return self.core.ticket_by_id(self.core.ticket_row(ticket)["id"])

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
        """Each service's figures of ``day`` as kept in ``day_services`` (migration 0014), and
        its longest wait from its oldest waiting ticket: one row of an index, not the day."""
        rows = self.conn.execute(
            """
            SELECT s.id, s.code, s.name_zh, s.name_en, s.target_wait_min, f.*,
                (SELECT min(t.issued_at) FROM tickets t INDEXED BY tickets_waiting_issued
                    WHERE t.status = 'waiting' AND t.service_id = s.id AND t.day = :day)
                    AS oldest,
                (SELECT count(*) FROM counter_services cs JOIN counters c ON c.id = cs.counter_id
                    WHERE cs.service_id = s.id AND c.state != 'closed') AS counters_open
            FROM services s LEFT JOIN day_services f ON f.day = :day AND f.service_id = s.id
            WHERE s.active = 1 ORDER BY s.code
            """,
            {"day": day},
        ).fetchall()
        stats = {
            r["id"]: ServiceStats(
                code=r["code"],
                name_zh=r["name_zh"],
                name_en=r["name_en"],
                waiting=r["waiting"] or 0,
                green_waiting=r["green_waiting"] or 0,
                longest_wait_s=max(0.0, now - r["oldest"]) if r["oldest"] else 0.0,
                target_wait_min=r["target_wait_min"],
                avg_handling_s=r["handling_s"] / r["served"] if r["served"] else None,
                counters_open=r["counters_open"],
                issued_today=r["issued"] or 0,
                green_share_today=round(r["green"] / r["issued"], 3) if r["issued"] else None,
                green_wait_avg_s=(
                    r["green_wait_s"] / r["green_called"] if r["green_called"] else None
                ),
                normal_wait_avg_s=(
                    r["normal_wait_s"] / r["normal_called"] if r["normal_called"] else None
                ),
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
            crow = self.core.counter_row(number)
            counter = self.core.counter_from_row(crow)
            current = self.counters.current_row(number)
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
                " AND +t.day = ? ORDER BY t.called_at",
                (number, day),
            ).fetchall()
            mine = (
                self.conn.execute(
                    "SELECT served, no_shows, handling_s FROM day_clerks"
                    " WHERE day = ? AND staff_no = ?",
                    (day, crow["clerk_staff_no"]),
                )
                if crow["clerk_staff_no"]
                else self.conn.execute(
                    "SELECT served, no_shows, handling_s FROM day_counters"
                    " WHERE day = ? AND counter_number = ?",
                    (day, number),
                )
            ).fetchone() or {"served": 0, "no_shows": 0, "handling_s": 0.0}
            return CounterView(
                as_of_event=as_of,
                now=now,
                counter=counter,
                current=self.core.ticket_by_id(current["id"]) if current else None,
                services=[
                    replace(
                        stats,
                        estimated_wait_min=estimate.for_new_ticket(
                            self.conn, service_id, day, now, self.core.settings()
                        ).minutes,
                    )
                    for service_id, stats in zip(
                        service_ids, self._service_stats(day, now, service_ids), strict=True
                    )
                ],
                next_tickets=[
                    ticket_from_row(r)
                    for r in calling_order(self.conn, crow, day, self.core.settings(), upcoming)
                ],
                parked=[ticket_from_row(r) for r in parked],
                served_today=mine["served"],
                no_shows_today=mine["no_shows"],
                avg_handling_s=mine["handling_s"] / mine["served"] if mine["served"] else None,
            )

    # -- the whole hall ---------------------------------------------------
    def hall_view(self, recent: int = 8) -> HallView:
        with self._snapshot():
            as_of = self.last_event_id()
            now = self.clock.now()
            local = self.clock.local(now)
            day = local.date().isoformat()
            counters = self.counters.list_counters()
            # '+t.day': the desks' and the parked tickets' own indexes, never the day's tickets
            current = {
                r["counter_number"]: ticket_from_row(r)
                for r in self.conn.execute(
                    TICKET_SELECT + " WHERE t.status IN ('called', 'serving') AND +t.day = ?",
                    (day,),
                )
            }
            parked: dict[int, list[Ticket]] = {}
            rows = self.conn.execute(
                TICKET_SELECT + " WHERE t.status = 'parked' AND +t.day = ?", (day,)
            ).fetchall()  # a handful: sorted here rather than by a temporary b-tree
            for r in sorted(rows, key=lambda r: r["parked_at"] or 0.0):
                parked.setdefault(r["counter_number"], []).append(ticket_from_row(r))
            served = dict(
                self.conn.execute(
                    "SELECT counter_number, served FROM day_counters WHERE day = ?", (day,)
                ).fetchall()
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
                recent_calls=[c for c in calls if c.day == day],
                session_open=is_open,
                next_session_opens=None if is_open else next_opening(self.conn, local),
                low_position_waiting=[ticket_from_row(r) for r in low],
                matters=self._matter_stats(day, now),
                failover=last_failover(self.conn, day),
                catalogue_event=self.catalogue_event(),
                closed_for=None if is_open else _listed(closed_for_holiday(self.conn, local)),
                calendar_unknown=calendar_missing(self.conn, local.date()),
                printer_problems=self._printer_problems(self.clock.midnight(now)),
            )

    def _printer_problems(self, midnight: float) -> list[PrinterProblem]:
        """Printers whose newest slip today failed or went unconfirmed (out of paper before
        or during it), newest first. Each status's jobs are read newest first from their
        index and stop at midnight; a printer is fine again once a later job of its own
        printed."""
        problems: dict[str, PrinterProblem] = {}
        query = (
            "SELECT j.id, j.printer, j.error, j.reason, j.updated_at, t.number FROM print_jobs j"
            " JOIN tickets t ON t.id = j.ticket_id WHERE j.status = ? ORDER BY j.id DESC LIMIT ?"
        )
        rows = [row for status in ("failed", "unconfirmed")
                for row in self.conn.execute(query, (status, PRINTER_PROBLEMS_READ))]  # fmt: skip
        for row in sorted(rows, key=lambda r: -r["id"]):
            printer = row["printer"]
            if row["updated_at"] < midnight or printer is None or printer in problems:
                continue
            printed_since = self.conn.execute(
                "SELECT 1 FROM print_jobs WHERE printer = ? AND id > ? AND status = 'done'"
                " LIMIT 1", (printer, row["id"]),
            ).fetchone()  # fmt: skip
            if printed_since is None:
                problems[printer] = PrinterProblem(
                    printer=printer, since=row["updated_at"], ticket=row["number"],
                    error=row["error"] or "", reason=row["reason"],
                )  # fmt: skip
        return list(problems.values())

    def catalogue_event(self) -> int:
        """The newest change to the services or the catalogue (0: none yet)."""
        row = self.conn.execute(
            f"SELECT max(id) FROM events INDEXED BY events_catalogue WHERE {CATALOGUE_KINDS}"
        ).fetchone()
        return row[0] or 0

    def _matter_stats(self, day: str, now: float) -> list[MatterStats]:
        """The day's figures of every matter someone is waiting for, as kept in
        ``day_matters``, and its longest wait from its oldest waiting ticket (one row).

        Only those: the floor asks where the queue is now, and a one-stop hall has tickets
        of nearly all its 1,044 matters by mid-morning, so listing every matter issued
        today made the hall view cost several times more by then than at opening."""
        rows = self.conn.execute(
            "SELECT m.code, m.target_wait_min, d.code AS department, s.code AS service,"
            " f.issued, f.waiting,"
            " (SELECT min(t.queued_at) FROM tickets t INDEXED BY tickets_matter_waiting"
            "   WHERE t.status = 'waiting' AND t.matter_id = f.matter_id AND t.day = f.day)"
            "   AS oldest"
            " FROM day_matters f INDEXED BY day_matters_waiting"
            " JOIN matters m ON m.id = f.matter_id"
            " JOIN departments d ON d.id = m.department_id JOIN services s ON s.id = m.service_id"
            " WHERE f.day = ? AND f.waiting > 0 ORDER BY m.code",
            (day,),
        ).fetchall()
        return [
            MatterStats(
                code=r["code"],
                service=r["service"],
                department=r["department"],
                waiting=r["waiting"],
                longest_wait_s=now - r["oldest"] if r["oldest"] is not None else 0.0,
                issued_today=r["issued"],
                target_wait_min=r["target_wait_min"],
            )
            for r in rows
        ]

    def _recent_calls(self, since: float, recent: int) -> list[Ticket]:
        """The ``recent`` tickets called or recalled last since ``since``, newest call first,
        each with the counter of that call: a ticket transferred since keeps "→ 5" on the
        board (its row no longer names a counter).

        Reads the event log backwards from its end and stops at the ``recent``-th ticket,
        so the cost is that of the last few calls, not of the day's (or the year's) log.
        """
        first = self.conn.execute(
            "SELECT id FROM events WHERE at >= ? ORDER BY at LIMIT 1", (since,)
        ).fetchone()
        if first is None:
            return []
        called_at: dict[int, int | None] = {}
        for ticket_id, kind, at, counter in self.conn.execute(
            "SELECT ticket_id, kind, at, counter_number FROM events WHERE id >= ? ORDER BY id DESC",
            (first[0],),
        ):
            if kind in ("called", "recalled") and at >= since and ticket_id not in called_at:
                called_at[ticket_id] = counter
                if len(called_at) == recent:
                    break
        if not called_at:
            return []
        ids = list(called_at)
        rows = {
            r["id"]: r
            for r in self.conn.execute(
                TICKET_SELECT + f" WHERE t.id IN ({', '.join('?' * len(ids))})", ids
            )
        }
        return [
            replace(
                ticket_from_row(rows[i]), counter_number=called_at[i] or rows[i]["counter_number"]
            )
            for i in ids
            if i in rows
        ]

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
            # the quarter-hours kept in day_quarters, summed into the local day's hours
            for quarter, issued, served, called, wait_s in self.conn.execute(
                "SELECT quarter, issued, served, called, wait_s FROM day_quarters WHERE day = ?",
                (day,),
            ):
                h = int((quarter * 900 - midnight) // 3600)
                figures = hours.setdefault(h, {"hour": h, "issued": 0, "served": 0, "_n": 0,
                                               "_s": 0.0})  # fmt: skip
                figures["issued"] += issued
                figures["served"] += served
                figures["_n"] += called
                figures["_s"] += wait_s
            for figures in hours.values():
                n, total = figures.pop("_n"), figures.pop("_s")
                figures["avg_wait_s"] = total / n if n else None
            hours = {h: f for h, f in hours.items() if f["issued"] or f["served"] or
                     f["avg_wait_s"] is not None}  # fmt: skip
            last = {
                str(counter): at
                for counter, at in self.conn.execute(
                    "SELECT counter_number, last_finished FROM day_counters"
                    " WHERE day = ? AND last_finished IS NOT NULL",
                    (day,),
                )
            }
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


def _listed(names: tuple[str, str] | None) -> list[str] | None:
    return list(names) if names else None
