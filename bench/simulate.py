"""Simulator speed: 20 replications of a 6,000-ticket day at 40 counters, in under 60 s.

The day: five services, 40 counters (each serving one service first and the four
others in a second tier), 08:00-18:00, 600 tickets an hour, handling times
log-normal (mean 3.4 min, CV 0.8) so the counters are ~85 % busy; 10 % green.
Every ticket goes through the real engine (issue with its estimate, call-next,
serve, finish). The baseline, measured in the same run, is one replication alone in
this process: the 20 replications (in ``--jobs`` processes) are reported against it.
The machine's load average is printed with the figures, since the machine is shared,
and so is the CPU time the replications used: on a loaded machine the wall time
measures the other tenants as much as the simulator.

    uv run python bench/simulate.py                # 20 replications, 2 processes
    uv run python bench/simulate.py --replications 4 --jobs 1
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.simulate import Counter, Day, Handling, Service, flat_rates, replicate, simulate_day

CODES = ("ID", "PP", "RES", "HH", "VEH")


def big_day() -> Day:
    services = tuple(
        Service(code, flat_rates(120.0, 8, 18), Handling("lognormal", 3.4, 0.8)) for code in CODES
    )
    counters = tuple(
        Counter(
            n,
            (CODES[n % 5], "+".join(c for c in CODES if c != CODES[n % 5])),
            ((8.0, 18.0),),
            low_position=n == 1,
        )
        for n in range(1, 41)
    )
    return Day(services, counters, opens=8, closes=18, green_share=0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    day = big_day()
    load = os.getloadavg()
    started, cpu = time.perf_counter(), time.process_time()
    one = simulate_day(day, 0)
    baseline, baseline_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, before = time.perf_counter(), os.times()
    runs = replicate(day, args.replications, jobs=args.jobs)
    took, after = time.perf_counter() - started, os.times()
    cpu_s = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    if args.jobs <= 1:
        cpu_s = (after.user - before.user) + (after.system - before.system)
    tickets = sum(len(r.tickets) for r in runs)
    print(f"load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
          f" (cores: {os.cpu_count()}); after: {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"baseline, 1 replication alone: {len(one.tickets)} tickets in {baseline:.1f} s"
          f" ({baseline_cpu:.1f} s of CPU)")  # fmt: skip
    print(f"{args.replications} replications in {args.jobs} processes: {tickets} tickets"
          f" in {took:.1f} s ({tickets / took:.0f} tickets/s), {took / baseline:.1f}× the"
          f" baseline; target under 60 s: {'met' if took < 60 else 'MISSED'}")  # fmt: skip
    print(f"CPU: {cpu_s:.0f} s in all, {cpu_s / max(1, tickets) * 1000:.2f} ms a ticket;"
          f" on {args.jobs} unshared cores, {cpu_s / args.jobs:.0f} s of wall time")  # fmt: skip


if __name__ == "__main__":
    main()
