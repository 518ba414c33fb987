"""The ``qconsole`` command: the groups composed, and the entry point that keeps
every error to one line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError  # typer's own click

from console.cli import (
    admin,
    appointments,
    clerks,
    config,
    counters,
    export,
    hall,
    hall_screens,
    printers,
    report,
    screens,
    serve,
    services,
    sessions,
    settings,
    stations,
    tickets,
)
from console.cli.common import shown

app = typer.Typer(
    name="qconsole",
    help="Operator console for the numbered-ticket queue of a public service hall.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
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
app.command()(export.export)
app.command()(report.report)
app.command()(admin.backup)
app.command()(admin.doctor)
app.command()(serve.serve)
app.add_typer(stations.app, name="stations")


def command() -> Any:
    """The ``qconsole`` command tree, with on/off flags shown without a ``<bool>`` type."""
    root = typer.main.get_command(app)
    todo = [root]
    while todo:
        cmd = todo.pop()
        todo.extend(getattr(cmd, "commands", {}).values())
        for param in cmd.params:
            if getattr(param, "is_flag", False):
                param.metavar = ""
        cmd.get_help_option = _flag_help_option(cmd.get_help_option)
    return root


def _flag_help_option(make: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``--help`` is made afresh for each context: shown as a flag too."""

    def help_option(ctx: Any) -> Any:
        option = make(ctx)
        if option is not None:
            option.metavar = ""
        return option

    return help_option


def _not_utf8(args: list[str]) -> str | None:
    """The first argument that was not valid UTF-8 (Python keeps such bytes as surrogates)."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg
    return None


def _bad_usage(message: str, args: list[str]) -> None:
    """A usage error as one line (a JSON object under --json), exit 2."""
    message = shown(message)
    if "--json" in args:
        print(json.dumps({"error": "bad_input", "message": message}, ensure_ascii=False),
              file=sys.stderr)  # fmt: skip
    else:
        print(f"qconsole: {message}", file=sys.stderr)
    sys.exit(2)


def run() -> None:
    """Entry point: every error is one line and the contract's exit code; never a traceback."""
    args = sys.argv[1:]
    bad = _not_utf8(args)
    if bad is not None:
        _bad_usage(f"argument '{bad}' is not valid UTF-8", args)
    try:
        rc = command().main(args, prog_name="qconsole", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        exc.show()
        sys.exit(0)
    except UsageError as exc:
        where = f"{exc.ctx.command_path}: " if exc.ctx else ""
        _bad_usage(f"{where}{exc.format_message()} (see --help)", args)
    except typer.TyperException as exc:
        _bad_usage(exc.format_message(), args)
    except typer.Abort:
        print("qconsole: aborted", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:  # a bug must still not show a citizen-facing traceback
        print(f"qconsole: internal error: {type(exc).__name__}: {shown(str(exc))}",
              file=sys.stderr)  # fmt: skip
        sys.exit(1)
    sys.exit(rc if type(rc) is int else 0)
