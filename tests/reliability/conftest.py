"""Reliability trials: bounded in CI, longer with QCONSOLE_TRIALS=N (docs/developer.md)."""

from __future__ import annotations

import os

import pytest

TRIALS = int(os.environ.get("QCONSOLE_TRIALS", "3"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/reliability/" in str(item.fspath):
            item.add_marker(pytest.mark.reliability)
