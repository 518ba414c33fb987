"""The floor view's alerts as a pure function of the hall view, on the pinned clock."""

from __future__ import annotations

import itertools

from console.alerts import hall_alerts
from tests.conftest import ADMIN, clerk


def kinds(hall, clock, **kwargs):
    view = hall.hall_view()
    return [(a.kind, a.counter, a.service) for a in hall_alerts(view, clock.now(), **kwargs)]


def test_a_wait_over_the_services_target(small_hall, clock):
    small_hall.edit_service(ADMIN, "ID", target_wait_min=20)
    small_hall.issue(ADMIN, "ID")
    clock.t += 19 * 60
    assert kinds(small_hall, clock) == []
    clock.t += 2 * 60
    [alert] = hall_alerts(small_hall.hall_view(), clock.now())
    assert (alert.kind, alert.service, alert.minutes, alert.count) == ("wait", "ID", 21, 1)
    assert alert.since == clock.now() - 60  # the moment it passed the target


def test_the_view_may_be_older_than_now(small_hall, clock):
    small_hall.issue(ADMIN, "ID")
    view = small_hall.hall_view()
    assert hall_alerts(view, clock.now() + 31 * 60)[0].kind == "wait"


def test_an_idle_counter_while_its_services_have_a_queue(small_hall, clock):
    small_hall.open_counter(clerk("1001"), 1)
    small_hall.issue(ADMIN, "PP")
    clock.t += 30
    assert kinds(small_hall, clock) == []  # between two tickets is not idle
    clock.t += 60
    [alert] = hall_alerts(small_hall.hall_view(), clock.now())
    assert (alert.kind, alert.counter, alert.detail, alert.count) == ("idle", 1, "PP", 1)
    # a counter that does not serve the waiting service is not idle "while its services
    # have a queue"
    small_hall.open_counter(clerk("1002"), 2)  # ID only
    clock.t += 5 * 60
    assert [a.counter for a in hall_alerts(small_hall.hall_view(), clock.now())] == [1]


def test_idle_counts_from_the_last_finished_ticket(small_hall, clock):
    actor = clerk("1001")
    small_hall.open_counter(actor, 1)
    small_hall.issue(ADMIN, "ID")
    small_hall.issue(ADMIN, "ID")
    clock.t += 10 * 60
    small_hall.call_next(actor, 1)
    small_hall.serve(actor, 1)
    small_hall.finish(actor, 1)
    clock.t += 30
    figures = small_hall.floor_figures()
    assert figures["last_finished"] == {"1": clock.now() - 30}
    view = small_hall.hall_view()
    assert hall_alerts(view, clock.now(), last_finished=figures["last_finished"]) == []
    assert [a.kind for a in hall_alerts(view, clock.now())] == ["idle"]  # opened 10 min ago


def test_a_counter_paused_longer_than_the_setting(small_hall, clock):
    actor = clerk("1002")
    small_hall.open_counter(actor, 2)
    small_hall.pause_counter(actor, 2, "meeting")
    clock.t += 14 * 60
    assert kinds(small_hall, clock) == []
    clock.t += 2 * 60
    [alert] = hall_alerts(small_hall.hall_view(), clock.now())
    assert (alert.kind, alert.counter, alert.minutes, alert.detail) == (
        "paused", 2, 16, "meeting")  # fmt: skip
    assert kinds(small_hall, clock, paused_alert_min=20) == []


def test_a_ticket_recalled_three_times(small_hall, clock):
    actor = clerk("1001")
    small_hall.open_counter(actor, 1)
    number = small_hall.issue(ADMIN, "ID").ticket.number
    small_hall.call_next(actor, 1)
    for _ in range(2):
        small_hall.recall(actor, 1)
    assert kinds(small_hall, clock) == []
    small_hall.recall(actor, 1)
    [alert] = hall_alerts(small_hall.hall_view(), clock.now())
    assert (alert.kind, alert.ticket, alert.counter, alert.count) == ("recalled", number, 1, 3)
    small_hall.serve(actor, 1)  # the citizen came: no alert any more
    assert kinds(small_hall, clock) == []


