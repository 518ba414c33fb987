"""A full disk and a read-only database: clear refusals, nothing damaged, work resumes."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess

import pytest

from console.domain.errors import Unavailable
from console.local import LocalHall
from tests.conftest import ADMIN, clerk


@pytest.fixture
def small_fs(tmp_path):
    """A 3 MB tmpfs made by the test (needs root and mount), or a documented skip."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.decode().strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_fails_cleanly_and_recovers(small_fs):
    db = small_fs / "hall.db"
    hall = LocalHall(db, create=True)
    hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
    hall.add_counter(ADMIN, number=1, services=["ID"])
    hall.add_clerk(ADMIN, staff_no="1001", name="c", pin="1234")
    hall.open_counter(clerk("1001"), 1)
    ballast = small_fs / "ballast"
    with ballast.open("wb") as fh:  # leave a little room, then fill it with tickets
        free = os.statvfs(small_fs).f_bavail * os.statvfs(small_fs).f_frsize
        fh.write(b"\0" * max(0, free - 400_000))
    issued, error = [], None
    for _ in range(20_000):
        try:
            issued.append(hall.issue(ADMIN, "ID", green_note="x" * 400).ticket.number)
        except Unavailable as exc:
            error = exc
            break
    assert error is not None, "the disk never filled"
    assert "full" in error.message and error.exit_code == 3
    hall.close()
    ballast.unlink()

    hall = LocalHall(db)
    assert hall.engine.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    numbers = [t.number for t in hall.list_tickets(day=hall.clock.day())]
    assert numbers[: len(issued)] == issued  # every acknowledged ticket is there
    assert hall.issue(ADMIN, "ID").ticket.number not in issued  # and work goes on
    assert hall.call_next(clerk("1001"), 1).number == issued[0]
    hall.close()


def test_read_only_database_refuses_writes_and_keeps_reads(hall, db_path, clock):
    hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
    hall.issue(ADMIN, "ID")
    hall.close()
    uri = f"file:{db_path}?mode=ro"
    ro = sqlite3.connect(uri, uri=True, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.execute("BEGIN IMMEDIATE")
        ro.execute("DELETE FROM tickets")
    ro.close()
    os.chmod(db_path, 0o444)
    try:
        reopened = LocalHall(db_path, clock=clock)
        if os.access(db_path, os.W_OK):  # root can write anyway: use SQLite's read-only mode
            reopened.engine.conn.execute("PRAGMA query_only = ON")
        with pytest.raises(Unavailable, match="read-only|readonly"):
            reopened.issue(ADMIN, "ID")
        assert [t.number for t in reopened.list_tickets()] == ["A001"]
        reopened.engine.conn.execute("PRAGMA query_only = OFF")
    finally:
        os.chmod(db_path, 0o644)
    assert LocalHall(db_path, clock=clock).issue(ADMIN, "ID").ticket.number == "A002"


def test_a_full_disk_is_said_so_when_nobody_else_holds_the_database(small_fs):
    db = small_fs / "hall.db"
    hall = LocalHall(db, create=True)
    hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
    hall.close()
    fd = os.open(small_fs / "ballast", os.O_WRONLY | os.O_CREAT)
    with contextlib.suppress(OSError):  # every last block
        while True:
            os.write(fd, b"\0" * 4096)
    os.close(fd)
    with pytest.raises(Unavailable) as caught:
        hall = LocalHall(db)
        try:
            hall.issue(ADMIN, "ID", green_note="x" * 300)
        finally:
            hall.close()
    assert "is full" in caught.value.message, caught.value.message
