"""Day ranges, and the admin commands' contract: documented, no UI imports in the core."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from console.cli.main import app
from console.domain.errors import BadInput
from console.reports.dates import DayRange, day_range, parse_day

TODAY = date(2026, 11, 26)


def test_words_and_dates() -> None:
    assert parse_day("today", TODAY) == "2026-11-26"
    assert parse_day("Yesterday", TODAY) == "2026-11-25"
    assert parse_day("2026-03-01", TODAY) == "2026-03-01"
    assert day_range(None, None, None, TODAY) == DayRange("2026-11-26", "2026-11-26")
    assert day_range(None, "yesterday", "today", TODAY) == DayRange("2026-11-25", "2026-11-26")
    assert DayRange("2026-02-27", "2026-03-01").days() == ["2026-02-27", "2026-02-28",
                                                             "2026-03-01"]  # fmt: skip
    assert DayRange("2026-11-01", "2026-11-30").label == "2026-11-01_2026-11-30"


@pytest.mark.parametrize("bad", ["2026-2-3", "20261126", "tomorrow", "", "2026-11-31"])
def test_bad_days(bad: str) -> None:
    with pytest.raises(BadInput):
        parse_day(bad, TODAY)


def test_bounds_are_local_midnights() -> None:
    start, end = DayRange("2026-11-26", "2026-11-26").bounds()
    assert end - start == 86400
    assert start == datetime(2026, 11, 26, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()


@pytest.mark.parametrize("command", ["export", "report", "backup", "doctor"])
def test_every_admin_command_is_documented_with_an_example(command: str, runner) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: qconsole " + command in " ".join(result.stdout.split())


def test_reports_import_no_ui_framework() -> None:
    code = (
        "import sys, console.reports.export, console.reports.report, console.reports.render,"
        " console.reports.backup, console.reports.doctor;"
        " bad = [m for m in ('textual', 'typer', 'rich', 'fastapi') if m in sys.modules];"
        " print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
