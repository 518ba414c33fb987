"""Every statement of a hall day is answered from an index, however long the history.

A hall with 30,000 finished tickets and their events (built as the engine writes
them, ``bench/make_history.py``) runs a scripted day through the service
interface: counters open, tickets are issued (with the wait estimate and a printed
slip; one at an appointment's check-in), called, recalled, served, finished,
parked and resumed, transferred, sent away as no-shows, cancelled and flagged
green; the desk, hall and floor views refresh; tickets are listed; the print
worker prints; the day's report and exports run; the next morning sweeps the day.
sqlite3's trace callback records every statement, with its parameters bound, on
every connection involved. Each distinct statement is then planned with
``EXPLAIN QUERY PLAN``: a full scan of ``tickets``, ``events``, ``commands`` or
``print_jobs``, or a temporary B-tree (a sort or a grouping) over one of them,
fails the test, because its cost would grow with the hall's history.

Two kinds of scan are bounded and allowed: a scan of a partial index (it holds only
live rows: waiting tickets, pending print jobs), and a scan with no WHERE clause
that reads rows in the order asked and stops at a LIMIT (the newest print jobs).

The desk, hall and floor views (and the estimate they include) must moreover cost the
same at the day's 30th ticket and its 25,000th: their statements may not read ``tickets``
through an index that holds every ticket of a day (one leading with the day or the issue
time, unless it holds only open tickets). They read the kept figures of migration 0014
instead, and the queues' partial indexes.

``test_a_dropped_index_is_caught`` drops an index and shows the check fails;
``test_a_view_reading_the_days_tickets_is_caught`` shows the views' rule at work.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bench.make_history import fill
from console.catalogue.generate import catalogue
from console.domain.errors import Refused
from console.engine import FixedClock
from console.local import LocalHall
from console.printing import process_pending
from console.printing_local import LocalJobs
from console.reports.dates import DayRange
from console.reports.db import open_readonly
from console.reports.export import ExportSpec, export
from console.reports.report import compute
from tests.conftest import ADMIN, MORNING, TZ, clerk

WATCHED = ("tickets", "events", "commands", "print_jobs")
HISTORY_TICKETS = 30_000
TODAY = "2026-11-26"
YESTERDAY = "2026-11-25"


def build_hall(path: Path, printed: Path) -> None:
    """History up to yesterday, then the hall's setup as an administrator makes it."""
    fill(path, HISTORY_TICKETS, per_day=1_000, before=date.fromisoformat(TODAY))
    hall = LocalHall(path, clock=FixedClock(MORNING, TZ))
    for n, services, extra in (
        (1, ["ID", "PP"], {}),
        (2, ["ID"], {"low_position": True}),
        (3, ["PP+ID"], {"green_channel": True}),
    ):
        hall.add_counter(ADMIN, number=n, services=services, **extra)
    for staff_no, role in (("1001", "clerk"), ("1002", "clerk"), ("1003", "clerk"),
                           ("9001", "manager")):  # fmt: skip
        hall.add_clerk(ADMIN, staff_no=staff_no, name=f"clerk {staff_no}", role=role, pin="1234")
    hall.add_session(ADMIN, name="day", opens="08:30", closes="17:30")
    hall.add_printer(ADMIN, name="reception", connection="file", address=str(printed))
    hall.import_matters(ADMIN, catalogue(["ID", "PP"], departments=3, matters=30))
    hall.close()


