"""A ticket's public code and the citizen's rating, in the engine."""

from __future__ import annotations

import re

import pytest

from console.domain.errors import BadInput, NotFound, Refused
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
