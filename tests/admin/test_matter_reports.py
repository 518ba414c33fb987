"""A one-stop hall's report and exports: by-department and by-matter tables, and the
tickets export's matter and department columns (added at the end of its schema)."""

from __future__ import annotations

import csv
from pathlib import Path

from console.cli.main import app
from console.reports.columns import columns, schema
from console.reports.dates import DayRange
from console.reports.db import open_readonly
from console.reports.render import markdown
from console.reports.report import compute
from tests.admin.conftest import at
from tests.conftest import ADMIN, clerk

DAY = "2026-11-26"


def one_stop_day(hall, clock) -> None:
    """Two matters of the market bureau and one of the tax bureau, all in ID's queue."""
    hall.add_matter(ADMIN, code="SCJG-1", name_zh="个体工商户设立登记", department="SCJG",
                    department_zh="市场监督管理局", department_en="Market Regulation Bureau",
                    service="ID")  # fmt: skip
    hall.add_matter(ADMIN, code="SCJG-2", name_zh="食品经营许可", department="SCJG", service="ID")
    hall.add_matter(ADMIN, code="SWJ-1", name_zh="纳税证明开具", department="SWJ",
                    department_zh="税务局", service="ID")  # fmt: skip
    one = clerk("1001")
    at(clock, 0)
    hall.open_counter(one, 1)
    for code in ("SCJG-1", "SCJG-1", "SCJG-2", "SWJ-1"):
        hall.issue(ADMIN, matter=code)
    hall.issue(ADMIN, "ID")  # and one without a matter
    for minutes in (5, 15):
        at(clock, minutes)
        hall.call_next(one, 1)
        hall.serve(one, 1)
        at(clock, minutes + 8)
        hall.finish(one, 1)


def test_the_report_has_by_department_and_by_matter_tables(small_hall, clock, db_path) -> None:
    one_stop_day(small_hall, clock)
    conn = open_readonly(db_path)
    data = compute(conn, DayRange(DAY, DAY))
    conn.close()
    depts = {g["code"]: g for g in data["by_department"]}
    assert (depts["SCJG"]["issued"], depts["SWJ"]["issued"]) == (3, 1)
    assert depts["SCJG"]["name_zh"] == "市场监督管理局" and depts["SCJG"]["served"] == 2
    matters = {g["code"]: g for g in data["by_matter"]}
    assert matters["SCJG-1"]["issued"] == 2 and matters["SCJG-1"]["department"] == "SCJG"
    assert data["total"]["issued"] == 5  # the ticket without a matter is in the hall's total
    text = markdown(data)
    assert "By department 按部门" in text and "SCJG-1 个体工商户设立登记" in text


def test_a_report_without_matters_has_no_such_tables(small_hall, db_path) -> None:
    small_hall.issue(ADMIN, "ID")
    conn = open_readonly(db_path)
    data = compute(conn, DayRange(DAY, DAY))
    conn.close()
    assert data["by_department"] == [] and data["by_matter"] == []
    assert "按部门" not in markdown(data)


def test_the_tickets_export_ends_with_the_matter_and_department(
    small_hall, clock, db_path, tmp_path: Path, runner
) -> None:
    one_stop_day(small_hall, clock)
    added = ["matter_code", "matter_name_zh", "matter_name_en", "department_code",
             "department_name_zh", "department_name_en"]  # fmt: skip
    # then the comment from the rating page, added in the same version
    assert list(schema("tickets")["properties"])[-len(added) - 1 :] == [*added, "feedback"]
    assert schema("tickets")["x-version"] == 2
    out = tmp_path / "tickets.csv"
    result = runner.invoke(app, ["export", "--db", str(db_path), "--day", DAY,
                                 "--what", "tickets", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[-len(added) :] == added
    assert [c.name for c in columns("tickets", False)][-len(added) :] == added
    first = rows[0]
    assert (first["matter_code"], first["department_code"]) == ("SCJG-1", "SCJG")
    assert first["department_name_en"] == "Market Regulation Bureau"
    assert rows[-1]["matter_code"] == "" and rows[-1]["department_code"] == ""


def test_within_target_is_each_ticket_s_own_target_in_report_summary_and_export(
    small_hall, clock, db_path, tmp_path: Path, runner
) -> None:
    """A matter promising a 60-minute wait in a 20-minute queue: a citizen called after 40
    minutes was called within what was promised to them; one without a matter was not."""
    small_hall.edit_service(ADMIN, "ID", target_wait_min=20)
    small_hall.add_matter(ADMIN, code="SLOW-1", name_zh="有限责任公司设立登记",
                          department="SCJG", service="ID", target_wait_min=60)  # fmt: skip
    one = clerk("1001")
    at(clock, 0)
    small_hall.open_counter(one, 1)
    small_hall.issue(ADMIN, matter="SLOW-1")
    small_hall.issue(ADMIN, "ID")
    for minutes in (40, 41):
        at(clock, minutes)
        small_hall.call_next(one, 1)
        small_hall.no_show(one, 1)
    conn = open_readonly(db_path)
    data = compute(conn, DayRange(DAY, DAY))
    conn.close()
    assert data["total"]["within_target"] == 1
    assert {m["code"]: m["within_target"] for m in data["by_matter"]} == {"SLOW-1": 1}
    for what in ("summary", "tickets"):
        out = tmp_path / f"{what}.csv"
        result = runner.invoke(app, ["export", "--db", str(db_path), "--day", DAY,
                                     "--what", what, "--out", str(out)])  # fmt: skip
        assert result.exit_code == 0, result.output
        with out.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        if what == "summary":
            assert [r["within_target_pct"] for r in rows if r["service_code"] == "*"] == ["50.0"]
        else:
            got = {r["matter_code"]: (r["target_wait_min"], r["within_target"]) for r in rows}
            assert got == {"SLOW-1": ("60", "1"), "": ("20", "0")}
