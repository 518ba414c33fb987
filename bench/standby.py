"""The standby's figures (issue 19): RPO and RTO of a failover on loopback.

Runs the failover drill of ``tests/standby/drill.py`` ``--runs`` times per replica kind:
a primary ``qconsole serve --replica`` with 16 stations working (10 issuing tickets, 6
calling and finishing them, about 50 actions a second), SIGKILLed (Litestream dies with
it, as with the machine); the standby restored (``qconsole restore``) and started
(``qconsole serve``) by docs/admin.md's procedure; the stations carrying on by themselves.

Prints per run and as medians:

* RPO: acknowledged actions lost (a station was told "done", the standby does not have
  it) and how long before the kill the oldest of them was acknowledged; also the commits
  the dead primary's disk holds beyond the replica (acknowledged or not);
* RTO: kill → the first action the standby served, and in it the restore and the
  server's start. The baseline, measured in the same run, is the server's start alone
  on the restored database: RTO ÷ baseline says what the failover costs beyond a restart;
* the lost call: desks whose last call the standby lacked, how many were called back to
  their own counter and how many citizens the standby called at another one (must be 0);
* with ``--stall S`` (SFTP): Litestream's session stopped before the kill; how long until
  the primary's /health said so, its lag in writes, and the gap the restore chose;
* with ``--restart-old``: the old primary started again (its exit code; actions stations
  did on it when started without its replica: must be 0).

Targets: RPO ≤ 1 s of writes, RTO < 60 s. Usage:

    uv run python bench/standby.py [--runs 3] [--kinds directory,sftp] [--stall S]
                                   [--restart-old]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.standby.drill import Sshd, run_drill  # noqa: E402

MOMENT = "2026-11-26T09:30:00+08:00"
"""The drill's hall clock (any working day's morning: sessions are open)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kinds", default="directory,sftp")
    parser.add_argument("--work", type=float, default=6.0, help="seconds of work before the kill")
    parser.add_argument(
        "--stall",
        type=float,
        default=0.0,
        help="SFTP: seconds of work with Litestream's session stopped",
    )
    parser.add_argument(
        "--restart-old", action="store_true", help="start the old primary again after the failover"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QCONSOLE_NOW", MOMENT)
    os.environ.setdefault("TZ", "Asia/Shanghai")
    results: dict[str, list[dict]] = {}
    for kind in args.kinds.split(","):
        if kind == "sftp" and Sshd.missing():
            print(f"sftp: skipped, {Sshd.missing()}", file=sys.stderr)
            continue
        for _ in range(args.runs):
            stall = args.stall if kind == "sftp" else 0.0
            summary = run_drill(kind, work_s=args.work, after_s=2.0, stall_s=stall,
                                restart_old=args.restart_old).summary()  # fmt: skip
            results.setdefault(kind, []).append(summary)
            if not args.json:
                print(json.dumps(summary), flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print()
    print(
        "| replica | runs | actions/s | acked lost (RPO) | RPO s | commits beyond replica "
        "| restore s | serve start s (baseline) | RTO s | RTO ÷ baseline | unknown outcome "
        "| numbers given twice | lost calls (called back / called elsewhere) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for kind, runs in results.items():

        def med(name: str, runs: list[dict] = runs) -> float:
            return statistics.median(r[name] for r in runs)

        worst_rpo = max(r["rpo_s"] for r in runs)
        worst_rto = max(r["rto_s"] for r in runs)
        print(f"| {kind} | {len(runs)} | {med('actions_per_s'):.0f} "
              f"| {med('lost_actions'):.0f} (max {max(r['lost_actions'] for r in runs)}) "
              f"| {med('rpo_s'):.2f} (max {worst_rpo:.2f}) | {med('lost_commits'):.0f} "
              f"| {med('restore_s'):.2f} | {med('standby_start_s'):.2f} "
              f"| {med('rto_s'):.2f} (max {worst_rto:.2f}) "
              f"| {med('rto_s') / med('standby_start_s'):.1f}× "
              f"| {sum(r['unknown_outcome'] for r in runs)} "
              f"| {sum(len(r['duplicate_numbers']) for r in runs)} "
              f"| {sum(r['lost_calls'] for r in runs)} ({sum(r['called_back'] for r in runs)} / "
              f"{sum(r['called_elsewhere'] for r in runs)}) |")  # fmt: skip
    stalled = [r for runs in results.values() for r in runs if r["stall_seen_s"] is not None]
    if stalled:
        print()
        print(
            "| stalled replica | seen on /health after s | lag in writes then | gap chosen "
            "| numbers given twice |"
        )
        print("|---|---|---|---|---|")
        for r in stalled:
            print(
                f"| {r['replica']} | {r['stall_seen_s']} | {r['stall_lag_writes']} | {r['gap']} "
                f"| {len(r['duplicate_numbers'])} |"
            )
    old = [r for runs in results.values() for r in runs if args.restart_old]
    for r in old:
        print(
            f"old primary restarted ({r['replica']}): exit {r['old_primary_exit']}, actions on "
            f"it without its replica {r['acks_on_old_primary']}, a new station on the standby: "
            f"{r['new_station_on_standby']}"
        )


if __name__ == "__main__":
    main()
