"""``qconsole matters import`` meets the files departments really send.

Each file is made here by another writer than the project's own (xlsxwriter, openpyxl, xlwt,
the csv module in Excel's encodings), the way a department's spreadsheet looks: a title
row, a 序号 column, codes stored as numbers with a 000000 format, merged department cells,
an instructions sheet first.
"""

from __future__ import annotations

import csv

import pytest

from console.catalogue.generate import catalogue

HEADER_ZH = ["序号", "事项编码", "事项名称", "部门编码", "部门名称", "队列", "申请材料",
             "办理时长（分钟）", "备注"]  # fmt: skip


@pytest.fixture
def hall(qc_hall):
    assert qc_hall("services", "add", "PP", "--zh", "护照", "--en", "Passport",
                   "--prefix", "B").exit_code == 0  # fmt: skip
    return qc_hall


def numbered(departments: int = 2, matters: int = 6) -> list[dict]:
    """Matters with numeric codes 001001… and numeric department codes 0101…, as the
    government tables have them."""
    rows = catalogue(["ID", "PP"], departments=departments, matters=matters)
    order = list(dict.fromkeys(r["department"] for r in rows))
    for i, row in enumerate(rows, start=1):
        row["code"] = f"{1000 + i:06d}"
        row["department"] = f"{100 + order.index(row['department']):04d}"
    return rows


def zh_cells(index: int, row: dict) -> list:
    return [index, row["code"], row["name_zh"], row["department"], row["department_zh"],
            row["service"], "；".join(row["materials"]), row["handling_min"], ""]  # fmt: skip


def codes(qc) -> dict[str, dict]:
    return {m["code"]: m for m in qc("matters", "list", "--json").json}


def test_a_department_workbook_as_excel_makes_it(hall, tmp_path) -> None:
    """Instructions sheet first, a merged title row, 序号 and 备注, numeric codes shown as
    000000, the department's code merged down its rows (xlsxwriter, as Excel writes)."""
    import xlsxwriter

    rows = numbered()
    path = tmp_path / "清单.xlsx"
    book = xlsxwriter.Workbook(str(path))
    notes = book.add_worksheet("填表说明")
    notes.write(0, 0, "请按模板填写，事项编码为 6 位数字")
    sheet = book.add_worksheet("事项清单")
    six, four = book.add_format({"num_format": "000000"}), book.add_format({"num_format": "0000"})
    sheet.merge_range(0, 0, 0, len(HEADER_ZH) - 1, "XX区政务服务事项清单")
    sheet.write_row(1, 0, HEADER_ZH)
    for i, row in enumerate(rows):
        cells = zh_cells(i + 1, row)
        sheet.write_row(2 + i, 0, cells)
        sheet.write_number(2 + i, 1, int(row["code"]), six)
    for dept in sorted({r["department"] for r in rows}):
        mine = [i for i, r in enumerate(rows) if r["department"] == dept]
        sheet.merge_range(2 + mine[0], 3, 2 + mine[-1], 3, int(dept), four)
    book.close()

    result = hall("matters", "import", path)
    assert result.exit_code == 0, result.stderr
    said = result.stderr
    assert "sheet 事项清单: header on row 2" in said
    assert "not read: 填表说明" in said
    assert "columns ignored (not catalogue columns): 序号, 备注" in said
    assert len(said.strip().splitlines()) == 3
    stored = codes(hall)
    assert set(stored) == {r["code"] for r in rows} and "001001" in stored
    assert {m["department"] for m in stored.values()} == {"0100", "0101"}
    assert [stored[r["code"]]["department"] for r in rows] == [r["department"] for r in rows]


def test_a_number_whose_format_cannot_be_read_is_refused_not_changed(hall, tmp_path) -> None:
    from openpyxl import Workbook

    rows = numbered(matters=4)
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER_ZH)
    for i, row in enumerate(rows):
        sheet.append(zh_cells(i + 1, row))
        sheet.cell(2 + i, 2).value = int(row["code"])
        sheet.cell(2 + i, 2).number_format = "000000" if i else "#,##0.00"
    path = tmp_path / "cat.xlsx"
    book.save(path)
    result = hall("matters", "import", path)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith(f"{path}:2")]
    assert len(errors) == 1 and errors[0].startswith(f"{path}:2: 事项编码 is the number 1001")
    assert "#,##0.00" in errors[0]
    assert codes(hall) == {}


