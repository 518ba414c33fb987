"""Rebuild every ticket from the event log alone.

The ``issued`` event holds the ticket's whole first row and every later event
holds ``{column: [before, after]}`` for what it changed, so folding the log in
id order gives each ticket's current row. Tests compare this with the
``tickets`` table after random operations; an admin can run it as a check.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from console.engine.core import TICKET_COLUMNS


def replay_tickets(conn: sqlite3.Connection) -> dict[int, dict[str, Any]]:
    """Ticket id → row, as the event log says it must be."""
    tickets: dict[int, dict[str, Any]] = {}
    for kind, ticket_id, changes in conn.execute(
        "SELECT kind, ticket_id, changes FROM events WHERE ticket_id IS NOT NULL ORDER BY id"
    ):
        data = json.loads(changes)
        if kind == "issued":
            tickets[ticket_id] = dict(data)
            continue
        row = tickets[ticket_id]
        for column, (before, after) in data.items():
            if row.get(column) != before:
                raise ValueError(
                    f"event log disagrees with itself at ticket #{ticket_id} {column}: "
                    f"{row.get(column)!r} != {before!r}"
                )
            row[column] = after
    return tickets


def stored_tickets(conn: sqlite3.Connection) -> dict[int, dict[str, Any]]:
    cols = ", ".join(TICKET_COLUMNS)
    return {
        r[0]: dict(zip(TICKET_COLUMNS, r, strict=True))
        for r in conn.execute(f"SELECT {cols} FROM tickets")
    }


def replay_mismatches(conn: sqlite3.Connection) -> list[str]:
    """Differences between the log and the table; empty when they agree."""
    replayed = replay_tickets(conn)
    stored = stored_tickets(conn)
    problems = []
    for ticket_id in sorted(set(replayed) | set(stored)):
        a, b = replayed.get(ticket_id), stored.get(ticket_id)
        if a != b:
            problems.append(f"ticket #{ticket_id}: log {a} != table {b}")
    return problems
