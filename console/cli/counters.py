"""``qconsole counters list|add|edit|remove|open|pause|resume|close``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from console.cli import crud
from console.cli.common import DbOpt, JsonOpt, ServerOpt, guarded, read_pin, station_name
from console.domain import Counter

app = typer.Typer(
    help="Counters (窗口): services in calling order, green channel, low position.",
    no_args_is_help=True,
)

ServicesOpt = Annotated[
    str | None,
    typer.Option(
        "--services",
        help="Service codes in calling order, comma-separated; "
        "join codes with '+' to share a tier (oldest first across them): ID+PP,RES",
    ),
]
NumberArg = Annotated[int, typer.Argument(help="Counter number.")]


def _said(verb: str) -> Callable[[Counter], str]:
    """What a counter's add, edit, open, pause… says: its state now, and its clerk."""

    def said(counter: Counter) -> str:
        clerk = f" ({counter.clerk_staff_no})" if counter.clerk_staff_no else ""
        return f"counter {counter.number} {verb}: {counter.state}{clerk}"

    return said


@app.command("list")
@guarded
def list_(db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False) -> None:
    """List counters and their state.

    Example: qconsole counters list
    """
    crud.list_rows(
        db,
        server,
        as_json,
        read=lambda hall: hall.list_counters(),
        title="Counters 窗口",
        columns=["no.", "name", "services", "green", "low", "state", "clerk"],
        row=lambda c: (
            c.number,
            c.name,
            ",".join(c.services),
            "✓" if c.green_channel else "",
            "✓" if c.low_position else "",
            c.state + (f" ({c.pause_reason})" if c.pause_reason else ""),
            c.clerk_staff_no,
        ),
    )


@app.command()
@guarded
def add(
    number: NumberArg,
    name: Annotated[str | None, typer.Option("--name", help="Shown on screens.")] = None,
    services: ServicesOpt = None,
    green: Annotated[bool, typer.Option("--green", help="A green-channel counter.")] = False,
    low: Annotated[
        bool, typer.Option("--low", help="A low-position (wheelchair) counter.")
    ] = False,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a counter.

    Example: qconsole counters add 1 --services ID+PP,RES --green
    """
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.add_counter(
            actor,
            number=number,
            name=name,
            services=services or [],
            green_channel=green,
            low_position=low,
        ),
        _said("added"),
    )


@app.command()
@guarded
def edit(
    number: NumberArg,
    name: Annotated[str | None, typer.Option("--name")] = None,
    services: ServicesOpt = None,
    green: Annotated[bool | None, typer.Option("--green/--no-green")] = None,
    low: Annotated[bool | None, typer.Option("--low/--no-low")] = None,
    active: Annotated[bool | None, typer.Option("--active/--inactive")] = None,
    printer: Annotated[str | None, typer.Option("--printer", help="Receipt printer name.")] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a counter.

    Example: qconsole counters edit 3 --services PP,ID
    """
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.edit_counter(
            actor,
            number,
            name=name,
            services=services,
            green_channel=green,
            low_position=low,
            active=active,
            printer=printer,
        ),
        _said("updated"),
    )


@app.command()
@guarded
def remove(
    number: NumberArg, db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False
) -> None:
    """Remove a closed counter.

    Example: qconsole counters remove 7
    """
    crud.remove(
        db,
        server,
        as_json,
        lambda hall, actor: hall.remove_counter(actor, number),
        noun="counter",
        key="number",
        name=number,
    )


@app.command("open")
@guarded
def open_(
    number: NumberArg,
    clerk: Annotated[str | None, typer.Option("--clerk", help="Staff number of the clerk.")] = None,
    pin: Annotated[str | None, typer.Option("--pin", help="PIN (or QCONSOLE_PIN).")] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Open a counter for a clerk.

    Example: qconsole counters open 1 --clerk 1001
    """
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.open_counter(
            hall.login(clerk, read_pin(pin), station_name()) if clerk else actor, number
        ),
        _said("opened"),
    )


@app.command()
@guarded
def pause(
    number: NumberArg,
    reason: Annotated[str, typer.Option("--reason", help="Shown on the floor view.")],
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Pause a counter.

    Example: qconsole counters pause 1 --reason 午休
    """
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.pause_counter(actor, number, reason),
        _said("paused"),
    )


@app.command()
@guarded
def resume(
    number: NumberArg, db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False
) -> None:
    """Resume a paused counter.

    Example: qconsole counters resume 1
    """
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.resume_counter(actor, number),
        _said("resumed"),
    )


@app.command()
@guarded
def close(
    number: NumberArg, db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False
) -> None:
    """Close a counter for the day.

    Example: qconsole counters close 1
    """
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.close_counter(actor, number),
        _said("closed"),
    )