def test_sheets_with_the_header_are_all_read_or_the_one_named(hall, tmp_path) -> None:
    from openpyxl import Workbook

    rows = numbered(matters=6)
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["本表由各部门填写"])
    for dept in sorted({r["department"] for r in rows}):
        sheet = book.create_sheet(f"部门{dept}")
        sheet.append(HEADER_ZH)
        for i, row in enumerate(r for r in rows if r["department"] == dept):
            sheet.append(zh_cells(i + 1, row))
    path = tmp_path / "two.xlsx"
    book.save(path)
    one = hall("matters", "import", path, "--sheet", "部门0101", "--dry-run", "--json")
    assert one.exit_code == 0 and one.json["added"] == 3
    assert one.json["notes"] == ["columns ignored (not catalogue columns): 序号, 备注"]
    missing = hall("matters", "import", path, "--sheet", "部门9")
    assert missing.exit_code == 2 and "sheets: 说明, 部门0100, 部门0101" in missing.stderr
    both = hall("matters", "import", path)
    assert both.exit_code == 0 and "would" not in both.stdout and "6 added" in both.stdout
    assert "sheet 部门0100: header on row 1" in both.stderr and "not read: 说明" in both.stderr


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("utf-16-le", b"\xff\xfe", "\t"),  # Excel's "Unicode 文本"
        ("gb18030", b"\x84\x31\x95\x33", ","),  # GB18030 with its own BOM
        ("gb18030", b"", ","),  # what Chinese Excel saves as CSV
        ("utf-8", b"\xef\xbb\xbf", ","),  # "CSV UTF-8"
    ],
)
def test_text_in_excels_encodings_with_a_title_row(hall, tmp_path, encoding, bom,
                                                   delimiter) -> None:  # fmt: skip
    rows = numbered(matters=4)
    path = tmp_path / "cat.txt"
    with path.open("wb") as raw:
        raw.write(bom)
    with path.open("a", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(["XX区政务服务事项清单"])
        writer.writerow(HEADER_ZH)
        writer.writerows(zh_cells(i + 1, r) for i, r in enumerate(rows))
    result = hall("matters", "import", path)
    assert result.exit_code == 0, result.stderr
    assert f"{path}: header on row 2" in result.stderr
    stored = codes(hall)
    assert set(stored) == {r["code"] for r in rows}
    assert stored["001001"]["name_zh"] == rows[0]["name_zh"]


def test_excel_97_through_xlrd_and_a_false_xls_told_to_save_as_xlsx(hall, tmp_path) -> None:
    import xlwt

    rows = numbered(matters=4)
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("事项")
    six = xlwt.easyxf(num_format_str="000000")
    for col, name in enumerate(HEADER_ZH):
        sheet.write(0, col, name)
    for i, row in enumerate(rows):
        for col, value in enumerate(zh_cells(i + 1, row)):
            if col != 3:
                sheet.write(1 + i, col, int(value) if col == 1 else value, six if col == 1 else
                            xlwt.Style.default_style)  # fmt: skip
    sheet.write_merge(1, 2, 3, 3, "0100")
    sheet.write_merge(3, 4, 3, 3, "0101")
    path = tmp_path / "old.xls"
    book.save(str(path))
    result = hall("matters", "import", path)
    assert result.exit_code == 0, result.stderr
    stored = codes(hall)
    assert set(stored) == {r["code"] for r in rows}
    assert [stored[r["code"]]["department"] for r in rows] == ["0100", "0100", "0101", "0101"]

    page = tmp_path / "导出.xls"
    page.write_text("<html><table><tr><td>事项编码</td></tr></table></html>", encoding="utf-8")
    refused = hall("matters", "import", page)
    assert refused.exit_code == 2 and "save it as .xlsx" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_at_most_twenty_error_lines_then_a_count(hall, tmp_path) -> None:
    rows = numbered(matters=30)
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER_ZH)
        writer.writerows(zh_cells(i, {**r, "service": "NOPE"}) for i, r in enumerate(rows))
    result = hall("matters", "import", path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 22  # the ignored columns, 20 rows, the count
    assert lines[-1] == f"{path}: ... and 10 more errors"
    assert codes(hall) == {}


def test_errors_in_the_readers_language_name_the_column_as_the_file_does(
    hall, tmp_path, monkeypatch
) -> None:
    rows = numbered(matters=3)
    rows[1]["handling_min"] = "很快"
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER_ZH)
        writer.writerows(zh_cells(i, r) for i, r in enumerate(rows))
    monkeypatch.setenv("QCONSOLE_LANG", "zh-CN")
    result = hall("matters", "import", path)
    assert result.exit_code == 2
    assert f"{path}: 已忽略不认识的列：序号, 备注" in result.stderr
    assert f"{path}:3: 办理时长（分钟） 必须是数字，不是 '很快'" in result.stderr
    missing = tmp_path / "missing.csv"
    missing.write_text("事项编码,事项名称\nX1,某事项\n", encoding="utf-8")
    told = hall("matters", "import", missing)
    assert told.exit_code == 2 and "找不到表头" in told.stderr
    assert "缺少 department (部门编码), service (队列)" in told.stderr


