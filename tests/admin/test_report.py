"""The report's figures against a small day worked out by hand (see conftest.worked_day)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from console.cli.main import app
from console.reports.dates import DayRange
from console.reports.db import open_readonly
from console.reports.report import compute, daily_summary, percentile

DAY = DayRange("2026-11-26", "2026-11-26")


def test_nearest_rank_percentiles() -> None:
    h = Counter([480, 600, 720, 840, 2520])
    assert percentile(h, 50) == 720  # rank ceil(2.5) = 3
    assert percentile(h, 90) == 2520  # rank ceil(4.5) = 5
    assert percentile(Counter([300, 360, 480, 600]), 50) == 360  # rank 2
    assert percentile(Counter([300, 360, 480, 600]), 90) == 600  # rank ceil(3.6) = 4
    assert percentile(Counter([7]), 90) == 7
    assert percentile(Counter(), 50) is None


def test_figures_of_the_worked_day(day_db: Path) -> None:
    data = compute(open_readonly(day_db), DAY)
    t = data["total"]
    assert (t["issued"], t["served"], t["completed"], t["incomplete"], t["referred"]) == (
        7, 4, 3, 1, 0,
    )  # fmt: skip
    assert (t["no_show"], t["cancelled"], t["expired"], t["open"]) == (1, 1, 0, 1)
    # waits of the called tickets: B001 480, A005 600, A001 720, A002 840, A003 2520
    assert (t["called"], t["wait_p50_s"], t["wait_p90_s"]) == (5, 720, 2520)
    # handling: A005 300, B001 360, A001 480, A003 600
    assert (t["handling_p50_s"], t["handling_p90_s"]) == (360, 600)
    # target 30 min: all but A003 (42 min) → 4 of 5
    assert (t["within_target"], t["within_target_pct"]) == (4, 80.0)
    assert data["green"]["count"] == 1
    assert (data["green"]["wait_p50_s"], data["green"]["wait_p90_s"]) == (480, 480)
    assert data["green"]["by_reason"][0]["reason"] == "elderly"
    # one ticket in seven was green; the normal ones called: 600, 720, 840, 2520
    assert data["green"]["share_pct"] == 14.3
    assert (data["green"]["normal_wait_p50_s"], data["green"]["normal_wait_p90_s"]) == (720, 2520)
    assert data["satisfaction"] == {
        "rated": 3, "average": 4.0, "distribution": {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1},
    }  # fmt: skip

    by_service = {g["code"]: g for g in data["by_service"]}
    ident = by_service["ID"]
    assert (ident["issued"], ident["served"], ident["incomplete"], ident["no_show"]) == (5, 3, 1, 1)
    assert ident["cancelled"] == 1
    assert (ident["wait_p50_s"], ident["wait_p90_s"]) == (720, 2520)  # 600 720 840 2520
    assert (ident["handling_p50_s"], ident["handling_p90_s"]) == (480, 600)  # 300 480 600
    assert (ident["within_target_pct"], ident["rating_avg"]) == (75.0, 3.5)
    pp = by_service["PP"]
    assert (pp["issued"], pp["served"], pp["open"], pp["wait_p50_s"], pp["rating_avg"]) == (
        2, 1, 1, 480, 5.0,
    )  # fmt: skip

    by_counter = {
        g["counter"]: (g["issued"], g["served"], g["no_show"]) for g in data["by_counter"]
    }
    assert by_counter == {1: (2, 2, 0), 2: (2, 1, 1), 3: (1, 1, 0)}
    by_clerk = {g["staff_no"]: g["served"] for g in data["by_clerk"]}
    assert by_clerk == {"1001": 2, "1002": 1, "1003": 1}
    assert all("name" not in g for g in data["by_clerk"])  # staff numbers only by default
    by_session = {g["name"]: g["issued"] for g in data["by_session"]}
    assert by_session == {"日间 Day": 6, "夜间专场 Night": 1}
    night = next(g for g in data["by_session"] if g["name"] == "夜间专场 Night")
    assert (night["wait_p50_s"], night["handling_p50_s"]) == (600, 300)
    hours = {h["hour"]: (h["issued"], h["served"]) for h in data["by_hour"]}
    assert hours == {9: (6, 2), 10: (0, 1), 18: (1, 1)}


def test_personal_adds_clerk_names(day_db: Path) -> None:
    data = compute(open_readonly(day_db), DAY, personal=True)
    assert {g["staff_no"]: g["name"] for g in data["by_clerk"]}["1001"] == "clerk 1001"


def test_daily_summary_rows_match_the_report(day_db: Path) -> None:
    rows = list(daily_summary(open_readonly(day_db), DAY))
    assert [r["service_code"] for r in rows] == ["ID", "PP", "*"]
    assert rows[-1]["service_name_zh"] == "全部业务"
    assert (rows[-1]["issued"], rows[-1]["wait_p50_s"], rows[-1]["within_target_pct"]) == (
        7, 720, 80.0,
    )  # fmt: skip


def test_report_cli_json_md_html(day_db: Path, runner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--db", str(day_db), "--day", "2026-11-26", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"]["issued"] == 7

    md = runner.invoke(app, ["report", "--db", str(day_db), "--day", "2026-11-26",
                             "--format", "md"])  # fmt: skip
    assert md.exit_code == 0
    assert "| ID 身份证 |" in md.stdout and "## By session 按场次" in md.stdout
    assert "Expired 逾期未办" in md.stdout and "作废" not in md.stdout  # not served, not voided

    (tmp_path / "mail").mkdir()
    page = tmp_path / "mail" / "daily.html"
    res = runner.invoke(app, ["report", "--db", str(day_db), "--day", "2026-11-26",
                              "--format", "html", "--out", str(page)])  # fmt: skip
    assert res.exit_code == 0, res.output
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "夜间专场 Night" in html
    assert "<script" not in html  # a page to mail: no scripts
    assert [p.name for p in page.parent.iterdir()] == ["daily.html"]  # no temporary left


def test_report_terminal_table(day_db: Path, runner) -> None:
    result = runner.invoke(app, ["report", "--db", str(day_db), "--day", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert "Overview" in result.stdout and "12 min" in result.stdout  # p50 wait 720 s
    assert "▼ 75.0%" in result.stdout  # ID: 3 of 4 called within target, below the 80 % goal


def test_durations_read_as_minutes_and_hours() -> None:
    from console.format import duration

    assert [duration(s) for s in (40, 1500, 4260, 7200, None)] == [
        "40 s", "25 min", "1 h 11 min", "2 h 0 min", "-",
    ]  # fmt: skip


def test_the_director_s_report_marks_below_target_compares_and_explains(
    day_db: Path, runner
) -> None:
    md = runner.invoke(app, ["report", "--db", str(day_db), "--day", "2026-11-26",
                             "--format", "md"]).stdout  # fmt: skip
    id_row = next(line for line in md.splitlines() if line.startswith("| ID 身份证 |"))
    assert "**▼ 75.0%**" in id_row and "12 min" in id_row and ":" not in id_row
    pp_row = next(line for line in md.splitlines() if line.startswith("| PP "))
    assert "▼" not in pp_row  # every PP citizen was called within target
    assert "| Figure 指标 | Value 数值 | Previous day 前一天 2026-11-25 | " in md
    assert "Last week 上周同日 2026-11-19 |" in md
    assert "| Tickets issued 取号 | 7 | 0 | 0 |" in md
    assert "Half of the citizens waited less than this" in md
    assert "nearest-rank" not in md  # no jargon footnote
    page = runner.invoke(app, ["report", "--db", str(day_db), "--day", "2026-11-26",
                               "--format", "html"]).stdout  # fmt: skip
    assert '<td class="below">▼ 75.0%</td>' in page and "td.below{color:#c0392b" in page
    data = json.loads(runner.invoke(app, ["report", "--db", str(day_db), "--day", "2026-11-26",
                                          "--json"]).stdout)  # fmt: skip
    assert data["compare"]["previous_day"]["day"] == "2026-11-25"
    assert data["compare"]["last_week"]["issued"] == 0


def test_report_of_an_empty_range(day_db: Path, runner) -> None:
    result = runner.invoke(app, ["report", "--db", str(day_db), "--from", "2025-01-01",
                                 "--to", "2025-01-31", "--json"])  # fmt: skip
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["total"]["issued"] == 0 and data["total"]["wait_p50_s"] is None


def test_report_over_the_server_says_where_to_run(runner) -> None:
    result = runner.invoke(app, ["report", "--server", "http://hall:8765"])
    assert result.exit_code == 2
    assert "--db" in result.stderr and len(result.stderr.strip().splitlines()) == 1
