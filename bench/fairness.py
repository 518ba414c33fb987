"""The green-channel rule's trade-off: what green tickets gain and normal tickets pay.

M/M/4 at 85 % busy (mean handling 6 min), 08:00-18:00, through the real engine. For
each green share (10 %, 25 %, 40 %) and each rule:

* ``strict`` — the rule before this rework: green first, streak limit 3;
* ``credit N`` — a green ticket queues as if issued N minutes earlier (streak limit 3);

the normal tickets' p95 and worst wait, against the same hall with no green tickets,
and the green tickets' mean wait against the normal tickets'. Targets for the
default: at 10 % green, normal p95 within +10 % of no green channel and green mean
≤ 1/3 of normal; at 25 % green, normal p95 within +20 %.

    uv run python bench/fairness.py                 # 30 days per cell
    uv run python bench/fairness.py --replications 10 --credits 5 10
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.estimate import single
from console.simulate import replicate
from console.simulate.summary import quantile

STRICT = 10_000
"""A credit longer than any day: green tickets always first (the old rule)."""


def figures(share: float, credit: int, replications: int, jobs: int) -> dict:
    day = single(0.85, green_share=share, settings={"green_credit_min": credit})
    runs = replicate(day, replications, seed=1, jobs=jobs)
    tickets = [t for run in runs for t in run.tickets if t.wait is not None]
    normal = [t.wait / 60 for t in tickets if not t.green]
    green = [t.wait / 60 for t in tickets if t.green]
    return {
        "normal_mean": sum(normal) / len(normal),
        "normal_p95": quantile(normal, 0.95),
        "normal_max": max(normal),
        "green_mean": sum(green) / len(green) if green else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--credits", type=int, nargs="+", default=[5, 10, 15, 20])
    parser.add_argument("--shares", type=float, nargs="+", default=[0.10, 0.25, 0.40])
    args = parser.parse_args()
    started = time.monotonic()
    base = figures(0.0, 10, args.replications, args.jobs)
    print(f"no green channel: normal mean {base['normal_mean']:.1f} min, "
          f"p95 {base['normal_p95']:.1f} min, worst {base['normal_max']:.0f} min")  # fmt: skip
    print()
    print("| green share | rule | normal p95 (vs none) | normal worst | normal mean"
          " | green mean (÷ normal) | targets |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for share in args.shares:
        for credit in [STRICT, *args.credits]:
            f = figures(share, credit, args.replications, args.jobs)
            rise = f["normal_p95"] / base["normal_p95"] - 1
            ratio = f["green_mean"] / f["normal_mean"]
            limit = 0.10 if share <= 0.10 else 0.20 if share <= 0.25 else None
            met = "-" if limit is None else (
                "met" if rise <= limit and (share > 0.10 or ratio <= 1 / 3) else "MISSED"
            )  # fmt: skip
            rule = "strict (green first)" if credit == STRICT else f"credit {credit} min"
            p95 = f"{f['normal_p95']:.1f} min ({rise * 100:+.0f} %)"
            worst, mean = f"{f['normal_max']:.0f} min", f"{f['normal_mean']:.1f} min"
            print(f"| {share * 100:.0f} % | {rule} | {p95} | {worst} | {mean}"
                  f" | {f['green_mean']:.1f} min ({ratio:.2f}) | {met} |")  # fmt: skip
            sys.stdout.flush()
    print(f"\n({args.replications} days per row, {time.monotonic() - started:.0f} s)",
          file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    main()
