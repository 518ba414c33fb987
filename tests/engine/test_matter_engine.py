"""Departments and matters in the engine: a matter's ticket, its change, its estimate, the
catalogue's import and the event log that rebuilds every ticket."""

from __future__ import annotations

import pytest

from console.domain.errors import BadInput, NotFound, Refused
from console.engine.replay import replay_mismatches
from tests.conftest import ADMIN, clerk

ONE = clerk("1001")


@pytest.fixture
def one_stop(small_hall):
    """The small hall with a catalogue: a long and a short matter in ID, one in PP."""
    small_hall.add_matter(ADMIN, code="LONG", name_zh="有限责任公司设立登记", department="SCJG",
                          department_zh="市场监督管理局", service="ID", handling_min=30,
                          materials=["章程", "法定代表人身份证明"])  # fmt: skip
    small_hall.add_matter(ADMIN, code="SHORT", name_zh="纳税证明开具", department="SWJ",
                          service="ID", handling_min=3)  # fmt: skip
    small_hall.add_matter(ADMIN, code="PASS", name_zh="出入境证件申请", department="GAJ",
                          service="PP", handling_min=10)  # fmt: skip
    return small_hall


def test_a_hall_without_matters_works_as_before(small_hall) -> None:
    ticket = small_hall.issue(ADMIN, "ID").ticket
    assert ticket.matter_code is None and small_hall.list_matters() == []
    with pytest.raises(BadInput):
        small_hall.issue(ADMIN)


def test_a_matter_s_ticket_is_in_its_queue_and_records_it(one_stop) -> None:
    ticket = one_stop.issue(ADMIN, matter="PASS").ticket
    assert (ticket.service_code, ticket.matter_code, ticket.number) == ("PP", "PASS", "B001")
    with pytest.raises(BadInput, match="called in the PP queue"):
        one_stop.issue(ADMIN, "ID", matter="PASS")
    with pytest.raises(NotFound):
        one_stop.issue(ADMIN, matter="NOPE")
    assert {m.code: m.issued_recent for m in one_stop.list_matters()}["PASS"] == 1


def test_the_hall_view_lists_the_matters_someone_is_waiting_for(one_stop) -> None:
    """The floor's departments show where the queue is now: a matter whose tickets today
    were all called or cancelled is not listed (a one-stop hall has tickets of nearly all
    its matters by mid-morning, and listing them made the view grow with the day)."""
    one_stop.open_counter(ONE, 1)
    one_stop.issue(ADMIN, matter="SHORT")
    one_stop.call_next(ONE, 1)  # SHORT's one ticket is at the counter now
    cancelled = one_stop.issue(ADMIN, matter="PASS").ticket
    one_stop.cancel(ADMIN, cancelled.number)
    one_stop.issue(ADMIN, matter="LONG")
    one_stop.issue(ADMIN, matter="LONG")
    [long] = one_stop.hall_view().matters
    assert (long.code, long.department, long.waiting, long.issued_today) == ("LONG", "SCJG", 2, 2)


def test_changing_the_matter_is_logged_and_a_waiting_ticket_follows_its_queue(one_stop) -> None:
    waiting = one_stop.issue(ADMIN, matter="SHORT").ticket
    moved = one_stop.change_matter(ONE, waiting.number, "PASS")
    assert (moved.matter_code, moved.service_code, moved.queued_at) == (
        "PASS", "PP", waiting.queued_at)  # fmt: skip
    one_stop.open_counter(ONE, 1)
    held = one_stop.call_next(ONE, 1)
    changed = one_stop.change_matter(ONE, held.number, "LONG")
    assert (changed.matter_code, changed.status, changed.service_code) == (
        "LONG", "called", held.service_code)  # fmt: skip
    kinds = [e.kind for e in one_stop.changes_since(0, limit=1000) if e.ticket_id == held.id]
    assert kinds[-1] == "matter.changed"
    with pytest.raises(Refused):  # another clerk's desk
        one_stop.change_matter(clerk("1002"), held.number, "SHORT")
    one_stop.finish(ONE, 1)
    with pytest.raises(Refused):  # a finished ticket keeps its matter
        one_stop.change_matter(ONE, held.number, "SHORT")
    assert replay_mismatches(one_stop.engine.conn) == []


