"""How good is the wait printed on a ticket? The old estimator, the new one and an oracle,
over simulated days of the real engine (``console/simulate``).

For every ticket, right after it is issued, three estimates are taken from the same
hall state:

* **old** — the estimate before this rework: tickets of the ticket's own service
  ahead × the *median* of the last 20 handling times ÷ counters open or paused;
* **new** — ``console/engine/estimate.py``, what reception, the ticket and the desk show
  (in seconds, before rounding to whole minutes);
* **oracle** — knows each service's (and each matter's) true mean handling time: 0 if a
  counter is free,
  else (work of the tickets ahead + one mean) ÷ counters open or paused — the floor
  for this information (no knowledge of the handling times actually drawn).

Each is compared with the ticket's actual wait: MAE, bias (mean of estimate − wait)
and the share within max(25 %, 5 min). Targets for the new estimator, every
scenario: |bias| ≤ 10 % of the mean wait, MAE ≤ 1.2 × the oracle's.

    uv run python bench/estimate.py                     # every scenario, 8 days each
    uv run python bench/estimate.py --replications 3 --scenario rho-0.85
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.engine import estimate
from console.simulate import Counter, Day, Handling, Matter, Service, flat_rates, replicate

OPENS, CLOSES = 8.0, 18.0


def four(services=("A",), **kw) -> tuple[Counter, ...]:
    return tuple(Counter(n, ("+".join(services),), ((OPENS, CLOSES),), **kw) for n in range(1, 5))


SIX_MINUTES = Handling("exponential", 6.0)


def single(rho: float, handling: Handling = SIX_MINUTES, **day) -> Day:
    per_hour = rho * 4 / 6 * 60
    return Day(
        services=(Service("A", flat_rates(per_hour, OPENS, CLOSES), handling),),
        counters=four(),
        opens=OPENS,
        closes=CLOSES,
        **day,
    )


def rush() -> Day:
    rates = [0.0] * 24
    for h in range(int(OPENS), int(CLOSES)):
        rates[h] = 46.0 if h == 9 else 29.0
    return Day(
        services=(Service("A", tuple(rates), SIX_MINUTES),),
        counters=four(),
        opens=OPENS,
        closes=CLOSES,
    )


def two_services() -> Day:
    per_hour = 0.85 * 4 * 60 / (6 + 10)
    return Day(
        services=(
            Service("A", flat_rates(per_hour, OPENS, CLOSES), Handling("exponential", 6.0)),
            Service("B", flat_rates(per_hour, OPENS, CLOSES), Handling("exponential", 10.0)),
        ),
        counters=four(("A", "B")),
        opens=OPENS,
        closes=CLOSES,
    )


def wheelchair() -> Day:
    day = single(0.85, low_share=0.05)
    counters = list(day.counters)
    counters[0] = Counter(1, ("A",), ((OPENS, CLOSES),), low_position=True)
    return day.with_changes(counters=tuple(counters))


def split_tiers() -> Day:
    """Counters 1-2 call ID first and PP when ID is empty, counters 3-4 the reverse."""
    return Day(  # ρ 0.85: ID brings two counters' work, PP 1.4
        services=(
            Service("ID", flat_rates(20.0, OPENS, CLOSES), SIX_MINUTES),
            Service("PP", flat_rates(14.0, OPENS, CLOSES), SIX_MINUTES),
        ),
        counters=tuple(
            Counter(n, tiers, ((OPENS, CLOSES),))
            for n, tiers in (
                (1, ("ID", "PP")),
                (2, ("ID", "PP")),
                (3, ("PP", "ID")),
                (4, ("PP", "ID")),
            )
        ),
        opens=OPENS,
        closes=CLOSES,
    )


def three_service_tiers() -> Day:
    """Three services, each first at one counter and later at the others; one shares all."""
    per_hour = 0.85 * 4 * 60 / (6 + 8 + 10)
    return Day(
        services=(
            Service("A", flat_rates(per_hour, OPENS, CLOSES), Handling("exponential", 6.0)),
            Service("B", flat_rates(per_hour, OPENS, CLOSES), Handling("exponential", 8.0)),
            Service("C", flat_rates(per_hour, OPENS, CLOSES), Handling("exponential", 10.0)),
        ),
        counters=tuple(
            Counter(n, tiers, ((OPENS, CLOSES),))
            for n, tiers in (
                (1, ("A", "B", "C")),
                (2, ("B", "C", "A")),
                (3, ("C", "A", "B")),
                (4, ("A+B+C",)),
            )
        ),
        opens=OPENS,
        closes=CLOSES,
    )


ONE_STOP_MATTERS = (  # a mean of 8.8 minutes
    Matter("quick-3", Handling("exponential", 3.0), share=0.50),
    Matter("usual-8", Handling("exponential", 8.0), share=0.35),
    Matter("long-30", Handling("exponential", 30.0), share=0.15),
)


def one_stop() -> Day:
    """A one-stop window: matters of 3, 8 and 30 minutes share one queue, ρ 0.85."""
    service = Service("ONE", (), matters=ONE_STOP_MATTERS)
    per_hour = 0.85 * 4 * 3600 / service.mean_s
    return Day(
        services=(Service("ONE", flat_rates(per_hour, OPENS, CLOSES), matters=ONE_STOP_MATTERS),),
        counters=four(("ONE",)),
        opens=OPENS,
        closes=CLOSES,
    )


SCENARIOS = {
    "rho-0.60": lambda: single(0.60),
    "rho-0.85": lambda: single(0.85),
    "rho-0.95": lambda: single(0.95),
    "rho-0.85-lognormal-cv1": lambda: single(0.85, Handling("lognormal", 6.0, 1.0)),
    "two-services-6-10": two_services,
    "rush-09-10": rush,
    "paused-12pct": lambda: single(0.85 * 0.88, pause_share=0.12, pause_mean_min=5.0),
    "green-25pct": lambda: single(0.85, green_share=0.25),
    "wheelchair-1-low-counter": wheelchair,
    "split-tiers-ID-PP": split_tiers,
    "three-service-tiers": three_service_tiers,
    "one-stop-matters": one_stop,
}
"""Four counters and a mean handling time of 6 minutes unless named; 08:00-18:00."""


def old_estimate(engine, row, now) -> float:
    """The estimator this rework replaced, in seconds (it printed the ceiling in minutes)."""
    conn = engine.conn
    green_only = " AND green_reason IS NOT NULL" if row["green_reason"] else ""
    ahead = conn.execute(
        "SELECT count(*) FROM tickets WHERE status = 'waiting' AND day = ?"
        " AND service_id = ? AND queued_at <= ? AND id != ?" + green_only,
        (row["day"], row["service_id"], row["queued_at"], row["id"]),
    ).fetchone()[0]
    times = [
        r[0]
        for r in conn.execute(
            "SELECT finished_at - served_at FROM tickets WHERE service_id = ? AND status = 'done'"
            " ORDER BY finished_at DESC LIMIT 20",
            (row["service_id"],),
        )
    ]
    if len(times) >= 3:
        h = statistics.median(times)
    else:
        h = (
            conn.execute(
                "SELECT handling_min FROM services WHERE id = ?", (row["service_id"],)
            ).fetchone()[0]
            * 60
        )
    n = conn.execute(
        "SELECT count(*) FROM counters c JOIN counter_services cs ON cs.counter_id = c.id"
        " WHERE cs.service_id = ? AND c.state IN ('open', 'paused') AND c.active = 1",
        (row["service_id"],),
    ).fetchone()[0]
    return ahead * h / max(1, n)


def new_estimate(engine, row, now) -> float:
    return estimate.estimate(engine.conn, row, now, engine.settings()).seconds


class Oracle:
    """The estimate with each service's and each matter's true mean handling time, no pause
    weighting and no overtaking forecast: ``(ahead + 1) × mean ÷ n``, or 0 when a counter
    is free."""

    def __init__(self, day: Day):
        self.means = {i + 1: s.mean_s for i, s in enumerate(day.services)}
        matters = [m for s in day.services for m in s.matters]  # added in this order
        self.matter_means = {i + 1: m.handling.mean_s for i, m in enumerate(matters)}

    def __call__(self, engine, row, now) -> float:
        saved = (estimate.handling_seconds, estimate.matter_handling_seconds,
                 estimate.PAUSED_WEIGHT, estimate.MAX_OVERTAKE)  # fmt: skip
        estimate.handling_seconds = lambda conn, sid, now, sample: self.means[sid]
        estimate.matter_handling_seconds = lambda c, mid, now, n, at_desk: self.matter_means[mid]
        estimate.PAUSED_WEIGHT, estimate.MAX_OVERTAKE = 1.0, 0.0
        try:
            return estimate.estimate(engine.conn, row, now, engine.settings()).seconds
        finally:
            (estimate.handling_seconds, estimate.matter_handling_seconds,
             estimate.PAUSED_WEIGHT, estimate.MAX_OVERTAKE) = saved  # fmt: skip


def score(pairs: list[tuple[float, float]]) -> dict:
    """MAE, bias (minutes) and share within max(25 %, 5 min) of (estimate, wait) pairs."""
    if not pairs:
        return {"mae_min": None, "bias_min": None, "within": None}
    errors = [e - w for e, w in pairs]
    return {
        "mae_min": round(sum(abs(x) for x in errors) / len(errors) / 60, 2),
        "bias_min": round(sum(errors) / len(errors) / 60, 2),
        "within": round(sum(abs(e - w) <= max(0.25 * w, 300) for e, w in pairs) / len(pairs), 3),
    }


def evaluate(name: str, replications: int, jobs: int, seed: int) -> list[dict]:
    day = SCENARIOS[name]()
    oracle = Oracle(day)
    runs = replicate(
        day, replications, seed=seed, jobs=jobs, observers=(old_estimate, new_estimate, oracle)
    )
    tickets = [t for run in runs for t in run.tickets if t.wait is not None]
    groups = {"all": tickets}
    if day.green_share:
        groups["normal"] = [t for t in tickets if not t.green]
        groups["green"] = [t for t in tickets if t.green]
    if day.low_share:
        groups["wheelchair"] = [t for t in tickets if t.low]
    if len(day.services) > 1:
        for s in day.services:
            groups[s.code] = [t for t in tickets if t.service == s.code]
    for m in (m for s in day.services for m in s.matters):
        groups[m.code] = [t for t in tickets if t.matter == m.code]
    rows = []
    for group, chosen in groups.items():
        mean_wait = sum(t.wait for t in chosen) / len(chosen) / 60 if chosen else math.nan
        row = {"scenario": name, "tickets": group, "count": len(chosen),
               "mean_wait_min": round(mean_wait, 2)}  # fmt: skip
        for i, who in enumerate(("old", "new", "oracle")):
            row[who] = score([(t.observed[i], t.wait) for t in chosen])
        new, orc = row["new"], row["oracle"]
        row["meets_targets"] = bool(
            chosen
            and abs(new["bias_min"]) <= 0.1 * mean_wait + 1e-9
            and new["mae_min"] <= 1.2 * orc["mae_min"] + 1e-9
        )
        rows.append(row)
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| scenario | tickets | mean wait | old MAE / bias / within | new MAE / bias / within"
        " | oracle MAE / bias / within | targets |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = [
            f"{r[w]['mae_min']} / {r[w]['bias_min']:+} / {r[w]['within'] * 100:.0f} %"
            for w in ("old", "new", "oracle")
        ]
        lines.append(
            f"| {r['scenario']} | {r['tickets']} ({r['count']}) | {r['mean_wait_min']} | "
            + " | ".join(cells)
            + f" | {'met' if r['meets_targets'] else 'MISSED'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replications", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    rows = []
    for name in args.scenario or list(SCENARIOS):
        rows += evaluate(name, args.replications, args.jobs, args.seed)
        print(f"{name}: done after {time.monotonic() - started:.0f} s", file=sys.stderr)
    if args.json:
        print(json.dumps(rows))
    else:
        print(markdown(rows))


if __name__ == "__main__":
    main()
