"""The ``qconsole`` command: the groups composed, and the entry point that keeps
every error to one line."""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer

from console.cli import (
    admin,
    announce,
    appointments,
    city,
    clerks,
    config,
    counters,
    export,
    hall,
    hall_screens,
    matters,
    printers,
    purge,
    report,
    screens,
    serve,
    services,
    sessions,
    settings,
    simulate,
    stations,
    tickets,
)
from console.cli.common import shown
from console.cli.group import QconsoleGroup

app = typer.Typer(
    name="qconsole",
    help="Operator console for the numbered-ticket queue of a public service hall.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    cls=QconsoleGroup,
)


def _print_version(wanted: bool) -> None:
    if wanted:
        try:
            print(f"qconsole {version('qconsole')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            print("qconsole (not installed)")
        raise typer.Exit(0)


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Operator console for the numbered-ticket queue of a public service hall."""


app.command()(hall.init)
app.command()(hall.demo)
app.command()(screens.desk)
app.command()(hall_screens.floor)
app.command()(hall_screens.reception)
app.command()(hall_screens.board)
app.add_typer(services.app, name="services")
app.add_typer(counters.app, name="counters")
app.add_typer(clerks.app, name="clerks")
app.add_typer(sessions.app, name="sessions")
app.add_typer(settings.app, name="settings")
tickets.app.command("reprint")(printers.reprint)
app.add_typer(tickets.app, name="tickets")
app.add_typer(printers.app, name="printers")
app.add_typer(config.app, name="config")
app.add_typer(appointments.app, name="appointments")
app.add_typer(matters.app, name="matters")
app.command()(export.export)
app.command()(report.report)
app.command()(simulate.simulate)
app.command()(admin.backup)
app.command()(admin.doctor)
app.command()(admin.restore)
app.command()(purge.purge)
app.command()(serve.serve)
app.command()(announce.announce)
app.add_typer(stations.app, name="stations")
app.add_typer(city.app, name="city")


def run() -> None:
    """Entry point: every error is one line and the contract's exit code; never a traceback."""
    try:
        app()
    except Exception as exc:  # a bug must still not show a citizen-facing traceback
        print(f"qconsole: internal error: {type(exc).__name__}: {shown(str(exc))}",
              file=sys.stderr)  # fmt: skip
        sys.exit(1)
