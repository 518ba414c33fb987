"""A catalogue of matters as departments send it: CSV (UTF-8 or GB18030) or Excel (XLSX).

The first row is the header. Columns (English names, or the Chinese ones a department's
spreadsheet usually has)::

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

Every row comes back as ``{column: text}`` with its line number as ``_line``, which is
what ``import_matters`` reports errors by (a spreadsheet's row number, a CSV's line).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from console.domain.errors import BadInput
from console.engine.matters import MATTER_FIELDS

COLUMNS = tuple(f for f in MATTER_FIELDS if f != "active")
"""A file's columns: what a matter is given by, less its state (a file lists the active
catalogue; what it leaves out is retired by ``--update``)."""
REQUIRED = ("code", "name_zh", "department", "service")
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


def _column(name: str) -> str:
    name = name.strip().replace("（", "(").replace("）", ")")
    return ALIASES.get(name, ALIASES.get(name.lower(), name.lower()))


def _header(path: Path, cells: Sequence[Any]) -> list[str]:
    header = [_column(str(c or "")) for c in cells]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise BadInput(
            f"{path}: the header needs {', '.join(missing)} (columns: {','.join(COLUMNS)})"
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise BadInput(
            f"{path}: unknown column {', '.join(unknown)} (columns: {','.join(COLUMNS)})"
        )
    return header


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(path: Path, lines: Iterable[tuple[int, Sequence[Any]]]) -> list[dict[str, str]]:
    rows, header = [], None
    for number, cells in lines:
        if header is None:
            header = _header(path, cells)
            continue
        values = [_cell(c) for c in cells]
        if not any(values):
            continue  # a blank line between blocks of a spreadsheet
        row = {h: v for h, v in zip(header, values, strict=False) if h}
        row["_line"] = str(number)
        rows.append(row)
    if header is None:
        raise BadInput(f"{path} is empty")
    return rows


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without Excel's BOM), else GB18030 (what Chinese Excel saves as CSV)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise BadInput(f"{path} is neither UTF-8 nor GB18030 text") from None


def _csv_lines(path: Path, text: str) -> Iterable[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise BadInput(f"{path}: not a readable CSV file ({exc})") from None


def _xlsx_lines(path: Path) -> Iterable[tuple[int, tuple[Any, ...]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise BadInput(f"{path}: not a readable XLSX file ({exc})") from None
    try:
        sheet = book.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        book.close()


def read_catalogue(path: Path) -> list[dict[str, str]]:
    """The file's rows, each with its line (CSV) or row number (XLSX) as ``_line``."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _rows(path, _xlsx_lines(path))
        return _rows(path, _csv_lines(path, _decode(path, path.read_bytes())))
    except FileNotFoundError:
        raise BadInput(f"no file {path}") from None
    except IsADirectoryError:
        raise BadInput(f"{path} is a directory") from None


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
