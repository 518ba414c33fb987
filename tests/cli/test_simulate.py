"""``qconsole simulate`` on the demo hall: figures, what-if options, formats, bad input."""

from __future__ import annotations

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
