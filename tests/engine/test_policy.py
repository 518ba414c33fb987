"""The calling policy: directed first, then green channel, then tiers oldest first."""

from __future__ import annotations

import pytest

from tests.conftest import ADMIN, clerk

C1, C2, C3 = clerk("1001"), clerk("1002"), clerk("1003")


@pytest.fixture
def h(small_hall):
    for actor, number in ((C1, 1), (C2, 2), (C3, 3)):
        small_hall.open_counter(actor, number)
    return small_hall


def issue(h, clock, code, **kw):
    clock.advance(60)
    return h.issue(ADMIN, code, **kw).ticket.number


def calls(h, actor, counter, n):
    out = []
    for _ in range(n):
        out.append(h.call_next(actor, counter).number)
        h.finish(actor, counter)
    return out


def test_tiers_empty_the_first_service_first(h, clock):
    # Counter 1 serves ID, then PP (two tiers): the older PP ticket waits for ID to empty.
    issue(h, clock, "PP")
    issue(h, clock, "ID")
    issue(h, clock, "ID")
    assert calls(h, C1, 1, 3) == ["A001", "A002", "B001"]


def test_one_tier_is_oldest_first_across_services(h, clock):
    # Counter 3 serves PP+ID in one tier.
    issue(h, clock, "ID")
    issue(h, clock, "PP")
    issue(h, clock, "ID")
    assert calls(h, C3, 3, 3) == ["A001", "B001", "A002"]


def test_directed_then_green_then_the_rest(h, clock):
    issue(h, clock, "ID")  # A001
    issue(h, clock, "ID", green_reason="elderly")  # A002
    issue(h, clock, "ID")  # A003
    h.transfer(ADMIN, "A003", to_counter=1)
    assert calls(h, C1, 1, 3) == ["A003", "A002", "A001"]


def test_green_goes_first_across_tiers(h, clock):
    issue(h, clock, "ID")
    issue(h, clock, "PP", green_reason="pregnant")
    assert calls(h, C1, 1, 2) == ["B001", "A001"]


def test_anti_starvation_after_the_streak_limit(h, clock):
    h.set_setting(ADMIN, "green_streak_limit", 2)
    issue(h, clock, "ID")  # A001, normal, oldest
    for _ in range(5):
        issue(h, clock, "ID", green_reason="elderly")  # A002..A006
    assert calls(h, C1, 1, 4) == ["A002", "A003", "A001", "A004"]


def test_green_designated_only_queues_by_age_elsewhere(h, clock):
    h.set_setting(ADMIN, "green_designated_only", "true")
    issue(h, clock, "ID")
    issue(h, clock, "ID", green_reason="sick")
    issue(h, clock, "ID", green_reason="sick")
    assert calls(h, C1, 1, 1) == ["A001"]  # counter 1 is not a green-channel counter
    issue(h, clock, "ID")  # A004, normal
    assert calls(h, C3, 3, 1) == ["A002"]  # the green-channel counter still puts them first
    assert calls(h, C1, 1, 2) == ["A003", "A004"]  # elsewhere: by age, never stranded


def test_low_position_tickets_only_at_low_counters(h, clock):
    issue(h, clock, "ID", low_position=True)
    issue(h, clock, "ID")
    assert calls(h, C1, 1, 1) == ["A002"]
    from console.domain.errors import Refused

    with pytest.raises(Refused, match="nothing is waiting"):
        h.call_next(C1, 1)
    assert calls(h, C2, 2, 1) == ["A001"]


def test_the_queue_panel_lists_in_calling_order(h, clock):
    issue(h, clock, "PP")
    issue(h, clock, "ID")
    issue(h, clock, "ID", green_reason="urgent")
    view = h.counter_view(1)
    assert [t.number for t in view.next_tickets] == ["A002", "A001", "B001"]
    assert [s.code for s in view.services] == ["ID", "PP"]
    assert calls(h, C1, 1, 3) == ["A002", "A001", "B001"]


def test_call_a_specific_number(h, clock):
    issue(h, clock, "ID")
    issue(h, clock, "ID")
    from console.domain.errors import Refused

    assert h.call_number(C1, 1, "A002").number == "A002"
    h.finish(C1, 1)
    issue(h, clock, "PP")
    with pytest.raises(Refused, match="does not serve"):
        h.call_number(C2, 2, "B001")
    h.transfer(ADMIN, "A001", to_counter=3)
    with pytest.raises(Refused, match="sent to counter 3"):
        h.call_number(C1, 1, "A001")
