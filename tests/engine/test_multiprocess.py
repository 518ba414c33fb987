"""Eight processes calling next on one database: every ticket called exactly once."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from console.domain.errors import Refused, Unavailable
from console.local import LocalHall
from tests.conftest import ADMIN, clerk
from tests.waiting import Deadline, scaled

T = TypeVar("T")

PROCESSES = 8
TICKETS = 2000


def once(action: Callable[..., T], *args: object) -> T:
    """``action`` with an idempotency key, asked again while the database stays busy past its
    timeout (a writer descheduled on a loaded machine holds it): done exactly once, as a
    clerk pressing the key again after "the hall is busy" gets."""
    key, deadline = uuid.uuid4().hex, Deadline(60)
    while True:
        try:
            return action(*args, key=key)
        except Unavailable as exc:
            if exc.reason != "db.locked" or deadline.expired:
                raise
            deadline.pause()


def work_counter(db: str, number: int, out: str) -> None:
    """One counter's clerk: call next and finish until nothing waits; log each ticket id."""
    hall = LocalHall(db)
    actor = clerk(f"10{number:02d}")
    called = []
    while True:
        try:
            ticket = once(hall.call_next, actor, number)
        except Refused:
            break
        called.append(ticket.id)
        once(hall.finish, actor, number)
    Path(out).write_text("\n".join(map(str, called)))
    hall.close()


@pytest.mark.slow
def test_eight_processes_never_share_a_ticket(hall, tmp_path):
    hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
    for n in range(1, PROCESSES + 1):
        hall.add_counter(ADMIN, number=n, services=["ID"])
        hall.add_clerk(ADMIN, staff_no=f"10{n:02d}", name=f"clerk {n}", pin="1234")
        hall.open_counter(clerk(f"10{n:02d}"), n)
    # 2,000 waiting tickets, issued through the engine as reception would.
    for _ in range(TICKETS):
        hall.issue(ADMIN, "ID")
    path = str(hall.path)

    ctx = mp.get_context("spawn")
    outs = [tmp_path / f"counter-{n}.txt" for n in range(1, PROCESSES + 1)]
    procs = [
        ctx.Process(target=work_counter, args=(path, n, str(out)))
        for n, out in enumerate(outs, start=1)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=scaled(240))
        assert p.exitcode == 0

    called = [int(x) for out in outs for x in out.read_text().split()]
    assert len(called) == TICKETS, "a ticket was lost or called twice"
    assert len(set(called)) == TICKETS
    busy = [len(out.read_text().split()) for out in outs]
    assert sum(1 for b in busy if b) >= 2, f"the processes did not run side by side: {busy}"

    db = sqlite3.connect(path)
    statuses = dict(db.execute("SELECT status, count(*) FROM tickets GROUP BY status").fetchall())
    assert statuses == {"done": TICKETS}
    calls = db.execute(
        "SELECT ticket_id, count(*) FROM events WHERE kind = 'called'"
        " GROUP BY ticket_id HAVING count(*) > 1"
    ).fetchall()
    assert calls == []
