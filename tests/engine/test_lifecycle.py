"""Every ticket transition, and every refusal a clerk can run into."""

from __future__ import annotations

import pytest

from console.domain.errors import AuthError, BadInput, NotFound, Refused
from console.engine.replay import replay_mismatches
from tests.conftest import ADMIN, clerk

C1, C2, C3 = clerk("1001"), clerk("1002"), clerk("1003")
MANAGER = clerk("9001", "manager")


@pytest.fixture
def h(small_hall):
    for actor, number in ((C1, 1), (C2, 2), (C3, 3)):
        small_hall.open_counter(actor, number)
    return small_hall


def status(h, number):
    return h.get_ticket(number).status


def test_issue_numbers_per_prefix_and_day(h, clock):
    numbers = [h.issue(ADMIN, code).ticket.number for code in ("ID", "ID", "PP", "ID")]
    assert numbers == ["A001", "A002", "B001", "A003"]
    clock.advance(86400)
    assert h.issue(ADMIN, "ID").ticket.number == "A001"


def test_issue_unknown_or_inactive_service(h):
    with pytest.raises(NotFound, match="no service 'XX'"):
        h.issue(ADMIN, "XX")
    h.issue(ADMIN, "PP")
    h.edit_service(ADMIN, "PP", active=False)
    with pytest.raises(Refused, match="not offered"):
        h.issue(ADMIN, "PP")


def test_issue_only_inside_an_open_session(h, clock):
    h.add_session(ADMIN, name="day", opens="08:30", closes="17:30", weekdays="12345")
    assert h.issue(ADMIN, "ID").ticket.session_id is not None
    clock.advance(9 * 3600)  # 18:30
    with pytest.raises(Refused, match="closed.*next opens 2026-11-27 08:30 day"):
        h.issue(ADMIN, "ID")
    h.add_session(ADMIN, name="night", opens="18:00", closes="21:00", date="2026-11-26")
    night = h.issue(ADMIN, "ID").ticket
    assert night.session_id == next(s.id for s in h.list_sessions() if s.name == "night")


def test_call_serve_done_and_the_event_trail(h):
    h.issue(ADMIN, "ID")
    t = h.call_next(C1, 1)
    assert (t.number, t.status, t.counter_number, t.clerk_staff_no) == ("A001", "called", 1, "1001")
    assert h.serve(C1, 1).status == "serving"
    done = h.finish(C1, 1, outcome="done", rating=5, note="ok")
    assert (done.status, done.outcome, done.rating) == ("done", "done", 5)
    kinds = [e.kind for e in h.changes_since(0) if e.ticket_id == done.id]
    assert kinds == ["issued", "called", "serving", "finished"]
    assert all(
        e.actor == "1001" and e.station == "station-1001"
        for e in h.changes_since(0)
        if e.ticket_id == done.id and e.kind != "issued"
    )
    assert replay_mismatches(h.engine.conn) == []


def test_finish_directly_after_call_counts_service_from_now(h, clock):
    h.issue(ADMIN, "ID")
    h.call_next(C1, 1)
    clock.advance(120)
    t = h.finish(C1, 1)
    assert t.served_at == t.finished_at == clock.now()


def test_materials_incomplete_needs_the_list(h):
    h.issue(ADMIN, "ID")
    h.call_next(C1, 1)
    with pytest.raises(BadInput, match="list what"):
        h.finish(C1, 1, outcome="incomplete")
    with pytest.raises(BadInput, match="incomplete' only"):
        h.finish(C1, 1, outcome="done", materials=["户口簿"])
    with pytest.raises(BadInput, match="outcome is one of"):
        h.finish(C1, 1, outcome="great")
    with pytest.raises(BadInput, match="1 to 5"):
        h.finish(C1, 1, rating=6)
    t = h.finish(C1, 1, outcome="incomplete", materials=["户口簿", "一寸照片"])
    assert t.materials == ["户口簿", "一寸照片"]


