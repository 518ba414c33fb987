"""Streaming exports of tickets, events and daily summaries to CSV, JSON Lines and XLSX.

Rows go from one read snapshot of the database straight to the file in
batches, so memory stays flat however long the range. CSV and JSON Lines are
built by SQLite itself (local times with ``strftime``, JSON objects with
``json_object``), which keeps Python out of the per-value work. The column
list of each export comes from its JSON Schema in ``schemas/exports/``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from console.domain.errors import BadInput
from console.reports.atomic import atomic_path
from console.reports.columns import WHATS, Column, columns
from console.reports.dates import DayRange
from console.reports.report import daily_summary
from console.reports.xlsx import Progress, write_xlsx

FORMATS = ("csv", "jsonl", "xlsx")
HEADERS = ("names", "en", "zh")
BATCH = 5000

SLOW_ENV = "QCONSOLE_EXPORT_TEST_SLOW"
"""Test hook: seconds to sleep after each row, so a test can kill an export mid-write."""


def _local(x: str) -> str:
    return f"strftime('%Y-%m-%d %H:%M:%S', {x}, 'unixepoch', 'localtime')"


def _secs(x: str) -> str:
    return f"CAST(round({x}) AS INTEGER)"


_DEPARTMENT = (
    "(SELECT d.{} FROM matters m JOIN departments d ON d.id = m.department_id"
    " WHERE m.id = t.matter_id)"
)
"""A column of the ticket's matter's department (null for a ticket without a matter)."""

_TARGET = (
    "coalesce((SELECT m.target_wait_min FROM matters m WHERE m.id = t.matter_id),"
    " s.target_wait_min)"
)
"""The ticket's target wait: its matter's in a one-stop hall, else its service's (as the
report counts it)."""

# The SQL of each column. Times come out as local text, or raw Unix seconds for XLSX
# (``raw`` overrides), which the writer turns into real date-times.
TICKETS_SQL = {
    "id": "t.id",
    "day": "t.day",
    "number": "t.number",
    "service_code": "s.code",
    "service_name_zh": "s.name_zh",
    "service_name_en": "s.name_en",
    "status": "t.status",
    "outcome": "t.outcome",
    "issued_at": _local("t.issued_at"),
    "called_at": _local("t.called_at"),
    "served_at": _local("t.served_at"),
    "finished_at": _local("t.finished_at"),
    "wait_s": _secs("t.called_at - t.issued_at"),
    "handling_s": _secs("t.finished_at - t.served_at - t.parked_s"),
    "target_wait_min": _TARGET,
    "within_target": "CASE WHEN t.called_at IS NULL THEN NULL"
    f" WHEN t.called_at - t.issued_at <= {_TARGET} * 60 THEN 1 ELSE 0 END",
    "green_reason": "t.green_reason",
    "green_note": "t.green_note",
    "low_position": "t.low_position",
    "transferred": "t.transferred",
    "recall_count": "t.recall_count",
    "directed_counter": "t.directed_counter",
    "counter_number": "t.counter_number",
    "clerk_staff_no": "t.clerk_staff_no",
    "clerk_name": "(SELECT c.name FROM clerks c WHERE c.staff_no = t.clerk_staff_no)",
    "session": "(SELECT x.name FROM sessions x WHERE x.id = t.session_id)",
    "rating": "t.rating",
    "materials": "t.materials",
    "note": "t.note",
    "appointment_code": "t.appointment_code",
    "appointment_name": "(SELECT a.name FROM appointments a WHERE a.code = t.appointment_code)",
    "matter_code": "(SELECT m.code FROM matters m WHERE m.id = t.matter_id)",
    "matter_name_zh": "(SELECT m.name_zh FROM matters m WHERE m.id = t.matter_id)",
    "matter_name_en": "(SELECT m.name_en FROM matters m WHERE m.id = t.matter_id)",
    "department_code": _DEPARTMENT.format("code"),
    "department_name_zh": _DEPARTMENT.format("name_zh"),
    "department_name_en": _DEPARTMENT.format("name_en"),
    "feedback": "t.feedback",
}
# Rows are read in id order along a rowid range (ids grow with time), so SQLite streams
# them without sorting the whole range into a temporary B-tree first; the day or time
# condition still decides which rows belong.
TICKETS_FROM = (
    "FROM tickets t NOT INDEXED JOIN services s ON s.id = t.service_id"
    " WHERE t.id BETWEEN :id_lo AND :id_hi AND t.day BETWEEN :first AND :last ORDER BY t.id"
)

_REDACTED = (
    "CASE WHEN e.kind LIKE 'clerk.%' THEN json_remove(e.changes, '$.name')"
    " ELSE json_remove(e.changes, '$.note', '$.green_note', '$.feedback') END"
)
EVENTS_SQL = {
    "id": "e.id",
    "at": _local("e.at"),
    "day": "date(e.at, 'unixepoch', 'localtime')",
    "kind": "e.kind",
    "ticket_id": "e.ticket_id",
    "ticket_number": "t.number",
    "counter_number": "e.counter_number",
    "actor": "e.actor",
    "station": "e.station",
    "changes": "e.changes",  # replaced by _REDACTED without --personal
}
EVENTS_FROM = (
    "FROM events e NOT INDEXED LEFT JOIN tickets t ON t.id = e.ticket_id"
    " WHERE e.id BETWEEN :id_lo AND :id_hi AND e.at >= :start AND e.at < :end ORDER BY e.id"
)
RAW_TIMES = {"issued_at", "called_at", "served_at", "finished_at", "at"}


@dataclass(frozen=True)
class ExportSpec:
    """What to export, and how."""

    what: str
    days: DayRange
    fmt: str = "csv"
    personal: bool = False
    excel: bool = False
    header: str = "names"

    def __post_init__(self) -> None:
        if self.what not in WHATS:
            raise BadInput(reason="cli.bad_choice", option="--what", choices=", ".join(WHATS),
                           value=repr(self.what))  # fmt: skip
        if self.fmt not in FORMATS:
            raise BadInput(reason="cli.bad_choice", option="--format", choices=", ".join(FORMATS),
                           value=repr(self.fmt))  # fmt: skip
        if self.header not in HEADERS:
            raise BadInput(reason="cli.bad_choice", option="--header", choices=", ".join(HEADERS),
                           value=repr(self.header))  # fmt: skip

    @property
    def columns(self) -> list[Column]:
        return columns(self.what, self.personal)

    def default_name(self) -> str:
        return f"{self.what}-{self.days.label}.{self.fmt}"

    def header_row(self) -> list[str]:
        if self.header == "names":
            return [c.name for c in self.columns]
        return [c.title(self.header) for c in self.columns]


# -- the queries ------------------------------------------------------------------
def _exprs(spec: ExportSpec, raw_times: bool) -> list[str]:
    table = TICKETS_SQL if spec.what == "tickets" else EVENTS_SQL
    out = []
    for c in spec.columns:
        if raw_times and c.name in RAW_TIMES:
            out.append(("t." if spec.what == "tickets" else "e.") + c.name)
        elif c.name == "changes" and not spec.personal:
            out.append(_REDACTED)
        else:
            out.append(table[c.name])
    return out


def _csv_format(col: Column) -> str:
    """The printf format of one CSV field: text is always quoted (RFC 4180, quotes doubled
    by %w), so no value can break a line; numbers, dates and coded values are bare."""
    if col.kind.startswith("json") or (col.kind == "string" and not col.enum):
        return '"%w"'
    return "%s"  # NULL prints as an empty field (with %w it would print "(NULL)")


FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula to a spreadsheet (OWASP's CSV injection)."""


