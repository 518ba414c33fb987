"""Which changes a desk re-reads its view for at once, decided from the event alone, on the
real events the engine writes."""

from __future__ import annotations

import pytest

from console.domain.desk_changes import concerns_desk
from tests.conftest import ADMIN, clerk

ONE, TWO = clerk("1001"), clerk("1002")


@pytest.fixture
def hall(small_hall):
    """Counters 1 and 2 open; the ID queue long enough that desk 1's list of 3 is full."""
    small_hall.open_counter(ONE, 1)
    small_hall.open_counter(TWO, 2)
    for _ in range(5):
        small_hall.issue(ADMIN, "ID")
    return small_hall


def newest(hall):
    [event] = hall.changes_since(hall.last_event_id() - 1)
    return event


def ids(hall, *codes: str) -> list[int]:
    return [s.id for s in hall.list_services() if s.code in codes]


def test_its_own_counter_and_the_tickets_it_shows_concern_a_desk(hall) -> None:
    view = hall.counter_view(1, upcoming=3)
    mine = ids(hall, *(s.code for s in view.services))
    hall.call_next(TWO, 2)  # another counter calls the first ticket desk 1 lists
    assert concerns_desk(newest(hall), view, 1, mine, shown=3)
    hall.pause_counter(ONE, 1, "break")
    assert concerns_desk(newest(hall), view, 1, mine, shown=3)


def test_a_ticket_behind_a_full_list_or_elsewhere_does_not(hall) -> None:
    view = hall.counter_view(1, upcoming=3)
    mine = ids(hall, *(s.code for s in view.services))
    hall.issue(ADMIN, "ID")  # behind the three it shows: only its queue's count changes
    assert not concerns_desk(newest(hall), view, 1, mine, shown=3)
    assert concerns_desk(newest(hall), view, 1, mine, shown=10)  # a short list shows it
    hall.issue(ADMIN, "ID", green_reason="elderly")  # green goes to the front
    assert concerns_desk(newest(hall), view, 1, mine, shown=3)
    ticket = hall.call_next(TWO, 2)
    hall.finish(TWO, 2)  # another counter's finish
    assert not concerns_desk(newest(hall), view, 1, mine, shown=3)
    assert ticket is not None


def test_the_halls_setup_concerns_every_desk(hall) -> None:
    view = hall.counter_view(1, upcoming=3)
    hall.set_setting(ADMIN, "green_credit_min", 15)
    assert concerns_desk(newest(hall), view, 1, [], shown=3)
