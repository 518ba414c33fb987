"""Schema changes, applied in order, once, inside one write transaction.

The SQL lives in ``schemas/migrations/NNNN_name.sql`` so that the schema is
data a person can read; each file is registered here as a
``sqlite_utils.Migrations`` step. All pending steps run under one
``BEGIN IMMEDIATE``, so two stations starting at once cannot both apply them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from console.domain.errors import Unavailable
from console.store.connection import sqlite_failure, write_transaction

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "schemas" / "migrations"
if not MIGRATIONS_DIR.is_dir():  # installed as a wheel: schemas/ is packaged inside console/
    MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "schemas" / "migrations"

SCRIPTS = sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))
SCHEMA_VERSION = len(SCRIPTS)
"""The schema version this code expects: the number of migration scripts."""

hall = sqlite_utils.Migrations("qconsole")


def _register(script: Path) -> None:
    sql = script.read_text(encoding="utf-8")

    def step(db: sqlite_utils.Database) -> None:
        for statement in _statements(sql):
            db.conn.execute(statement)

    hall(name=script.stem)(step)


def _statements(sql: str) -> list[str]:
    """Split a script into statements (executescript would COMMIT our transaction)."""
    out, buf = [], []
    for line in sql.splitlines():
        buf.append(line)
        candidate = "\n".join(buf)
        if sqlite3.complete_statement(candidate):
            out.append(candidate)
            buf = []
    return [s for s in out if s.strip(" \n;")]


for _script in SCRIPTS:
    _register(_script)


def schema_version(conn: sqlite3.Connection) -> int:
    """How many of our migrations the database has; -1 for a database that is not a hall's."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return 0
    if "_sqlite_migrations" not in tables:
        return -1
    return conn.execute(
        "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = ?", (hall.name,)
    ).fetchone()[0]


def check_version(conn: sqlite3.Connection, path: str) -> None:
    """Refuse a foreign database, an uninitialised one, or one from a newer qconsole."""
    version = schema_version(conn)
    if version == -1:
        raise Unavailable(reason="db.foreign", path=path)
    if version == 0:
        raise Unavailable(reason="db.empty", path=path)
    if version > SCHEMA_VERSION:
        raise Unavailable(reason="db.too_new", path=path, version=version, known=SCHEMA_VERSION)
    if version < SCHEMA_VERSION:
        raise Unavailable(reason="db.too_old", path=path, version=version, known=SCHEMA_VERSION)


def require_migrations() -> None:
    """Refuse to create or migrate a hall when the install lacks its migrations (a wheel
    built without ``schemas/``): an empty database must never pass for a hall."""
    if not SCRIPTS:
        raise Unavailable(reason="db.no_migrations", directory=MIGRATIONS_DIR)


def migrate(conn: sqlite3.Connection, path: str = "hall database") -> int:
    """Apply pending migrations; returns the resulting schema version."""
    require_migrations()
    try:
        version = schema_version(conn)
    except sqlite3.DatabaseError as exc:
        raise sqlite_failure(path, exc) from exc
    if version == -1:
        raise Unavailable(reason="db.foreign", path=path)
    if version > SCHEMA_VERSION:
        check_version(conn, path)
    db = sqlite_utils.Database(conn)
    try:
        with write_transaction(conn, path):
            hall.apply(db)
    except sqlite3.DatabaseError as exc:
        raise sqlite_failure(path, exc) from exc
    return schema_version(conn)
