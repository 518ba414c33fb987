"""``qconsole settings list|set``: hall-wide settings (hall name, anti-starvation rule, ...)."""

from __future__ import annotations

from typing import Annotated

import typer

from console.cli.common import (
    DbOpt,
    JsonOpt,
    ServerOpt,
    actor_for,
    emit_json,
    guarded,
    open_hall,
    out,
    table,
)

app = typer.Typer(help="Hall settings.", no_args_is_help=True)


@app.command("list")
@guarded
def list_(db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False) -> None:
    """Show every setting.

    Example: qconsole settings list
    """
    values = open_hall(db, server).settings()
    if as_json:
        emit_json(values)
        return
    table("Settings", ["name", "value"], sorted(values.items()))


@app.command("set")
@guarded
def set_(
    name: Annotated[str, typer.Argument(help="Setting name (see settings list).")],
    value: Annotated[str, typer.Argument(help="New value.")],
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a setting.

    Example: qconsole settings set green_streak_limit 2
    """
    hall = open_hall(db, server)
    values = hall.set_setting(actor_for(hall), name, value)
    if as_json:
        emit_json(values)
    else:
        out.print(f"{name} = {values[name]}")
