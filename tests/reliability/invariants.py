"""What must hold in a hall database after any crash."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from console.engine.replay import replay_mismatches


def check_hall(db: Path, ack_files: list[Path]) -> list[str]:
    """Problems found; empty when the database is whole and every acknowledged action is in it."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    problems = []
    if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problems.append("integrity_check failed")
    held = conn.execute(
        "SELECT counter_number, count(*) AS n FROM tickets WHERE status IN ('called', 'serving')"
        " GROUP BY counter_number HAVING n > 1"
    ).fetchall()
    problems += [f"counter {r[0]} holds {r[1]} tickets" for r in held]
    problems += replay_mismatches(conn)
    for path in ack_files:
        lines = path.read_text().splitlines() if path.exists() else []
        for line in lines:
            if not line.endswith("}"):
                continue  # the kill landed mid-write of the acknowledgement itself
            ack = json.loads(line)
            kinds = {
                "issue": "issued",
                "call": "called",
                "finish": "finished",
                "transfer": "transferred",
                "park": "parked",
                "resume": "resumed",
            }
            found = conn.execute(
                "SELECT 1 FROM events WHERE ticket_id = ? AND kind = ?",
                (ack["ticket"], kinds[ack["op"]]),
            ).fetchone()
            if not found:
                problems.append(f"acknowledged {ack} is missing")
    conn.close()
    return problems
