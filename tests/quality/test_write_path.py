"""One write path: only the engine's modules hold SQL that changes the hall database.

Every state change is one engine method inside ``Core.write`` (one ``BEGIN IMMEDIATE``
transaction, its event in it). A module elsewhere that writes rows itself (as the print
worker once did, with an event log of its own) escapes the idempotency keys, the day
change and the read models kept in the same write. The rule read here: no SQL text that
inserts, updates, deletes or replaces rows in any module of ``console/`` or ``printers/``
outside ``console/engine/``, but for the few below, each with why it may.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WRITES = re.compile(
    r"\b(INSERT\s+(OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b",
    re.IGNORECASE,
)
"""SQL that changes rows (schema changes live in ``schemas/migrations/*.sql``)."""

ALLOWED = {
    "console/reports/totals.py": "an ended day's totals, kept by the engine's day change "
    "inside Core.write (the reports own the figures, the engine the moment)",
    "console/server/auth.py": "the server's stations and sessions, each change inside "
    "engine.core.write with its event",
    "console/reports/analysis.py": "blanks the secrets of the analysts' copy, a new file "
    "made by the backup API: never the hall database",
    "console/city/store.py": "the city's own database of what it read from each hall's "
    "server: never a hall's database",
}


def sql_writes(source: str) -> list[tuple[int, str]]:
    """(line, statement) of every string in ``source`` that is SQL changing rows."""
    found = []
    for node in ast.walk(ast.parse(source)):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and WRITES.search(text):
            found.append((node.lineno, " ".join(text.split())[:60]))
    return found


def modules() -> list[Path]:
    return sorted([*ROOT.glob("console/**/*.py"), *ROOT.glob("printers/**/*.py")])


def test_the_rule_sees_the_writes_it_is_about() -> None:
    assert sql_writes('conn.execute("UPDATE print_jobs SET status = ? WHERE id = ?", x)')
    assert sql_writes('conn.execute(f"INSERT INTO events ({cols}) VALUES ({marks})")')
    assert sql_writes("q = 'insert or replace into day_totals (day) values (?)'")
    assert sql_writes('conn.execute("DELETE FROM commands WHERE at < ?")')
    assert not sql_writes('conn.execute("SELECT * FROM print_jobs WHERE status = ?")')
    assert not sql_writes('"""Deletes an unused service, or deactivates one."""')


def test_only_the_engine_writes_to_the_database() -> None:
    outside = {}
    for path in modules():
        name = path.relative_to(ROOT).as_posix()
        if name.startswith("console/engine/") or name in ALLOWED:
            continue
        writes = sql_writes(path.read_text(encoding="utf-8"))
        if writes:
            outside[name] = writes
    assert outside == {}, (
        "SQL that changes rows outside the engine's write path (console/engine/): make it an "
        f"engine method through Core.write: {outside}"
    )


def test_each_allowed_module_still_writes() -> None:
    """An exception that is no longer needed is taken off the list."""
    for name in ALLOWED:
        assert sql_writes((ROOT / name).read_text(encoding="utf-8")), name
