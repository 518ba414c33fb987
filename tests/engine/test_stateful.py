"""Random operations from several counters; the hall's invariants hold after every step.

Checked after each step: no ticket is held by two counters, no counter holds two
tickets, numbers are unique per day and prefix, a refused operation changes
nothing (but the day change it may start), no write leaves an earlier day's
ticket open, and replaying the event log gives exactly the stored tickets.
"""

from __future__ import annotations

import tempfile
from collections import Counter as Tally
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from console.domain import GREEN_REASONS, OUTCOMES
from console.domain.errors import QConsoleError
from console.engine import FixedClock
from console.engine.replay import replay_mismatches
from console.local import LocalHall
from tests.conftest import ADMIN, MORNING, TZ, clerk

COUNTERS = (1, 2, 3)
CLERKS = {n: clerk(f"100{n}") for n in COUNTERS}
MANAGER = clerk("9001", "manager")
refs = st.builds(lambda p, n: f"{p}{n:03d}", st.sampled_from("AB"), st.integers(1, 12))


class HallMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.clock = FixedClock(MORNING, TZ)
        h = LocalHall(Path(self.dir.name) / "hall.db", clock=self.clock, create=True)
        h.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID", prefix="A")
        h.add_service(ADMIN, code="PP", name_zh="护照", name_en="PP", prefix="B")
        h.add_counter(ADMIN, number=1, services=["ID", "PP"])
        h.add_counter(ADMIN, number=2, services=["ID"], low_position=True)
        h.add_counter(ADMIN, number=3, services=["PP+ID"], green_channel=True)
        for n in COUNTERS:
            h.add_clerk(ADMIN, staff_no=f"100{n}", name=f"c{n}", pin="1234")
            h.open_counter(CLERKS[n], n)
        self.h = h

    @initialize(greens=st.lists(st.booleans(), min_size=6, max_size=6))
    def a_morning_queue(self, greens):
        """Start each run with a queue and every counter busy, so steps reach deep states."""
        for i, green in enumerate(greens):
            self.h.issue(ADMIN, "ID" if i % 2 else "PP", green_reason="elderly" if green else None)
        for n in COUNTERS:
            self.h.call_next(CLERKS[n], n)

    def teardown(self) -> None:
        self.h.close()
        self.dir.cleanup()

    def attempt(self, fn, *args, **kwargs) -> None:
        """Run one operation; if it is refused, nothing but the day change may have changed.

        Either way, no ticket of an earlier day is left open after it."""
        before = self.h.last_event_id()
        try:
            fn(*args, **kwargs)
        except QConsoleError:
            written = self.h.engine.conn.execute(
                "SELECT kind, station FROM events WHERE id > ?", (before,)
            ).fetchall()
            assert all(tuple(w) == ("expired", "day-change") for w in written), (
                "a refused operation wrote something"
            )
        stale = self.h.engine.conn.execute(
            "SELECT number FROM tickets WHERE day < ?"
            " AND status IN ('waiting', 'called', 'serving', 'parked')",
            (self.clock.day(),),
        ).fetchall()
        assert stale == [], "a ticket of an earlier day is still open after a write"

    @rule(
        code=st.sampled_from(["ID", "PP"]),
        green=st.none() | st.sampled_from(GREEN_REASONS),
        low=st.booleans(),
    )
    def issue(self, code, green, low):
        self.attempt(self.h.issue, ADMIN, code, green_reason=green, low_position=low)

    @rule(counter=st.sampled_from(COUNTERS))
    def call_next(self, counter):
        self.attempt(self.h.call_next, CLERKS[counter], counter)

    @rule(counter=st.sampled_from(COUNTERS), ref=refs)
    def call_number(self, counter, ref):
        self.attempt(self.h.call_number, CLERKS[counter], counter, ref)

    @rule(
        counter=st.sampled_from(COUNTERS),
        op=st.sampled_from(["recall", "serve", "park", "no_show", "requeue"]),
    )
    def desk(self, counter, op):
        actor = CLERKS[counter]
        if op == "requeue":
            self.attempt(self.h.no_show, actor, counter, requeue=True)
        else:
            self.attempt(getattr(self.h, op), actor, counter)

    @rule(
        counter=st.sampled_from(COUNTERS),
        outcome=st.sampled_from(OUTCOMES),
        rating=st.none() | st.integers(1, 5),
    )
    def finish(self, counter, outcome, rating):
        materials = ["户口簿"] if outcome == "incomplete" else []
        self.attempt(
            self.h.finish,
            CLERKS[counter],
            counter,
            outcome=outcome,
            materials=materials,
            rating=rating,
        )

    @rule(counter=st.sampled_from(COUNTERS), ref=refs)
    def resume(self, counter, ref):
        self.attempt(self.h.resume, CLERKS[counter], counter, ref)

    @rule(
        ref=refs,
        to_counter=st.none() | st.sampled_from(COUNTERS),
        actor=st.sampled_from([MANAGER, *CLERKS.values()]),
    )
    def transfer(self, ref, to_counter, actor):
        if to_counter is None:
            self.attempt(self.h.transfer, actor, ref, to_service="PP")
        else:
            self.attempt(self.h.transfer, actor, ref, to_counter=to_counter)

    @rule(ref=refs, actor=st.sampled_from([MANAGER, CLERKS[1]]))
    def cancel(self, ref, actor):
        self.attempt(self.h.cancel, actor, ref)

    @rule(ref=refs, reason=st.sampled_from(GREEN_REASONS))
    def flag_green(self, ref, reason):
        self.attempt(self.h.flag_green, CLERKS[1], ref, reason)

    @rule(counter=st.sampled_from(COUNTERS), pause=st.booleans())
    def pause_or_resume(self, counter, pause):
        if pause:
            self.attempt(self.h.pause_counter, CLERKS[counter], counter, "break")
        else:
            self.attempt(self.h.resume_counter, CLERKS[counter], counter)

    @rule(seconds=st.sampled_from([5, 60, 600, 5, 60, 600, 86400]))
    def time_passes(self, seconds):
        self.clock.advance(seconds)

    @invariant()
    def one_counter_per_ticket_and_one_ticket_per_counter(self):
        rows = self.h.engine.conn.execute(
            "SELECT counter_number FROM tickets WHERE status IN ('called', 'serving')"
        ).fetchall()
        held = Tally(r[0] for r in rows)
        assert all(n == 1 for n in held.values()), held
        assert all(r[0] is not None for r in rows)

    @invariant()
    def numbers_unique_per_day_and_prefix(self):
        rows = self.h.engine.conn.execute("SELECT day, number FROM tickets").fetchall()
        keys = [(r[0], r[1]) for r in rows]
        assert len(keys) == len(set(keys))

    @invariant()
    def the_log_replays_to_the_table(self):
        assert replay_mismatches(self.h.engine.conn) == []


HallMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_hall_invariants = HallMachine.TestCase
