"""``qconsole report``: the day's (or a range's) figures as a table, JSON, Markdown or HTML."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table
from rich.text import Text

from console.cli.common import DbOpt, JsonOpt, ServerOpt, emit_json, err, guarded, out
from console.cli.export import DayOpt, FromOpt, PersonalOpt, ToOpt, need_db
from console.domain.errors import BadInput
from console.reports.atomic import atomic_path
from console.reports.dates import day_range
from console.reports.db import open_readonly
from console.reports.render import BELOW, html_page, markdown, sections, title
from console.reports.report import compute

REPORT_FORMATS = ("table", "json", "md", "html")


@guarded
def report(
    day: DayOpt = None,
    from_: FromOpt = None,
    to: ToOpt = None,
    fmt: Annotated[Literal["table", "json", "md", "html"], typer.Option("--format",
                   help="table (terminal), json, md or html "
                   "(a page to mail, with a chart of the day by hour).")] = "table",
    out_: Annotated[str, typer.Option("--out", help="Write to this file instead of standard "
                    "output (written whole, then renamed).")] = "-",
    personal: PersonalOpt = False,
    db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """The report of a day (default today) or a range: volumes, waits, handling, target met,
    green channel, satisfaction; by service, counter, clerk, session and hour.

    Example: qconsole report --day yesterday --format html --out /srv/reports/daily.html
    """
    if as_json:
        fmt = "json"
    if fmt not in REPORT_FORMATS:
        raise BadInput(reason="cli.bad_choice", option="--format",
                       choices=", ".join(REPORT_FORMATS), value=repr(fmt))  # fmt: skip
    days = day_range(day, from_, to)
    conn = open_readonly(need_db(db, server, "report"), checked=("tickets", "day_totals"))
    try:
        data = compute(conn, days, personal=personal)
    finally:
        conn.close()
    if fmt == "table" and out_ == "-":
        _print_tables(data)
        return
    if fmt == "json":
        import json

        text = json.dumps(data, ensure_ascii=False, indent=None if out_ == "-" else 2) + "\n"
    elif fmt == "md":
        text = markdown(data)
    elif fmt == "html":
        text = html_page(data)
    else:
        raise BadInput(reason="report.table_to_terminal")
    if out_ == "-":
        if fmt == "json":
            emit_json(data)
        else:
            sys.stdout.write(text)
        return
    target = Path(out_)
    if not target.parent.is_dir():
        raise BadInput(reason="output.no_directory", out=out_, directory=target.parent)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    if err.is_terminal:
        err.print(f"report → {target}", markup=False, highlight=False)


NARROW_DROP = {"Incompl.", "Cancel", "Handle p50", "p90"}
"""Columns left out of the by-group tables on a terminal narrower than 120 (see --format md)."""


def _print_tables(data: dict) -> None:
    out.print(title(data), style="bold", markup=False)
    for name, all_cols, all_rows in sections(data, compact=out.width < 160):
        keep = [i for i, c in enumerate(all_cols)
                if out.width >= 120 or len(all_cols) < 12 or c not in NARROW_DROP]  # fmt: skip
        cols = [all_cols[i] for i in keep]
        rows = [[r[i] for i in keep] for r in all_rows]
        t = Table(title=name, title_justify="left", header_style="bold")
        for i, c in enumerate(cols):
            t.add_column(c, justify="left" if i == 0 else "right", no_wrap=i == 0)
        for row in rows:
            t.add_row(*(Text(c, style="bold red") if c.startswith(BELOW) else c for c in row))
        if not rows:
            t.add_row("(none 无)", *[""] * (len(cols) - 1))
        out.print(t)
