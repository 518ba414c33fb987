"""The audit trail: who did each manager and admin action; no secret ever in the log."""

from __future__ import annotations

import json

import pytest

from console.domain.errors import AuthError
from tests.conftest import ADMIN, clerk

MANAGER = clerk("9001", "manager")


def test_manager_and_admin_actions_name_who_did_them(small_hall):
    h = small_hall
    h.open_counter(clerk("1001"), 1)
    h.issue(ADMIN, "ID")
    h.issue(ADMIN, "ID")
    h.flag_green(MANAGER, "A001", "elderly")
    h.transfer(MANAGER, "A001", to_counter=1)
    h.cancel(MANAGER, "A002")
    h.pause_counter(MANAGER, 1, "meeting")
    h.edit_service(ADMIN, "ID", target_wait_min=15)
    trail = [(e.kind, e.actor, e.station) for e in h.changes_since(0)]
    for kind in ("green_flagged", "transferred", "cancelled", "counter.paused"):
        assert (kind, "9001", "station-9001") in trail
    assert ("service.edited", "cli", "test-shell") in trail
    assert ("clerk.added", "cli", "test-shell") in trail


def test_clerks_cannot_do_managers_or_admins_work(small_hall):
    h = small_hall
    c = clerk("1001")
    h.issue(ADMIN, "ID")
    attempts = [
        lambda: h.cancel(c, "A001"),
        lambda: h.transfer(c, "A001", to_service="PP"),
        lambda: h.close_day(c),
        lambda: h.add_service(c, code="X", name_zh="x", name_en="x", prefix="X"),
        lambda: h.edit_clerk(c, "1001", role="admin"),
        lambda: h.set_setting(c, "green_streak_limit", 9),
        lambda: h.import_appointments(c, []),
        lambda: h.pause_counter(c, 2, "not mine"),
    ]
    h.open_counter(clerk("1002"), 2)
    before = h.last_event_id()
    for attempt in attempts:
        with pytest.raises(AuthError):
            attempt()
    assert h.last_event_id() == before


def test_pins_never_reach_the_log(small_hall):
    h = small_hall
    h.edit_clerk(ADMIN, "1001", pin="8642")
    for _ in range(5):
        with pytest.raises(AuthError):
            h.login("1002", "9999", "desk")
    log = json.dumps([e.to_dict() for e in h.changes_since(0)], ensure_ascii=False)
    assert "8642" not in log and "9999" not in log and "argon2" not in log
    assert any(
        e.kind == "clerk.locked" and e.changes == {"staff_no": "1002"} for e in h.changes_since(0)
    )
