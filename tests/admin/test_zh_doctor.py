"""An admin's shell set to Chinese reads ``qconsole doctor`` in Chinese: every PROBLEM and
WARNING line's sentence comes from a code, which ``--json`` carries beside the English
detail scripts read."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from console.cli.main import app
from console.local import LocalHall
from console.reports import doctor
from tests.conftest import ADMIN

ZH = {"QCONSOLE_LANG": "zh-CN"}
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’()-]+[A-Za-z]{2,}){2,}")
"""Three English words in a row: a sentence (names, paths and codes are single words)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def said(line: str) -> str:
    """What a doctor's line says after its kind and its check's name."""
    return line.split(": ", 1)[1]


def test_a_printer_that_is_off_is_warned_of_in_chinese(small_hall: LocalHall, runner) -> None:
    port = free_port()
    small_hall.add_printer(ADMIN, name="counter1", connection="network",
                           address=f"127.0.0.1:{port}")  # fmt: skip
    small_hall.add_printer(ADMIN, name="usbdev", connection="usb", address="/dev/nonexistent-lp9")
    db = small_hall.path
    small_hall.close()
    strict = runner.invoke(app, ["doctor", "--db", db, "--strict"], env=ZH)
    assert strict.exit_code == 1
    lines = strict.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["PROBLEM printer counter1",
                                                      "PROBLEM printer usbdev"]  # fmt: skip
    assert said(lines[0]).startswith(f"127.0.0.1:{port} 连不上（")
    assert said(lines[1]) == "设备 /dev/nonexistent-lp9 不存在"
    data = json.loads(runner.invoke(app, ["doctor", "--db", db, "--json"], env=ZH).stdout)
    usb = next(c for c in data["checks"] if c["name"] == "printer usbdev")
    assert usb["reason"] == "doctor.device_missing" and usb["warning"] is True
    assert usb["message"] == "设备 /dev/nonexistent-lp9 不存在"
    assert usb["detail"] == "device /dev/nonexistent-lp9 not present"  # for scripts, as before
    for check in data["checks"]:  # every line the doctor can say, ok or not
        assert check["reason"], check
        assert not ENGLISH.findall(check["message"].replace(db, "")), check


@pytest.mark.parametrize("case", ["wal", "missing", "foreign", "server"])
def test_the_database_and_server_problems_are_said_in_chinese(
    case: str, day_db: Path, tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    if case == "wal":
        monkeypatch.setattr(doctor, "WAL_LIMIT", -1)
        argv, name, reason, zh = ["--db", str(day_db)], "wal", "doctor.wal_large", "阻止了检查点"
    elif case == "missing":
        argv, name, reason, zh = (["--db", str(tmp_path / "none.db")], "database", "db.missing",
                                  "没有大厅数据库")  # fmt: skip
    elif case == "foreign":
        import sqlite3

        foreign = tmp_path / "other.db"
        sqlite3.connect(foreign).execute("CREATE TABLE x (a)").connection.close()
        argv, name, reason, zh = (["--db", str(foreign)], "schema", "db.foreign",
                                  "不是 qconsole 大厅数据库")  # fmt: skip
    else:
        url = f"http://127.0.0.1:{free_port()}"
        argv, name, reason, zh = ["--server", url], "server", "doctor.server_unreachable", "连不上"
    plain = runner.invoke(app, ["doctor", *argv], env=ZH)
    assert plain.exit_code in (1, 3), plain.output
    [line] = [x for x in plain.stdout.splitlines() if x.startswith(f"PROBLEM {name}:")]
    assert zh in said(line), line
    data = json.loads(runner.invoke(app, ["doctor", *argv, "--json"], env=ZH).stdout)
    [check] = [c for c in data["checks"] if c["name"] == name]
    assert check["reason"] == reason and check["message"] == said(line)
