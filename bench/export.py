"""Export benchmark: a year of tickets and events to CSV and JSON Lines, beside ``sqlite3 -csv``.

Each export runs in its own process, which reports its wall time and peak
resident memory (``ru_maxrss``); ``sqlite3 -csv`` (Debian's sqlite3 package)
runs the exporter's own SELECT on the same file in the same run. Memory
flatness: the same export over one month and over the whole range.

    uv run python bench/export.py --db /tmp/bench/year.db --generate --tickets 2000000
    uv run python bench/export.py --db /tmp/bench/year.db --results bench/out/export.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from console.reports.dates import DayRange  # noqa: E402
from console.reports.export import ExportSpec, query_params, select_sql  # noqa: E402


def child(what: str, fmt: str, first: str, last: str, db: str, out: str) -> None:
    """Run one export in this process and print its figures as JSON."""
    from console.reports.db import open_readonly
    from console.reports.export import export

    started = time.perf_counter()
    result = export(open_readonly(db), ExportSpec(what, DayRange(first, last), fmt), out)
    result["wall_s"] = round(time.perf_counter() - started, 2)
    result["maxrss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


def run_child(what: str, fmt: str, days: DayRange, db: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", what, fmt, days.first, days.last, str(db),
           str(out)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def run_sqlite3(spec: ExportSpec, db: Path, out: Path) -> dict:
    """``sqlite3 -csv -header`` on the exporter's own query, to a file."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    params = query_params(conn, spec)  # the same values the exporter binds
    conn.close()
    sql = select_sql(spec)
    for name, value in sorted(params.items(), key=lambda kv: -len(kv[0])):
        sql = sql.replace(f":{name}", repr(value))
    started = time.perf_counter()
    with out.open("wb") as f:
        subprocess.run(["sqlite3", "-readonly", "-csv", "-header", str(db), sql], stdout=f,
                       check=True)  # fmt: skip
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"wall_s": round(wall, 2), "maxrss_mib": round(peak, 1), "bytes": out.stat().st_size}


def day_span(db: Path) -> DayRange:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    first, last = conn.execute("SELECT min(day), max(day) FROM tickets").fetchone()
    conn.close()
    return DayRange(first, last)


def main() -> None:
    p = argparse.ArgumentParser(description="qconsole export benchmark")
    p.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    p.add_argument("--db", type=Path, default=Path("/tmp/bench/year.db"))
    p.add_argument("--generate", action="store_true", help="build the database first")
    p.add_argument("--tickets", type=int, default=2_000_000)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--results", type=Path, help="write a Markdown table here")
    p.add_argument("--out-dir", type=Path, help="where the exports go (default: a temp dir)")
    args = p.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.generate:
        from bench.year import generate

        first = date.today() - timedelta(days=args.days)
        print("generating:", json.dumps(generate(args.db, args.tickets, args.days, first)))
    if shutil.which("sqlite3") is None:
        raise SystemExit("sqlite3 CLI missing: apt-get install sqlite3")
    days = day_span(args.db)
    first_day = date.fromisoformat(days.first)
    month = DayRange(days.first, (first_day + timedelta(days=29)).isoformat())
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    n_tickets = conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
    n_events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    out_dir = args.out_dir or Path(tempfile.mkdtemp(prefix="qconsole-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for what in ("tickets", "events"):
        spec = ExportSpec(what, days, "csv")
        ref = run_sqlite3(spec, args.db, out_dir / f"sqlite3-{what}.csv")
        ours = run_child(what, "csv", days, args.db, out_dir / f"{what}.csv")
        (out_dir / f"sqlite3-{what}.csv").unlink()
        jl = run_child(what, "jsonl", days, args.db, out_dir / f"{what}.jsonl")
        small = run_child(what, "csv", month, args.db, out_dir / f"{what}-month.csv")
        rows.append((what, ours["rows"], ref, ours, jl, small))
        for f in out_dir.glob(f"{what}*"):
            f.unlink()
        print(json.dumps({"what": what, "sqlite3": ref, "csv": ours, "jsonl": jl,
                          "csv_month": small}))  # fmt: skip
    report_t = time.perf_counter()
    from console.reports.db import open_readonly
    from console.reports.report import compute

    compute(open_readonly(args.db), days)
    report_s = time.perf_counter() - report_t
    lines = [
        f"Database: {n_tickets:,} tickets, {n_events:,} events, {days.first} – {days.last}, "
        f"{args.db.stat().st_size / 2**30:.2f} GiB. "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs.",
        "",
        "| export | rows | sqlite3 -csv | qconsole CSV | ratio | CSV peak RSS (1 month → "
        "whole range) | qconsole JSONL | JSONL peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for what, n, ref, ours, jl, small in rows:
        lines.append(
            f"| {what} | {n:,} | {ref['wall_s']:.1f} s | {ours['wall_s']:.1f} s | "
            f"{ours['wall_s'] / ref['wall_s']:.2f}× | {small['maxrss_mib']:.0f} → "
            f"{ours['maxrss_mib']:.0f} MiB | {jl['wall_s']:.1f} s | {jl['maxrss_mib']:.0f} MiB |"
        )
    lines += ["", f"`qconsole report` over the whole range: {report_s:.1f} s."]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.results:
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
