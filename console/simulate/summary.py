"""Figures of simulated days: per hour and per service, pooled over the replications.

Waits are counted for the tickets a counter called; each figure is in minutes
except shares (0–1). ``erlang_c_wait`` is the M/M/c mean wait the simulator is
checked against.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from console.simulate.model import Day
from console.simulate.run import DayRun, TicketRecord


def quantile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile of ``values`` (linear between order statistics)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value / 60, 2)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def wait_figures(tickets: Iterable[TicketRecord], target_min: float | None) -> dict:
    """Count, wait p50/p90/p95/mean, share within target, green/normal split."""
    tickets = list(tickets)
    waits = [t.wait for t in tickets if t.wait is not None]
    green = [t.wait for t in tickets if t.green and t.wait is not None]
    normal = [t.wait for t in tickets if not t.green and t.wait is not None]
    return {
        "tickets": len(tickets),
        "not_called": len(tickets) - len(waits),
        "wait_p50_min": _minutes(quantile(waits, 0.5)),
        "wait_p90_min": _minutes(quantile(waits, 0.9)),
        "wait_mean_min": _minutes(_mean(waits)),
        "within_target": (
            round(sum(w <= target_min * 60 for w in waits) / len(waits), 3)
            if waits and target_min
            else None
        ),
        "green_share": round(len(green) / len(waits), 3) if waits else None,
        "green_wait_mean_min": _minutes(_mean(green)),
        "normal_wait_mean_min": _minutes(_mean(normal)),
        "normal_wait_p95_min": _minutes(quantile(normal, 0.95)),
    }


def _overlap(spans: Iterable[tuple[float, float]], lo: float, hi: float) -> float:
    return sum(max(0.0, min(b, hi) - max(a, lo)) for a, b in spans)


def summarise(day: Day, runs: Sequence[DayRun]) -> dict:
    """Every figure ``qconsole simulate`` shows, for ``runs`` of ``day``."""
    targets = {s.code: s.target_wait_min for s in day.services}
    everyone = [t for run in runs for t in run.tickets]
    reps = max(1, len(runs))
    hours = sorted({int(t.issued // 3600) for t in everyone})
    last = max([day.closes * 3600] + [t.finished or 0.0 for t in everyone])
    busy_hours = range(int(min([day.opens * 3600] + [t.issued for t in everyone]) // 3600),
                       math.ceil(last / 3600))  # fmt: skip

    def utilisation(lo: float, hi: float, numbers: Iterable[int] | None = None) -> float | None:
        staffed = busy = 0.0
        for run in runs:
            for number, spans in run.staffed.items():
                if numbers is None or number in numbers:
                    staffed += _overlap(spans, lo, hi)
                    busy += _overlap(run.busy.get(number, []), lo, hi)
        return round(busy / staffed, 3) if staffed else None

    def within(tickets: list[TicketRecord]) -> dict:
        figures = wait_figures(tickets, None)
        waits = [t for t in tickets if t.wait is not None]
        figures["within_target"] = (
            round(sum(t.wait <= targets[t.service] * 60 for t in waits) / len(waits), 3)
            if waits
            else None
        )
        figures["tickets"] = round(len(tickets) / reps, 1)
        figures["not_called"] = round(figures["not_called"] / reps, 1)
        return figures

    by_hour = []
    for hour in busy_hours:
        issued = [t for t in everyone if int(t.issued // 3600) == hour]
        row = {"hour": f"{hour:02d}:00", **within(issued)}
        row["utilisation"] = utilisation(hour * 3600, (hour + 1) * 3600)
        if issued or row["utilisation"]:
            by_hour.append(row)
    by_service = []
    for s in day.services:
        mine = [t for t in everyone if t.service == s.code]
        numbers = {c.number for c in day.counters if s.code in c.codes}
        row = {"service": s.code, "target_min": s.target_wait_min, **within(mine)}
        row["utilisation"] = utilisation(0, last + 1, numbers)
        row["hours"] = [
            {"hour": f"{h:02d}:00", **within([t for t in mine if int(t.issued // 3600) == h])}
            for h in hours
        ]
        by_service.append(row)
    return {
        "replications": len(runs),
        "tickets_per_day": round(len(everyone) / reps, 1),
        "overall": {**within(everyone), "utilisation": utilisation(0, last + 1)},
        "hours": by_hour,
        "services": by_service,
        "counters": [
            {"counter": c.number, "utilisation": utilisation(0, last + 1, {c.number})}
            for c in day.counters
        ],
    }


def erlang_c_wait(arrivals_per_s: float, mean_service_s: float, servers: int) -> float:
    """Mean wait in queue of M/M/c (Erlang C), in seconds."""
    a = arrivals_per_s * mean_service_s
    rho = a / servers
    if rho >= 1:
        return math.inf
    term, total = 1.0, 1.0
    for k in range(1, servers):
        term *= a / k
        total += term
    top = term * a / servers / (1 - rho)
    p_wait = top / (total + top)
    return p_wait * mean_service_s / (servers * (1 - rho))
