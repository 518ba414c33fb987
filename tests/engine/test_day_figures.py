"""The day's kept figures always equal a recount from the tickets.

The screens read today's figures from the tables the triggers of migration 0014 keep
(``day_services``, ``day_counters``, ``day_clerks``, ``day_matters``, ``day_quarters``).
Random hall days — issue (for a service or a matter, green, wheelchair), call, recall,
serve, finish with every outcome, no-show and re-queue, transfer to a counter or a
service, park and resume, cancel, the corrections (green flag, the citizen's matter, the
citizen's rating), the day change and closing the day, and a restore of the hall on a
standby that then carries on — are replayed, and after every step each kept table is
compared with the same figures counted here from ``tickets`` with plain GROUP BYs; so is
every ended day's kept total (migration 0018) that no later change has made stale.

Then the migration: it fills the tables for the hall's latest day from its tickets.
"""

from __future__ import annotations

import math
import re
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from console.catalogue.generate import catalogue
from console.engine import FixedClock
from console.local import LocalHall
from console.reports.report import count_day, kept_day
from console.store.migrations import MIGRATIONS_DIR
from tests.conftest import ADMIN, MORNING, TZ, clerk
from tests.engine.test_stateful import CLERKS, MANAGER, HallMachine, refs

HANDLING = "CASE WHEN status = 'done' THEN finished_at - served_at - parked_s ELSE 0 END"
RECOUNTS = {
    "day_services": (
        "day, service_id",
        "count(*), count(green_reason), sum(status = 'waiting'),"
        " sum(status = 'waiting' AND green_reason IS NOT NULL), sum(status = 'done'),"
        f" total({HANDLING}),"
        " count(called_at) FILTER (WHERE green_reason IS NOT NULL),"
        " total(called_at - issued_at) FILTER (WHERE green_reason IS NOT NULL),"
        " count(called_at) FILTER (WHERE green_reason IS NULL),"
        " total(called_at - issued_at) FILTER (WHERE green_reason IS NULL)",
        "",
    ),
    "day_counters": (
        "day, counter_number",
        f"sum(status = 'done'), sum(status = 'no_show'), total({HANDLING}), max(finished_at)",
        "WHERE counter_number IS NOT NULL",
    ),
    "day_clerks": (
        "day, clerk_staff_no",
        f"sum(status = 'done'), sum(status = 'no_show'), total({HANDLING})",
        "WHERE clerk_staff_no IS NOT NULL",
    ),
    "day_matters": (
        "day, matter_id",
        "count(*), sum(status = 'waiting'), sum(status = 'done')",
        "WHERE matter_id IS NOT NULL",
    ),
}
MIGRATION = MIGRATIONS_DIR / "0014_day_figures.sql"
KEYS = {"day_services": 2, "day_counters": 2, "day_clerks": 2, "day_matters": 2,
        "day_quarters": 2}  # fmt: skip


