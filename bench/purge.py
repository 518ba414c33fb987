"""What ``qconsole purge`` costs on a hall with history: the first purge of a hall that has
kept everything, and the nightly one after it, against reading the same rows raw.

A history hall is filled through the schema (``bench/make_history.py``) with every day
older than the retention; a share of its tickets gets a note, a green-channel reason and
note, a list of what to bring and a comment, and their events carry them as the engine
writes them. The baseline, in the same run, is a plain read of what the purge must read:
every ticket row of those days and every event's ``changes`` decoded.

    uv run python bench/purge.py --tickets 200000
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.make_history import fill
from console.domain import Actor
from console.local import LocalHall

ADMIN = Actor(staff_no="cli", role="admin", station="bench")


def personalise(path: Path, share: float) -> int:
    """Give ``share`` of the tickets personal fields, and their finish events the same."""
    conn = sqlite3.connect(path, isolation_level=None)
    step = max(1, round(1 / share))
    conn.execute("BEGIN")
    changed = conn.execute(
        "UPDATE tickets SET note = 'bench note ' || id, green_reason = 'elderly',"
        " green_note = 'bench green ' || id, materials = '[\"户口簿\"]',"
        " feedback = 'bench comment ' || id WHERE id % ? = 0",
        (step,),
    ).rowcount
    conn.execute(
        "UPDATE events SET changes = json_set(changes, '$.note', json_array(NULL, 'bench'))"
        " WHERE kind = 'finished' AND ticket_id % ? = 0",
        (step,),
    )
    conn.execute("COMMIT")
    conn.close()
    return changed


def raw_read(path: Path) -> float:
    """Seconds to read every ticket row and decode every event's changes."""
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    for _ in conn.execute("SELECT * FROM tickets"):
        pass
    for (changes,) in conn.execute("SELECT changes FROM events"):
        json.loads(changes)
    conn.close()
    return time.perf_counter() - started


def purge(path: Path) -> tuple[float, dict]:
    hall = LocalHall(path)
    try:
        started = time.perf_counter()
        plan = hall.purge_personal(ADMIN)
        return time.perf_counter() - started, plan.to_dict()
    finally:
        hall.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--share", type=float, default=0.1)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="qconsole-purge-"))
    path = work / "history.db"
    path.unlink(missing_ok=True)
    fill(path, args.tickets, before=date.today() - timedelta(days=100))
    marked = personalise(path, args.share)
    baseline = raw_read(path)
    first, plan = purge(path)
    nightly, again = purge(path)
    size = path.stat().st_size
    print(f"{args.tickets} tickets ({marked} with personal fields), {size / 2**20:.0f} MiB")
    print(f"raw read of tickets and events: {baseline:.2f} s (baseline)")
    print(f"first purge: {first:.2f} s = {first / baseline:.2f}x  {plan}")
    print(f"next purge, nothing new: {nightly:.3f} s = {nightly / baseline:.3f}x  {again}")


if __name__ == "__main__":
    main()
