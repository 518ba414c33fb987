"""``qconsole matters``: the one-stop hall's catalogue from the files departments send."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.catalogue.files import COLUMNS, read_catalogue, write_csv, write_xlsx
from console.catalogue.generate import catalogue

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "matters.csv"


@pytest.fixture
def two_queues(qc_hall):
    """The CLI's test hall with a second queue, PP, which the example file also uses."""
    assert qc_hall("services", "add", "PP", "--zh", "护照", "--en", "Passport",
                   "--prefix", "B").exit_code == 0  # fmt: skip
    return qc_hall


def test_the_readme_example_file_imports(two_queues) -> None:
    qc = two_queues
    dry = qc("matters", "import", EXAMPLE, "--dry-run")
    assert dry.exit_code == 0 and "would store: 6 added" in dry.stdout
    assert qc("matters", "list", "--json").json == []
    result = qc("matters", "import", EXAMPLE, "--json")
    assert result.exit_code == 0 and result.json["added"] == 6 and result.json["stored"]
    matters = {m["code"]: m for m in qc("matters", "list", "--json").json}
    assert matters["SCJG-0001"]["name_zh"] == "个体工商户设立登记"
    assert matters["SCJG-0001"]["materials"] == ["经营者身份证", "经营场所使用证明",
                                                 "个体工商户登记申请书"]  # fmt: skip
    assert matters["GAJ-0002"]["service"] == "PP"
    issued = qc("tickets", "issue", "--matter", "GAJ-0002", "--json").json["ticket"]
    assert issued["service_code"] == "PP" and issued["matter_code"] == "GAJ-0002"


def test_bad_rows_are_reported_by_line_and_nothing_is_stored(two_queues, tmp_path) -> None:
    rows = catalogue(["ID"], departments=2, matters=5)
    rows[1]["service"] = "NOPE"
    rows[3]["handling_min"] = "soon"
    rows[4]["code"] = rows[0]["code"]
    path = tmp_path / "bad.csv"
    write_csv(path, rows)
    result = two_queues("matters", "import", path)
    assert result.exit_code == 2
    errors = result.stderr.strip().splitlines()
    assert errors[0].startswith(f"{path}:3: ") and "NOPE" in errors[0]
    assert errors[1].startswith(f"{path}:5: ") and "handling" in errors[1]
    assert errors[2].startswith(f"{path}:6: ") and "line 2" in errors[2]
    assert len(errors) == 3
    assert two_queues("matters", "list", "--json").json == []


def test_a_header_without_the_required_columns_is_one_line(two_queues, tmp_path) -> None:
    path = tmp_path / "cat.csv"
    path.write_text("事项编码,事项名称\nX1,某事项\n", encoding="utf-8")
    result = two_queues("matters", "import", path)
    assert result.exit_code == 2 and "department" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_update_changes_what_changed_and_retires_what_disappeared(two_queues, tmp_path) -> None:
    qc = two_queues
    rows = catalogue(["ID", "PP"], departments=3, matters=12)
    first = tmp_path / "v1.csv"
    write_csv(first, rows)
    assert qc("matters", "import", first).exit_code == 0
    gone = rows[5]["code"]
    issued = qc("tickets", "issue", "--matter", gone, "--json").json["ticket"]["number"]
    rows[0]["name_en"] = "A new English name"
    second = tmp_path / "v2.csv"
    write_csv(second, [r for r in rows if r["code"] != gone])
    # without --update an existing matter is an error of its line
    refused = qc("matters", "import", second)
    assert refused.exit_code == 2 and "--update" in refused.stderr
    result = qc("matters", "import", second, "--update", "--json")
    assert result.exit_code == 0
    assert {k: result.json[k] for k in ("added", "changed", "unchanged", "retired")} == {
        "added": 0, "changed": 1, "unchanged": 10, "retired": 1}  # fmt: skip
    active = {m["code"] for m in qc("matters", "list", "--json").json}
    assert gone not in active and len(active) == 11
    everything = {m["code"]: m for m in qc("matters", "list", "--all", "--json").json}
    assert everything[gone]["active"] is False  # history keeps it
    assert qc("tickets", "show", issued, "--json").json["matter_code"] == gone
    refused = qc("tickets", "issue", "--matter", gone)
    assert refused.exit_code == 1 and "retired" in refused.stderr
    # the file brings it back
    write_csv(second, rows)
    back = qc("matters", "import", second, "--update", "--json").json
    assert back["changed"] == 1 and back["retired"] == 0


