"""``qconsole config apply FILE``: set up a hall from a TOML file (see console/hallconfig.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from console import hallconfig
from console.cli.common import (
    DbOpt,
    JsonOpt,
    ServerOpt,
    actor_for,
    cli_lang,
    emit_json,
    guarded,
    open_hall,
    out,
)

app = typer.Typer(help="Hall setup from a TOML file.", no_args_is_help=True)


@app.command()
@guarded
def apply(
    file: Annotated[
        Path,
        typer.Argument(
            help="TOML with [settings], [[services]], [[counters]], [[clerks]], [[sessions]]."
        ),
    ],
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add or update what the file describes (nothing is removed).

    Example: qconsole config apply hall.toml
    """
    data = hallconfig.load(file)
    hall = open_hall(db, server)
    actor = actor_for(hall)
    said = {"file": str(file), "lang": cli_lang()}  # where a refusal is, in the admin's words
    hallconfig.rehearse(hall, actor, data, **said)
    counts = hallconfig.apply(hall, actor, data, **said)
    if as_json:
        emit_json(counts)
    else:
        out.print(
            f"{file}: {counts['added']} added, {counts['edited']} updated, "
            f"{counts['settings']} settings changed",
            markup=False,
        )
