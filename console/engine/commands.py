"""Idempotency keys: a retried command gets the first result, and nothing else does.

A key is recorded with the operation's result in the same transaction as the
change. It is scoped to the station and the person acting there (so clerk 1003
replaying clerk 1001's key runs its own command rather than receiving 1001's
result), and it remembers a fingerprint of the arguments it was first used
with: the same key with other arguments is a client bug, refused as bad input
rather than answered with the first command's result. Each operation states both
itself (:func:`keyed`, from its own actor and arguments) and hands them to the write
path, so a call straight to the engine is scoped exactly as one through a service.

Keys older than :data:`KEEP_S` are pruned by a keyed write once a minute (and at
every keyed write while a backlog drains): a retry comes within seconds or minutes
of the attempt, never a day later, and the table must not grow with every command
the hall ever ran, but a call need not look for old keys each time.
"""

from __future__ import annotations

import enum
import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from console.domain import Actor
from console.domain.errors import BadInput

KEEP_S = 24 * 3600.0
"""How long a key is remembered."""
PRUNE_EVERY_S = 60.0
"""How often keyed writes look for keys to forget (a big hall keys ~100 writes a minute)."""
PRUNE_BATCH = 500
PRUNE_SQL = (
    "DELETE FROM commands WHERE rowid IN"
    " (SELECT rowid FROM commands WHERE at < ? ORDER BY at LIMIT ?)"
)
"""At most PRUNE_BATCH expired keys at a time, found through the index on ``at``: the
first writes after a quiet night drain yesterday's keys a batch each, and no call waits
for a whole day's worth."""


@dataclass(frozen=True)
class Command:
    """An idempotency key with what it is checked against: its scope (the station and the
    person acting there) and the arguments of the operation it was given with."""

    key: str
    scope: str
    args: Mapping[str, Any]

    def fingerprint(self, op: str) -> str:
        payload = {"op": op, "args": dict(sorted(self.args.items()))}
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=_plain)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def keyed(key: str | None, actor: Actor, **args: Any) -> Command | None:
    """The command an operation runs as: ``key`` scoped to ``actor`` (its station and staff
    number) and fingerprinted by ``args``, every argument of the operation but the actor
    and the key; None when the call carries no key."""
    if key is None:
        return None
    return Command(key, f"{actor.station}/{actor.staff_no}", args)


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    return str(value)


class Missing:
    """No result recorded under the key yet."""


MISSING = Missing()


def recorded(conn: sqlite3.Connection, command: Command, op: str) -> Any:
    """The result recorded under the command's key in its scope, or :data:`MISSING`.

    Raises BadInput when the key was used for another operation or other arguments.
    """
    key = command.key
    row = conn.execute(
        "SELECT op, fingerprint, result FROM commands WHERE scope = ? AND key = ?",
        (command.scope, key),
    ).fetchone()
    if row is None:
        return MISSING
    if row["op"] != op:
        raise BadInput(reason="command.key_reused", key=repr(key), op=row["op"])
    if row["fingerprint"] != command.fingerprint(op):
        raise BadInput(reason="command.key_other_args", key=repr(key), op=op)
    return json.loads(row["result"])


def record(conn: sqlite3.Connection, command: Command, op: str, result: Any, now: float) -> None:
    """Remember ``result`` under the command's key, in its scope."""
    conn.execute(
        "INSERT INTO commands (scope, key, op, fingerprint, result, at) VALUES (?, ?, ?, ?, ?, ?)",
        (command.scope, command.key, op, command.fingerprint(op),
         json.dumps(result, ensure_ascii=False), now),
    )  # fmt: skip


def prune(conn: sqlite3.Connection, now: float) -> float:
    """Forget a batch of keys older than a day; returns when to prune next (at once while
    a full batch went: more may be left)."""
    gone = conn.execute(PRUNE_SQL, (now - KEEP_S, PRUNE_BATCH)).rowcount
    return now if gone >= PRUNE_BATCH else now + PRUNE_EVERY_S
