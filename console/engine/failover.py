"""The standby's take-over: the failover record, the hall's new generation and the gap in
the day's ticket numbers.

A replica is at most a second or so behind the primary it copies, so the last
tickets issued (and perhaps printed and handed out) before the primary died may
be missing from it. Numbering on from the replica's highest number would give
such a number to a second citizen. So the first write after a restore records
a failover: for every prefix, the day's numbering continues ``gap`` numbers
above the highest the replica knows (or above the previous failover's floor), plus
the changes the primary had made beyond the replica when it last said so
(``unreplicated``): a stalled replica can lag by more than the setting, and the
setting still covers what came after the primary's last word.

The failover also starts a new **generation** of the hall (table ``generations``):
a number every server states and every station remembers, so that the old primary,
restarted after the failover, is refused instead of serving a second copy of the hall.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from console.domain import Actor
from console.engine.core import Room

FAILOVER_ACTOR = Actor(staff_no="system", role="admin", station="restore", name="failover")
"""Who records a failover in the event log."""


def number_floor(conn: sqlite3.Connection, day: str, prefix: str) -> int:
    """The lowest sequence number ``prefix`` may hand out on ``day`` (0: no failover)."""
    row = conn.execute(
        "SELECT floors FROM failovers WHERE day = ? ORDER BY id DESC LIMIT 1", (day,)
    ).fetchone()
    return int(json.loads(row[0]).get(prefix, 0)) if row else 0


def last_failover(conn: sqlite3.Connection, day: str) -> dict[str, Any] | None:
    """The day's latest failover, as the floor view shows it, or None."""
    row = conn.execute(
        "SELECT at, from_event, event_id, gap FROM failovers WHERE day = ? ORDER BY id DESC"
        " LIMIT 1",
        (day,),
    ).fetchone()
    if row is None:
        return None
    return {"at": row[0], "from_event": row[1], "event_id": row[2], "gap": row[3]}


def hall_generation(conn: sqlite3.Connection) -> int:
    """This database's generation: 1 for the hall as created, one more per restore."""
    return int(conn.execute("SELECT coalesce(max(n), 1) FROM generations").fetchone()[0])


def unserved_generation(conn: sqlite3.Connection) -> int | None:
    """The newest generation when no server has served it yet (the first start after a
    restore), else None."""
    row = conn.execute(
        "SELECT n FROM generations WHERE served_at IS NULL ORDER BY n DESC LIMIT 1"
    ).fetchone()
    return None if row is None or row[0] != hall_generation(conn) else int(row[0])


class Failover(Room):
    """Recording that this database now serves the hall in place of a lost primary."""

    def record_failover(
        self, gap: int | None = None, replica: str = "", *, generation: int = 0,
        unreplicated: int = 0,
    ) -> dict[str, Any]:  # fmt: skip
        """Write the failover event, the day's number floors and the new generation (above
        this database's and ``generation``, the replica's); returns what was recorded.

        ``unreplicated``: changes the lost primary had made that the replica lacks, as far
        as the standby can know; they widen the gap (``gap``, else the setting) by as many."""
        gap = int(self.core.setting("failover_number_gap") if gap is None else gap)
        gap += max(0, int(unreplicated))

        def run() -> dict[str, Any]:
            day = self.clock.day()
            from_event = self.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
            new_generation = max(hall_generation(self.conn), generation) + 1
            prefixes = [r[0] for r in self.conn.execute("SELECT DISTINCT prefix FROM services")]
            floors = {}
            for prefix in prefixes:
                top = self.conn.execute(
                    "SELECT coalesce(max(seq), 0) FROM tickets WHERE day = ? AND prefix = ?",
                    (day, prefix),
                ).fetchone()[0]
                floors[prefix] = max(top, number_floor(self.conn, day, prefix) - 1) + gap + 1
            changes = {"from_event": from_event, "gap": gap, "floors": floors,
                       "replica": replica, "generation": new_generation,
                       "unreplicated": int(unreplicated)}  # fmt: skip
            event_id = self.core.event("failover", FAILOVER_ACTOR, changes=changes)
            now = self.clock.now()
            self.conn.execute(
                "INSERT INTO generations (n, at, from_event, replica) VALUES (?, ?, ?, ?)",
                (new_generation, now, from_event, replica),
            )
            self.conn.execute(
                "INSERT INTO failovers (day, at, from_event, event_id, gap, floors, replica)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (day, now, from_event, event_id, gap, json.dumps(floors), replica),
            )
            return {"day": day, "at": now, "event_id": event_id, **changes}

        return self.core.write("failover", None, run)

    def mark_generation_served(self) -> int | None:
        """Note that a server now serves the newest generation; the generation when this is
        its first server since the restore, else None."""

        def run() -> int | None:
            first = unserved_generation(self.conn)
            if first is not None:
                self.conn.execute("UPDATE generations SET served_at = ? WHERE n = ?",
                                  (self.clock.now(), first))  # fmt: skip
            return first

        return self.core.write("generation.served", None, run, encode=lambda r: r)