def _inert(x: str) -> str:
    """SQL of text ``x`` that a spreadsheet shows as text: a formula's lead is quoted."""
    leads = ", ".join(f"char({ord(c)})" for c in FORMULA_LEADS)
    return f"CASE WHEN substr({x}, 1, 1) IN ({leads}) THEN char(39) || {x} ELSE {x} END"


def inert(value: Any) -> Any:
    """``value`` as a spreadsheet shows it as text (see :func:`_inert`)."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def select_sql(
    spec: ExportSpec, *, json_lines: bool = False, csv_lines: bool = False,
    raw_times: bool = False,
) -> str:  # fmt: skip
    """The one SELECT of a tickets or events export: a row of values, one JSON object, or
    one CSV line built by SQLite (which keeps Python out of the per-value work). CSV for
    Excel (``excel``) quotes a formula's lead in every text field, as XLSX stores text."""
    exprs = _exprs(spec, raw_times)
    frm = TICKETS_FROM if spec.what == "tickets" else EVENTS_FROM
    if csv_lines:  # one printf per row: a single pass, no string built column by column
        fmts = [_csv_format(c) for c in spec.columns]
        pairs = zip(fmts, exprs, strict=True)
        text = _inert if spec.excel else str
        args = [f"coalesce({text(x)}, '')" if f == '"%w"' else x for f, x in pairs]
        return f"SELECT printf('{','.join(fmts)}', {', '.join(args)}) {frm}"
    if json_lines:
        pairs = []
        for c, x in zip(spec.columns, exprs, strict=True):
            pairs.append(f"'{c.name}', " + (f"json({x})" if c.kind.startswith("json") else x))
        return f"SELECT json_object({', '.join(pairs)}) {frm}"
    return f"SELECT {', '.join(exprs)} {frm}"


