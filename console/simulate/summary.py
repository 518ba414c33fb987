"""Figures of simulated days: per hour and per service, pooled over the replications.

Waits are counted for the tickets a counter called; each figure is in minutes
except shares (0–1). ``erlang_c_wait`` is the M/M/c mean wait the simulator is
checked against.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

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


T_975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262)
"""Student's t, 97.5th percentile, for 1–9 degrees of freedom (more: the expansion below)."""
CI_FIGURES = ("wait_mean_min", "wait_p90_min", "within_target", "not_called")
"""The figures each row gives a 95 % confidence interval for, across replications."""
UNSETTLED_LOAD = 0.9
"""Offered work at or above this share of counter time: the day's queue does not settle."""
STARTS_EMPTY = (
    "Each simulated day starts with an empty hall and ends at midnight; a queue that does "
    "not settle carries over in a real hall, so real waits would be longer than shown."
)


def t_975(df: int) -> float:
    """Two-sided 95 % Student's t quantile (Cornish–Fisher past the table: < 0.1 % off)."""
    if df <= len(T_975):
        return T_975[df - 1]
    z = 1.959964
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def half_width(values: Sequence[float | None]) -> float | None:
    """Half the 95 % confidence interval of the mean of ``values`` (one per replication);
    None with fewer than two."""
    xs = [v for v in values if v is not None]
    if len(xs) < 2:
        return None
    mean = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1))
    return round(t_975(len(xs) - 1) * sd / math.sqrt(len(xs)), 3)


def offered_load(day: Day, codes: set[str] | None = None) -> float | None:
    """Work the arrivals bring (tickets × mean handling) as a share of the time the counters
    that may serve them are open while tickets are issued; None without such counters."""
    services = [s for s in day.services if codes is None or s.code in codes]
    work = sum(
        rate * max(0.0, min(h + 1, day.closes) - max(h, day.opens)) * s.mean_s
        for s in services
        for h, rate in enumerate(s.arrivals_per_hour)
    )
    wanted = {s.code for s in services}
    open_s = sum(
        max(0.0, min(b, day.closes) - max(a, day.opens)) * 3600 * (1 - day.pause_share)
        for c in day.counters
        if c.codes & wanted
        for a, b in c.hours
    )
    return work / open_s if open_s else None


def settle_warnings(day: Day) -> list[str]:
    """One sentence for the hall and for each service whose queue cannot settle."""
    out = []
    overall = offered_load(day)
    if overall is not None and overall >= UNSETTLED_LOAD:
        out.append(f"the hall's queue does not settle: the arrivals bring {overall:.0%} of the "
                   "counters' open time in work")  # fmt: skip
    for s in day.services:
        load = offered_load(day, {s.code})
        if load is None and s.arrivals_per_hour and any(s.arrivals_per_hour):
            out.append(f"{s.code}: no counter serves it while tickets are issued")
        elif load is not None and load >= UNSETTLED_LOAD:
            out.append(f"{s.code}'s queue does not settle: its arrivals alone bring {load:.0%} "
                       "of the open time of every counter that serves it")  # fmt: skip
    return out


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

    def with_ci(keep: Callable[[TicketRecord], bool]) -> dict:
        """The pooled figures of the tickets ``keep`` picks, and how far each could be off:
        the 95 % interval of the day-to-day figures across the replications."""
        per_day = [within([t for t in run.tickets if keep(t)]) for run in runs]
        pooled = within([t for t in everyone if keep(t)])
        scale = {"not_called": reps}  # within() divides counts by the replications
        pooled["ci95"] = {
            key: half_width(
                [None if d[key] is None else d[key] * scale.get(key, 1) for d in per_day]
            )
            for key in CI_FIGURES
        }
        return pooled

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
        row = {"service": s.code, "target_min": s.target_wait_min,
               **with_ci(lambda t, code=s.code: t.service == code)}  # fmt: skip
        row["utilisation"] = utilisation(0, last + 1, numbers)
        row["hours"] = [
            {"hour": f"{h:02d}:00", **within([t for t in mine if int(t.issued // 3600) == h])}
            for h in hours
        ]
        by_service.append(row)
    return {
        "replications": len(runs),
        "tickets_per_day": round(len(everyone) / reps, 1),
        "overall": {**with_ci(lambda t: True), "utilisation": utilisation(0, last + 1)},
        "warnings": settle_warnings(day),
        "note": STARTS_EMPTY,
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
