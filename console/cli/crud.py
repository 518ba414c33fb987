"""The body the setup commands share: listing, adding or changing, and removing services,
counters, clerks, sessions and matters differ only in their options, the service method
they call and the words they print. Opening the hall, acting as the shell's admin (or the
station's session), and choosing between ``--json`` and words are written here once, so
each command says only what is its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from console.cli.common import actor_for, emit_json, open_hall, out, table
from console.domain import Actor

Change = Callable[[Any, Actor], Any]
"""A write through the hall service: ``lambda hall, actor: hall.add_service(actor, …)``."""


def given(**fields: Any) -> dict[str, Any]:
    """The fields the command line set: a write passes on only what was given."""
    return {name: value for name, value in fields.items() if value is not None}


def list_rows(
    db: Path | None,
    server: str | None,
    as_json: bool,
    *,
    read: Callable[[Any], Sequence[Any]],
    title: str | Callable[[Sequence[Any]], str],
    columns: Sequence[str],
    row: Callable[[Any], Sequence[Any]],
) -> None:
    """``… list``: the records ``read`` returns, as JSON objects or one table row each."""
    records = read(open_hall(db, server))
    if as_json:
        emit_json([record.to_dict() for record in records])
        return
    table(title(records) if callable(title) else title, columns, [row(r) for r in records])


def write(
    db: Path | None,
    server: str | None,
    as_json: bool,
    change: Change,
    said: Callable[[Any], str],
    *,
    markup: bool | None = None,
) -> None:
    """``… add`` and ``… edit`` (and a counter's open, pause…): the record as it is now,
    as JSON or in the words ``said`` gives it (``markup=False`` where a name may hold
    brackets)."""
    hall = open_hall(db, server)
    record = change(hall, actor_for(hall))
    if as_json:
        emit_json(record.to_dict())
    else:
        out.print(said(record), markup=markup)


def remove(
    db: Path | None,
    server: str | None,
    as_json: bool,
    change: Change,
    *,
    noun: str,
    key: str,
    name: Any,
    markup: bool | None = None,
) -> None:
    """``… remove``: what became of the record (removed, or kept inactive for its history),
    as ``{key: name, "result": …}`` or "noun name result"."""
    hall = open_hall(db, server)
    result = change(hall, actor_for(hall))
    if as_json:
        emit_json({key: name, "result": result})
    else:
        out.print(f"{noun} {name} {result}", markup=markup)
