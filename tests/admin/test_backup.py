"""qconsole backup: a consistent copy while stations write, verified, rotated, restorable."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from pathlib import Path

from console.cli.main import app
from console.engine import FixedClock
from console.engine.replay import replay_mismatches
from console.local import LocalHall
from console.reports.backup import backup, rotate
from tests.conftest import ADMIN
from tests.waiting import wait_until


def test_backup_while_a_station_keeps_issuing(small_hall: LocalHall, tmp_path: Path) -> None:
    db = Path(small_hall.path)
    stop = threading.Event()
    issued = []

    def station() -> None:
        other = LocalHall(db, clock=FixedClock(small_hall.clock.now(), small_hall.clock.tz))
        try:
            while not stop.is_set():
                issued.append(other.issue(ADMIN, "ID").ticket.number)
        finally:
            other.close()

    worker = threading.Thread(target=station)
    worker.start()
    try:
        wait_until(lambda: len(issued) >= 20, what="20 tickets issued by the other station")
        copies = [backup(db, tmp_path / f"copy{i}.db") for i in range(3)]
    finally:
        stop.set()
        worker.join()
    for result in copies:
        assert result["integrity"] == "ok"
        conn = sqlite3.connect(result["backup"])
        # one snapshot: every ticket in the copy has its events, and the log agrees with it
        assert replay_mismatches(conn) == []
        assert conn.execute("SELECT count(*) FROM tickets").fetchone()[0] > 0
        conn.close()
    assert not list(tmp_path.glob(".*qconsole-tmp*"))


def test_backup_cli_rotation_and_restore(day_db: Path, runner, tmp_path: Path) -> None:
    store = tmp_path / "backups"
    store.mkdir()
    for stamp in ("20261120-233000", "20261121-233000", "20261122-233000"):
        (store / f"hall-{stamp}.db").write_bytes(b"old")
    (store / "notes.txt").write_text("keep me")
    result = runner.invoke(app, ["backup", str(store), "--keep", "2", "--db", str(day_db),
                                 "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    made = Path(info["backup"])
    assert made.parent == store and made.name.startswith("hall-")
    assert sorted(p.name for p in store.iterdir()) == sorted(
        ["hall-20261122-233000.db", made.name, "notes.txt"]
    )

    # Restore: stop the stations, put the copy in place, remove any -wal/-shm, check.
    restored = tmp_path / "restored" / "hall.db"
    restored.parent.mkdir()
    shutil.copy2(made, restored)
    check = runner.invoke(app, ["doctor", "--db", str(restored)])
    assert check.exit_code == 0, check.output
    hall = LocalHall(restored)
    assert len(hall.list_tickets(day="2026-11-26")) == 7
    hall.close()


def test_backup_refuses_bad_targets(day_db: Path, runner, tmp_path: Path) -> None:
    r = runner.invoke(app, ["backup", str(tmp_path / "nodir" / "x.db"), "--db", str(day_db)])
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    r = runner.invoke(app, ["backup", str(day_db), "--db", str(day_db)])
    assert r.exit_code == 2
    r = runner.invoke(app, ["backup", str(tmp_path / "x.db"), "--keep", "3", "--db", str(day_db)])
    assert r.exit_code == 2
    r = runner.invoke(app, ["backup", str(tmp_path / "x.db"), "--db", str(tmp_path / "no.db")])
    assert r.exit_code == 3
    r = runner.invoke(app, ["backup", str(tmp_path / "x.db"), "--server", "http://hall:8765"])
    assert r.exit_code == 2 and "--db" in r.stderr


def test_rotate_keeps_the_newest(tmp_path: Path) -> None:
    for stamp in ("20260101-000000", "20260102-000000", "20260103-000000"):
        (tmp_path / f"hall-{stamp}.db").touch()
    (tmp_path / "other-20260101-000000.db").touch()
    removed = rotate(tmp_path, "hall", 1)
    assert [Path(p).name for p in removed] == ["hall-20260101-000000.db", "hall-20260102-000000.db"]
    assert (tmp_path / "other-20260101-000000.db").exists()
