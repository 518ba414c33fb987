"""A catalogue of matters as departments send it: CSV/TSV text, Excel (XLSX) or Excel 97 (XLS).

Columns (English names, or the Chinese ones a department's spreadsheet usually has)::

    code             事项编码       required: the matter's code (letters, digits, . - _)
    name_zh          事项名称       required
    name_en          英文名称       (the Chinese name when empty)
    department       部门编码       required: the department's code
    department_zh    部门名称       the department's names (when new, or renamed)
    department_en    部门英文名称
    service          队列           required: the service (queue) it is called in
    materials        申请材料       the one-time list: ';' '；' '|' or one per line
    handling_min     办理时长       typical handling time, minutes
    target_wait_min  目标等候       target wait, minutes

Files are read as a department's clerk made them, not as docs/admin.md would like them:

- the header is the first row (of the first 30) that has the four required columns, so
  a title row (XX区政务服务事项清单) above it is skipped, and the row taken is said;
- other columns (序号, 备注, …) are ignored, named once in a warning;
- a cell reads as the text Excel shows: a code stored as the number 1001 with the format
  000000 reads ``001001``; a number whose format cannot be read in a text column is
  refused on its row rather than changed;
- every sheet that has the header is read (an instructions sheet is skipped, and said),
  or only the one named;
- a merged cell's value is carried into every cell it covers (merged 部门编码 cells);
- text may be UTF-8 (with or without a BOM), UTF-16 with its BOM (Excel's "Unicode 文本",
  tab-separated) or GB18030 (with or without its BOM); the type is told by the bytes,
  not the name's suffix.

Every row comes back as ``{column: text}`` with its row number as ``_line`` and, for a
workbook of several sheets, its sheet as ``_sheet``: what ``import_matters`` reports
errors by. Messages are reasons (``console.domain.reasons``), said in the reader's
language at the edge.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from console.domain.errors import BadInput
from console.engine.catalogue import MATTER_FIELDS

COLUMNS = tuple(f for f in MATTER_FIELDS if f != "active")
"""A file's columns: what a matter is given by, less its state (a file lists the active
catalogue; what it leaves out is retired by ``--update``)."""
REQUIRED = ("code", "name_zh", "department", "service")
NUMERIC = ("handling_min", "target_wait_min")
"""Columns whose cells are numbers; every other column is text, read as Excel shows it."""
HEADER_SCAN = 30
"""How many rows of a sheet are searched for the header (title rows, notes above it)."""
ALIASES = {
    "事项编码": "code",
    "事项代码": "code",
    "事项名称": "name_zh",
    "英文名称": "name_en",
    "部门编码": "department",
    "部门代码": "department",
    "部门名称": "department_zh",
    "部门英文名称": "department_en",
    "队列": "service",
    "业务": "service",
    "申请材料": "materials",
    "材料": "materials",
    "办理时长": "handling_min",
    "办理时长(分钟)": "handling_min",
    "目标等候": "target_wait_min",
    "目标等候(分钟)": "target_wait_min",
    "queue": "service",
}
"""Header names a department's own spreadsheet uses, to the columns above."""
_ZH_NAMES = {column: name for name, column in reversed(ALIASES.items())}
"""Each column's usual Chinese header (the first alias), to name a missing column."""

_ZEROS = re.compile(r'^((?:"[^"]*"|\\.)*)(0+)((?:"[^"]*"|\\.)*)$')
"""A number format that shows a whole number padded with zeros, with literal text around
it: ``000000``, ``"GA"0000``, ``\\G0000``."""


@dataclass
class Unreadable:
    """A cell whose text cannot be known: a number in a format we do not read."""

    value: Any
    format: str


@dataclass
class Catalogue:
    """What a file holds: its rows, how it names each column, and what to tell the reader."""

    rows: list[dict[str, str]]
    columns: dict[str, str]
    """Each column as the file's header names it (事项名称 for ``name_zh``)."""
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(reason, params) to say before the result: the header's row, columns ignored."""
    problems: list[dict[str, Any]] = field(default_factory=list)
    """Cells refused while reading: ``line``, ``sheet``, ``column``, ``reason``, ``params``."""

    def column_name(self, column: str | None) -> str | None:
        return self.columns.get(column, column) if column else None


@dataclass
class _Table:
    name: str | None
    lines: list[tuple[int, list[Any]]]


def _column(name: Any) -> str:
    text = re.sub(r"\s+", "", str(name or "")).lstrip("*＊").replace("（", "(").replace("）", ")")
    return ALIASES.get(text, ALIASES.get(text.lower(), text.lower()))


