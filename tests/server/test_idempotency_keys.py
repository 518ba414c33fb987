"""Every write takes its idempotency key as an argument, and the engine scopes it itself.

A key used to reach the engine through a context the in-process service set, and setup
writes got theirs through a second path of the server's: a call straight to the engine
ran unscoped, and an operation missing from a hand-kept list took the other path.
"""

from __future__ import annotations

import inspect

from console.domain import Actor
from console.engine import Engine
from console.local import LocalHall
from console.server.operations import OPERATIONS
from console.service import HallService
from console.store import connect

ADMIN = Actor(staff_no="admin", role="admin", station="admin-pc", name="Admin")


def test_every_write_of_the_interface_takes_a_key() -> None:
    for op in OPERATIONS:
        interface = getattr(HallService, op.name, None)
        if op.writes and not op.repeatable and interface is not None and op.name != "login":
            assert "key" in inspect.signature(interface).parameters, op.name


def test_a_repeated_setup_write_returns_the_first_result(tmp_path) -> None:
    hall = LocalHall(tmp_path / "hall.db", create=True)
    try:
        first = hall.add_service(ADMIN, key="k-add", code="TX", name_zh="税务", name_en="Tax",
                                 prefix="T")  # fmt: skip
        again = hall.add_service(ADMIN, key="k-add", code="TX", name_zh="税务", name_en="Tax",
                                 prefix="T")  # fmt: skip
        assert again == first
        assert [s.code for s in hall.list_services()].count("TX") == 1
    finally:
        hall.close()


def test_the_engine_called_directly_scopes_a_key_to_its_actor(tmp_path) -> None:
    LocalHall(tmp_path / "hall.db", create=True).close()
    conn = connect(tmp_path / "hall.db")
    engine = Engine(conn)
    other = Actor(staff_no="admin2", role="admin", station="admin-pc-2", name="Admin 2")
    try:
        engine.add_service(ADMIN, key="same", code="A1", name_zh="一", name_en="One", prefix="A")
        # the same key from another station and person is their own command
        made = engine.add_service(other, key="same", code="B1", name_zh="二", name_en="Two",
                                  prefix="B")  # fmt: skip
        assert made.code == "B1"
        assert {"A1", "B1"} <= {s.code for s in engine.list_services()}
    finally:
        conn.close()