def query_params(conn: sqlite3.Connection, spec: ExportSpec) -> dict[str, Any]:
    """The values of the export query: the days, their time bounds and the id range."""
    start, end = spec.days.bounds()
    p = {"first": spec.days.first, "last": spec.days.last, "start": start, "end": end}
    if spec.what == "tickets":
        sql = "SELECT min(id), max(id) FROM tickets WHERE day BETWEEN :first AND :last"
    else:
        sql = "SELECT min(id), max(id) FROM events WHERE at >= :start AND at < :end"
    lo, hi = conn.execute(sql, p).fetchone()
    p.update(id_lo=lo if lo is not None else 1, id_hi=hi if hi is not None else 0)
    return p


def count_rows(conn: sqlite3.Connection, spec: ExportSpec) -> int | None:
    """Rows the export will hold (for the progress bar); None for summaries."""
    start, end = spec.days.bounds()
    p = {"first": spec.days.first, "last": spec.days.last, "start": start, "end": end}
    if spec.what == "tickets":
        sql = "SELECT count(*) FROM tickets WHERE day BETWEEN :first AND :last"
    elif spec.what == "events":
        sql = "SELECT count(*) FROM events WHERE at >= :start AND at < :end"
    else:
        return None
    return int(conn.execute(sql, p).fetchone()[0])


def _batches(conn: sqlite3.Connection, sql: str, params: dict[str, Any]) -> Iterator[list]:
    cur = conn.execute(sql, params)
    slow = float(os.environ.get(SLOW_ENV) or 0)
    size = 1 if slow else BATCH
    while batch := cur.fetchmany(size):
        yield batch
        if slow:
            time.sleep(slow)


def _summary_batches(conn: sqlite3.Connection, spec: ExportSpec) -> Iterator[list[tuple]]:
    names = [c.name for c in spec.columns]
    batch: list[tuple] = []
    for row in daily_summary(conn, spec.days):
        batch.append(tuple(row[n] for n in names))
        if len(batch) >= 500:
            yield batch
            batch = []
    if batch:
        yield batch


# -- the writers ------------------------------------------------------------------


def _write_csv(conn: sqlite3.Connection, spec: ExportSpec, f: IO[str], progress: Progress) -> int:
    end = "\r\n" if spec.excel else "\n"
    w = csv.writer(f, lineterminator=end)
    w.writerow(spec.header_row())
    rows = 0
    slow = bool(os.environ.get(SLOW_ENV))
    lines = spec.what != "summary"
    if lines:
        batches = _batches(conn, select_sql(spec, csv_lines=True), query_params(conn, spec))
    else:
        batches = _summary_batches(conn, spec)
    for batch in batches:
        if lines:
            f.write(end.join(r[0] for r in batch))
            f.write(end)
        else:
            w.writerows([map(inert, r) for r in batch] if spec.excel else batch)
        rows += len(batch)
        progress(len(batch))
        if slow:  # the test hook: let a test see the partial file on disk
            f.flush()
    return rows


