"""A damaged page in a table an export or report reads refuses it with one sentence (exit
3), even when the day's rows would not touch that page: a nightly file that looks whole but
comes from a damaged database is worse than none. Refused, the file gets no -wal/-shm."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from console.local import LocalHall
from tests.server.conftest import PIN, build_hall

ROOT = Path(__file__).resolve().parents[2]


def qconsole(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from console.cli.main import run; run()",
                           *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)  # fmt: skip


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """400 tickets today; one page of an index of the tickets table overwritten on disk."""
    db = tmp_path / "hall.db"
    build_hall(db)
    hall = LocalHall(db)
    try:
        clerk = hall.login("1001", PIN, "t")
        for _ in range(400):
            hall.issue(clerk, "ID")
    finally:
        hall.close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [r[0] for r in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'tickets_day' ORDER BY pageno")]  # fmt: skip
    conn.close()
    with open(db, "r+b") as f:
        f.seek((pages[len(pages) // 2] - 1) * size)
        f.write(b"\xa5" * size)
    return db


def test_export_and_report_refuse_a_damaged_table_and_doctor_says_so(damaged: Path, tmp_path):
    out = tmp_path / "tickets.csv"
    export = qconsole("export", "--db", str(damaged), "--day", "2026-11-26", "--what",
                      "tickets", "--format", "csv", "--out", str(out))  # fmt: skip
    assert export.returncode == 3, export.stdout + export.stderr
    assert "is damaged (tickets:" in export.stderr and "restore from a backup" in export.stderr
    assert not out.exists()
    report = qconsole("report", "--db", str(damaged), "--day", "2026-11-26")
    assert report.returncode == 3 and "is damaged (tickets:" in report.stderr
    assert "Traceback" not in export.stderr + report.stderr
    assert sorted(p.name for p in damaged.parent.iterdir() if p.name.startswith("hall.db")) == [
        "hall.db"]  # nothing left beside the refused file  # fmt: skip
    doctor = qconsole("doctor", "--db", str(damaged))
    assert doctor.returncode == 1 and "PROBLEM integrity" in doctor.stdout
