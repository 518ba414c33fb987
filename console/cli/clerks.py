"""``qconsole clerks list|add|edit|remove``: staff, roles and PINs."""

from __future__ import annotations

from typing import Annotated

import typer

from console.cli import crud
from console.cli.common import DbOpt, JsonOpt, Role, ServerOpt, guarded, read_pin

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
    crud.list_rows(
        db,
        server,
        as_json,
        read=lambda hall: hall.list_clerks(),
        title="Clerks 工作人员",
        columns=["staff no.", "name", "role", "active", "locked"],
        row=lambda c: (
            c.staff_no,
            c.name,
            c.role,
            "yes" if c.active else "no",
            "locked" if c.locked_until else "",
        ),
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
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.add_clerk(
            actor, staff_no=staff_no, name=name, role=role, pin=read_pin(pin)
        ),
        lambda c: f"added {c.role} {c.staff_no} {c.name}",
    )


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
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.edit_clerk(
            actor, staff_no, name=name, role=role, pin=pin, unlock=unlock, active=active
        ),
        lambda c: f"clerk {c.staff_no} updated",
    )


@app.command()
@guarded
def remove(
    staff_no: StaffArg, db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False
) -> None:
    """Remove a clerk.

    Example: qconsole clerks remove 1001
    """
    crud.remove(
        db,
        server,
        as_json,
        lambda hall, actor: hall.remove_clerk(actor, staff_no),
        noun="clerk",
        key="staff_no",
        name=staff_no,
    )