def _as_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# -- the number Excel shows -----------------------------------------------------
def shown_number(value: float, number_format: str | None) -> str | None:
    """The text Excel shows for ``value`` in ``number_format``, or None when it is a format
    this reader does not know (it is then refused, never guessed)."""
    fmt = (number_format or "General").strip()
    whole = float(value).is_integer()
    if abs(value) >= 1e15:
        return None  # past 15 digits Excel has already rounded the number it stored
    if fmt in ("General", "@", "0"):
        return str(int(value)) if whole else f"{value:.15g}"
    match = _ZEROS.match(fmt)
    if match and whole and value >= 0:
        return f"{_literal(match[1])}{int(value):0{len(match[2])}d}{_literal(match[3])}"
    return None


def _literal(part: str) -> str:
    """The text of a format's literals: ``"GA"`` and ``\\G`` both show themselves."""
    return "".join(a or b for a, b in re.findall(r'"([^"]*)"|\\(.)', part))


def _cell_text(value: Any, number_format: str | None, numeric: bool) -> str | Unreadable:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if numeric:
            return _as_text(float(value))
        return shown_number(float(value), number_format) or Unreadable(value, number_format or "")
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip()


# -- sources --------------------------------------------------------------------
def _xlsx_tables(path: Path) -> Iterator[_Table]:
    from openpyxl import load_workbook

    try:
        # not read-only: a read-only sheet knows neither its merged cells nor their ranges
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise BadInput(
            reason="catalogue.unreadable", file=str(path), kind="XLSX", detail=str(exc)
        ) from None
    try:
        for sheet in book.worksheets:
            merged: dict[tuple[int, int], Any] = {}
            for span in sheet.merged_cells.ranges:
                top = sheet.cell(span.min_row, span.min_col)
                for row in range(span.min_row, span.max_row + 1):
                    for col in range(span.min_col, span.max_col + 1):
                        merged[(row, col)] = top
            lines = []
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                lines.append(
                    (number, [merged.get((number, i), c) for i, c in enumerate(cells, start=1)])
                )
            yield _Table(sheet.title, lines)
    finally:
        book.close()


def _xls_tables(path: Path) -> Iterator[_Table]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception as exc:  # xlrd raises many kinds for an encrypted or foreign file
        raise BadInput(reason="catalogue.xls_unreadable", file=str(path), detail=str(exc)) from None
    for sheet in book.sheets():
        spans = {}
        for rlo, rhi, clo, chi in sheet.merged_cells:
            for row in range(rlo, rhi):
                for col in range(clo, chi):
                    spans[(row, col)] = (rlo, clo)
        lines = []
        for r in range(sheet.nrows):
            cells = []
            for c in range(sheet.ncols):
                cell = sheet.cell(*spans.get((r, c), (r, c)))
                fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value = None
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                cells.append(_XlsCell(value, fmt))
            lines.append((r + 1, cells))
        yield _Table(sheet.name, lines)


@dataclass
class _XlsCell:
    value: Any
    number_format: str


GB18030_BOM = b"\x84\x31\x95\x33"


