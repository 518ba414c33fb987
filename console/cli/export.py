"""``qconsole export``: tickets, events or daily summaries for a day or a range, as files.

Made for cron: stable columns (``schemas/exports/*.schema.json``), exit codes,
no prompts, a progress bar only on a terminal, and a target file that is
either complete or absent.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from console.cli.common import (
    DbOpt,
    JsonOpt,
    ServerOpt,
    default_db,
    emit_json,
    err,
    guarded,
    hall_address,
)
from console.domain.errors import BadInput
from console.reports.dates import day_range
from console.reports.db import open_readonly
from console.reports.export import ExportSpec, count_rows
from console.reports.export import export as run_export

DayOpt = Annotated[
    str | None,
    typer.Option("--day", help="One day: YYYY-MM-DD, today or yesterday.", show_default=False),
]
FromOpt = Annotated[
    str | None,
    typer.Option("--from", help="First day of a range (inclusive).", show_default=False),
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Last day of a range (inclusive).", show_default=False)
]
PersonalOpt = Annotated[
    bool,
    typer.Option("--personal", help="Include personal data (clerk and appointment names, "
                 "free-text notes). Off by default."),
]  # fmt: skip


def need_db(db: Path | None, server: str | None, what: str) -> Path:
    """The database file for a command that reads it directly, not through the hall server."""
    db, server = hall_address(db, server)
    if server:
        raise BadInput(reason="cli.needs_db_file", command=what)
    return db or default_db()


@guarded
def export(
    day: DayOpt = None,
    from_: FromOpt = None,
    to: ToOpt = None,
    what: Annotated[Literal["tickets", "events", "summary"],
                    typer.Option("--what", help="tickets, events or summary.")] = "tickets",
    fmt: Annotated[Literal["csv", "jsonl", "xlsx"], typer.Option("--format",
                   help="csv, jsonl or xlsx.")] = "csv",
    out: Annotated[str, typer.Option("--out", help="A file, a directory (a name like "
                   "tickets-2026-11-26.csv is made inside it) or - for standard output.")] = "-",
    excel: Annotated[bool, typer.Option("--excel", help="CSV for Excel: UTF-8 with BOM and "
                     "CRLF line ends, so Chinese opens correctly.")] = False,
    header: Annotated[Literal["names", "zh", "en"], typer.Option("--header",
                      help="Header row: names (stable column names), zh or en (column "
                      "titles) for people.")] = "names",
    personal: PersonalOpt = False,
    analysis: Annotated[bool, typer.Option("--analysis", help="Instead of rows: a copy of the "
                        "whole database for analysts (Datasette), without PIN hashes, tokens, "
                        "sessions or public codes, at --out.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """Export tickets, events or daily summaries as CSV, JSON Lines or XLSX.

    The file is written under a temporary name in the same directory and renamed
    when complete. Columns: schemas/exports/<what>.schema.json.

    Example: qconsole export --day yesterday --what tickets --format csv --excel --out /srv/exports/

    Example: qconsole export --analysis --out /srv/analysis/hall.db
    """
    if analysis:
        if out == "-" or Path(out).is_dir():
            raise BadInput(reason="export.analysis_needs_file")
        if day or from_ or to:
            raise BadInput(reason="export.analysis_all_days")
        _analysis(need_db(db, server, "export"), Path(out), as_json)
        return
    spec = ExportSpec(what=what, days=day_range(day, from_, to), fmt=fmt, personal=personal,
                      excel=excel, header=header)  # fmt: skip
    path = need_db(db, server, "export")
    conn = open_readonly(path, checked=("tickets", "events") if spec.what == "events"
                         else ("tickets",))  # fmt: skip
    try:
        if quiet or not err.is_terminal:
            result = run_export(conn, spec, out)
        else:
            total = count_rows(conn, spec)
            with Progress(
                TextColumn(f"{spec.what} → {spec.fmt}"), BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn(), console=err, transient=True,
            ) as bar:  # fmt: skip
                task = bar.add_task("export", total=total)
                result = run_export(conn, spec, out, lambda n: bar.advance(task, n))
    finally:
        conn.close()
    if as_json:
        if out == "-":
            print(json.dumps(result, ensure_ascii=False), file=sys.stderr)
        else:
            emit_json(result)
    elif err.is_terminal and out != "-":
        err.print(f"{result['rows']} rows → {result['path']} ({result['seconds']} s)",
                  markup=False, highlight=False)  # fmt: skip


def _analysis(path: Path, target: Path, as_json: bool) -> None:
    from console.reports.analysis import analysis_copy

    conn = open_readonly(path)
    try:
        result = analysis_copy(conn, target)
    finally:
        conn.close()
    if as_json:
        emit_json(result)
    elif err.is_terminal:
        err.print(f"analysts' copy → {result['path']} ({result['tickets']} tickets, no secrets)",
                  markup=False, highlight=False)  # fmt: skip