def test_recall_counts_and_only_while_called(h):
    h.issue(ADMIN, "ID")
    h.call_next(C1, 1)
    assert h.recall(C1, 1).recall_count == 1
    assert h.recall(C1, 1).recall_count == 2
    h.serve(C1, 1)
    with pytest.raises(Refused, match="A001 is serving: cannot recall"):
        h.recall(C1, 1)


def test_refusals_with_no_current_ticket(h):
    for op in (h.recall, h.serve, h.park):
        with pytest.raises(Refused, match="counter 1 has no current ticket"):
            op(C1, 1)
    with pytest.raises(Refused, match="no current ticket"):
        h.finish(C1, 1)
    with pytest.raises(Refused, match="no current ticket"):
        h.no_show(C1, 1)


def test_nothing_waiting_and_one_ticket_at_a_time(h):
    with pytest.raises(Refused, match="nothing is waiting for counter 1"):
        h.call_next(C1, 1)
    h.issue(ADMIN, "ID")
    h.issue(ADMIN, "ID")
    h.call_next(C1, 1)
    with pytest.raises(Refused, match="counter 1 still has A001"):
        h.call_next(C1, 1)


def test_no_show_closes_or_requeues_at_the_back(h, clock):
    h.issue(ADMIN, "ID")
    clock.advance(60)
    h.issue(ADMIN, "ID")
    h.call_next(C1, 1)
    clock.advance(60)
    t = h.no_show(C1, 1, requeue=True)
    assert (t.status, t.counter_number, t.queued_at) == ("waiting", None, clock.now())
    assert h.call_next(C1, 1).number == "A002"
    assert h.no_show(C1, 1).status == "no_show"
    with pytest.raises(Refused, match="A002 is no-show: cannot"):
        h.cancel(MANAGER, "A002")


def test_transfer_to_service_keeps_the_place_in_the_queue(h, clock):
    a = h.issue(ADMIN, "ID").ticket
    clock.advance(300)
    h.issue(ADMIN, "PP")
    h.call_next(C1, 1)  # A001 (ID before PP at counter 1)
    t = h.transfer(C1, "A001", to_service="PP")
    assert (t.status, t.service_code, t.queued_at, t.transferred) == (
        "waiting",
        "PP",
        a.queued_at,
        True,
    )
    # Older than B001, so counter 3 (PP+ID in one tier) takes it first.
    assert h.call_next(C3, 3).number == "A001"


def test_transfer_to_a_counter_is_called_there_first(h, clock):
    h.issue(ADMIN, "ID")
    clock.advance(60)
    h.issue(ADMIN, "ID")
    h.call_next(C2, 2)
    h.transfer(C2, "A001", to_counter=1)
    assert h.call_next(C3, 3).number == "A002"  # directed tickets are for counter 1 only
    assert h.call_next(C1, 1).number == "A001"


def test_transfer_arguments_and_rights(h):
    h.issue(ADMIN, "ID")
    with pytest.raises(BadInput, match="one of them"):
        h.transfer(MANAGER, "A001")
    with pytest.raises(BadInput, match="one of them"):
        h.transfer(MANAGER, "A001", to_service="PP", to_counter=2)
    with pytest.raises(AuthError, match="manager role unless it is at your counter"):
        h.transfer(C1, "A001", to_service="PP")
    assert h.transfer(MANAGER, "A001", to_counter=2).directed_counter == 2


def test_park_and_resume_at_the_same_counter(h):
    h.issue(ADMIN, "ID")
    h.issue(ADMIN, "ID")
    h.call_next(C1, 1)
    h.serve(C1, 1)
    assert h.park(C1, 1).status == "parked"
    assert h.call_next(C1, 1).number == "A002"  # the desk is free while A001 retakes a photo
    with pytest.raises(Refused, match="still has A002"):
        h.resume(C1, 1, "A001")
    h.finish(C1, 1)
    with pytest.raises(Refused, match="parked at counter 1, not 2"):
        h.resume(C2, 2, "A001")
    t = h.resume(C1, 1, "A001")
    assert (t.status, t.counter_number) == ("serving", 1)
    with pytest.raises(Refused, match="A001 is serving: cannot resume"):
        h.resume(C1, 1, "A001")