# -- --update: only what the file covers --------------------------------------
@pytest.fixture
def three_departments(hall, tmp_path) -> tuple:
    rows = catalogue(["ID", "PP"], departments=3, matters=30)
    path = tmp_path / "all.csv"
    from console.catalogue.files import write_csv

    write_csv(path, rows)
    assert hall("matters", "import", path).exit_code == 0
    return hall, rows, write_csv


def test_one_departments_file_retires_nothing_outside_it(three_departments, tmp_path) -> None:
    qc, rows, write_csv = three_departments
    swj = [r for r in rows if r["department"] == "SWJ"]
    path = tmp_path / "swj.csv"
    write_csv(path, swj[1:])
    dry = qc("matters", "import", path, "--update", "--dry-run")
    assert dry.exit_code == 0
    assert "would store: 0 added, 0 changed, 9 unchanged, 1 retired" in dry.stdout
    assert f"would retire {swj[0]['code']} {swj[0]['name_zh']} (SWJ)" in dry.stdout
    done = qc("matters", "import", path, "--update", "--json")
    assert done.exit_code == 0 and done.json["retired"] == 1
    assert [m["code"] for m in done.json["retired_matters"]] == [swj[0]["code"]]
    active = codes(qc)
    assert set(active) == {r["code"] for r in rows} - {swj[0]["code"]}


def test_department_option_reads_and_retires_that_department_only(
    three_departments, tmp_path
) -> None:
    qc, rows, write_csv = three_departments
    path = tmp_path / "city.csv"
    write_csv(path, [r for r in rows if r["code"] not in (rows[0]["code"], rows[-1]["code"])])
    last = rows[-1]["department"]
    result = qc("matters", "import", path, "--update", "--department", last, "--json")
    assert result.exit_code == 0, result.stderr
    # the rows of the two other departments (less the first matter) are left alone
    assert (result.json["retired"], result.json["skipped"]) == (1, 19)
    assert set(codes(qc)) == {r["code"] for r in rows} - {rows[-1]["code"]}
    # a department named that the file has no row of: all its matters would go
    first = [r for r in rows if r["department"] == rows[0]["department"]]
    write_csv(path, [r for r in rows if r not in first])
    mistaken = qc("matters", "import", path, "--update", "--department", first[0]["department"])
    assert mistaken.exit_code == 1
    assert f"the file has no row of department {first[0]['department']}" in mistaken.stderr
    assert set(codes(qc)) == {r["code"] for r in rows} - {rows[-1]["code"]}


def test_an_update_retiring_over_a_tenth_needs_yes(three_departments, tmp_path) -> None:
    qc, rows, write_csv = three_departments
    path = tmp_path / "short.csv"
    write_csv(path, rows[:6] + rows[10:])  # four of thirty: 13 %
    refused = qc("matters", "import", path, "--update")
    assert refused.exit_code == 1
    assert "would retire 4 of the 30 active matters" in refused.stderr
    assert len(codes(qc)) == 30
    dry = qc("matters", "import", path, "--update", "--dry-run")
    assert dry.exit_code == 0 and dry.stdout.count("would retire ") == 4
    assert qc("matters", "import", path, "--update", "--yes").exit_code == 0
    assert len(codes(qc)) == 26
