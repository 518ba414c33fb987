"""The day change: the first write of a service day, whatever it is, ends yesterday.

Every ticket still open from an earlier day (waiting, called, serving or parked)
is expired in its own committed step before the write runs, so a refused write
still turns the day, and no operation can call, resume or finish a ticket of an
earlier day — a ticket at a counter across midnight included.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from console.domain.errors import QConsoleError
from console.local import LocalHall
from tests.conftest import ADMIN, SharedClock, clerk

CLERK = clerk("1001")
MANAGER = clerk("9001", "manager")
YESTERDAY = "2026-11-26"

Op = Callable[[LocalHall], object]

OPERATIONS: dict[str, tuple[Op, bool]] = {
    # name: (the write, whether it succeeds on the new day)
    "finish": (lambda h: h.finish(CLERK, 1), False),
    "serve": (lambda h: h.serve(CLERK, 1), False),
    "recall": (lambda h: h.recall(CLERK, 1), False),
    "no-show --requeue": (lambda h: h.no_show(CLERK, 1, requeue=True), False),
    "park": (lambda h: h.park(CLERK, 1), False),
    "cancel": (lambda h: h.cancel(MANAGER, f"{YESTERDAY}/A002"), False),
    "transfer": (lambda h: h.transfer(MANAGER, f"{YESTERDAY}/A002", to_service="PP"), False),
    "green": (lambda h: h.flag_green(MANAGER, f"{YESTERDAY}/A002", "elderly"), False),
    "call a number": (lambda h: h.call_number(MANAGER, 2, f"{YESTERDAY}/A002"), False),
    "resume": (lambda h: h.resume(CLERK, 1, f"{YESTERDAY}/A003"), False),
    "call next": (lambda h: h.call_next(clerk("1002"), 2), False),
    "counters pause": (lambda h: h.pause_counter(CLERK, 1, "break"), True),
    "counters resume": (lambda h: h.resume_counter(CLERK, 1), False),
    "issue": (lambda h: h.issue(ADMIN, "ID"), True),
    "settings set": (lambda h: h.set_setting(ADMIN, "paused_alert_min", 20), True),
}


@pytest.fixture
def late_evening(small_hall: LocalHall, clock: SharedClock) -> LocalHall:
    """Yesterday at 23:59: A001 serving at counter 1, A002 waiting, A003 parked at counter 1,
    counters 1 and 2 open."""
    h = small_hall
    h.open_counter(CLERK, 1)
    h.open_counter(clerk("1002"), 2)
    for _ in range(3):
        h.issue(ADMIN, "ID")
    h.call_number(CLERK, 1, "A003")
    h.serve(CLERK, 1)
    h.park(CLERK, 1)
    h.call_number(CLERK, 1, "A001")
    h.serve(CLERK, 1)
    clock.t += 14.5 * 3600  # 09:30 -> 00:00 next day
    return h


def statuses(h: LocalHall, day: str) -> dict[str, str]:
    return {t.number: t.status for t in h.list_tickets(day=day)}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_every_write_on_a_new_day_ends_yesterday_first(late_evening: LocalHall, name: str) -> None:
    op, succeeds = OPERATIONS[name]
    if succeeds:
        op(late_evening)
    else:
        with pytest.raises(QConsoleError):
            op(late_evening)
    assert statuses(late_evening, YESTERDAY) == {
        "A001": "expired",
        "A002": "expired",
        "A003": "expired",
    }
    expired_by = {
        (e.kind, e.actor, e.station) for e in late_evening.changes_since(0) if e.kind == "expired"
    }
    assert expired_by == {("expired", "system", "day-change")}


def test_a_refused_write_keeps_the_day_change(late_evening: LocalHall) -> None:
    """The refusal rolls back only its own step: yesterday stays ended."""
    with pytest.raises(QConsoleError):
        late_evening.call_number(MANAGER, 2, f"{YESTERDAY}/A002")
    late_evening.close()
    again = LocalHall(late_evening.path)
    assert set(statuses(again, YESTERDAY).values()) == {"expired"}
    again.close()


def test_yesterdays_ticket_at_the_counter_is_not_finished_today(late_evening: LocalHall) -> None:
    """The citizen at the counter at midnight: the clerk's finish is refused, the ticket is
    recorded expired (never done), and the counter is free for today's first call."""
    with pytest.raises(QConsoleError, match="no current ticket"):
        late_evening.finish(CLERK, 1)
    assert late_evening.get_ticket(f"{YESTERDAY}/A001").status == "expired"
    today = late_evening.issue(ADMIN, "ID").ticket
    assert today.number == "A001" and today.day == "2026-11-27"
    assert late_evening.call_next(CLERK, 1).id == today.id


def test_views_show_today_only_before_any_write(late_evening: LocalHall) -> None:
    """At 00:00 with no write yet, the desk and floor already show an empty new day."""
    view = late_evening.counter_view(1)
    assert view.current is None and view.parked == []
    assert view.served_today == 0
    hall = late_evening.hall_view()
    assert hall.day == "2026-11-27"
    assert all(c.current is None for c in hall.counters)
    assert sum(s.waiting for s in hall.services) == 0


def test_numbering_starts_again_each_day(small_hall: LocalHall, clock: SharedClock) -> None:
    assert small_hall.issue(ADMIN, "ID").ticket.number == "A001"
    clock.t += 86400
    assert small_hall.issue(ADMIN, "ID").ticket.number == "A001"
