"""``qconsole clerks list|add|edit|remove``: staff, roles and PINs."""

from __future__ import annotations

from typing import Annotated

import typer

from console.cli.common import (
    DbOpt,
    JsonOpt,
    Role,
    ServerOpt,
    actor_for,
    emit_json,
    guarded,
    open_hall,
    out,
    read_pin,
    table,
)

app = typer.Typer(
    help="Clerks: staff number, name, role (clerk/manager/admin), PIN.", no_args_is_help=True
)

StaffArg = Annotated[str, typer.Argument(help="Staff number, e.g. 1001.")]


@app.command("list")
@guarded
def list_(db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False) -> None:
    """List clerks (never their PINs).

    Example: qconsole clerks list --json
    """
    clerks = open_hall(db, server).list_clerks()
    if as_json:
        emit_json([c.to_dict() for c in clerks])
        return
    table(
        "Clerks 工作人员",
        ["staff no.", "name", "role", "active", "locked"],
        [
            (
                c.staff_no,
                c.name,
                c.role,
                "yes" if c.active else "no",
                "locked" if c.locked_until else "",
            )
            for c in clerks
        ],
    )


@app.command()
@guarded
def add(
    staff_no: StaffArg,
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    role: Annotated[Role, typer.Option("--role", help="clerk, manager or admin.")] = "clerk",
    pin: Annotated[
        str | None, typer.Option("--pin", help="4-12 digits (or QCONSOLE_PIN, or asked for).")
    ] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a clerk.

    Example: qconsole clerks add 1001 --name 王芳 --pin 2468
    """
    hall = open_hall(db, server)
    clerk = hall.add_clerk(
        actor_for(hall), staff_no=staff_no, name=name, role=role, pin=read_pin(pin)
    )
    if as_json:
        emit_json(clerk.to_dict())
    else:
        out.print(f"added {clerk.role} {clerk.staff_no} {clerk.name}")


@app.command()
@guarded
def edit(
    staff_no: StaffArg,
    name: Annotated[str | None, typer.Option("--name")] = None,
    role: Annotated[Role | None, typer.Option("--role")] = None,
    pin: Annotated[str | None, typer.Option("--pin", help="Set a new PIN.")] = None,
    unlock: Annotated[bool, typer.Option("--unlock", help="Lift a PIN lockout.")] = False,
    active: Annotated[bool | None, typer.Option("--active/--inactive")] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a clerk.

    Example: qconsole clerks edit 1001 --unlock
    """
    hall = open_hall(db, server)
    clerk = hall.edit_clerk(
        actor_for(hall), staff_no, name=name, role=role, pin=pin, unlock=unlock, active=active
    )
    if as_json:
        emit_json(clerk.to_dict())
    else:
        out.print(f"clerk {clerk.staff_no} updated")


@app.command()
@guarded
def remove(
    staff_no: StaffArg, db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False
) -> None:
    """Remove a clerk.

    Example: qconsole clerks remove 1001
    """
    hall = open_hall(db, server)
    result = hall.remove_clerk(actor_for(hall), staff_no)
    if as_json:
        emit_json({"staff_no": staff_no, "result": result})
    else:
        out.print(f"clerk {staff_no} {result}")
