"""The queue engine: the state machine, the calling policy and the wait estimate.

It runs over one SQLite connection and imports no UI, CLI or HTTP framework
(an import-linter contract in pyproject.toml and a test keep it so). Its rooms, one per
aggregate, are composed in :mod:`console.engine.rooms`.
"""

from __future__ import annotations

from console.engine.clock import Clock, FixedClock
from console.engine.rooms import Engine

__all__ = ["Clock", "Engine", "FixedClock"]
