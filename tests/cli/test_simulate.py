"""``qconsole simulate`` on the demo hall: figures, what-if options, formats, bad input."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.fixture
def demo(demo_hall, qc):
    demo_hall.close()
    return qc


def test_simulates_the_hall_from_its_own_history(demo):
    r = demo("simulate", "-r", "2", "--json")
    assert r.exit_code == 0, r.stderr
    data = r.json
    assert data["replications"] == 2 and data["tickets_per_day"] > 20
    assert {s["service"] for s in data["services"]} == {"HH", "ID", "PP", "RES", "VEH", "ZH"}
    hour = data["hours"][0]
    for key in ("wait_p50_min", "wait_p90_min", "within_target", "utilisation",
                "green_wait_mean_min", "normal_wait_mean_min"):  # fmt: skip
        assert key in hour
    assert 0 < data["overall"]["utilisation"] < 1


def test_a_profile_replaces_the_arrivals(demo, tmp_path):
    profile = tmp_path / "rush.csv"
    profile.write_text("service,hour,per_hour\nPP,10,60\n", encoding="utf-8")
    data = demo("simulate", "-r", "3", "--profile", profile, "--green-share", "0", "--json").json
    by_service = {s["service"]: s for s in data["services"]}
    assert by_service["ID"]["tickets"] == 0
    assert 40 < by_service["PP"]["tickets"] < 80
    assert [h["hour"] for h in data["hours"] if h["tickets"]] == ["10:00"]
    assert by_service["PP"]["green_share"] == 0


def test_more_counters_shorten_the_wait(demo, tmp_path):
    profile = tmp_path / "rush.toml"
    profile.write_text('[[arrivals]]\nservice = "PP"\nhour = 10\nper_hour = 60\n', encoding="utf-8")
    base = demo("simulate", "-r", "3", "--profile", profile, "--json").json
    more = demo("simulate", "-r", "3", "--profile", profile, "--json",
                "--add-counters", "PP:3@10:00-12:00").json  # fmt: skip
    assert more["overall"]["wait_mean_min"] < base["overall"]["wait_mean_min"]


def test_html_has_a_chart_and_the_tables(demo, tmp_path):
    page = tmp_path / "sim.html"
    assert demo("simulate", "-r", "1", "--format", "html", "--out", page).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert "<svg" in text and "By service" in text


def test_the_terminal_table_and_chart(demo):
    r = demo("simulate", "-r", "1")
    assert r.exit_code == 0
    assert "By service" in r.stdout and "Waits by hour of issue" in r.stdout
    assert "\x1b[" not in r.stdout  # a pipe or a file gets the chart without escape codes


@pytest.mark.parametrize(
    "args, message",
    [
        (["--add-counters", "XX:2"], "XX: no such service"),
        (["--add-counters", "PP:two"], "SERVICES:COUNT"),
        (["--set", "pin_max_failures=3"], "--set takes one of"),
        (["--rate", "ID=lots"], "must be a number"),
        (["--green-share", "2"], "between 0 and 0.9"),
        (["--format", "pdf"], "--format is one of"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(demo, args, message):
    r = demo("simulate", "-r", "1", *args)
    assert r.exit_code == 2
    assert message in r.stderr and r.stderr.count("\n") == 1


def test_the_hall_is_not_changed(demo):
    before = demo("tickets", "list", "--json").json
    demo("simulate", "-r", "1", "--add-counters", "PP:2")
    assert demo("tickets", "list", "--json").json == before


def test_the_demo_hall_with_every_rate_given_runs_past_midnight(demo):
    """The demo's own session runs 00:00-23:59: counters still serve at midnight, when the
    day ends (a ticket at a desk then is neither finished nor a crash)."""
    rates = [
        arg for code in ("HH", "ID", "PP", "RES", "VEH", "ZH") for arg in ("--rate", f"{code}=30")
    ]
    r = demo("simulate", "-r", "1", *rates, "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json["tickets_per_day"] > 1000
    assert r.json["overall"]["not_called"] > 0  # more arrive than seven counters serve


def test_a_hall_open_all_day(demo):
    assert demo("sessions", "add", "全天", "--opens", "00:00", "--closes", "23:59").exit_code == 0
    r = demo("simulate", "-r", "2", "--rate", "ID=20", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json["hours"][0]["hour"] == "00:00"


def test_a_change_that_touches_nothing_gives_identical_figures(demo):
    """Before and after are paired (common random numbers): a counter added for one service
    leaves every other service's arrivals and handling draws as they were."""
    base = demo("simulate", "-r", "2", "--json").json
    same = demo("simulate", "-r", "2", "--json", "--counter-services", "1=ID").json  # as it is
    assert same == base
    more = demo("simulate", "-r", "2", "--json", "--add-counters", "ID:1").json
    by = {s["service"]: s for s in more["services"]}
    was = {s["service"]: s for s in base["services"]}
    assert by["ID"]["wait_mean_min"] < was["ID"]["wait_mean_min"]
    # VEH never sees counter 8: its citizens, their arrival times and handling are the same
    assert by["VEH"]["tickets"] == was["VEH"]["tickets"]


