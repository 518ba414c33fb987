"""A ticket's public code and the citizen's rating, in the engine."""

from __future__ import annotations

import random
import re

import pytest

from console.domain.errors import BadInput, NotFound, Refused
from console.engine import estimate
from console.engine.replay import replay_mismatches
from console.local import LocalHall
from tests.conftest import ADMIN, clerk


def code_of(hall: LocalHall, ticket_id: int) -> str:
    row = hall.engine.conn.execute("SELECT public_code FROM tickets WHERE id = ?", (ticket_id,))
    return row.fetchone()[0]


def test_every_ticket_gets_its_own_unguessable_code(small_hall: LocalHall) -> None:
    ids = [small_hall.issue(ADMIN, "ID").ticket.id for _ in range(50)]
    codes = {code_of(small_hall, i) for i in ids}
    assert len(codes) == 50
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", c) for c in codes)  # 128 random bits
    again = small_hall.issue(ADMIN, "ID", key="k-1").ticket
    assert small_hall.issue(ADMIN, "ID", key="k-1").ticket.id == again.id  # a retry: one code


def test_the_public_view_is_the_tickets_own_estimate(small_hall: LocalHall) -> None:
    small_hall.issue(ADMIN, "ID")
    issued = small_hall.issue(ADMIN, "ID")
    ticket_id, view = small_hall.public_ticket(code_of(small_hall, issued.ticket.id))
    assert ticket_id == issued.ticket.id
    assert (view["state"], view["ahead"], view["wait_min"]) == (
        "waiting", issued.ahead, issued.estimated_wait_min)  # fmt: skip
    assert small_hall.public_ticket("A" * 22) is None
    assert small_hall.public_ticket(str(ticket_id)) is None


def test_a_citizen_rates_a_finished_ticket_once(small_hall: LocalHall) -> None:
    one = clerk("1001")
    small_hall.open_counter(one, 1)
    ticket = small_hall.issue(ADMIN, "ID").ticket
    code = code_of(small_hall, ticket.id)
    with pytest.raises(Refused) as refused:
        small_hall.rate_by_code(code, 5)
    assert refused.value.reason == "rating.not_finished"
    small_hall.call_next(one, 1)
    small_hall.finish(one, 1)
    for bad in (0, 6, True, "5", None):
        with pytest.raises(BadInput):
            small_hall.rate_by_code(code, bad)
    rated = small_hall.rate_by_code(code, 1, "  窗口人员 很耐心 \n但等太久 ")
    assert (rated.rating, rated.feedback) == (1, "窗口人员 很耐心  但等太久")
    with pytest.raises(Refused) as again:
        small_hall.rate_by_code(code, 5)
    assert again.value.reason == "rating.already"
    with pytest.raises(NotFound):
        small_hall.rate_by_code("B" * 22, 5)
    event = small_hall.changes_since(0)[-1]
    assert (event.kind, event.actor, event.changes["rating"]) == ("rated", "citizen", [None, 1])
    assert replay_mismatches(small_hall.engine.conn) == []


def test_a_counter_rating_is_not_overwritten(small_hall: LocalHall) -> None:
    one = clerk("1001")
    small_hall.open_counter(one, 1)
    ticket = small_hall.issue(ADMIN, "ID").ticket
    small_hall.call_next(one, 1)
    small_hall.finish(one, 1, rating=5)
    with pytest.raises(Refused):
        small_hall.rate_by_code(code_of(small_hall, ticket.id), 1)
    assert small_hall.get_ticket(ticket.number).rating == 5


def test_many_pages_get_the_same_estimates_as_one_ticket(small_hall: LocalHall, clock) -> None:
    """The open pages' shared pass counts the queue once for all; each ticket must still be
    told exactly what its own estimate says."""
    rng = random.Random(17)
    for number, who in ((1, "1001"), (2, "1002"), (3, "1003")):
        small_hall.open_counter(clerk(who), number)
    for i in range(40):
        service = rng.choice(["ID", "PP"])
        small_hall.issue(ADMIN, service, green_reason=rng.choice([None, None, None, "elderly"]),
                         low_position=service == "ID" and rng.random() < 0.15)  # fmt: skip
        clock.advance(rng.choice([0, 0, 20, 45, 90]))
        if i % 7 == 6:
            ticket = small_hall.call_next(clerk("1001"), 1)
            small_hall.transfer(clerk("1001"), ticket.number, to_counter=3)
        if i % 5 == 4:
            small_hall.call_next(clerk("1002"), 2)
            small_hall.finish(clerk("1002"), 2)
    conn, now = small_hall.engine.conn, clock.now()
    settings = small_hall.settings()
    rows = conn.execute("SELECT * FROM tickets WHERE status = 'waiting'").fetchall()
    memo: dict = {}
    assert len(rows) > 20
    for row in rows:
        alone = estimate.estimate(conn, row, now, settings)
        shared = estimate.estimate(conn, row, now, settings, memo)
        assert (shared.ahead, shared.seconds) == pytest.approx((alone.ahead, alone.seconds))


def test_open_pages_count_each_ticket_ahead_at_its_matter_s_time(
    small_hall: LocalHall, clock
) -> None:
    """In a one-stop hall the shared pass must sum the matters' handling times ahead exactly as
    a ticket's own estimate does, not the queue's one time for every ticket."""
    small_hall.add_matter(ADMIN, code="LONG", name_zh="有限责任公司设立登记", department="SCJG",
                          service="ID", handling_min=30)  # fmt: skip
    small_hall.add_matter(ADMIN, code="SHORT", name_zh="纳税证明开具", department="SWJ",
                          service="ID", handling_min=3)  # fmt: skip
    small_hall.open_counter(clerk("1001"), 1)
    rng = random.Random(18)
    for _ in range(30):
        matter = rng.choice([None, "LONG", "SHORT"])
        small_hall.issue(ADMIN, None if matter else "ID", matter=matter,
                         green_reason=rng.choice([None, None, "elderly"]))  # fmt: skip
        clock.advance(rng.choice([0, 15, 60]))
    conn, now, settings = small_hall.engine.conn, clock.now(), small_hall.settings()
    rows = conn.execute("SELECT * FROM tickets WHERE status = 'waiting'").fetchall()
    memo: dict = {}
    seconds = set()
    for row in rows:
        alone = estimate.estimate(conn, row, now, settings)
        shared = estimate.estimate(conn, row, now, settings, memo)
        assert (shared.ahead, shared.seconds) == pytest.approx((alone.ahead, alone.seconds))
        seconds.add(round(alone.seconds))
    assert len(seconds) > 20  # the matters made the waits differ, so the check means something


def test_a_one_stop_ticket_s_page_names_its_matter(small_hall: LocalHall) -> None:
    """The citizen came for a matter, not a queue line: the page names it as the slip does."""
    small_hall.add_matter(ADMIN, code="GT-1", name_zh="个体工商户设立登记", name_en="Sole trader",
                          department="SCJG", service="ID")  # fmt: skip
    ticket = small_hall.issue(ADMIN, matter="GT-1").ticket
    _, page = small_hall.engine.public_ticket(code_of(small_hall, ticket.id))
    assert page["service_zh"] == "个体工商户设立登记（身份证）"
    assert page["service_en"] == "Sole trader (ID card)"
    plain = small_hall.issue(ADMIN, "ID").ticket
    _, page = small_hall.engine.public_ticket(code_of(small_hall, plain.id))
    assert (page["service_zh"], page["service_en"]) == ("身份证", "ID card")
