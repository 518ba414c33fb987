"""Outputs and inputs handled like a careful Unix tool: devices refused, foreign files
untouched, hall data never world-readable."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.cli.conftest import Qconsole


@pytest.fixture
def hall(tmp_path: Path) -> Qconsole:
    qc = Qconsole(tmp_path / "hall.db")
    assert qc("init").exit_code == 0
    return qc


def _special_targets(tmp_path: Path) -> list[Path]:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    sock.close()
    targets = [fifo, sock_path]
    device = tmp_path / "null"  # a private /dev/null: a faulty run only damages this copy
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        targets.append(device)
    except PermissionError:
        pass  # not root: FIFOs and sockets still stand for every non-regular file
    return targets


@pytest.mark.parametrize(
    "command",
    [
        ("backup", "{}"),
        ("export", "--day", "today", "--what", "tickets", "--format", "csv", "--out", "{}"),
        ("report", "--day", "today", "--format", "html", "--out", "{}"),
    ],
)
def test_devices_fifos_and_sockets_are_refused_as_targets(hall, tmp_path, command):
    for target in _special_targets(tmp_path):
        before = os.stat(target)
        r = hall(*(a.replace("{}", str(target)) for a in command))
        assert r.exit_code == 2, (target, r.stderr)
        assert r.stderr.count("\n") == 1 and "not a regular file" in r.stderr
        after = os.stat(target)
        assert (stat.S_IFMT(after.st_mode), after.st_ino) == (
            stat.S_IFMT(before.st_mode),
            before.st_ino,
        )
        for leftover in target.parent.glob(f".{target.name}.qconsole-tmp-*"):
            pytest.fail(f"a temporary was left: {leftover}")
        target.unlink()


def test_dash_still_means_standard_output(hall):
    r = hall("export", "--day", "today", "--what", "tickets", "--format", "csv", "--out", "-")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0].startswith(('"id"', "id"))


def test_hall_data_files_are_not_world_readable(hall, tmp_path):
    hall("services", "add", "ID", "--zh", "身份证", "--en", "ID", "--prefix", "A")
    hall("tickets", "issue", "ID")
    outputs = tmp_path / "out"
    outputs.mkdir()
    assert hall("backup", str(outputs / "copy.db")).exit_code == 0
    assert hall("export", "--day", "today", "--out", str(outputs / "t.csv")).exit_code == 0
    assert hall("export", "--day", "today", "--format", "xlsx",
                "--out", str(outputs / "t.xlsx")).exit_code == 0  # fmt: skip
    assert hall("report", "--format", "html", "--out", str(outputs / "r.html")).exit_code == 0
    files = [hall.db, *outputs.iterdir()]
    assert len(files) == 5
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) & 0o007 == 0, f"{f} is world-readable"


def _header(path: Path) -> bytes:
    return path.read_bytes()[:100]


@pytest.mark.parametrize("command", [("tickets", "list"), ("init",), ("doctor",)])
def test_refused_files_are_left_untouched(tmp_path, command):
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    empty = tmp_path / "empty.db"
    empty.touch()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all\n" * 300)
    cases = [(foreign, foreign.read_bytes()), (garbage, garbage.read_bytes())]
    if command != ("init",):  # init makes a hall in an empty file: that is its job
        cases.append((empty, b""))
    for path, before in cases:
        r = Qconsole(path)(*command)
        assert r.exit_code in (1, 3), (path, r.stderr)
        assert path.read_bytes() == before, f"{path.name} was changed"
        assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
