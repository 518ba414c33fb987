"""What a call costs the hall server's writer, counted in statements (not timed), and that
the setup it no longer reads at every write is still read when it changes.

The writer reads the settings and each counter's services once per change of them (a
change committed by another process moves SQLite's ``PRAGMA data_version``; a setup write
of its own forgets them); it takes the write lock without switching SQLite's busy
handler off and on, and prunes old command keys once a minute, not at every write.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.local import LocalHall
from console.server.hall import ServerHall
from tests.conftest import ADMIN, SharedClock, clerk

CALL_NEXT_MAX = 10
"""Statements one call-next may run on the writer (19 before the setup was kept)."""
FINISH_MAX = 10


@pytest.fixture
def server_hall(small_hall: LocalHall, db_path: Path, clock: SharedClock) -> Iterator[ServerHall]:
    """The hall as the server holds it; counter 1 (ID, PP) open for clerk 1001."""
    small_hall.open_counter(clerk("1001"), 1)
    hall = ServerHall(db_path, clock=clock)
    yield hall
    hall.printing.start()  # close() stops it
    hall.close()


def key() -> str:
    return f"station-1:{uuid.uuid4().hex}"


def writer_statements(hall: ServerHall, op: str, *args: object) -> list[str]:
    """The statements ``op`` runs on the writer's connection (the triggers' programs that
    keep the day's figures left out)."""
    seen: list[str] = []
    conn = hall.writer.engine.conn
    conn.set_trace_callback(seen.append)
    try:
        hall.write(op, key(), *args)
    finally:
        conn.set_trace_callback(None)
    # Python's trace shows each trigger program a statement starts as that statement again
    return [s for n, s in enumerate(seen) if n == 0 or s != seen[n - 1]]


def cli(db: Path, *args: str) -> None:
    """A ``qconsole`` command in its own process, as an admin at the server machine does."""
    subprocess.run([sys.executable, "-c", "from console.cli.main import run; run()", *args,
                    "--db", str(db)], check=True, capture_output=True)  # fmt: skip


def test_a_call_and_a_finish_run_at_most_ten_statements_on_the_writer(server_hall, clock):
    one = clerk("1001")
    for _ in range(4):
        server_hall.write("issue", key(), ADMIN, "ID")
    server_hall.write("call_next", key(), one, 1)  # the day's first write sweeps earlier days
    server_hall.write("finish", key(), one, 1)
    clock.advance(5)

    call = writer_statements(server_hall, "call_next", one, 1)
    finish = writer_statements(server_hall, "finish", one, 1)

    assert len(call) <= CALL_NEXT_MAX, "\n".join(call)
    assert len(finish) <= FINISH_MAX, "\n".join(finish)
    for statement in call + finish:
        assert "busy_timeout" not in statement
        assert "DELETE FROM commands" not in statement
        assert "FROM settings" not in statement


def test_a_setting_changed_by_another_process_rules_the_next_call(server_hall, db_path, clock):
    one = clerk("1001")
    for green in (None, None, "elderly", "elderly"):  # A001 A002 (normal), A003 A004 (green)
        server_hall.write("issue", key(), ADMIN, "ID", green_reason=green)
        clock.advance(60)
    first = server_hall.write("call_next", key(), one, 1)
    assert first.number == "A003"  # the green credit (15 minutes) puts it ahead
    server_hall.write("finish", key(), one, 1)

    cli(db_path, "settings", "set", "green_credit_min", "0")

    assert server_hall.write("call_next", key(), one, 1).number == "A001"  # by queue time now


def test_counter_services_changed_by_another_process_rule_the_next_call(server_hall, db_path,
                                                                        clock):  # fmt: skip
    one = clerk("1001")
    server_hall.write("issue", key(), ADMIN, "ID")
    clock.advance(60)
    server_hall.write("issue", key(), ADMIN, "PP")
    assert server_hall.write("call_next", key(), one, 1).number == "A001"
    server_hall.write("finish", key(), one, 1)
    server_hall.write("issue", key(), ADMIN, "ID")

    cli(db_path, "counters", "edit", "1", "--services", "PP")

    assert server_hall.write("call_next", key(), one, 1).number == "B001"


def test_a_setting_changed_through_the_writer_rules_the_next_call(server_hall, clock):
    one = clerk("1001")
    for green in (None, "elderly", "elderly"):
        server_hall.write("issue", key(), ADMIN, "ID", green_reason=green)
        clock.advance(60)
    assert server_hall.write("call_next", key(), one, 1).number == "A002"
    server_hall.write("finish", key(), one, 1)

    server_hall.write("set_setting", key(), ADMIN, "green_credit_min", 0)

    assert server_hall.write("call_next", key(), one, 1).number == "A001"