def test_newest_first(small_hall, clock):
    small_hall.issue(ADMIN, "ID")  # target 30: alert at +30 min
    actor = clerk("1002")
    small_hall.open_counter(actor, 2)
    clock.t += 10 * 60
    small_hall.pause_counter(actor, 2, "break")  # alert at +25 min
    clock.t += 40 * 60
    alerts = hall_alerts(small_hall.hall_view(), clock.now())
    assert [a.kind for a in alerts] == ["wait", "paused"]


def test_hourly_figures(small_hall, clock):
    actor = clerk("1001")
    small_hall.open_counter(actor, 1)
    small_hall.issue(ADMIN, "ID")  # 09:30
    clock.t += 40 * 60  # 10:10
    small_hall.issue(ADMIN, "ID")
    small_hall.call_next(actor, 1)  # waited 40 min
    small_hall.serve(actor, 1)
    small_hall.finish(actor, 1)
    hours = small_hall.floor_figures()["hours"]
    assert hours == [
        {"hour": 9, "issued": 1, "served": 0, "avg_wait_s": None},
        {"hour": 10, "issued": 1, "served": 1, "avg_wait_s": 2400.0},
    ]


def test_alert_lines_wrap_between_words_never_inside_a_number():
    from console.tui.wrap import wrap

    lines = wrap("VEH最长等候44分钟，超过目标30分钟（2人等候）", 28)
    assert lines == ["VEH最长等候44分钟，超过目标", "30分钟（2人等候）"]
    assert wrap("Counter 7 paused 16 min (午休 lunch)", 25) == [
        "Counter 7 paused 16 min",
        "(午休 lunch)",
    ]
    text = "RES最长等候51分钟，超过目标30分钟（8人等候）"
    for width in range(8, 40):
        lines = wrap(text, width)
        assert "".join(lines) == text
        for before, after in itertools.pairwise(lines):
            assert not (before[-1].isdigit() and after[0].isdigit()), (width, lines)


def test_a_printer_that_failed_is_an_alert_until_it_prints_again(small_hall, clock):
    """A kiosk out of paper: the floor is told which printer and whose slip, at once."""
    from console.printing import process_pending
    from console.printing_local import LocalJobs, local_printers
    from printers.testing import FakePrinter

    with FakePrinter("paper_out") as fake:
        small_hall.add_printer(ADMIN, name="kiosk-1-printer", connection="network",
                               address=fake.address)  # fmt: skip
        jobs = LocalJobs(small_hall.path, clock, "kiosk-1", local_printers("kiosk-1"))
        try:
            number = small_hall.issue(ADMIN, "ID", print_ticket=True).ticket.number
            process_pending(jobs)
            clock.t += 5 * 60
            [alert] = hall_alerts(small_hall.hall_view(), clock.now())
            assert (alert.kind, alert.ticket, alert.minutes) == ("printer", number, 5)
            assert "kiosk-1-printer" in alert.detail and "out of paper" in alert.detail
            fake.mode = "online"  # paper refilled: the next slip prints
            small_hall.issue(ADMIN, "ID", print_ticket=True)
            process_pending(jobs)
            assert [a.kind for a in hall_alerts(small_hall.hall_view(), clock.now())] == []
        finally:
            jobs.close()


def test_a_printer_that_ran_out_during_a_slip_is_an_alert_too(small_hall, clock):
    """Out of paper after the bytes went out: unconfirmed (it may print once refilled), and
    the floor is told all the same."""
    from console.printing import process_pending
    from console.printing_local import LocalJobs, local_printers
    from printers.testing import FakePrinter

    with FakePrinter("runs_out") as fake:
        small_hall.add_printer(ADMIN, name="kiosk-2-printer", connection="network",
                               address=fake.address)  # fmt: skip
        jobs = LocalJobs(small_hall.path, clock, "kiosk-2", local_printers("kiosk-2"))
        try:
            number = small_hall.issue(ADMIN, "ID", print_ticket=True).ticket.number
            [outcome] = process_pending(jobs)
            assert outcome.status == "unconfirmed"
            [alert] = hall_alerts(small_hall.hall_view(), clock.now())
            assert (alert.kind, alert.ticket) == ("printer", number)
            assert "out of paper" in alert.detail
        finally:
            jobs.close()
