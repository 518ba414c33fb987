"""Fair routing: wheelchair tickets at the low-position counter, and the green-channel credit.

In the small hall counter 2 is the low-position counter and serves ID only; PP is served
at counters 1 and 3, neither low-position.
"""

from __future__ import annotations

import pytest

from console.alerts import hall_alerts
from console.domain.errors import Refused
from tests.conftest import ADMIN, clerk

C1, C2, C3 = clerk("1001"), clerk("1002"), clerk("1003")


@pytest.fixture
def h(small_hall):
    for actor, number in ((C1, 1), (C2, 2), (C3, 3)):
        small_hall.open_counter(actor, number)
    return small_hall


def issue(h, clock, code, minutes=1, **kw):
    clock.advance(minutes * 60)
    return h.issue(ADMIN, code, **kw).ticket.number


def calls(h, actor, counter, n):
    out = []
    for _ in range(n):
        out.append(h.call_next(actor, counter).number)
        h.finish(actor, counter)
    return out


def test_a_wheelchair_ticket_no_low_counter_serves_is_refused_with_a_reason(h):
    with pytest.raises(Refused, match="no low-position counter serves PP"):
        h.issue(ADMIN, "PP", low_position=True)
    assert h.list_tickets() == []  # nothing half-issued
    assert h.issue(ADMIN, "ID", low_position=True).ticket.low_position


def test_the_refusal_follows_the_counters_services(h):
    h.edit_counter(ADMIN, 2, services=["ID", "PP"])
    assert h.issue(ADMIN, "PP", low_position=True).ticket.number == "B001"


def test_a_wheelchair_ticket_goes_first_at_the_low_counter(h, clock):
    issue(h, clock, "ID")  # A001, waiting longer
    issue(h, clock, "ID")  # A002
    issue(h, clock, "ID", low_position=True)  # A003
    assert calls(h, C2, 2, 1) == ["A003"]
    assert calls(h, C2, 2, 2) == ["A001", "A002"]


def test_a_transfer_to_the_low_counter_still_comes_first(h, clock):
    issue(h, clock, "ID", low_position=True)  # A001
    issue(h, clock, "ID")  # A002
    h.transfer(ADMIN, "A002", to_counter=2)
    assert calls(h, C2, 2, 2) == ["A002", "A001"]


def test_the_floor_alerts_on_a_wheelchair_ticket_over_target(h, clock):
    h.edit_service(ADMIN, "ID", target_wait_min=20)
    number = issue(h, clock, "ID", low_position=True)
    h.call_next(C2, 2)  # the low counter is busy with it... then another arrives
    h.finish(C2, 2)
    assert number == "A001"
    waiting = issue(h, clock, "ID", low_position=True)
    clock.advance(19 * 60)
    assert [a for a in hall_alerts(h.hall_view(), clock.now()) if a.kind == "low_position"] == []
    clock.advance(2 * 60)
    [alert] = [a for a in hall_alerts(h.hall_view(), clock.now()) if a.kind == "low_position"]
    assert (alert.ticket, alert.service, alert.minutes, alert.detail) == (waiting, "ID", 21, "20")


def test_green_tickets_overtake_only_within_their_credit(h, clock):
    h.set_setting(ADMIN, "green_credit_min", 5)
    issue(h, clock, "PP")  # B001
    issue(h, clock, "PP", minutes=6, green_reason="elderly")  # B002: 6 min later
    issue(h, clock, "PP", minutes=1)  # B003: 1 min after the green one
    # B002 counts as queued 5 min earlier: after B001 (6 min older), before B003.
    assert calls(h, C1, 1, 3) == ["B001", "B002", "B003"]


def test_a_larger_credit_puts_green_first(h, clock):
    h.set_setting(ADMIN, "green_credit_min", 30)
    issue(h, clock, "PP")
    issue(h, clock, "PP", minutes=6, green_reason="elderly")
    assert calls(h, C1, 1, 2) == ["B002", "B001"]


def test_the_estimate_counts_the_shared_counters_work(h, clock):
    # ID and PP share counters 1 and 3 (counter 2 serves ID only): a PP ticket waits
    # behind the ID tickets at its counters too, not only behind other PP tickets.
    for _ in range(6):
        issue(h, clock, "ID", minutes=0)
    result = h.issue(ADMIN, "PP")
    assert result.ahead == 0  # nobody of its own queue: "ahead" means the PP queue
    assert result.estimated_wait_min >= 10  # the wait counts the ID tickets at its counters


