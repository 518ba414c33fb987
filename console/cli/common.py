"""What every command shares: the --db/--server/--json options, opening the hall,
printing results, and turning every error into one line and an exit code.

Exit codes (the contract admins' scripts rely on): 0 ok, 1 refused, 2 bad usage
or input, 3 database or server unreachable.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import json
import os
import socket
import sqlite3
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

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
        help="Hall server URL (instead of --db); a comma list (primary first, then its "
        "standby) fails over to the next when one stops answering.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
StationOpt = Annotated[
    str | None,
    typer.Option(
        "--station",
        envvar="QCONSOLE_STATION",
        show_default=False,
        help="This station's name, as printers are registered with it (printers add"
        " --station); default: this machine's host name. Over --server the station token"
        " names the station.",
    ),
]
_station: contextvars.ContextVar[str | None] = contextvars.ContextVar("station", default=None)
_from_env: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "from_env", default=frozenset()
)
"""The running command's options whose value came from the environment, not its line."""

# Fixed sets of values are choices: checked by the parser, listed in help, completed by the
# shell. They mirror the domain's tuples (tests/cli/test_choices.py keeps them equal).
Role = Literal["clerk", "manager", "admin"]
GreenReason = Literal["elderly", "disabled", "pregnant", "sick", "urgent", "other"]
Outcome = Literal["done", "incomplete", "referred"]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def default_db() -> Path:
    """Where the hall database lives when neither --db nor QCONSOLE_DB says."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "qconsole" / "hall.db"


def default_station() -> str:
    """A station's name when nobody chose one: the host name, the same for every screen and
    command on this machine and across restarts."""
    return socket.gethostname().split(".")[0] or "localhost"


def station_name() -> str:
    """This station's name: --station, QCONSOLE_STATION, or the host name."""
    return _station.get() or os.environ.get("QCONSOLE_STATION") or default_station()


def check_station(hall: Any) -> None:
    """Over the server the token names the station: a different --station is a mistake."""
    chosen = _station.get() or os.environ.get("QCONSOLE_STATION")
    remote = getattr(hall, "station", None)
    if chosen and isinstance(remote, str) and remote and remote != chosen:
        raise BadInput(reason="cli.station_mismatch", remote=remote, chosen=chosen)


def shell_actor() -> Actor:
    """The admin at this machine's shell: whoever can open the database file is its admin."""
    return Actor(staff_no="cli", role="admin", station=station_name(), name="admin shell")


def hall_address(db: Path | None, server: str | None) -> tuple[Path | None, str | None]:
    """--db or --server, one of them. An option given on the command line wins over the
    other's environment variable (a station with QCONSOLE_SERVER can still be pointed at a
    file, an admin's QCONSOLE_DB at a server); both given the same way is a mistake."""
    if db is None or not server:
        return db, server
    from_env = _from_env.get()
    if "db" in from_env and "server" not in from_env:
        return None, server
    if "server" in from_env and "db" not in from_env:
        return db, None
    raise BadInput(reason="cli.db_and_server")


def open_hall(
    db: Path | None, server: str | None, *, create: bool = False, wait: bool = False
) -> Any:
    """The hall service for these options: in-process over --db, or the hall server (the
    first of a list that answers). ``wait``: a screen starts even while no server answers,
    and connects when one does; a command needs an answer now (else exit 3)."""
    db, server = hall_address(db, server)
    if server:
        try:
            from console.remote import RemoteHall
        except ImportError as exc:
            raise Unavailable(reason="cli.no_client", detail=exc) from exc
        hall = RemoteHall(server, wait=wait)
        try:
            check_station(hall)
        except BadInput:
            hall.close()
            raise
        return hall
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


def shown(text: str) -> str:
    """``text`` safe for one terminal line: control characters escaped (a newline or an
    escape sequence in a path cannot split or repaint the error line), and bytes that were
    not UTF-8 (surrogate escapes) shown as ``\\xNN``."""
    parts = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            parts.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            escaped = ch.encode("unicode_escape").decode("ascii")  # \n, \x1b, \u2028
            parts.append(f"\\x{code:02x}" if 0x80 <= code <= 0xFF else escaped)
        else:
            parts.append(ch)
    return "".join(parts)


