"""Personal information kept only as long as it is needed: ``qconsole purge``.

Every night the personal fields (:mod:`console.domain.personal`) of tickets, appointments
and events older than ``personal_retention_days`` are erased in place, in one write
transaction of the engine with one ``personal.purged`` event that carries counts only.
Each purge records the day it erased up to, so the next one reads from there: a nightly
purge reads one day of the history, whatever its length. What the reports need stays —
the tickets, their times, service, matter, outcome and rating, that a ticket was green —
and a day's figures per green-channel reason are kept (``green_reason_days``) before its
tickets' reasons are erased, so its report does not change.

The connection writes with ``secure_delete`` on, so the erased text is overwritten in the
pages it leaves, and the write-ahead log is checkpointed and truncated afterwards, so no
copy of it stays in the ``-wal`` file either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from console.domain import Actor
from console.domain.personal import (
    APPOINTMENT_FIELDS,
    EVENT_KEYS,
    TICKET_FIELDS,
    erased_changes,
)
from console.engine.core import Room


def _holds_personal(fields: dict[str, str | None]) -> str:
    """SQL true for a row where any of ``fields`` is not yet erased."""
    return " OR ".join(
        f"{c} IS NOT NULL" if v is None else f"({c} IS NOT NULL AND {c} != '{v}')"
        for c, v in fields.items()
    )


def _erasing(fields: dict[str, str | None]) -> str:
    """SQL SET clauses erasing ``fields`` (one parameter each): a value becomes its erased
    form, an absent one stays absent (a ticket that was not green does not become green)."""
    return ", ".join(f"{c} = CASE WHEN {c} IS NULL THEN NULL ELSE ? END" for c in fields)


_HAS_TICKET_FIELDS = _holds_personal(TICKET_FIELDS)
_HAS_APPOINTMENT_FIELDS = _holds_personal(APPOINTMENT_FIELDS)


@dataclass(frozen=True)
class PurgePlan:
    """What a purge erases: personal fields of the days before ``before_day``."""

    before_day: str
    since_day: str | None
    """Where the last purge stopped: earlier days hold nothing personal any more."""
    tickets: int
    appointments: int
    events: int
    days: list[str]

    def to_dict(self) -> dict:
        return {"before_day": self.before_day, "since_day": self.since_day,
                "tickets": self.tickets, "appointments": self.appointments,
                "events": self.events, "days": len(self.days)}  # fmt: skip


class Personal(Room):
    """The purge and what ``doctor`` asks of it."""

    def personal_cutoff(self) -> str:
        """The first day whose personal fields are still kept: today less the retention."""
        days = int(self.core.settings()["personal_retention_days"])
        return (self.clock.local().date() - timedelta(days=days)).isoformat()

    def _day_start(self, day: str) -> float:
        start = datetime.combine(date.fromisoformat(day), time(), tzinfo=self.clock.tz)
        return start.timestamp()

    def _last_purge(self) -> str | None:
        row = self.conn.execute("SELECT max(before_day) FROM purges").fetchone()
        return row[0]

    def _personal_events(self, since_day: str | None, before_day: str) -> list[tuple[int, str]]:
        """Events in the purge's range whose changes name a personal field (``events_at``)."""
        start = self._day_start(since_day) if since_day else float("-inf")
        rows = self.conn.execute(
            "SELECT id, changes FROM events INDEXED BY events_at WHERE at >= ? AND at < ?",
            (start, self._day_start(before_day)),
        )
        found = []
        for event_id, changes in rows:
            data = json.loads(changes or "{}")
            if EVENT_KEYS & data.keys() and erased_changes(data) != data:
                found.append((event_id, json.dumps(erased_changes(data), ensure_ascii=False)))
        return found

    def _plan(self) -> tuple[PurgePlan, list[tuple[int, str]]]:
        before, since = self.personal_cutoff(), self._last_purge()
        lo = since or ""
        tickets = self.conn.execute(
            "SELECT count(*) FROM tickets INDEXED BY tickets_day WHERE day >= ? AND day < ?"
            f" AND ({_HAS_TICKET_FIELDS})",
            (lo, before),
        ).fetchone()[0]
        appointments = self.conn.execute(
            "SELECT count(*) FROM appointments WHERE day >= ? AND day < ?"
            f" AND ({_HAS_APPOINTMENT_FIELDS})",
            (lo, before),
        ).fetchone()[0]
        days = [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT day FROM tickets INDEXED BY tickets_day WHERE day >= ? AND day < ?"
                " AND green_reason IS NOT NULL AND green_reason != ?",
                (lo, before, TICKET_FIELDS["green_reason"]),
            )
        ]
        events = self._personal_events(since, before) if since != before else []
        plan = PurgePlan(before, since, tickets, appointments, len(events), days)
        return plan, events

    def purge_personal(self, actor: Actor, dry_run: bool = False) -> PurgePlan:
        """Erase the personal fields older than the retention (``dry_run``: only count)."""
        if dry_run:
            return self._plan()[0]

        # the report's own counting, so a kept day reads as its tickets did (imported here:
        # the reports read through the engine's package)
        from console.reports.report import green_reason_figures

        def op() -> PurgePlan:
            plan, events = self._plan()
            for day in plan.days:
                for reason, figures in green_reason_figures(self.conn, day).items():
                    self.conn.execute(
                        "INSERT OR REPLACE INTO green_reason_days (day, reason, figures)"
                        " VALUES (?, ?, ?)",
                        (day, reason, json.dumps(figures.dump())),
                    )
            lo = plan.since_day or ""
            sets = _erasing(TICKET_FIELDS)
            self.conn.execute(
                f"UPDATE tickets INDEXED BY tickets_day SET {sets} WHERE day >= ? AND day < ?"
                f" AND ({_HAS_TICKET_FIELDS})",
                (*TICKET_FIELDS.values(), lo, plan.before_day),
            )
            sets = _erasing(APPOINTMENT_FIELDS)
            self.conn.execute(
                f"UPDATE appointments SET {sets} WHERE day >= ? AND day < ?"
                f" AND ({_HAS_APPOINTMENT_FIELDS})",
                (*APPOINTMENT_FIELDS.values(), lo, plan.before_day),
            )
            self.conn.executemany(
                "UPDATE events SET changes = ? WHERE id = ?", [(c, i) for i, c in events]
            )
            counts = plan.to_dict()
            self.conn.execute(
                "INSERT INTO purges (before_day, at, counts) VALUES (?, ?, ?)",
                (plan.before_day, self.clock.now(), json.dumps(counts)),
            )
            self.core.event("personal.purged", actor, changes=counts)
            return plan

        self.conn.execute("PRAGMA secure_delete = ON")
        try:
            plan = self.core.write("purge_personal", None, op, encode=lambda p: p.to_dict())
        finally:
            self.conn.execute("PRAGMA secure_delete = OFF")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return plan

    def oldest_personal_day(self) -> str | None:
        """The oldest day a ticket or an appointment still holds a personal field (for
        ``doctor``): read forward from where the last purge stopped."""
        lo = self._last_purge() or ""
        ticket = self.conn.execute(
            "SELECT day FROM tickets INDEXED BY tickets_day WHERE day >= ?"
            f" AND ({_HAS_TICKET_FIELDS}) ORDER BY day LIMIT 1",
            (lo,),
        ).fetchone()
        appointment = self.conn.execute(
            f"SELECT min(day) FROM appointments WHERE day >= ? AND ({_HAS_APPOINTMENT_FIELDS})",
            (lo,),
        ).fetchone()[0]
        return min((d for d in (ticket and ticket[0], appointment) if d), default=None)
