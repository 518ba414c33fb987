"""Idempotency keys: a retried command gets the first result, and nothing else does.

A key is recorded with the operation's result in the same transaction as the
change. It is scoped to the station and the person acting there (so clerk 1003
replaying clerk 1001's key runs its own command rather than receiving 1001's
result), and it remembers a fingerprint of the arguments it was first used
with: the same key with other arguments is a client bug, refused as bad input
rather than answered with the first command's result.

Keys older than :data:`KEEP_S` are pruned by a keyed write once a minute (and at
every keyed write while a backlog drains): a retry comes within seconds or minutes
of the attempt, never a day later, and the table must not grow with every command
the hall ever ran, but a call need not look for old keys each time.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
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

_CALL: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar(
    "qconsole_command_call", default=None
)
"""[operation, args, kwargs, description] of the interface call being run; described only
when the call carries a key (so reads and unkeyed writes pay nothing), and once."""


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    return str(value)


def describe_call(op: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> tuple[str, str]:
    """The scope (station and who acts there) and the argument fingerprint of one call."""
    actor = next((a for a in [*args, *kwargs.values()] if isinstance(a, Actor)), None)
    scope = f"{actor.station}/{actor.staff_no}" if actor else ""
    payload = {
        "op": op,
        "args": [a for a in args if not isinstance(a, Actor)],
        "kwargs": {
            k: v for k, v in sorted(kwargs.items()) if k != "key" and not isinstance(v, Actor)
        },
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=_plain)
    return scope, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@contextlib.contextmanager
def calling(op: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Iterator[None]:
    """Run one interface call with its scope and fingerprint known to the write path."""
    token = _CALL.set([op, args, kwargs, None])
    try:
        yield
    finally:
        _CALL.reset(token)


def _current() -> tuple[str, str]:
    call = _CALL.get()
    if call is None:
        return "", ""
    if call[3] is None:
        call[3] = describe_call(*call[:3])
    return call[3]


class Missing:
    """No result recorded under the key yet."""


MISSING = Missing()


def recorded(conn: sqlite3.Connection, key: str, op: str) -> Any:
    """The result recorded under ``key`` in this call's scope, or :data:`MISSING`.

    Raises BadInput when the key was used for another operation or other arguments.
    """
    scope, fingerprint = _current()
    row = conn.execute(
        "SELECT op, fingerprint, result FROM commands WHERE scope = ? AND key = ?", (scope, key)
    ).fetchone()
    if row is None:
        return MISSING
    if row["op"] != op:
        raise BadInput(reason="command.key_reused", key=repr(key), op=row["op"])
    if row["fingerprint"] != fingerprint:
        raise BadInput(reason="command.key_other_args", key=repr(key), op=op)
    return json.loads(row["result"])


def record(conn: sqlite3.Connection, key: str, op: str, result: Any, now: float) -> None:
    """Remember ``result`` under ``key``."""
    scope, fingerprint = _current()
    conn.execute(
        "INSERT INTO commands (scope, key, op, fingerprint, result, at) VALUES (?, ?, ?, ?, ?, ?)",
        (scope, key, op, fingerprint, json.dumps(result, ensure_ascii=False), now),
    )


def prune(conn: sqlite3.Connection, now: float) -> float:
    """Forget a batch of keys older than a day; returns when to prune next (at once while
    a full batch went: more may be left)."""
    gone = conn.execute(PRUNE_SQL, (now - KEEP_S, PRUNE_BATCH)).rowcount
    return now if gone >= PRUNE_BATCH else now + PRUNE_EVERY_S
