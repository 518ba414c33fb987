"""The queue engine: the state machine, the calling policy and the wait estimate.

It runs over one SQLite connection and imports no UI, CLI or HTTP framework
(an import-linter contract in pyproject.toml and a test keep it so).
"""

from __future__ import annotations

from console.engine.clock import Clock, FixedClock
from console.engine.failover import FailoverOps
from console.engine.personal import PersonalOps
from console.engine.public import PublicOps
from console.engine.views import Views


class Engine(PublicOps, Views, FailoverOps, PersonalOps):
    """Every operation and view of one hall over one connection."""


__all__ = ["Clock", "Engine", "FixedClock"]
