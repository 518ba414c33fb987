"""How ``RemoteHall`` turns one call of the interface into one HTTP request, and the answer
back into what the engine returns: all read from the operation's declaration
(``console.server.operations``), so no operation is written here."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args, get_origin
from urllib.parse import quote

from console.domain import Actor
from console.domain.errors import BadInput
from console.server.operations import OPERATIONS, AtCounter, CounterNo, Operation

NUMBERS = (CounterNo, AtCounter)
"""Declared parameter types sent as a whole number in the path."""


@dataclass(frozen=True)
class Request:
    """One operation's request, and how to read its answer."""

    op: Operation
    path: str
    params: dict[str, Any]
    body: dict[str, Any] | None
    actor: Actor | None
    key: str | None
    decode: Callable[[Any], Any]


def request(op: str, arguments: dict[str, Any], fields: dict[str, Any] | None) -> Request:
    """The request of ``op`` called with the interface's ``arguments`` (and the loose
    ``fields`` of an add or an edit): path and query from the declaration, the rest as the
    body; ``actor`` and ``key`` travel as the session and the ``Idempotency-Key``."""
    declared, in_path, decode = PLANS[op]
    values = dict(arguments)
    actor, key = values.pop("actor", None), values.pop("key", None)
    wire = {arg: declared.wire(arg) for arg in declared.params}
    path = declared.url.format(**{
        wire[a]: _num(values.pop(a)) if declared.params[a] in NUMBERS else _seg(values.pop(a))
        for a in in_path
    })  # fmt: skip
    params = {wire[a]: values.pop(a) for a in wire if a not in in_path}
    loose = {k: v for k, v in (fields or {}).items() if v is not None}
    body = {**values, **loose} if declared.body is not None else None
    return Request(declared, path, params, body, actor, key, decode)


def wire_key(key: str) -> str:
    """A caller's idempotency key as the server accepts it (8-128 of ``A-Za-z0-9_.:-``); any
    other key is hashed, so the same key always maps to the same header."""
    if 8 <= len(key) <= 128 and all(c.isascii() and (c.isalnum() or c in "_.:-") for c in key):
        return key
    return "k-" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _seg(value: str) -> str:
    """One path segment, escaped (names may hold spaces or Chinese)."""
    return quote(str(value), safe="")


def _num(value: int) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise BadInput(reason="counter.not_whole", value=repr(value)) from None
    return str(value)


def _decoder(op: Operation) -> Callable[[Any], Any]:
    """Turns the server's JSON answer back into what the engine returns."""
    if op.carried:
        return lambda data: data[op.carried]
    kind = op.response
    if get_origin(kind) is list:
        (item,) = get_args(kind)
        if hasattr(item, "from_dict"):
            return lambda data: [item.from_dict(d) for d in data]
    if hasattr(kind, "from_dict"):
        return kind.from_dict
    return lambda data: data


PLANS: dict[str, tuple[Operation, set[str], Callable[[Any], Any]]] = {
    op.name: (op, set(op.path_args()), _decoder(op)) for op in OPERATIONS if op.remote
}
"""Each remote operation's declaration, its path arguments and its answer's decoder."""
