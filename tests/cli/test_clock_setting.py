"""``QCONSOLE_NOW``: a rehearsal's moment is the hall's day, and a wrong one is bad input."""

from __future__ import annotations

import json

import pytest


def test_the_cli_issues_on_the_day_qconsole_now_names(qc_hall, monkeypatch) -> None:
    monkeypatch.setenv("QCONSOLE_NOW", "2027-03-01T10:00:00+08:00")
    issued = qc_hall("tickets", "issue", "ID", "--json")
    assert issued.exit_code == 0, issued.stderr
    assert issued.json["ticket"]["day"] == "2027-03-01"
    listed = qc_hall("tickets", "list", "--day", "2027-03-01", "--json")
    assert [t["number"] for t in listed.json] == ["A001"]


@pytest.mark.parametrize("value", ["garbage", "2027-13-01T10:00", "10:00"])
def test_a_wrong_moment_is_one_line_and_exit_2(qc_hall, monkeypatch, value) -> None:
    monkeypatch.setenv("QCONSOLE_NOW", value)
    result = qc_hall("tickets", "list")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "QCONSOLE_NOW" in result.stderr
    as_json = qc_hall("tickets", "list", "--json")
    assert json.loads(as_json.stderr)["error"] == "bad_input"


def test_the_demo_builds_in_the_first_minutes_after_midnight(tmp_path):
    """The demo replays its morning from the day's first minute: at 00:05 nothing of it
    may fall before midnight, where the demo's one-day session is not open."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TZ": "Asia/Shanghai", "QCONSOLE_NOW": "2026-12-08T00:05:00+08:00"}
    done = subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", "init", "--demo",
         "--db", str(tmp_path / "demo.db")],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
