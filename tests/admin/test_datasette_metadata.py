"""schemas/metadata.json (Datasette) describes real tables and columns; its queries run."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

METADATA = Path(__file__).resolve().parents[2] / "schemas" / "metadata.json"


def test_metadata_matches_the_schema_and_queries_run(day_db: Path) -> None:
    meta = json.loads(METADATA.read_text(encoding="utf-8"))
    hall = meta["databases"]["hall"]
    conn = sqlite3.connect(f"file:{day_db}?mode=ro", uri=True)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for name, info in hall["tables"].items():
        assert name in tables, name
        real = {r[1] for r in conn.execute(f"PRAGMA table_info({name})")}
        assert set(info.get("columns", {})) <= real, (name, set(info["columns"]) - real)
    for table in ("tickets", "events", "services", "counters", "clerks", "sessions"):
        assert hall["tables"][table]["description"]
    params = {"day": "2026-11-26", "from_day": "2026-11-01", "to_day": "2026-11-30",
              "number": "A001", "actor": "1001"}  # fmt: skip
    for name, query in hall["queries"].items():
        assert query["title"] and query["description"], name
        wanted = set(re.findall(r":(\w+)", query["sql"]))
        rows = conn.execute(query["sql"], {k: params[k] for k in wanted}).fetchall()
        if name in ("daily_volumes", "day_by_hour", "counters_day", "ticket_history"):
            assert rows, name


def test_pin_hashes_are_not_shown() -> None:
    """Datasette shows every column of a visible table and runs any SQL unless told not to:
    the clerks table (PIN hashes) is hidden and closed, SQL is off, and no canned query or
    column description names the hash."""
    hall = json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["hall"]
    clerks = hall["tables"]["clerks"]
    assert clerks["hidden"] is True and clerks["allow"] is False
    assert hall["allow_sql"] is False
    assert "pin_hash" not in json.dumps(hall["queries"]) and "pin_hash" not in clerks["columns"]
    assert "clerks" in hall["queries"]