def cli_lang() -> str:
    """The language ``QCONSOLE_LANG`` names for what a command says (English unless zh-CN)."""
    lang = os.environ.get("QCONSOLE_LANG", "en")
    return "zh-CN" if lang.lower().startswith("zh") else "en"


def error_line(exc: QConsoleError) -> str:
    """The error in the language ``QCONSOLE_LANG`` names (English unless it says zh-CN).

    The sentence comes from the reason's catalog entry, never from parsing English; scripts
    read the stable ``reason`` and ``params`` of the ``--json`` form instead.
    """
    if exc.reason and cli_lang() == "zh-CN":
        return reasons.render(exc.reason, exc.params, "zh-CN")
    return exc.message


def fail(exc: QConsoleError, as_json: bool) -> None:
    message = shown(error_line(exc))  # --json too: reason and params stay for scripts
    if as_json:
        print(json.dumps({**exc.to_dict(), "message": message}, ensure_ascii=False),
              file=sys.stderr)  # fmt: skip
    else:
        print(f"qconsole: {shown(error_line(exc))}", file=sys.stderr)
    raise typer.Exit(exc.exit_code)


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command; any error becomes one line (or a JSON object) and its exit code.

    Every command also takes ``--station NAME`` (unless it has a ``station`` option of its
    own, as ``printers add`` does): the name this station acts and prints under.
    """
    signature = inspect.signature(fn, eval_str=True)
    takes_station = "station" not in signature.parameters

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.get("as_json"))
        token = _station.set(kwargs.pop("station", None)) if takes_station else None
        context = kwargs.pop("cli_context", None)
        sources = _from_env.set(
            frozenset(
                name
                for name in ("db", "server")
                if context is not None
                and getattr(context.get_parameter_source(name), "name", None) == "ENVIRONMENT"
            )
        )
        try:
            return fn(*args, **kwargs)
        except QConsoleError as exc:
            fail(exc, as_json)
        except OverflowError:  # a number past SQLite's 64-bit integers
            fail(BadInput(reason="cli.number_too_large", max=9223372036854775807), as_json)
        except sqlite3.DatabaseError as exc:
            fail(Unavailable(reason="hall.failure", kind="hall database error", detail=str(exc)),
                 as_json)  # fmt: skip
        except OSError as exc:
            detail = exc.strerror or str(exc)
            fail(Unavailable(reason="cli.os_error_file", detail=detail, file=exc.filename)
                 if exc.filename else Unavailable(reason="cli.os_error", detail=detail),
                 as_json)  # fmt: skip
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        finally:
            _from_env.reset(sources)
            if token is not None:
                _station.reset(token)

    # the click context tells an option typed on the line from one read from the environment
    added = [inspect.Parameter("cli_context", inspect.Parameter.KEYWORD_ONLY, default=None,
                               annotation=typer.Context)]  # fmt: skip
    if takes_station:
        added.append(
            inspect.Parameter(
                "station", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=StationOpt
            )
        )
    params = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        else p
        for p in signature.parameters.values()
    ]
    wrapper.__signature__ = signature.replace(parameters=[*params, *added])  # type: ignore[attr-defined]
    wrapper.__annotations__ = {
        **{p.name: p.annotation for p in signature.parameters.values()},
        **{p.name: p.annotation for p in added},
    }
    return wrapper


def read_pin(pin: str | None) -> str:
    """A PIN from --pin, QCONSOLE_PIN, or a hidden prompt on a terminal."""
    pin = pin or os.environ.get("QCONSOLE_PIN")
    if pin:
        return pin
    if sys.stdin.isatty():
        return typer.prompt("PIN", hide_input=True)
    raise BadInput(reason="cli.pin_needed")
