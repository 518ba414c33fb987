"""Ended days' totals are kept at the day change, and the report and summary read them.

A day's report compares it with the previous day and the same weekday a week before; the
summary export gives each day's figures. Counting those days from their tickets made the
report on a hall with years of history many times slower than on a new hall: an ended
day's totals are now kept once, at the next day's first write, and read as one row.
"""

from __future__ import annotations

import json
from pathlib import Path

from console.local import LocalHall
from console.reports.dates import DayRange
from console.reports.db import open_readonly
from console.reports.report import compute, count_day, daily_summary
from tests.conftest import ADMIN, clerk

ONE = clerk("1001")


def a_day(hall: LocalHall, clock, tickets: int) -> None:
    for _ in range(tickets):
        hall.issue(ADMIN, "ID")
        clock.advance(60)
    for i in range(tickets - 1):
        hall.call_next(ONE, 1)
        clock.advance(200)
        hall.finish(ONE, 1, rating=4 if i else None)  # the citizen may rate the first later


def kept_days(path: Path) -> dict[str, tuple[dict, int]]:
    reader = open_readonly(path)
    try:
        rows = reader.execute("SELECT day, figures, stale FROM day_totals").fetchall()
        return {r[0]: (json.loads(r[1]), r[2]) for r in rows}
    finally:
        reader.close()


def hall_with_days(db_path: Path, clock) -> tuple[LocalHall, list[str]]:
    """Three working days, each ended by the next day's first write; then a fourth day."""
    hall = LocalHall(db_path, clock=clock, create=True)
    hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
    hall.add_service(ADMIN, code="PP", name_zh="护照", name_en="Passport", prefix="B")
    hall.add_counter(ADMIN, number=1, services=["ID"])
    hall.add_clerk(ADMIN, staff_no="1001", name="c1", pin="1234")
    days = []
    for n in (3, 4, 5, 2):
        days.append(clock.day())
        hall.open_counter(ONE, 1)
        a_day(hall, clock, n)
        clock.advance(86_400 - 60 * n - 200 * (n - 1))
    return hall, days


def test_the_day_change_keeps_the_ended_days_totals(db_path: Path, clock) -> None:
    hall, days = hall_with_days(db_path, clock)
    hall.close()
    kept = kept_days(db_path)
    assert sorted(kept) == days[:3]  # the fourth has not ended: nothing wrote on the fifth
    reader = open_readonly(db_path)
    for day in days[:3]:
        assert kept[day] == (count_day(reader, day), 0)
        assert kept[day][0]["total"]["expired"] == 1  # the day change ended the last ticket
    reader.close()


def test_the_report_and_the_summary_read_kept_totals_not_the_days_tickets(
    db_path: Path, clock
) -> None:
    hall, days = hall_with_days(db_path, clock)
    hall.close()
    reader = open_readonly(db_path)
    statements: list[str] = []
    reader.set_trace_callback(statements.append)
    report = compute(reader, DayRange(days[3], days[3]))
    summary = list(daily_summary(reader, DayRange(days[0], days[2])))
    reader.set_trace_callback(None)
    assert report["compare"]["previous_day"] == {
        "day": days[2],
        **count_day(reader, days[2])["total"],
    }
    assert [(r["day"], r["service_code"], r["issued"]) for r in summary] == [
        (days[0], "ID", 3), (days[0], "*", 3), (days[1], "ID", 4), (days[1], "*", 4),
        (days[2], "ID", 5), (days[2], "*", 5),
    ]  # fmt: skip
    reader.close()
    read_tickets = [s for s in statements if "FROM tickets" in s]
    assert read_tickets  # the day reported, and the week before it (no tickets, no totals)
    assert not [s for s in read_tickets if any(day in s for day in days[:3])]


def test_a_late_change_is_counted_until_the_next_day_change_keeps_it(db_path: Path, clock) -> None:
    """The engine changes no ended day's ticket, but a repair by hand may: that day's
    figures show it at once, counted from its tickets, and the next day change keeps them."""
    hall, days = hall_with_days(db_path, clock)
    hall.issue(ADMIN, "PP")  # the fifth day: the fourth's totals are kept
    fourth = days[3]
    before = kept_days(db_path)[fourth][0]["total"]["rated"]
    with hall.engine.conn:
        hall.engine.conn.execute(
            "UPDATE tickets SET rating = 5 WHERE day = ? AND status = 'done' AND rating IS NULL",
            (fourth,),
        )
    assert kept_days(db_path)[fourth][1] == 1  # stale: a ticket of the day changed
    reader = open_readonly(db_path)
    report = compute(reader, DayRange(clock.day(), clock.day()))
    assert report["compare"]["previous_day"]["rated"] == before + 1
    reader.close()
    clock.advance(86_400)
    hall.issue(ADMIN, "PP")  # the sixth day: the fifth ended, the fourth is kept again
    hall.close()
    figures, stale = kept_days(db_path)[fourth]
    assert (figures["total"]["rated"], stale) == (before + 1, 0)
