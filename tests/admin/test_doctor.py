"""qconsole doctor: exit 0 only when all is well, one line per problem otherwise."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from console.cli.main import app
from console.local import LocalHall
from console.reports import doctor
from tests.conftest import ADMIN


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthy_hall(day_db: Path, runner) -> None:
    result = runner.invoke(app, ["doctor", "--db", str(day_db), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert {c["name"] for c in data["checks"]} >= {
        "filesystem",
        "schema",
        "integrity",
        "wal",
        "disk",
    }
    quiet = runner.invoke(app, ["doctor", "--db", str(day_db)])
    assert quiet.exit_code == 0 and quiet.stdout == ""  # silent under cron when all is well


def test_printers_each_checked(small_hall: LocalHall, tmp_path: Path, runner) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    up = listener.getsockname()[1]
    small_hall.add_printer(ADMIN, name="reception", connection="network", address=f"127.0.0.1:{up}")
    small_hall.add_printer(
        ADMIN, name="counter1", connection="network", address=f"127.0.0.1:{free_port()}"
    )
    small_hall.add_printer(
        ADMIN, name="spool", connection="file", address=str(tmp_path / "spool.bin")
    )
    small_hall.add_printer(ADMIN, name="usbdev", connection="usb", address="/dev/nonexistent-lp9")
    db = Path(small_hall.path)
    small_hall.close()
    try:
        result = runner.invoke(app, ["doctor", "--db", str(db)])
        strict = runner.invoke(app, ["doctor", "--db", str(db), "--strict"])
        cron = runner.invoke(app, ["doctor", "--db", str(db), "--quiet"])
        cron_strict = runner.invoke(app, ["doctor", "--db", str(db), "--quiet", "--strict"])
    finally:
        listener.close()
    # a printer that is off is a warning: cron mails nothing, the exit says all is well
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2  # one line per warning, nothing else
    assert lines[0].startswith("WARNING printer counter1:") and "unreachable" in lines[0]
    assert lines[1].startswith("WARNING printer usbdev:")
    assert strict.exit_code == 1
    assert [line.split(":")[0] for line in strict.stdout.strip().splitlines()] == [
        "PROBLEM printer counter1",
        "PROBLEM printer usbdev",
    ]
    # --quiet (the nightly job): warnings print nothing at all; problems go to stderr
    assert cron.exit_code == 0 and cron.stdout == "" and cron.stderr == ""
    assert cron_strict.exit_code == 1 and cron_strict.stdout == ""
    assert cron_strict.stderr.count("PROBLEM printer") == 2


def test_server_health(runner, day_db: Path) -> None:
    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/health" else 404)
            self.end_headers()
            self.wfile.write(b'{"ok": true}')

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        ok = runner.invoke(app, ["doctor", "--server", url, "--json"])
        assert ok.exit_code == 0, ok.output
        assert [c["name"] for c in json.loads(ok.stdout)["checks"]] == ["server"]
        both = runner.invoke(app, ["doctor", "--server", url, "--db", str(day_db)])
        assert both.exit_code == 0
    finally:
        server.shutdown()
    down = runner.invoke(app, ["doctor", "--server", f"http://127.0.0.1:{free_port()}"])
    assert down.exit_code == 1
    assert down.stdout.startswith("PROBLEM server:") and len(down.stdout.splitlines()) == 1


def test_missing_or_foreign_database_exits_3(tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["doctor", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 3 and "PROBLEM database" in result.stdout
    foreign = tmp_path / "other.db"
    sqlite3.connect(foreign).execute("CREATE TABLE x (a)").connection.close()
    result = runner.invoke(app, ["doctor", "--db", str(foreign)])
    assert result.exit_code == 3 and "PROBLEM schema" in result.stdout


def test_network_fs_and_big_wal(day_db: Path, runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "WAL_LIMIT", -1)
    result = runner.invoke(app, ["doctor", "--db", str(day_db)])
    assert result.exit_code == 1 and result.stdout.startswith("PROBLEM wal:")
    monkeypatch.setattr(doctor, "network_fs_problem", lambda p: f"{p} is on a network file system")
    result = runner.invoke(app, ["doctor", "--db", str(day_db)])
    assert result.exit_code == 3 and "PROBLEM filesystem" in result.stdout


def test_damaged_database(day_db: Path, runner) -> None:
    data = bytearray(day_db.read_bytes())
    for offset in range(4096 * 3, len(data), 4096):  # scribble over every page after the third
        data[offset : offset + 300] = b"\xff" * 300  # headers included: any layout is hit
    day_db.write_bytes(bytes(data))
    Path(f"{day_db}-wal").unlink(missing_ok=True)
    result = runner.invoke(app, ["doctor", "--db", str(day_db)])
    assert result.exit_code in (1, 3)
    assert "PROBLEM" in result.stdout


def test_a_missing_cjk_font_is_a_problem_only_for_raster_printers(monkeypatch, tmp_path):
    import sqlite3

    import printers.doctor
    from console.reports.doctor import check_printing_needs

    monkeypatch.setattr(
        printers.doctor,
        "checks",
        lambda font=None: [("cjk_font", False, "no CJK font found (Debian: fonts-wqy-microhei)")],
    )
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE printers (mode TEXT, connection TEXT)")
    conn.execute("INSERT INTO printers VALUES ('text', 'network')")
    assert [(c.name, c.ok) for c in check_printing_needs(conn)] == [("cjk_font", None)]
    conn.execute("INSERT INTO printers VALUES ('raster', 'network')")
    [font] = check_printing_needs(conn)
    assert (font.ok, "fonts-wqy-microhei" in font.detail) == (False, True)


def test_the_next_years_calendar_is_warned_of_from_december(
    day_db: Path, runner, monkeypatch
) -> None:
    """The nightly job (doctor --quiet) mails it: the hall works today, but on 1 January it
    would follow the weekday rule through a holiday nobody added."""
    from console.engine.calendar import KNOWN_YEARS
    from console.engine.clock import NOW_ENV

    last = KNOWN_YEARS.stop - 1
    monkeypatch.setenv(NOW_ENV, f"{last}-11-30T22:00:00+08:00")
    november = runner.invoke(app, ["doctor", "--db", str(day_db), "--quiet"])
    assert november.exit_code == 0 and november.output == ""
    monkeypatch.setenv(NOW_ENV, f"{last}-12-01T00:30:00+08:00")
    december = runner.invoke(app, ["doctor", "--db", str(day_db), "--quiet"])
    assert december.exit_code == 0
    assert december.stderr == (
        f"WARNING calendar: the official calendar for {last + 1} is not known to this install:"
        " upgrade qconsole or add the days by hand\n"
    )
    checks = json.loads(runner.invoke(app, ["doctor", "--db", str(day_db), "--json"]).stdout)
    assert checks["ok"] is True and checks["warnings"] == 1
    # the admin adds the year's first holiday by hand: the warning has been answered
    hall = LocalHall(day_db)
    hall.add_session(ADMIN, name="元旦", date=f"{last + 1}-01-01", closed=True)
    hall.close()
    answered = runner.invoke(app, ["doctor", "--db", str(day_db), "--quiet"])
    assert answered.exit_code == 0 and answered.output == ""