def test_other_services_at_a_shared_tier_delay_only_the_counter_that_shares_it(h, clock):
    # Counters 1 and 2 call ID first; counter 3 calls PP and ID oldest first. With every
    # counter busy and six PP tickets waiting, a new ID ticket is called when counter 1
    # or 2 finishes (5 min each, so about 2.5): the PP queue holds up counter 3 alone.
    # Counted as work for all three counters it made the slip say (6 × 10 + 5) ÷ 3 ≈ 22.
    for number, actor in ((1, C1), (2, C2), (3, C3)):
        issue(h, clock, "ID", minutes=0)
        h.call_next(actor, number)
    for _ in range(6):
        issue(h, clock, "PP", minutes=0)
    result = h.issue(ADMIN, "ID")
    assert result.ahead == 0
    assert result.estimated_wait_min == 3  # 5 min ÷ counters 1 and 2, rounded


def test_the_desk_shows_the_estimate_a_new_ticket_would_get(h, clock):
    for _ in range(4):
        issue(h, clock, "PP", minutes=0)
    view = h.counter_view(1)
    panel = {s.code: s.estimated_wait_min for s in view.services}
    assert panel["PP"] == h.issue(ADMIN, "PP").estimated_wait_min


def test_a_paused_counter_counts_half_in_the_estimate(h, clock):
    # No history: ID takes its configured 5 minutes; counters 1, 2 and 3 serve it.
    for _ in range(6):
        issue(h, clock, "ID", minutes=0)
    assert h.counter_view(1).services[0].estimated_wait_min == 12  # (6 + 1) × 5 ÷ 3
    h.pause_counter(C3, 3, "break")
    assert h.counter_view(1).services[0].estimated_wait_min == 14  # (6 + 1) × 5 ÷ 2.5


def test_ahead_is_the_tickets_of_its_own_queue_called_before_it(h, clock):
    # ID and PP share counters 1 and 3: the PP ticket's slip, page and the queue's waiting
    # count say one number, its own queue's; the ID tickets lengthen only the wait
    for code in ("ID", "PP", "ID", "PP", "ID"):
        issue(h, clock, code)
    green = issue(h, clock, "PP", green_reason="elderly")  # called first: ahead of the next
    waiting = next(s.waiting for s in h.hall_view().services if s.code == "PP")
    result = h.issue(ADMIN, "PP")
    assert result.ahead == waiting == 3
    page = h.public_views([result.ticket.id], True)[result.ticket.id]
    assert page["ahead"] == 3
    assert h.get_ticket(green).green


def test_a_wheelchair_ticket_while_the_low_counter_is_closed_promises_no_minutes(h, clock):
    from console.engine.slips import build_slip
    from printers.render import text_lines

    issue(h, clock, "ID")
    h.close_counter(C2, 2)  # the one low-position counter
    result = h.issue(ADMIN, "ID", low_position=True)
    assert (result.ahead, result.estimated_wait_min) == (0, None)
    page = h.public_views([result.ticket.id], True)[result.ticket.id]
    assert page["wait_min"] is None
    slip = "\n".join(text_lines(build_slip(h.engine.conn, h.clock, result.ticket.id, "ticket")))
    assert "低位窗口开放" in slip and "min" not in slip.split("低位")[0].splitlines()[-1]
    h.open_counter(C2, 2)
    assert h.issue(ADMIN, "ID", low_position=True).estimated_wait_min is not None


def test_a_counter_that_calls_another_service_first_gives_only_the_time_it_leaves(
    small_hall, clock
):
    """Tiers: counter 1 calls ID before PP and has spent the past hour on ID; counter 3
    calls PP first. A PP ticket is called at the pace of counter 3, not of two counters."""
    h = small_hall
    h.edit_counter(ADMIN, 3, services=["PP", "ID"])
    h.open_counter(C1, 1)
    for _ in range(6):  # an hour of ID at counter 1, ten minutes each
        h.issue(ADMIN, "ID")
        h.call_next(C1, 1)
        h.serve(C1, 1)
        clock.advance(600)
        h.finish(C1, 1)
    h.open_counter(C3, 3)
    for _ in range(3):
        h.issue(ADMIN, "ID")
    h.call_next(C1, 1)  # counter 1 takes the next ID; two more wait for it
    h.call_next(C3, 3)  # counter 3 has no PP yet: it helps with ID
    for _ in range(6):
        h.issue(ADMIN, "PP")
    # counter 3 alone: the PP ticket waits for six PP tickets and the desk's ticket (10 min
    # each); two counters would have halved that
    assert h.issue(ADMIN, "PP").estimated_wait_min >= 60
