"""``qconsole sessions list|add|edit|remove``: opening hours and night sessions."""

from __future__ import annotations

from typing import Annotated

import typer

from console.cli import crud
from console.cli.common import DbOpt, JsonOpt, ServerOpt, guarded

app = typer.Typer(
    help="Sessions: daily opening hours and extra sessions (e.g. 夜间专场).", no_args_is_help=True
)

NameArg = Annotated[str, typer.Argument(help="Session name, e.g. 夜间专场.")]


@app.command("list")
@guarded
def list_(db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False) -> None:
    """List sessions.

    Example: qconsole sessions list
    """
    crud.list_rows(
        db,
        server,
        as_json,
        read=lambda hall: hall.list_sessions(),
        title="Sessions 办理时段",
        columns=["name", "opens", "closes", "days", "active"],
        row=lambda s: (
            s.name,
            s.opens,
            s.closes,
            f"{s.date} closed" if s.closed else s.date or f"weekdays {s.weekdays}",
            "yes" if s.active else "no",
        ),
    )


@app.command()
@guarded
def add(
    name: NameArg,
    opens: Annotated[str | None, typer.Option("--opens", help="HH:MM")] = None,
    closes: Annotated[str | None, typer.Option("--closes", help="HH:MM")] = None,
    weekdays: Annotated[str, typer.Option("--weekdays", help="ISO weekdays, 1=Monday.")] = "12345",
    date: Annotated[str | None, typer.Option("--date", help="One day only (YYYY-MM-DD).")] = None,
    closed: Annotated[
        bool,
        typer.Option(
            "--closed",
            help="A closed day: the hall is shut all of --date (a holiday "
            "the official calendar does not know yet, a day of its own).",
        ),
    ] = False,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a session, or a closed day.

    Example: qconsole sessions add 夜间专场 --opens 18:00 --closes 21:00
    Example: qconsole sessions add 元旦 --date 2027-01-01 --closed
    """
    fields = crud.given(
        name=name, opens=opens, closes=closes, weekdays=weekdays, date=date, closed=closed or None
    )
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.add_session(actor, **fields),
        lambda s: (
            f"added closed day {s.name} on {s.date}"
            if s.closed
            else f"added session {s.name} {s.opens}-{s.closes}"
        ),
    )


@app.command()
@guarded
def edit(
    name: NameArg,
    new_name: Annotated[str | None, typer.Option("--name")] = None,
    opens: Annotated[str | None, typer.Option("--opens")] = None,
    closes: Annotated[str | None, typer.Option("--closes")] = None,
    weekdays: Annotated[str | None, typer.Option("--weekdays")] = None,
    active: Annotated[bool | None, typer.Option("--active/--inactive")] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a session.

    Example: qconsole sessions edit 日间 --closes 18:00
    """
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.edit_session(
            actor,
            name,
            name=new_name,
            opens=opens,
            closes=closes,
            weekdays=weekdays,
            active=active,
        ),
        lambda s: f"session {s.name} updated",
    )


@app.command()
@guarded
def remove(
    name: NameArg, db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False
) -> None:
    """Remove a session.

    Example: qconsole sessions remove 夜间专场
    """
    crud.remove(
        db,
        server,
        as_json,
        lambda hall, actor: hall.remove_session(actor, name),
        noun="session",
        key="name",
        name=name,
    )
