"""The analysts' copy of a hall database: every table an analyst reads, and no secret.

Datasette (or any SQL tool) on a copy of the live file would show the PIN hashes (a
4-6 digit PIN falls to an offline guess), the station and session token hashes, the
tickets' public codes (each a key to a citizen's page and rating) and the board token.
Hiding them by metadata holds only while the file keeps the name the metadata is keyed
to; here they are taken out of the copy itself, whatever it is called later. The copy is
a snapshot (SQLite's backup API, consistent while stations work), scrubbed, then
rebuilt with VACUUM so no scrubbed value survives in a free page, as one file (no WAL).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from console.reports.atomic import atomic_path

SCRUB = (
    "UPDATE clerks SET pin_hash = ''",
    "UPDATE stations SET token_hash = ''",
    "DELETE FROM server_sessions",
    "DELETE FROM station_login_attempts",
    "DELETE FROM commands",  # recorded answers of retried commands: nothing to analyse
    "UPDATE tickets SET public_code = NULL",
    "DELETE FROM settings WHERE key = 'board_token'",
)
"""What the copy leaves out: secrets, and the records that exist only to check them."""


def analysis_copy(source: sqlite3.Connection, target: Path) -> dict[str, Any]:
    """Write the analysts' copy of ``source`` to ``target`` (complete or absent)."""
    started = time.monotonic()
    target = Path(target)
    with atomic_path(target) as tmp:
        copy = sqlite3.connect(tmp, isolation_level=None)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            copy.execute("BEGIN")
            for statement in SCRUB:
                copy.execute(statement)
            copy.execute("COMMIT")
            copy.execute("VACUUM")
            tickets = copy.execute("SELECT count(*) FROM tickets").fetchone()[0]
        finally:
            copy.close()
    return {"path": str(target), "tickets": tickets, "bytes": target.stat().st_size,
            "seconds": round(time.monotonic() - started, 2)}  # fmt: skip