def hall_day(path: Path, tmp: Path, record: list[str], views: list[str]) -> None:
    """A morning at the hall, the day's report and exports, and the next morning's first call."""
    clock = FixedClock(MORNING, TZ)
    hall = LocalHall(path, clock=clock)

    def view(fn, *args) -> None:
        """Run one of the screens' views, noting the statements it ran."""
        start = len(record)
        fn(*args)
        views.extend(record[start:])

    hall.engine.conn.set_trace_callback(record.append)
    hall._watcher.set_trace_callback(record.append)
    one, two, three = clerk("1001"), clerk("1002"), clerk("1003")
    manager = clerk("9001", "manager")
    try:
        hall.login("1001", "1234", "station-1001")
        for number, who in ((1, one), (2, two), (3, three)):
            hall.open_counter(who, number, key=f"open-{number}")
        for i in range(6):
            hall.issue(ADMIN, "ID" if i % 2 else "PP", print_ticket=True, key=f"issue-{i}")
            clock.advance(30)
        hall.issue(ADMIN, "ID", print_ticket=True, key="issue-5")  # a retry: the recorded result
        green = hall.issue(ADMIN, "ID", green_reason="elderly").ticket
        hall.import_appointments(manager, [{"code": "AP-1", "service": "PP", "date": TODAY}])
        hall.check_in(ADMIN, "AP-1", print_ticket=True)
        hall.issue(ADMIN, "ID", low_position=True)  # a wheelchair ticket: the low-position rule
        # a one-stop hall's matters: reception's list, a matter's ticket, a changed matter
        matters = hall.list_matters()
        hall.list_departments()
        hall.get_matter(matters[0].code)
        by_matter = hall.issue(ADMIN, matter=matters[0].code).ticket
        hall.issue(ADMIN, matter=matters[1].code)
        hall.change_matter(ADMIN, by_matter.number, matters[2].code)
        view(hall.counter_view, 1)
        view(hall.hall_view)
        view(hall.floor_figures)

        # counter 1: call, recall, serve, finish with a receipt; then two no-shows
        hall.call_next(one, 1, key="call-1")
        clock.advance(20)
        hall.recall(one, 1)
        hall.serve(one, 1)
        clock.advance(300)
        hall.finish(one, 1, rating=5, print_receipt=True)
        hall.call_next(one, 1)
        hall.no_show(one, 1, requeue=True)
        hall.call_next(one, 1)
        hall.no_show(one, 1)

        # counter 2: serve, park, take the next, transfer it to counter 3, resume the parked one
        parked = hall.call_next(two, 2)
        hall.serve(two, 2)
        hall.park(two, 2)
        view(hall.counter_view, 2)
        moved = hall.call_next(two, 2)
        hall.transfer(two, moved.number, to_counter=3)
        hall.resume(two, 2, parked.number)
        hall.finish(two, 2, outcome="incomplete", materials=["照片"])

        # counter 3: the directed ticket, then a transfer to another service; call by number
        hall.call_next(three, 3)
        hall.serve(three, 3)
        hall.transfer(three, moved.number, to_service="ID")
        free = [t for t in hall.list_tickets(status="waiting") if t.directed_counter is None]
        hall.call_number(three, 3, free[0].number)
        served = hall.finish(three, 3)

        # citizens' phones: a ticket's page by its code, the open pages' shared pass, a rating
        code_sql = "SELECT public_code FROM tickets WHERE id = ?"
        codes = [hall.engine.conn.execute(code_sql, (t.id,)).fetchone()[0] for t in (served, moved)]
        hall.public_ticket(codes[1])
        hall.public_views([served.id, moved.id, parked.id], True)
        hall.public_views([moved.id], False)
        hall.rate_by_code(codes[0], 4, "快")

        # the floor manager: green channel, a cancel, a reprint; counters pause and resume
        waiting = hall.list_tickets(status="waiting")
        hall.flag_green(manager, waiting[0].number, "pregnant")
        hall.cancel(manager, waiting[-1].number)
        hall.request_print(manager, green.number, "ticket")
        hall.pause_counter(one, 1, "break")
        view(hall.counter_view, 1)
        hall.resume_counter(one, 1)
        hall.call_next(one, 1)
        hall.finish(one, 1)
        hall.close_counter(one, 1)
        hall.add_matter(ADMIN, code="NEW-1", name_zh="新事项", department="NEW", service="ID")
        hall.remove_matter(ADMIN, "NEW-1")
        hall.remove_matter(ADMIN, matters[2].code)

        # the print worker, as a station runs it
        jobs = LocalJobs(hall.path, clock, worker="test-station")
        jobs.conn.set_trace_callback(record.append)
        process_pending(jobs)
        jobs.close()
        hall.list_print_jobs()
        hall.list_print_jobs("failed")

        # look-ups and lists the screens and the CLI make
        hall.get_ticket("A001")
        hall.get_ticket(f"#{green.id}")
        hall.get_ticket(f"{YESTERDAY}/B007")
        hall.list_tickets()
        hall.list_tickets(status="done", limit=20)
        hall.list_tickets(day=YESTERDAY, limit=50)
        since = hall.last_event_id() - 10
        hall.changes_since(since)
        hall.wait_for_change(since, 0)
        for number in (1, 2, 3):
            view(hall.counter_view, number)
        view(hall.hall_view)
        view(hall.floor_figures)

        # the day's report and exports, on the reports' own read-only connection
        reader = open_readonly(path)
        reader.set_trace_callback(record.append)
        for day in (TODAY, YESTERDAY):
            days = DayRange(day, day)
            compute(reader, days, personal=True)
            for what in ("tickets", "events", "summary"):
                export(reader, ExportSpec(what, days, "csv", personal=True), str(tmp))
        reader.close()

        # the next morning: the first write sweeps yesterday, then the day goes on
        clock.advance(86_400)
        hall.issue(ADMIN, "ID")
        hall.open_counter(one, 1)
        hall.call_next(one, 1)
        with pytest.raises(Refused):
            hall.call_next(two, 2)
        hall.close_day(manager)
    finally:
        hall.close()


def aliases(sql: str) -> dict[str, str]:
    """Names a statement gives the watched tables ('t' for tickets), and the tables' own."""
    found = {table: table for table in WATCHED}
    for table, alias in re.findall(
        rf"\b({'|'.join(WATCHED)})\s+(?:AS\s+)?(?!NOT\b|JOIN\b|WHERE\b|ON\b|SET\b|ORDER\b|"
        r"GROUP\b|LEFT\b|VALUES\b|LIMIT\b)([a-z_]\w*)",
        sql,
        flags=re.IGNORECASE,
    ):
        found[alias] = table
    return found