def test_park_keeps_its_reason_and_handling_time_leaves_out_the_time_parked(h, clock):
    h.issue(ADMIN, "ID")
    h.call_next(C1, 1)
    h.serve(C1, 1)
    clock.advance(120)  # two minutes of service
    parked = h.park(C1, 1, reason="photo retake")
    assert (parked.park_reason, parked.handling_s(clock.now())) == ("photo retake", 120)
    clock.advance(900)  # fifteen minutes at the photo booth
    assert h.get_ticket("A001").handling_s(clock.now()) == 120  # the timer stands still
    h.resume(C1, 1, "A001")
    clock.advance(180)
    done = h.finish(C1, 1)
    assert done.handling_s(clock.now()) == 300
    assert h.counter_view(1).avg_handling_s == 300
    assert replay_mismatches(h.engine.conn) == []


def test_cancel_rights(h):
    h.issue(ADMIN, "ID")
    h.issue(ADMIN, "ID")
    with pytest.raises(AuthError):
        h.cancel(C1, "A001")  # waiting: only a manager cancels
    assert h.cancel(MANAGER, "A001").status == "cancelled"
    h.call_next(C1, 1)
    assert h.cancel(C1, "A002").status == "cancelled"  # at my own counter
    with pytest.raises(Refused, match="cancelled: cannot cancel"):
        h.cancel(MANAGER, "A002")


def test_flag_green_moves_it_ahead(h, clock):
    h.issue(ADMIN, "ID")
    clock.advance(60)
    h.issue(ADMIN, "ID")
    with pytest.raises(BadInput, match="green-channel reason is one of"):
        h.flag_green(C1, "A002", "vip")
    t = h.flag_green(C1, "A002", "pregnant", "孕妇")
    assert (t.green_reason, t.green_note) == ("pregnant", "孕妇")
    assert h.call_next(C1, 1).number == "A002"


def test_ticket_references(h):
    t = h.issue(ADMIN, "ID").ticket
    assert h.get_ticket("a001").id == t.id
    assert h.get_ticket(f"#{t.id}").number == "A001"
    assert h.get_ticket("2026-11-26/A001").id == t.id
    for bad in ("A-1", "#x", "", "A"):
        with pytest.raises(BadInput):
            h.get_ticket(bad)
    with pytest.raises(NotFound, match="no ticket A999 today"):
        h.get_ticket("A999")


def test_counter_open_pause_close(h, clock):
    with pytest.raises(Refused, match="counter 2 is open for 1002"):
        h.open_counter(C1, 2)
    h.close_counter(C2, 2)
    with pytest.raises(Refused, match="1001 has counter 1 open"):
        h.open_counter(C1, 2)
    h.issue(ADMIN, "ID")
    h.pause_counter(C1, 1, "午休")
    with pytest.raises(Refused, match="paused \\(午休\\)"):
        h.call_next(C1, 1)
    h.resume_counter(C1, 1)
    h.call_next(C1, 1)
    with pytest.raises(Refused, match="still has A001"):
        h.close_counter(C1, 1)
    h.finish(C1, 1)
    closed = h.close_counter(C1, 1)
    assert (closed.state, closed.clerk_staff_no) == ("closed", None)
    with pytest.raises(Refused, match="counter 1 is closed"):
        h.call_next(C1, 1)


def test_a_clerk_cannot_work_another_clerks_counter(h):
    h.issue(ADMIN, "ID")
    with pytest.raises(AuthError, match="run by 1002"):
        h.call_next(C1, 2)
    assert h.call_next(MANAGER, 2).number == "A001"  # a manager may


def test_day_end_expires_open_tickets(h, clock):
    h.issue(ADMIN, "ID")
    h.issue(ADMIN, "ID")
    h.call_next(C1, 1)
    clock.advance(86400)
    h.issue(ADMIN, "PP")  # the first write of a new day ends yesterday's open tickets
    assert [t.status for t in h.list_tickets(day="2026-11-26")] == ["expired", "expired"]
    assert h.counter_view(1).current is None
    assert h.close_day(MANAGER) == 1
    assert h.list_tickets(day="2026-11-27")[0].status == "expired"
    with pytest.raises(AuthError):
        h.close_day(C1)
    assert replay_mismatches(h.engine.conn) == []


