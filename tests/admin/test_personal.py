"""Personal information kept only as long as it is needed: qconsole purge, doctor, backups,
and the one list of personal fields the exports and the Datasette metadata follow."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from console.cli.main import app
from console.domain.personal import APPOINTMENT_FIELDS, EXPORT_COLUMNS, TICKET_FIELDS
from console.local import LocalHall
from console.reports.columns import schema
from console.reports.dates import DayRange
from console.reports.report import compute
from tests.conftest import ADMIN, clerk

RETENTION = 3
DAYS = 2 * RETENTION
C1 = clerk("1001")


def marker(kind: str, day: int) -> str:
    """Text no other part of the hall writes: found in the file only if it is kept."""
    return f"zq{kind}{day}x"


@pytest.fixture
def hall_days(small_hall: LocalHall, clock) -> tuple[LocalHall, list[str]]:
    """Six days of a hall (twice the retention), each with every kind of personal field."""
    h = small_hall
    h.set_setting(ADMIN, "personal_retention_days", RETENTION)
    days = []
    for d in range(DAYS):
        day = h.engine.clock.day()
        days.append(day)
        booking = {"code": f"AP{d}", "service": "ID", "date": day, "name": marker("NAME", d),
                   "green_reason": "pregnant"}  # fmt: skip
        h.import_appointments(ADMIN, [booking])
        h.check_in(ADMIN, f"AP{d}")
        h.issue(ADMIN, "ID", green_reason="elderly", green_note=marker("GREEN", d))
        h.issue(ADMIN, "ID")
        h.open_counter(C1, 1)
        for _ in range(3):
            h.call_next(C1, 1)
            h.serve(C1, 1)
            clock.advance(300)
            h.park(C1, 1, marker("PARK", d))
            ticket = h.counter_view(1).parked[0].number
            h.resume(C1, 1, ticket)
            finished = h.finish(C1, 1, outcome="incomplete", materials=[marker("BRING", d)],
                                note=marker("NOTE", d), rating=None)  # fmt: skip
        h.rate_by_code(_public_code(h, finished.number, day), 4, marker("COMMENT", d))
        h.close_counter(C1, 1)
        clock.advance(86400)
    return h, days


def _public_code(h: LocalHall, number: str, day: str) -> str:
    return h.engine.conn.execute(
        "SELECT public_code FROM tickets WHERE number = ? AND day = ?", (number, day)
    ).fetchone()[0]


def file_bytes(path: Path) -> bytes:
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def reports(h: LocalHall, days: list[str]) -> list[dict]:
    conn = sqlite3.connect(h.path)
    try:
        return [compute(conn, DayRange(day, day)) for day in days]
    finally:
        conn.close()


def test_purge_erases_every_personal_field_past_the_retention(hall_days, runner):
    h, days = hall_days
    kept = days[RETENTION:]
    before = reports(h, days)
    db = Path(h.path)
    everything = file_bytes(db)
    for d in range(DAYS):  # the check can fail: every marker is in the file before
        for kind in ("NAME", "GREEN", "PARK", "BRING", "NOTE", "COMMENT"):
            assert marker(kind, d).encode() in everything, (kind, d)

    dry = runner.invoke(app, ["purge", "--db", str(db), "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    plan = json.loads(dry.stdout)
    assert plan["before_day"] == kept[0] and plan["tickets"] > 0 and plan["events"] > 0
    assert file_bytes(db).count(marker("NOTE", 0).encode()) > 0  # dry run changed nothing

    done = runner.invoke(app, ["purge", "--db", str(db), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["tickets"] == plan["tickets"]

    after = file_bytes(db)
    for d, day in enumerate(days):
        for kind in ("NAME", "GREEN", "PARK", "BRING", "NOTE", "COMMENT"):
            found = marker(kind, d).encode() in after
            assert found == (day in kept), (kind, day)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    for row in conn.execute("SELECT * FROM tickets WHERE day < ?", (kept[0],)):
        for field, erased in TICKET_FIELDS.items():
            assert row[field] in (erased, None) or (field == "green_reason" and row[field] is None)
    for row in conn.execute("SELECT * FROM appointments WHERE day < ?", (kept[0],)):
        assert row["name"] is None and row["green_reason"] == APPOINTMENT_FIELDS["green_reason"]
    purged = conn.execute("SELECT changes FROM events WHERE kind = 'personal.purged'").fetchall()
    assert len(purged) == 1 and "zq" not in purged[0][0]  # counts only
    conn.close()
    # what the reports need stays: every day's report is as it was, reasons included
    assert reports(h, days) == before
    assert before[0]["green"]["by_reason"] and before[0]["green"]["by_reason"][0]["reason"]

    again = runner.invoke(app, ["purge", "--db", str(db), "--json"])
    result = json.loads(again.stdout)
    assert (result["tickets"], result["appointments"], result["events"]) == (0, 0, 0)


def test_doctor_warns_when_the_purge_did_not_run(hall_days, runner):
    h, days = hall_days
    db = str(h.path)
    late = runner.invoke(app, ["doctor", "--db", db, "--json"])
    personal = next(c for c in json.loads(late.stdout)["checks"] if c["name"] == "personal")
    assert personal["ok"] is False and days[0] in personal["detail"]
    assert late.exit_code == 0  # a warning: the hall works
    quiet = runner.invoke(app, ["doctor", "--db", db, "--quiet"])
    assert "personal" in quiet.stderr  # the nightly job mails it
    runner.invoke(app, ["purge", "--db", db])
    fine = runner.invoke(app, ["doctor", "--db", db, "--json"])
    personal = next(c for c in json.loads(fine.stdout)["checks"] if c["name"] == "personal")
    assert personal["ok"] is True and days[RETENTION] in personal["detail"]


def test_backups_past_the_retention_are_deleted(small_hall, tmp_path, runner):
    small_hall.set_setting(ADMIN, "personal_retention_days", 30)
    out = tmp_path / "backups"
    out.mkdir()
    stem = Path(small_hall.path).stem
    ancient = out / f"{stem}-20200101-003000.db"
    ancient.write_bytes(b"an old copy")
    done = runner.invoke(app, ["backup", str(out), "--keep", "14", "--db", str(small_hall.path)])
    assert done.exit_code == 0, done.output
    assert not ancient.exists()  # older than 30 days, although only 2 copies were there
    assert len(list(out.glob(f"{stem}-*.db"))) == 1


def test_the_retention_is_validated(small_hall, runner):
    bad = runner.invoke(app, ["settings", "set", "personal_retention_days", "0",
                              "--db", str(small_hall.path)])  # fmt: skip
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1


def test_the_exports_and_the_metadata_follow_the_one_list():
    for what, names in EXPORT_COLUMNS.items():
        flagged = {n for n, p in schema(what)["properties"].items() if p.get("x-personal")}
        assert flagged == names, what
    root = Path(__file__).resolve().parents[2]
    metadata = json.loads((root / "schemas" / "metadata.json").read_text(encoding="utf-8"))
    tables = next(iter(metadata["databases"].values()))["tables"]
    for table, fields in (("tickets", TICKET_FIELDS), ("appointments", APPOINTMENT_FIELDS)):
        for field in fields:
            assert "personal data" in tables[table]["columns"][field], (table, field)
    assert "personal data" in tables["events"]["columns"]["changes"]


def test_the_replica_keeps_no_history_past_the_shortest_retention(tmp_path):
    """Litestream keeps earlier states of the hall for its snapshot retention: a day, set in
    the configuration, so what the purge erased leaves the replica within a day."""
    from console.replica import Replica

    config = Replica.parse(str(tmp_path / "replica")).config(tmp_path / "hall.db")
    assert config["snapshot"]["retention"] == "24h"