def test_a_retired_matter_keeps_its_tickets_but_takes_no_new_ones(one_stop) -> None:
    ticket = one_stop.issue(ADMIN, matter="SHORT").ticket
    assert one_stop.remove_matter(ADMIN, "SHORT") == "retired (it has history)"
    assert one_stop.remove_matter(ADMIN, "PASS") == "removed"
    assert one_stop.get_ticket(ticket.number).matter_code == "SHORT"
    with pytest.raises(Refused, match="retired"):
        one_stop.issue(ADMIN, matter="SHORT")
    assert [d.code for d in one_stop.list_departments()] == ["SCJG"]  # GAJ, SWJ: no matter left
    assert {d.code for d in one_stop.list_departments(include_retired=True)} == {
        "SCJG", "SWJ", "GAJ"}  # fmt: skip


def test_the_estimate_counts_each_ticket_at_its_matter_s_handling_time(one_stop, clock) -> None:
    one_stop.open_counter(ONE, 1)
    for _ in range(3):
        one_stop.issue(ADMIN, matter="LONG")
    behind_long = one_stop.issue(ADMIN, "ID").estimated_wait_min
    for t in one_stop.list_tickets(status="waiting"):
        one_stop.cancel(ADMIN, t.number)
    for _ in range(3):
        one_stop.issue(ADMIN, matter="SHORT")
    behind_short = one_stop.issue(ADMIN, "ID").estimated_wait_min
    assert behind_long > 3 * behind_short  # 3 × 30 min of work ahead, not 3 × 5 (the queue's)
    # once the matter has history, its own handling time counts: SHORT really takes 20 min
    for _ in range(3):
        one_stop.call_next(ONE, 1)
        one_stop.serve(ONE, 1)
        clock.advance(20 * 60)
        one_stop.finish(ONE, 1)
    for t in one_stop.list_tickets(status="waiting"):
        one_stop.cancel(ADMIN, t.number)
    for _ in range(3):
        one_stop.issue(ADMIN, matter="SHORT")
    learned = one_stop.issue(ADMIN, "ID").estimated_wait_min
    assert learned > 2 * behind_short


def test_a_matter_s_ticket_still_at_the_desk_counts_in_its_handling_time(one_stop, clock):
    # LONG's first three tickets took 2 minutes each; the fourth has been at the desk for
    # 40 minutes. Its mean is not 2 minutes: (3 × 2 + 40) ÷ 3, over 15.
    one_stop.open_counter(ONE, 1)
    for _ in range(4):
        one_stop.issue(ADMIN, matter="LONG")
        one_stop.call_next(ONE, 1)
        one_stop.serve(ONE, 1)
        clock.advance(2 * 60)
        if len(one_stop.list_tickets(status="done")) < 3:
            one_stop.finish(ONE, 1)
    clock.advance(38 * 60)
    for _ in range(2):
        one_stop.issue(ADMIN, matter="LONG")
    # two LONG ahead and the one at the desk to finish, on one counter: about 45 minutes
    assert one_stop.issue(ADMIN, "ID").estimated_wait_min > 3 * 15


def test_import_is_all_or_nothing_and_reports_lines(one_stop) -> None:
    rows = [
        {"_line": "2", "code": "N1", "name_zh": "甲", "department": "D", "service": "ID"},
        {"_line": "3", "code": "N2", "name_zh": "乙", "department": "D", "service": "ID",
         "handling_min": "-4"},
        {"_line": "4", "code": "N3", "department": "D", "service": "ID"},
    ]  # fmt: skip
    result = one_stop.import_matters(ADMIN, rows)
    assert [e["line"] for e in result["errors"]] == [3, 4] and not result["stored"]
    assert "name_zh" in result["errors"][1]["error"]
    assert "N1" not in {m.code for m in one_stop.list_matters(include_retired=True)}
    dry = one_stop.import_matters(ADMIN, rows[:1], dry_run=True)
    assert (dry["added"], dry["stored"]) == (1, False)
    assert "N1" not in {m.code for m in one_stop.list_matters()}


def test_the_receipt_names_the_matter_and_lists_exactly_what_was_missing(one_stop) -> None:
    from console.engine.slips import build_slip

    one_stop.open_counter(ONE, 1)
    one_stop.issue(ADMIN, matter="LONG")
    ticket = one_stop.call_next(ONE, 1)
    wanted = one_stop.get_matter("LONG").materials
    one_stop.finish(ONE, 1, outcome="incomplete", materials=wanted[1:])
    engine = one_stop.engine
    slip = build_slip(engine.conn, engine.clock, ticket.id, "receipt")
    assert slip.service_zh == "有限责任公司设立登记（身份证）"
    assert slip.materials == ("法定代表人身份证明",)