def test_idempotent_keys_return_the_first_result(h):
    h.issue(ADMIN, "ID")
    h.issue(ADMIN, "ID")
    first = h.call_next(C1, 1, key="k-1")
    again = h.call_next(C1, 1, key="k-1")
    assert first == again
    assert [t.status for t in h.list_tickets()] == ["called", "waiting"]
    issued = h.issue(ADMIN, "PP", key="k-2")
    assert h.issue(ADMIN, "PP", key="k-2") == issued
    assert len(h.list_tickets()) == 3
    with pytest.raises(BadInput, match="already used for issue"):
        h.close_day(ADMIN, key="k-2")
    # keys are scoped by who acts: the clerk's k-2 is a command of its own
    assert h.recall(C1, 1, key="k-2").number == first.number


def test_wait_estimate_uses_history_and_open_counters(h, clock):
    # No history: the service's typical 5 minutes; ID is served at counters 1, 2 and 3:
    # the sixth waits for 5 ahead and for a counter to come free, on 3 counters.
    for _ in range(6):
        r = h.issue(ADMIN, "ID")
    assert (r.ahead, r.estimated_wait_min) == (5, 10)  # (5 + 1) × 5 min ÷ 3
    for _ in range(3):  # three served in 2 minutes each
        h.call_next(C1, 1)
        h.serve(C1, 1)
        clock.advance(120)
        h.finish(C1, 1)
    r = h.issue(ADMIN, "ID")
    assert (r.ahead, r.estimated_wait_min) == (3, 3)  # (3 + 1) × 2 min ÷ 3
    green = h.issue(ADMIN, "ID", green_reason="elderly")
    # Nobody is ahead of it within its 20-minute credit, and a counter is free.
    assert (green.ahead, green.estimated_wait_min) == (0, 0)


def test_login_pins_and_lockout(h, clock):
    assert h.login("1001", "1234", "desk-1").role == "clerk"
    for _ in range(4):
        with pytest.raises(AuthError, match="unknown staff number or wrong PIN"):
            h.login("1001", "0000", "desk-1")
    with pytest.raises(AuthError, match="now locked for 15 min"):
        h.login("1001", "0000", "desk-1")
    with pytest.raises(AuthError, match="locked"):
        h.login("1001", "1234", "desk-1")  # even the right PIN, while locked
    kinds = [e.kind for e in h.changes_since(0)]
    assert kinds.count("login.failed") == 4 and "clerk.locked" in kinds
    clock.advance(16 * 60)
    assert h.login("1001", "1234", "desk-1").staff_no == "1001"
    with pytest.raises(AuthError):
        h.login("nobody", "1234", "desk-1")


def test_a_manager_opens_counters_for_clerks_to_take(small_hall):
    h = small_hall
    for number in (1, 2, 3):
        opened = h.open_counter(MANAGER, number, take=False)
        assert (opened.state, opened.clerk_staff_no) == ("open", None)
    taken = h.open_counter(C1, 1)
    assert taken.clerk_staff_no == "1001"
    assert h.open_counter(MANAGER, 1, take=False).clerk_staff_no == "1001"  # not taken away


def test_transfer_to_a_closed_counter_is_refused_with_a_sentence(h):
    h.issue(ADMIN, "ID")
    h.close_counter(C2, 2)
    with pytest.raises(Refused, match="counter 2 is closed: nobody would call") as refused:
        h.transfer(MANAGER, "A001", to_counter=2)
    assert refused.value.reason == "transfer.counter_closed"
    assert (
        h.get_ticket("A001").status == "waiting" and h.get_ticket("A001").directed_counter is None
    )
    h.pause_counter(C3, 3, "meeting")  # a paused counter comes back: it takes the ticket
    assert h.transfer(MANAGER, "A001", to_counter=3).directed_counter == 3
