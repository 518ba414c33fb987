"""``qconsole appointments import FILE`` and ``check-in CODE``.

The file is CSV in UTF-8 (a BOM from Excel is fine) with the header
``code,service,date,time,name,green_reason``; ``time``, ``name`` and
``green_reason`` may be empty. Good rows are stored, bad ones are reported by
line number and column, in the language ``QCONSOLE_LANG`` names; the exit code is 0
when every row was good and 2 otherwise.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

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
from console.domain import reasons
from console.domain.errors import BadInput
from console.format import wait_words

app = typer.Typer(
    help="Appointments booked elsewhere: import them, check them in.", no_args_is_help=True
)

HEADER = ("code", "service", "date", "time", "name", "green_reason")
REQUIRED = ("code", "service", "date")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The CSV's rows, each with its line number as ``_line``."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [h for h in REQUIRED if h not in header]
            if missing:
                raise BadInput(reason="appointments.header_missing", file=path,
                               missing=", ".join(missing), expected=",".join(HEADER))  # fmt: skip
            unknown = [h for h in header if h not in HEADER]
            if unknown:
                raise BadInput(reason="appointments.unknown_column", file=path,
                               columns=", ".join(unknown), expected=",".join(HEADER))  # fmt: skip
            rows = []
            for row in reader:
                clean = {
                    (k or "").strip(): (v or "").strip() if isinstance(v, str) else ""
                    for k, v in row.items()
                }
                clean["_line"] = str(reader.line_num)
                rows.append(clean)
            return rows
    except UnicodeDecodeError:
        raise BadInput(reason="appointments.not_utf8", file=path) from None
    except csv.Error as exc:
        raise BadInput(reason="catalogue.bad_csv", file=path, detail=exc) from None
    except FileNotFoundError:
        raise BadInput(reason="catalogue.no_file", file=path) from None
    except IsADirectoryError:
        raise BadInput(reason="catalogue.is_directory", file=path) from None


@app.command("import")
@guarded
def import_(
    file: Annotated[Path, typer.Argument(help="CSV: code,service,date,time,name,green_reason")],
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import appointments.

    Example: qconsole appointments import bookings.csv
    """
    rows = read_rows(file)
    hall = open_hall(db, server)
    result = hall.import_appointments(actor_for(hall), rows)
    lang = cli_lang()
    if as_json:  # each bad row's code and params for scripts, its sentence for people
        said_ = [{**e, "message": sentence(e, lang)} for e in result["errors"]]
        emit_json({**result, "errors": said_})
    else:
        out.print(f"imported {result['imported']} appointments")
        for problem in result["errors"]:
            said, column = sentence(problem, lang), problem.get("column")
            if column and column not in said:  # named before it, unless the sentence names it
                said = f"{column}: {said}"
            print(f"{file}:{problem['line']}: {said}", file=sys.stderr)
    if result["errors"]:
        raise typer.Exit(2)


def sentence(problem: dict[str, Any], lang: str) -> str:
    """A bad row's error in ``lang`` (its column is named too, as the file's header names
    it); a hall server older than reason codes sends its English sentence only."""
    if not problem.get("reason"):
        return str(problem["error"])
    return reasons.render(problem["reason"], problem.get("params") or {}, lang)


@app.command("check-in")
@guarded
def check_in(
    code: Annotated[str, typer.Argument(help="The appointment code.")],
    print_: Annotated[bool, typer.Option("--print", help="Print the ticket.")] = False,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check in an appointment and issue its ticket.

    Example: qconsole appointments check-in YY20261126001
    """
    hall = open_hall(db, server)
    result = hall.check_in(actor_for(hall), code, print_ticket=print_)
    if as_json:
        emit_json(result.to_dict())
    else:
        t = result.ticket
        out.print(
            f"{t.number}  {t.service_code}  {result.ahead} ahead, {wait_words(result)}",
            markup=False,
        )
