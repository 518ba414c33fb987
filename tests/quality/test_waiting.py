"""Tests wait for events, not for the clock, with deadlines scaled to the machine.

A test that sleeps and hopes the thing has happened passes on an idle machine and fails on
a loaded one; ``tests/waiting.py`` is the one place that waits (``wait_until``, ``until``,
``Deadline``), and the slowness setting stretches every deadline there.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.waiting import SLOWNESS_ENV, Deadline, scaled, slowness, wait_until

TESTS = Path(__file__).resolve().parents[1]

SLEEPS_ALLOWED = {
    "reliability/netproxy.py": (2, "a slow link holds each chunk delay_s: the delay is the "
                                   "fault; a held answer waits for the test to change mode"),
    "reliability/test_crash.py": (2, "the stations are killed at random moments: the random "
                                     "pause is the trial"),
    "standby/drill.py": (5, "the drill's stations work for set periods and its replica "
                            "stalls for a set time: the durations are the drill"),
    "server/test_lan_printing.py": (1, "proving that no second print comes takes the lease's "
                                       "time"),
    "server/test_hardening.py": (1, "the server gives no sign that a long poll is waiting"),
    "standby/test_restore.py": (1, "Litestream gives no sign of its first look at a database"),
    "standby/test_fencing.py": (1, "Litestream gives no sign of its first look at a database"),
    "standby/test_serve_replica.py": (1, "Litestream gives no sign of its first look at a "
                                         "database"),
}  # fmt: skip
"""The only sleeps outside ``tests/waiting.py``: each lets time pass on purpose."""


def clock_waits(tree: ast.AST) -> tuple[int, list[int]]:
    """(``time.sleep``/``sleep`` calls, lines of ``asyncio.sleep`` and ``pilot.pause(n)``)."""
    sleeps, pauses = 0, []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "sleep":
            sleeps += 1
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner, name = func.value.id, func.attr
            if (owner, name) == ("time", "sleep"):
                sleeps += 1
            elif (owner, name) == ("asyncio", "sleep") or (name == "pause" and node.args):
                pauses.append(node.lineno)
    return sleeps, pauses


def test_no_test_sleeps_and_hopes() -> None:
    """A new ``time.sleep`` in a test fails here: wait for the condition with ``wait_until``
    (or ``until`` under Pilot); a pause on purpose joins ``SLEEPS_ALLOWED`` with its reason."""
    found, fixed_pauses = {}, []
    for path in sorted(TESTS.rglob("*.py")):
        name = path.relative_to(TESTS).as_posix()
        if name == "waiting.py":
            continue
        sleeps, pauses = clock_waits(ast.parse(path.read_text(encoding="utf-8")))
        if sleeps:
            found[name] = sleeps
        fixed_pauses += [f"{name}:{line}" for line in pauses]
    assert fixed_pauses == [], "fixed pauses: wait for what the screen shows instead"
    allowed = {name: count for name, (count, _) in SLEEPS_ALLOWED.items()}
    assert found == allowed, "time.sleep in tests: wait with tests.waiting instead"


def test_the_slowness_setting_stretches_every_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SLOWNESS_ENV, "4")
    assert slowness() == 4 and scaled(2.5) == 10
    assert Deadline(3).seconds == 12
    monkeypatch.setenv(SLOWNESS_ENV, "0.5")  # never shorter than on an idle machine
    assert scaled(2.5) == 2.5
    monkeypatch.setenv(SLOWNESS_ENV, "slow")
    with pytest.raises(ValueError, match=SLOWNESS_ENV):
        slowness()
    monkeypatch.delenv(SLOWNESS_ENV)
    assert slowness() >= 1  # from the load per core


def test_a_wait_that_runs_out_says_what_it_waited_for_and_how_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(SLOWNESS_ENV, "2")
    looks: list[int] = []
    with pytest.raises(AssertionError) as caught:
        wait_until(lambda: looks.append(1), timeout=0.05, what="the printer's answer")
    said = str(caught.value)
    assert "the printer's answer" in said and "0.1 s" in said and "slowness 2.0" in said
    assert len(looks) >= 2  # it looked again until the deadline, not once
    assert wait_until(lambda: len(looks) > 2 and "found") == "found"
