"""``qconsole sessions list|add|edit|remove``: opening hours and night sessions."""

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
    sessions = open_hall(db, server).list_sessions()
    if as_json:
        emit_json([s.to_dict() for s in sessions])
        return
    table(
        "Sessions 办理时段",
        ["name", "opens", "closes", "days", "active"],
        [
            (
                s.name,
                s.opens,
                s.closes,
                f"{s.date} closed" if s.closed else s.date or f"weekdays {s.weekdays}",
                "yes" if s.active else "no",
            )
            for s in sessions
        ],
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
    hall = open_hall(db, server)
    fields = {
        "name": name,
        "opens": opens,
        "closes": closes,
        "weekdays": weekdays,
        "date": date,
        "closed": closed or None,
    }
    session = hall.add_session(
        actor_for(hall), **{k: v for k, v in fields.items() if v is not None}
    )
    if as_json:
        emit_json(session.to_dict())
    elif session.closed:
        out.print(f"added closed day {session.name} on {session.date}")
    else:
        out.print(f"added session {session.name} {session.opens}-{session.closes}")


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
    hall = open_hall(db, server)
    session = hall.edit_session(
        actor_for(hall),
        name,
        name=new_name,
        opens=opens,
        closes=closes,
        weekdays=weekdays,
        active=active,
    )
    if as_json:
        emit_json(session.to_dict())
    else:
        out.print(f"session {session.name} updated")


@app.command()
@guarded
def remove(
    name: NameArg, db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False
) -> None:
    """Remove a session.

    Example: qconsole sessions remove 夜间专场
    """
    hall = open_hall(db, server)
    result = hall.remove_session(actor_for(hall), name)
    if as_json:
        emit_json({"name": name, "result": result})
    else:
        out.print(f"session {name} {result}")
