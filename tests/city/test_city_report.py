"""``qconsole city report``: one report across the halls equals the sum of the halls' own.

For a range and for one day, each hall's line per service is that hall's ``qconsole
report`` (issued, served, waits, within target, ratings), the night-session share counts
the tickets issued in the evening session, and the city's lines add up the halls'. Every
form is written; the city process answers the same JSON.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile

from typer.testing import CliRunner

from console.cli.main import app
from tests.city.conftest import DAYS, City, hall_report, until

SAME = ("issued", "served", "called", "within_target", "within_target_pct", "wait_p50_s",
        "wait_p90_s", "rated", "rating_avg", "ratings")  # fmt: skip


def held(city: City) -> bool:
    with sqlite3.connect(city.db) as conn:
        got = conn.execute(
            "SELECT count(*) FROM hall_days WHERE ended = 1 AND day IN (?, ?)", DAYS
        ).fetchone()[0]
    return got == 2 * len(city.halls)


def night_tickets(db, first: str, last: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT count(*) FROM tickets t JOIN sessions s ON s.id = t.session_id"
            " WHERE s.opens >= '17:00' AND t.day BETWEEN ? AND ?", (first, last),
        ).fetchone()[0]  # fmt: skip


def city_report(city: City, *args: str) -> dict:
    run = CliRunner().invoke(app, ["city", "report", "--db", str(city.db), "--json", *args])
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


def test_the_city_report_is_the_sum_of_the_halls_reports(city: City) -> None:
    until(lambda: held(city), what="every hall's ended days")
    data = city_report(city, "--from", DAYS[0], "--to", DAYS[1])
    assert data["city"] == "测试市 Test City" and data["missing"] == []
    halls = {h["hall"]: h for h in data["halls"]}
    assert set(halls) == set(city.halls)
    for key, srv in city.halls.items():
        own = hall_report(srv.db, DAYS[0], DAYS[1])
        mine = {s["code"]: s for s in halls[key]["services"]}
        assert set(mine) == {s["code"] for s in own["by_service"]}
        for service in own["by_service"]:
            assert {k: mine[service["code"]][k] for k in SAME} == {k: service[k] for k in SAME}
        assert {k: halls[key]["total"][k] for k in SAME} == {k: own["total"][k] for k in SAME}
        assert halls[key]["total"]["night_issued"] == night_tickets(srv.db, *DAYS)
    for field in ("issued", "served", "within_target", "rated", "night_issued"):
        assert data["total"][field] == sum(h["total"][field] for h in data["halls"])
        for service in data["by_service"]:
            assert service[field] == sum(s[field] for h in data["halls"] for s in h["services"]
                                         if s["code"] == service["code"])  # fmt: skip
    assert data["compare"]["previous_period"]["issued"] == 0  # the city held nothing before


def test_one_day_compares_with_the_day_before_and_every_form_is_written(
    city: City, tmp_path
) -> None:  # fmt: skip
    until(lambda: held(city), what="every hall's ended days")
    data = city_report(city, "--day", DAYS[1])
    before = data["compare"]["previous_day"]
    assert before["from"] == DAYS[0] and before["halls"] == len(city.halls)
    assert before["issued"] == sum(hall_report(s.db, DAYS[0])["total"]["issued"]
                                   for s in city.halls.values())  # fmt: skip
    assert data["compare"]["last_week"]["issued"] == 0
    assert city.get("/city/api/v1/report", day=DAYS[1]) == data
    runner = CliRunner()
    for fmt, check in (("md", "| Hall north (north) |"), ("html", "<table>"), ("xlsx", "")):
        target = tmp_path / f"city.{fmt}"
        run = runner.invoke(app, ["city", "report", "--db", str(city.db), "--day", DAYS[1],
                                  "--format", fmt, "--out", str(target)])  # fmt: skip
        assert run.exit_code == 0, run.output
        if fmt == "xlsx":
            assert "xl/worksheets/sheet1.xml" in zipfile.ZipFile(target).namelist()
        else:
            assert check in target.read_text(encoding="utf-8")
    assert runner.invoke(app, ["city", "report", "--db", str(city.db), "--format", "xlsx"]
                         ).exit_code == 2  # fmt: skip
    missing = runner.invoke(app, ["city", "report", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 3 and "no city database" in missing.output