def test_what_ifs_for_counters_and_hours(demo):
    base = demo("simulate", "-r", "2", "--rate", "PP=12", "--json").json
    fewer = demo("simulate", "-r", "2", "--rate", "PP=12", "--json",
                 "--close-counter", "3", "--close-counter", "4").json  # fmt: skip
    pp = lambda d: {s["service"]: s for s in d["services"]}["PP"]  # noqa: E731
    assert pp(fewer)["wait_mean_min"] > pp(base)["wait_mean_min"]
    assert {c["counter"] for c in fewer["counters"]} == {c["counter"] for c in base["counters"]} - {
        3,
        4,
    }
    short = demo("simulate", "-r", "2", "--rate", "PP=12", "--json",
                 "--counter-hours", "3=09:00-10:00").json  # fmt: skip
    assert pp(short)["wait_mean_min"] > pp(base)["wait_mean_min"]
    moved = demo("simulate", "-r", "2", "--rate", "PP=12", "--json",
                 "--counter-services", "1=PP,ID").json  # fmt: skip
    assert pp(moved)["wait_mean_min"] < pp(base)["wait_mean_min"]
    late = demo("simulate", "-r", "2", "--rate", "PP=12", "--json", "--hours", "13:00-17:30").json
    assert next(h["hour"] for h in late["hours"] if h["tickets"]) == "13:00"
    thursdays = demo("simulate", "-r", "1", "--weekday", "4", "--json")  # the demo's day
    assert thursdays.exit_code == 0 and thursdays.json["tickets_per_day"] > 20
    mondays = demo("simulate", "-r", "1", "--weekday", "1")
    assert mondays.exit_code == 2 and "no Monday in the history" in mondays.stderr


def test_every_figure_has_a_confidence_interval(demo):
    data = demo("simulate", "-r", "4", "--rate", "ID=20", "--json").json
    for row in [data["overall"], *data["services"]]:
        assert set(row["ci95"]) >= {"wait_mean_min", "wait_p90_min", "within_target", "not_called"}
    assert data["overall"]["ci95"]["wait_mean_min"] > 0  # four different days differ


def test_a_queue_that_does_not_settle_is_said(demo):
    r = demo("simulate", "-r", "1", "--rate", "ID=200", "--json")
    assert any("does not settle" in w for w in r.json["warnings"])
    calm = demo("simulate", "-r", "1", "--rate", "ID=5", "--json").json
    assert not any("does not settle" in w for w in calm["warnings"])
    shown = demo("simulate", "-r", "1", "--rate", "ID=200")
    assert "does not settle" in shown.stdout and "starts with an empty hall" in shown.stdout


def test_the_table_has_mean_wait_and_not_called_and_fits_100_columns(demo, db_path):
    r = subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", "simulate", "-r", "1"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "COLUMNS": "100", "QCONSOLE_DB": str(db_path)},
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    header = next(i for i, line in enumerate(lines) if "Service" in line)
    block = "\n".join(lines[header : header + 3])
    assert "Mean" in block and "Not" in block and "…" not in "\n".join(lines)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--close-counter", "1@10:00"], "--close-counter is"),
        (["--counter-hours", "1=9-10"], "--counter-hours is"),
        (["--counter-services", "1=XX"], "XX: no such service"),
        (["--counter-services", "42=ID"], "no counter 42"),
        (["--hours", "17:00-09:00"], "run forward"),
        (["--weekday", "8"], "--weekday"),
    ],
)
def test_what_if_bad_input_is_one_line(demo, args, message):
    r = demo("simulate", "-r", "1", *args)
    assert r.exit_code == 2, r.stdout
    assert message in r.stderr and r.stderr.count("\n") == 1