def _decode(path: Path, data: bytes) -> str:
    """UTF-16 by its BOM (Excel's "Unicode 文本"), UTF-8 with or without its BOM, else GB18030
    (what Chinese Excel saves as CSV), with or without its own BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            return data.removeprefix(GB18030_BOM).decode("gb18030")
        except UnicodeDecodeError:
            pass
    raise BadInput(reason="catalogue.not_text", file=str(path))


def _text_table(path: Path, text: str) -> _Table:
    head = text[:4096]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines, start = [], 1
    try:
        for cells in reader:
            lines.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise BadInput(reason="catalogue.bad_csv", file=str(path), detail=str(exc)) from None
    return _Table(None, lines)


def _tables(path: Path) -> list[_Table]:
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        return list(_xlsx_tables(path))
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Excel 97-2003
        return list(_xls_tables(path))
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".et"):
        # an "xls" that is not a workbook: often a web page some system exported as .xls
        raise BadInput(
            reason="catalogue.xls_unreadable", file=str(path), detail="not an Excel workbook"
        )
    return [_text_table(path, _decode(path, data))]


# -- rows -----------------------------------------------------------------------
def _value(cell: Any) -> Any:
    return getattr(cell, "value", cell)


def _format(cell: Any) -> str | None:
    return getattr(cell, "number_format", None)


def _find_header(table: _Table) -> tuple[int, list[str]] | tuple[None, tuple[int, list[str]]]:
    """(index of the header line, its columns), or (None, the closest line) when none has
    every required column."""
    best: tuple[int, int, list[str]] = (-1, 0, [])
    for index, (_number, cells) in enumerate(table.lines[:HEADER_SCAN]):
        header = [_column(_as_text(_value(c))) for c in cells]
        known = len(set(header) & set(COLUMNS))
        if all(r in header for r in REQUIRED):
            return index, header
        if known > best[0]:
            best = (known, index, header)
    return None, (best[1], best[2])


def _shown(names: Iterable[str]) -> str:
    return ", ".join(names)


def read_catalogue(path: Path, sheet: str | None = None) -> Catalogue:
    """The file's rows, each with its line (CSV) or row number (XLSX/XLS) as ``_line``.

    ``sheet`` reads only that sheet; otherwise every sheet that has the header."""
    try:
        tables = _tables(path)
    except FileNotFoundError:
        raise BadInput(reason="catalogue.no_file", file=str(path)) from None
    except IsADirectoryError:
        raise BadInput(reason="catalogue.is_directory", file=str(path)) from None
    if sheet is not None:
        chosen = [t for t in tables if t.name == sheet]
        if not chosen:
            raise BadInput(
                reason="catalogue.no_sheet",
                file=str(path),
                sheet=sheet,
                sheets=_shown(str(t.name) for t in tables),
            )
        tables = chosen
    if not any(t.lines for t in tables):
        raise BadInput(reason="catalogue.empty", file=str(path))
    found, skipped, closest = [], [], None
    for table in tables:
        index, header = _find_header(table)
        if index is None:
            skipped.append(table)
            if closest is None or len(set(header[1]) & set(REQUIRED)) > len(
                set(closest[2]) & set(REQUIRED)
            ):
                closest = (table, table.lines[header[0]][0] if table.lines else 1, header[1])
        else:
            found.append((table, index, header))
    if not found:
        table, row, header = closest or (tables[0], 1, [])
        reason, where = _at("catalogue.no_header", table, len(tables) > 1)
        raise BadInput(
            reason=reason,
            file=str(path),
            **where,
            row=row,
            missing=_shown(f"{r} ({_ZH_NAMES[r]})" for r in REQUIRED if r not in header),
            columns=",".join(COLUMNS),
            scan=HEADER_SCAN,
        )
    several = len(tables) > 1
    catalogue = Catalogue(rows=[], columns={})
    ignored: list[str] = []
    for table, index, header in found:
        number, cells = table.lines[index]
        for column, cell in zip(header, cells, strict=False):
            if column in COLUMNS:
                catalogue.columns.setdefault(column, _as_text(_value(cell)))
            elif column and _as_text(_value(cell)) not in ignored:
                ignored.append(_as_text(_value(cell)))
        if number != 1 or several:  # the header where docs/admin.md puts it goes unsaid
            reason, where = _at("catalogue.header_at", table, several)
            catalogue.notes.append((reason, {"row": number, **where}))
        _read_rows(catalogue, table, index, header, several)
    if skipped:
        catalogue.notes.append(
            ("catalogue.sheets_skipped", {"sheets": _shown(str(t.name) for t in skipped)})
        )
    if ignored:
        catalogue.notes.append(("catalogue.columns_ignored", {"columns": _shown(ignored)}))
    return catalogue


def _at(reason: str, table: _Table, several: bool) -> tuple[str, dict[str, Any]]:
    """The reason naming the sheet when the workbook has several, else the file's."""
    if table.name is not None and several:
        return f"{reason}_sheet", {"sheet": table.name}
    return reason, {}


def _read_rows(
    catalogue: Catalogue, table: _Table, index: int, header: list[str], several: bool
) -> None:
    for number, cells in table.lines[index + 1 :]:
        row: dict[str, str] = {}
        unreadable = False
        for column, cell in zip(header, cells, strict=False):
            if column not in COLUMNS:
                continue
            text = _cell_text(_value(cell), _format(cell), column in NUMERIC)
            if isinstance(text, Unreadable):
                catalogue.problems.append(
                    {
                        "line": number,
                        "sheet": table.name if several else None,
                        "column": column,
                        "reason": "catalogue.number_format",
                        "params": {"value": _as_text(text.value), "format": text.format},
                    }
                )
                unreadable, text = True, ""
            if text:
                row[column] = text
        if not row or unreadable:
            continue  # a blank line between blocks; a row already refused
        row["_line"] = str(number)
        if several:
            row["_sheet"] = str(table.name)
        catalogue.rows.append(row)


# -- writing --------------------------------------------------------------------
def _record(matter: dict[str, Any]) -> list[Any]:
    row = dict(matter)
    row["materials"] = "；".join(row.get("materials") or [])
    return [row.get(c, "") for c in COLUMNS]


def write_csv(path: Path, matters: Iterable[dict[str, Any]], encoding: str = "utf-8") -> None:
    """A catalogue file in the columns above (``gb18030`` as a Chinese Excel saves it)."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(_record(m) for m in matters)


def write_xlsx(path: Path, matters: Iterable[dict[str, Any]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("事项")
    sheet.append(list(COLUMNS))
    for matter in matters:
        sheet.append(_record(matter))
    book.save(path)
