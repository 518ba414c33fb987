"""The simulator reproduces queueing theory (M/M/c, Erlang C), in two links.

The mean wait of a simulated day is noisy: over 25,000 tickets of M/M/3 its standard
deviation is about 5 % of the mean, so a direct "within 5 %" check would need some
300,000 tickets through the engine. Instead:

1. the engine-driven simulator gives *exactly* the waits of a first-come-first-served
   queue with c servers (the textbook recursion) on the same arrivals and handling
   times: the engine, its calling policy and the event loop add no error;
2. that queue, over 400,000 tickets drawn the same way (Poisson arrivals, exponential
   handling), has a mean wait within 5 % of Erlang C (its standard deviation there is
   about 1 %).
"""

from __future__ import annotations

import heapq
import random

import pytest

from console.simulate import Counter, Day, Handling, Service, erlang_c_wait, simulate_day

SERVERS, HANDLING_S, RHO = 3, 60.0, 0.8
PER_HOUR = RHO * SERVERS * 3600 / HANDLING_S


def fcfs_waits(arrivals: list[float], handling: list[float], servers: int) -> list[float]:
    """Waits of a first-come-first-served queue with ``servers`` servers."""
    free = [0.0] * servers
    waits = []
    for arrival, service in zip(arrivals, handling, strict=True):
        start = max(arrival, heapq.heappop(free))
        waits.append(start - arrival)
        heapq.heappush(free, start + service)
    return waits


def test_the_engine_driven_day_is_an_exact_fcfs_queue():
    day = Day(
        services=(Service("A", tuple([PER_HOUR] * 22 + [0.0, 0.0]), Handling("exponential", 1)),),
        counters=tuple(Counter(n, ("A",), ((0.0, 24.0),)) for n in range(1, SERVERS + 1)),
        opens=0.0,
        closes=22.0,
    )
    run = simulate_day(day, seed=5)
    tickets = sorted(run.tickets, key=lambda t: t.issued)
    assert len(tickets) > 2500 and all(t.finished is not None for t in tickets)
    by_call = sorted(tickets, key=lambda t: t.called)
    assert [t.issued for t in by_call] == [t.issued for t in tickets]  # first come, first served
    reference = fcfs_waits(
        [t.issued for t in tickets], [t.finished - t.called for t in tickets], SERVERS
    )
    assert [t.wait for t in tickets] == pytest.approx(reference, abs=1e-6)
    assert sum(1 for w in reference if w > 0) > 1000  # a real queue, not an idle hall


def test_the_fcfs_queue_matches_erlang_c():
    rng = random.Random(2026)
    rate = PER_HOUR / 3600
    t, arrivals = 0.0, []
    for _ in range(400_000):
        t += rng.expovariate(rate)
        arrivals.append(t)
    handling = [rng.expovariate(1 / HANDLING_S) for _ in arrivals]
    waits = fcfs_waits(arrivals, handling, SERVERS)
    expected = erlang_c_wait(rate, HANDLING_S, SERVERS)
    assert sum(waits) / len(waits) == pytest.approx(expected, rel=0.05)


def test_erlang_c_formula():
    # M/M/1: Wq = rho / (mu - lambda); at rho 0.5 and a 1-minute service, 1 minute.
    assert erlang_c_wait(0.5 / 60, 60.0, 1) == pytest.approx(60.0)
    # M/M/2 at a = 1 (rho 0.5): P(wait) = 1/3, Wq = P / (c mu - lambda) = 1/3 min.
    assert erlang_c_wait(1 / 60, 60.0, 2) == pytest.approx(20.0)
