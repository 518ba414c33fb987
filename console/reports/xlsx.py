"""The XLSX writer of the exports: a bold frozen header row, real date-times, Excel
durations for waits and handling times, text typed by people kept as text, and a next
sheet past Excel's row limit. Streams with openpyxl's write-only workbook."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from console.reports.export import ExportSpec

Progress = Callable[[int], None]
"""Told how many rows were written since it was last told (the progress bar)."""
XLSX_MAX_ROWS = 1_048_575
"""Data rows per worksheet (Excel's limit less the header row); more go on another sheet."""

_XLSX_FORMATS = {
    "datetime": "yyyy-mm-dd hh:mm:ss",
    "date": "yyyy-mm-dd",
    "duration": "[h]:mm:ss",
}


def _xlsx_converters(spec: ExportSpec) -> list[Callable[[Any], Any] | None]:
    def dt(v: Any) -> Any:
        return None if v is None else datetime.fromtimestamp(v).replace(microsecond=0)

    def day(v: Any) -> Any:
        return None if v is None else date.fromisoformat(v)

    def dur(v: Any) -> Any:
        return None if v is None else timedelta(seconds=v)

    conv: list[Callable[[Any], Any] | None] = []
    for c in spec.columns:
        if c.kind == "datetime":
            conv.append(dt if spec.what != "summary" else None)
        elif c.kind == "date":
            conv.append(day)
        elif c.kind == "duration":
            conv.append(dur)
        else:
            conv.append(None)
    return conv


def write_xlsx(spec: ExportSpec, batches: Iterable[list], path: Path, progress: Progress) -> int:
    """Write the rows of ``batches`` as a workbook at ``path``; the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    kinds = [c.kind for c in spec.columns]
    conv = _xlsx_converters(spec)
    fmts = [_XLSX_FORMATS.get(k) for k in kinds]
    typed = [i for i, f in enumerate(fmts) if f]
    bold = Font(bold=True)
    ws = None
    sheet_rows = XLSX_MAX_ROWS
    sheets = 0

    def new_sheet() -> Any:
        nonlocal sheets
        sheets += 1
        sheet = wb.create_sheet(spec.what if sheets == 1 else f"{spec.what} ({sheets})")
        sheet.freeze_panes = "A2"
        for i, c in enumerate(spec.columns):
            width = 20 if c.kind in ("datetime", "json-array", "json-object") else 12
            sheet.column_dimensions[_col_letter(i)].width = width
        header = []
        for title in spec.header_row():
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        return sheet

    rows = 0
    ws = new_sheet()
    sheet_rows = 0
    for batch in batches:
        for raw in batch:
            if sheet_rows >= XLSX_MAX_ROWS:
                ws, sheet_rows = new_sheet(), 0
            row: list[Any] = list(raw)
            for i, v in enumerate(row):
                if isinstance(v, str) and v.startswith("="):
                    row[i] = _text_cell(ws, v)
            for i in typed:
                v = row[i]
                if conv[i] is not None:
                    v = conv[i](v)
                if v is not None:
                    cell = WriteOnlyCell(ws, value=v)
                    cell.number_format = fmts[i]
                    row[i] = cell
            ws.append(row)
            sheet_rows += 1
        rows += len(batch)
        progress(len(batch))
    wb.save(str(path))
    return rows


def _text_cell(sheet: Any, value: str) -> Any:
    """Text typed by a citizen or clerk (a name, a note) stays text: openpyxl would store a
    string starting with ``=`` as a formula that a spreadsheet evaluates on opening."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _col_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)