def test_gb18030_csv_and_xlsx_with_chinese_headers(two_queues, tmp_path) -> None:
    rows = catalogue(["ID"], departments=2, matters=4)
    gbk = tmp_path / "gb.csv"
    write_csv(gbk, rows, encoding="gb18030")
    assert read_catalogue(gbk).rows[0]["name_zh"] == rows[0]["name_zh"]
    xlsx = tmp_path / "cat.xlsx"
    write_xlsx(xlsx, rows)
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    book.active.cell(1, 1).value = "事项编码"
    book.active.cell(1, 2).value = "事项名称"
    book.save(xlsx)
    parsed = read_catalogue(xlsx).rows
    assert [r["_line"] for r in parsed] == ["2", "3", "4", "5"]
    assert two_queues("matters", "import", xlsx).exit_code == 0
    assert len(two_queues("matters", "list", "--json").json) == 4


def test_the_thousand_matter_catalogue_imports_from_csv_and_xlsx(two_queues, tmp_path) -> None:
    rows = catalogue(["ID", "PP"])
    assert len(rows) == 1044 and len({r["department"] for r in rows}) == 29
    csv_file, xlsx_file = tmp_path / "cat.csv", tmp_path / "cat.xlsx"
    write_csv(csv_file, rows)
    write_xlsx(xlsx_file, rows)
    assert two_queues("matters", "import", csv_file).exit_code == 0
    again = two_queues("matters", "import", xlsx_file, "--update", "--json")
    assert again.exit_code == 0 and again.json["unchanged"] == 1044
    listed = two_queues("matters", "list", "--json").json
    assert len(listed) == 1044 and len({m["department"] for m in listed}) == 29


def test_add_edit_remove(two_queues) -> None:
    qc = two_queues
    added = qc("matters", "add", "X-1", "--zh", "居住证申领", "--department", "GAJ",
               "--department-zh", "公安局", "--service", "ID", "--materials", "身份证;照片",
               "--json")  # fmt: skip
    assert added.exit_code == 0 and added.json["materials"] == ["身份证", "照片"]
    assert added.json["name_en"] == "居住证申领"
    edited = qc("matters", "edit", "X-1", "--en", "Residence permit", "--handling", "12",
                "--json")  # fmt: skip
    assert edited.json["name_en"] == "Residence permit" and edited.json["handling_min"] == 12
    unknown_queue = qc("matters", "edit", "X-1", "--service", "NOPE")
    assert unknown_queue.exit_code == 2 and "NOPE" in unknown_queue.stderr
    assert qc("matters", "remove", "X-1").stdout.strip() == "matter X-1 removed"
    assert qc("matters", "remove", "X-1").exit_code != 0


def test_config_apply_adds_and_edits_matters(two_queues, tmp_path) -> None:
    path = tmp_path / "hall.toml"
    path.write_text(
        '[[matters]]\ncode = "M1"\nname_zh = "个体工商户设立登记"\ndepartment = "SCJG"\n'
        'department_zh = "市场监督管理局"\nservice = "ID"\nmaterials = ["身份证"]\n',
        encoding="utf-8",
    )
    assert two_queues("config", "apply", path).exit_code == 0
    path.write_text(path.read_text(encoding="utf-8").replace('"ID"', '"PP"'), encoding="utf-8")
    assert two_queues("config", "apply", path).exit_code == 0
    (matter,) = two_queues("matters", "list", "--json").json
    assert matter["service"] == "PP" and matter["department"] == "SCJG"


def test_columns_are_documented_for_the_admin() -> None:
    admin = (Path(__file__).resolve().parents[2] / "docs" / "admin.md").read_text(encoding="utf-8")
    assert "examples/matters.csv" in admin
    for column in COLUMNS:
        assert f"`{column}`" in admin