def recount(conn: sqlite3.Connection) -> dict[str, dict[tuple, tuple]]:
    """Every kept table's rows as counted from ``tickets`` (all-zero rows left out)."""
    out: dict[str, dict[tuple, tuple]] = {}
    for table, (keys, figures, where) in RECOUNTS.items():
        rows = conn.execute(f"SELECT {keys}, {figures} FROM tickets {where} GROUP BY {keys}")
        out[table] = {tuple(r[:2]): tuple(r[2:]) for r in rows}
    quarters: dict[tuple, list] = {}
    for day, issued, called, finished, status in conn.execute(
        "SELECT day, issued_at, called_at, finished_at, status FROM tickets"
    ):
        quarters.setdefault((day, int(issued // 900)), [0, 0, 0, 0.0])[0] += 1
        if status == "done" and finished is not None:
            quarters.setdefault((day, int(finished // 900)), [0, 0, 0, 0.0])[1] += 1
        if called is not None:
            slot = quarters.setdefault((day, int(called // 900)), [0, 0, 0, 0.0])
            slot[2] += 1
            slot[3] += called - issued
    out["day_quarters"] = {k: tuple(v) for k, v in quarters.items()}
    return {table: _nonzero(rows) for table, rows in out.items()}


def kept(conn: sqlite3.Connection) -> dict[str, dict[tuple, tuple]]:
    out = {}
    for table, n in KEYS.items():
        rows = conn.execute(f"SELECT * FROM {table}").fetchall()
        out[table] = _nonzero({tuple(r[:n]): tuple(r[n:]) for r in rows})
    return out


def _nonzero(rows: dict[tuple, tuple]) -> dict[tuple, tuple]:
    """Rows with some figure: a kept row whose tickets all moved elsewhere stays, at zero."""
    return {
        k: v
        for k, v in rows.items()
        if any(x for i, x in enumerate(v) if not isinstance(x, float) or abs(x) > 1e-6)
    }


def differences(conn: sqlite3.Connection) -> list[str]:
    return compare(recount(conn), kept(conn))


def compare(want: dict[str, dict[tuple, tuple]], have: dict[str, dict[tuple, tuple]]) -> list[str]:
    """Rows that differ (sums of seconds to within a microsecond: they are added and taken
    away in another order than a recount adds them)."""
    problems = []
    for table in KEYS:
        for key in sorted(set(want[table]) | set(have[table]), key=str):
            a, b = want[table].get(key), have[table].get(key)
            if (
                a is None
                or b is None
                or len(a) != len(b)
                or not all(
                    x == y or (x is not None and y is not None and math.isclose(x, y, abs_tol=1e-6))
                    for x, y in zip(a, b, strict=True)
                )
            ):
                problems.append(f"{table} {key}: recounted {a}, kept {b}")
    return problems


class DayFiguresMachine(HallMachine):
    """The hall machine's random days, with matters, corrections and a standby's restore."""

    def __init__(self) -> None:
        super().__init__()
        self.h.import_matters(ADMIN, catalogue(["ID", "PP"], departments=2, matters=4))
        self.matters = [m.code for m in self.h.list_matters()]
        self.restores = 0

    @rule(which=st.integers(0, 3), green=st.booleans())
    def issue_for_a_matter(self, which, green):
        self.attempt(self.h.issue, ADMIN, matter=self.matters[which],
                     green_reason="pregnant" if green else None)  # fmt: skip

    @rule(ref=refs, which=st.integers(0, 3))
    def change_matter(self, ref, which):
        self.attempt(self.h.change_matter, CLERKS[1], ref, self.matters[which])

    @rule(ref=refs, rating=st.integers(1, 5))
    def citizen_rates(self, ref, rating):
        row = self.h.engine.conn.execute(
            "SELECT public_code FROM tickets WHERE day = ? AND number = ?",
            (self.clock.day(), ref),
        ).fetchone()
        if row is not None:
            self.attempt(self.h.rate_by_code, row[0], rating)

    @rule()
    def close_day(self):
        self.attempt(self.h.close_day, MANAGER)

    @rule(seconds=st.sampled_from([900, 3600]))
    def quarter_hours_pass(self, seconds):
        self.clock.advance(seconds)

    @rule()
    def restore_on_the_standby(self):
        """The primary is lost; the standby's copy (a consistent snapshot, as a replica is)
        becomes the hall, records the failover, and the day goes on there."""
        self.restores += 1
        standby = Path(self.dir.name) / f"standby-{self.restores}.db"
        target = sqlite3.connect(standby)
        self.h.engine.conn.backup(target)
        target.close()
        self.h.close()
        self.h = LocalHall(standby, clock=self.clock)
        self.h.engine.record_failover(gap=5, replica="file:///standby")
        for n in (1, 2, 3):
            self.attempt(self.h.open_counter, CLERKS[n], n)

    @invariant()
    def kept_figures_equal_a_recount(self):
        assert differences(self.h.engine.conn) == []

    @invariant()
    def ended_days_totals_equal_a_count(self):
        conn = self.h.engine.conn
        for (day,) in conn.execute("SELECT day FROM day_totals").fetchall():
            assert kept_day(conn, day) in (None, count_day(conn, day)), day


DayFiguresMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_kept_figures_equal_a_recount = DayFiguresMachine.TestCase


def test_the_migration_fills_the_latest_day_from_its_tickets(tmp_path: Path) -> None:
    """A hall upgraded mid-day: its tickets were written before the figures were kept."""
    clock = FixedClock(MORNING, TZ)
    hall = LocalHall(tmp_path / "hall.db", clock=clock, create=True)
    hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID", prefix="A")
    hall.add_counter(ADMIN, number=1, services=["ID"])
    hall.add_clerk(ADMIN, staff_no="1001", name="c1", pin="1234")
    one = clerk("1001")
    hall.open_counter(one, 1)
    for day in range(2):
        for _ in range(4):
            hall.issue(ADMIN, "ID", green_reason="elderly" if day else None)
            clock.advance(400)
        hall.call_next(one, 1)
        clock.advance(120)
        hall.finish(one, 1)
        hall.call_next(one, 1)
        hall.no_show(one, 1)
        clock.advance(86_400)
    conn = hall.engine.conn
    expected = kept(conn)
    latest = conn.execute("SELECT max(day) FROM tickets").fetchone()[0]
    with conn:
        for table in KEYS:
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", (MIGRATION.stem,))
        for kind, name in re.findall(r"CREATE (TABLE|TRIGGER|INDEX) (\w+)", MIGRATION.read_text()):
            conn.execute(f"DROP {kind} {name}")
    hall.close()
    hall = LocalHall(tmp_path / "hall.db", clock=clock, create=True)  # migrates again
    filled = kept(hall.engine.conn)
    assert compare({t: {k: v for k, v in rows.items() if k[0] == latest}
                    for t, rows in expected.items()}, filled) == []  # fmt: skip
    assert filled["day_services"]  # the latest day really had figures
    assert differences(hall.engine.conn) != []  # earlier days are not refilled ...
    hall.issue(ADMIN, "ID")
    assert kept(hall.engine.conn)["day_services"][(clock.day(), 1)][0] == 1  # ... today is kept
    hall.close()