def partial_indexes(conn: sqlite3.Connection) -> set[str]:
    return {
        name
        for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
        if sql and " WHERE " in sql.upper()
    }


def day_wide_indexes(conn: sqlite3.Connection) -> set[str]:
    """Indexes of ``tickets`` that hold every ticket of a day: led by the day or the issue
    time, and not limited to tickets of some status (open, waiting...)."""
    found = set()
    for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets'"
    ):
        first = conn.execute(f"PRAGMA index_info({name})").fetchone()[2]
        if first in ("day", "issued_at") and "status" not in (sql or "").split(" WHERE ")[-1]:
            found.add(name)
    return found


def view_problems(path: Path, statements: list[str]) -> list[str]:
    """Each statement of a view that reads a day's tickets, with the offending plan line."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    wide = day_wide_indexes(conn)
    problems = []
    for sql in sorted(set(statements)):
        if not re.match(r"\s*(SELECT|WITH)\b", sql, re.IGNORECASE):
            continue
        names = aliases(sql)
        for *_, detail in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall():
            words = detail.split()
            index = re.search(r"USING (?:COVERING )?INDEX (\w+)", detail)
            if (
                words[0] in ("SCAN", "SEARCH")
                and names.get(words[1]) == "tickets"
                and index
                and index.group(1) in wide
            ):
                problems.append(f"{detail}  <-  {sql}")
    conn.close()
    return problems


def plan_problems(path: Path, statements: list[str]) -> list[str]:
    """Each statement whose plan scans or sorts a watched table, with the offending plan line."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    partial = partial_indexes(conn)
    problems = []
    for sql in sorted(set(statements)):
        if not re.match(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", sql, re.IGNORECASE):
            continue
        names = aliases(sql)
        plan = conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        children: dict[int, list[str]] = {}
        for _, parent, _, detail in plan:
            children.setdefault(parent, []).append(detail)
        for _, parent, _, detail in plan:
            words = detail.split()
            if words[0] == "SCAN" and names.get(words[1]) in WATCHED:
                index = re.search(r"USING (?:COVERING )?INDEX (\w+)", detail)
                if index and index.group(1) in partial:
                    continue
                bounded = not re.search(r"\bWHERE\b", sql, re.IGNORECASE) and re.search(
                    r"\bLIMIT\b", sql, re.IGNORECASE
                )
                if bounded and not any("TEMP B-TREE" in d for d in children[parent]):
                    continue
                problems.append(f"{detail}  <-  {sql}")
            elif detail.startswith("USE TEMP B-TREE"):
                siblings = [d.split() for d in children[parent] if d.startswith(("SCAN", "SEARCH"))]
                if any(names.get(s[1]) in WATCHED for s in siblings):
                    problems.append(f"{detail}  <-  {sql}")
    conn.close()
    return problems


@pytest.fixture(scope="module")
def recorded_day(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, list[str], list[str]]]:
    tmp = tmp_path_factory.mktemp("history")
    path = tmp / "hall.db"
    build_hall(path, tmp / "printed.bin")
    statements: list[str] = []
    views: list[str] = []
    hall_day(path, tmp, statements, views)
    yield path, statements, views


def test_every_statement_of_a_hall_day_is_answered_from_an_index(recorded_day) -> None:
    path, statements, _ = recorded_day
    touched = {t for sql in statements for t in WATCHED if re.search(rf"\b{t}\b", sql)}
    assert touched == set(WATCHED)  # the day really read and wrote every watched table
    assert plan_problems(path, statements) == []


def test_no_view_reads_the_days_tickets(recorded_day) -> None:
    path, _, views = recorded_day
    assert any("day_services" in sql for sql in views)  # the views really ran
    assert view_problems(path, views) == []


def test_a_view_reading_the_days_tickets_is_caught(recorded_day) -> None:
    """The floor figures and the counter's own figures as they were counted before the
    figures were kept: each read every ticket of the day."""
    path, _, _ = recorded_day
    day = f"'{TODAY}'"
    recounts = [
        "SELECT issued_at, called_at, finished_at, status, counter_number FROM tickets"
        f" WHERE day = {day}",
        "SELECT count(*) FILTER (WHERE status = 'done') FROM tickets"
        f" WHERE day = {day} AND clerk_staff_no = '1001'",
        f"SELECT counter_number FROM tickets WHERE day = {day} AND status = 'done'",
    ]
    assert len(view_problems(path, recounts)) == len(recounts)


def test_a_dropped_index_is_caught(recorded_day, tmp_path: Path) -> None:
    path, statements, _ = recorded_day
    copy = tmp_path / "hall.db"
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy)
    conn.execute("DROP INDEX tickets_parked")
    conn.execute("DROP INDEX tickets_day_issued")
    conn.close()
    problems = plan_problems(copy, statements)
    assert any("status = 'parked'" in p for p in problems), problems
    assert any("ORDER BY t.issued_at" in p for p in problems), problems