def _write_jsonl(conn: sqlite3.Connection, spec: ExportSpec, f: IO[str], progress: Progress) -> int:
    rows = 0
    if spec.what == "summary":
        names = [c.name for c in spec.columns]
        for batch in _summary_batches(conn, spec):
            f.write("".join(json.dumps(dict(zip(names, r, strict=True)), ensure_ascii=False)
                            + "\n" for r in batch))  # fmt: skip
            rows += len(batch)
            progress(len(batch))
        return rows
    for batch in _batches(conn, select_sql(spec, json_lines=True), query_params(conn, spec)):
        f.write("\n".join(r[0] for r in batch))
        f.write("\n")
        rows += len(batch)
        progress(len(batch))
    return rows


def _xlsx_batches(conn: sqlite3.Connection, spec: ExportSpec) -> Iterator[list]:
    """Rows for XLSX: times as Unix seconds, which the writer makes real date-times."""
    if spec.what == "summary":
        return _summary_batches(conn, spec)
    return _batches(conn, select_sql(spec, raw_times=True), query_params(conn, spec))


# -- the entry point --------------------------------------------------------------
def target_path(spec: ExportSpec, out: str) -> Path | None:
    """The file an --out value names: a file, a directory (default name inside), or None for '-'."""
    if out == "-":
        return None
    p = Path(out)
    if p.is_dir() or out.endswith(("/", os.sep)):
        if not p.is_dir():
            raise BadInput(reason="output.no_such_directory", out=out)
        return p / spec.default_name()
    if not p.parent.is_dir():
        raise BadInput(reason="output.no_directory", out=out, directory=p.parent)
    return p


def export(
    conn: sqlite3.Connection,
    spec: ExportSpec,
    out: str,
    progress: Progress | None = None,
    stdout: IO[bytes] | None = None,
) -> dict[str, Any]:
    """Write the export to ``out`` (file, directory or '-') from one read snapshot."""
    progress = progress or (lambda n: None)
    target = target_path(spec, out)
    started = time.monotonic()
    conn.execute("BEGIN")  # one consistent snapshot, however long the export takes
    try:
        if target is None:
            if spec.fmt == "xlsx":
                raise BadInput(reason="export.xlsx_stdout")
            binary = stdout or sys.stdout.buffer
            rows = _write_text(conn, spec, binary, progress)
            binary.flush()
            size = None
        else:
            with atomic_path(target) as tmp:
                if spec.fmt == "xlsx":
                    rows = write_xlsx(spec, _xlsx_batches(conn, spec), tmp, progress)
                else:
                    with open(tmp, "wb") as fb:
                        rows = _write_text(conn, spec, fb, progress)
            size = target.stat().st_size
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")
    return {
        "what": spec.what, "format": spec.fmt, "from": spec.days.first, "to": spec.days.last,
        "rows": rows, "path": str(target) if target else "-", "bytes": size,
        "personal": spec.personal, "seconds": round(time.monotonic() - started, 3),
    }  # fmt: skip


def _write_text(
    conn: sqlite3.Connection, spec: ExportSpec, binary: IO[bytes], progress: Progress
) -> int:
    encoding = "utf-8-sig" if spec.excel and spec.fmt == "csv" else "utf-8"
    f = io.TextIOWrapper(binary, encoding=encoding, newline="", write_through=False)  # type: ignore[arg-type]
    try:
        if spec.fmt == "csv":
            return _write_csv(conn, spec, f, progress)
        return _write_jsonl(conn, spec, f, progress)
    finally:
        f.flush()
        f.detach()


def all_columns_have_sql() -> Sequence[str]:
    """Columns a schema lists that the exporter cannot produce (a test keeps it empty)."""
    missing = [c.name for c in columns("tickets", True) if c.name not in TICKETS_SQL]
    missing += [c.name for c in columns("events", True) if c.name not in EVENTS_SQL]
    return missing
