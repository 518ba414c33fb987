"""The hall simulator: the real engine run over a day on an in-memory copy of the hall.

It imports no UI: ``console/cli/simulate.py`` draws its tables and charts, and the
benchmarks (``bench/simulate.py``, ``bench/estimate.py``, ``bench/fairness.py``) use
it directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from console.simulate.model import Counter, Day, Handling, Matter, Service, flat_rates
from console.simulate.run import DayRun, Observer, TicketRecord, simulate_day
from console.simulate.summary import erlang_c_wait, summarise


def replicate(
    day: Day,
    replications: int,
    *,
    seed: int = 1,
    jobs: int = 1,
    observers: Sequence[Observer] = (),
    progress: Callable[[int], None] | None = None,
) -> list[DayRun]:
    """``replications`` independent runs of ``day`` (streams ``seed``, ``seed + 1``, …),
    in ``jobs`` processes; ``progress`` hears the count of runs done after each one."""
    seeds = [seed + i for i in range(replications)]
    runs: list[DayRun] = []
    if jobs <= 1 or replications <= 1:
        for s in seeds:
            runs.append(simulate_day(day, s, observers))
            if progress:
                progress(len(runs))
        return runs
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for run in pool.map(simulate_day, [day] * len(seeds), seeds, [observers] * len(seeds)):
            runs.append(run)
            if progress:
                progress(len(runs))
    return runs


__all__ = [
    "Counter",
    "Day",
    "DayRun",
    "Handling",
    "Matter",
    "Observer",
    "Service",
    "TicketRecord",
    "erlang_c_wait",
    "flat_rates",
    "replicate",
    "simulate_day",
    "summarise",
]
