"""What every command shares: the --db/--server/--json options, opening the hall,
printing results, and turning every error into one line and an exit code.

Exit codes (the contract admins' scripts rely on): 0 ok, 1 refused, 2 bad usage
or input, 3 database or server unreachable.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from console.domain import Actor, reasons
from console.domain.errors import BadInput, QConsoleError, Unavailable

DbOpt = Annotated[
    Path | None,
    typer.Option("--db", envvar="QCONSOLE_DB", help="Hall database file.", show_default=False),
]
ServerOpt = Annotated[
    str | None,
    typer.Option(
        "--server",
        envvar="QCONSOLE_SERVER",
        help="Hall server URL (instead of --db).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def default_db() -> Path:
    """Where the hall database lives when neither --db nor QCONSOLE_DB says."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "qconsole" / "hall.db"


def station_name() -> str:
    return os.environ.get("QCONSOLE_STATION") or f"cli@{socket.gethostname()}"


def shell_actor() -> Actor:
    """The admin at this machine's shell: whoever can open the database file is its admin."""
    return Actor(staff_no="cli", role="admin", station=station_name(), name="admin shell")


def open_hall(db: Path | None, server: str | None, *, create: bool = False) -> Any:
    """The hall service for these options: in-process over --db, or the hall server."""
    if db is not None and server:
        raise BadInput("give --db or --server, not both")
    if server:
        try:
            from console.remote import RemoteHall
        except ImportError as exc:
            raise Unavailable(f"the hall server client is not available: {exc}") from exc
        return RemoteHall(server)
    from console.local import LocalHall

    path = db or default_db()
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    return LocalHall(path, create=create)


def actor_for(hall: Any) -> Actor:
    """Who the shell acts as: the local admin, or the station's session on the server."""
    return getattr(hall, "actor", None) or shell_actor()


def emit_json(data: Any) -> None:
    out.out(json.dumps(data, ensure_ascii=False, indent=None, default=str), highlight=False)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    t = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        t.add_column(col)
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    out.print(t)


def error_line(exc: QConsoleError) -> str:
    """The error in the language ``QCONSOLE_LANG`` names (English unless it says zh-CN).

    The sentence comes from the reason's catalog entry, never from parsing English; scripts
    read the stable ``reason`` and ``params`` of the ``--json`` form instead.
    """
    lang = os.environ.get("QCONSOLE_LANG", "en")
    if exc.reason and lang.lower().startswith("zh"):
        return reasons.render(exc.reason, exc.params, "zh-CN")
    return exc.message


def fail(exc: QConsoleError, as_json: bool) -> None:
    if as_json:
        print(json.dumps(exc.to_dict(), ensure_ascii=False), file=sys.stderr)
    else:
        print(f"qconsole: {error_line(exc)}", file=sys.stderr)
    raise typer.Exit(exc.exit_code)


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command; any error becomes one line (or a JSON object) and its exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.get("as_json"))
        try:
            return fn(*args, **kwargs)
        except QConsoleError as exc:
            fail(exc, as_json)
        except sqlite3.DatabaseError as exc:
            fail(Unavailable(reason="hall.failure", kind="hall database error", detail=str(exc)),
                 as_json)  # fmt: skip
        except OSError as exc:
            fail(Unavailable(f"{exc.strerror or exc}: {exc.filename or ''}".strip(": ")), as_json)
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    return wrapper


def read_pin(pin: str | None) -> str:
    """A PIN from --pin, QCONSOLE_PIN, or a hidden prompt on a terminal."""
    pin = pin or os.environ.get("QCONSOLE_PIN")
    if pin:
        return pin
    if sys.stdin.isatty():
        return typer.prompt("PIN", hide_input=True)
    raise BadInput("a PIN is needed: --pin, QCONSOLE_PIN, or run on a terminal")
