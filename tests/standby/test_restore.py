"""Replication to a directory with Litestream, `qconsole restore`, the failover record and the
gap in the day's ticket numbers, and `doctor --replica`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from console.cli.main import app
from console.engine.replay import replay_mismatches
from console.local import LocalHall
from console.replica import Replica, Replicator, replica_state
from tests.conftest import ADMIN
from tests.waiting import scaled, wait_until

runner = CliRunner()


def replicate(db: Path, target: Path, work) -> None:
    """Run Litestream beside ``work()`` and wait until the replica has every change."""
    replicator = Replicator(db, Replica.parse(str(target)))
    replicator.start()
    try:
        work()
        # a few of Litestream's 250 ms looks at the WAL, which it gives no sign of: then it
        # has seen the work, and the replica has it once Litestream's record says so
        time.sleep(scaled(1.0))

        def shipped() -> bool:
            try:
                state = replica_state(Replica.parse(str(target)), db)
            except Exception:
                return False
            return bool(state.last_sync) and state.lag_txids == 0

        wait_until(shipped, timeout=20, what="the replica holding every change")
    finally:
        replicator.stop()


@pytest.fixture
def replicated(small_hall: LocalHall, tmp_path: Path) -> tuple[LocalHall, Path]:
    """The small hall with A001-A003 and B001 issued, replicated to a directory."""
    target = tmp_path / "replica"

    def work() -> None:
        for code in ("ID", "ID", "ID", "PP"):
            small_hall.issue(ADMIN, code)

    replicate(Path(small_hall.path), target, work)
    return small_hall, target


def test_restore_records_the_failover_and_numbers_continue_with_a_gap(replicated, tmp_path):
    hall, target = replicated
    last_event = hall.engine.conn.execute("SELECT max(id) FROM events").fetchone()[0]
    standby = tmp_path / "standby" / "hall.db"
    standby.parent.mkdir()
    result = runner.invoke(app, ["restore", "--from", str(target), "--db", str(standby),
                                 "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    said = json.loads(result.stdout)
    assert said["integrity"] == "ok" and said["from_event"] == last_event
    assert said["next_numbers"] == {"A": 54, "B": 52}  # 3 + 50 + 1, 1 + 50 + 1
    restored = LocalHall(standby)
    try:
        assert restored.issue(ADMIN, "ID").ticket.number == "A054"
        assert restored.issue(ADMIN, "ID").ticket.number == "A055"
        assert restored.issue(ADMIN, "PP").ticket.number == "B052"
        failover = restored.hall_view().failover
        assert failover is not None and failover["from_event"] == last_event
        [event] = [e for e in restored.changes_since(last_event) if e.kind == "failover"]
        assert event.changes["from_event"] == last_event and event.changes["gap"] == 50
        assert replay_mismatches(restored.engine.conn) == []
    finally:
        restored.close()


def test_a_second_failover_the_same_day_skips_again(replicated, tmp_path):
    hall, target = replicated
    hall.set_setting(ADMIN, "failover_number_gap", 10)
    replicate(Path(hall.path), target, lambda: None)
    first = tmp_path / "first.db"
    assert runner.invoke(app, ["restore", "--from", str(target), "--db", str(first)]).exit_code == 0
    again = LocalHall(first)
    try:
        assert again.issue(ADMIN, "ID").ticket.number == "A014"
        floors = again.engine.record_failover()["floors"]
        assert floors["A"] == 25  # above the first failover's floor and A014
        assert again.issue(ADMIN, "ID").ticket.number == "A025"
    finally:
        again.close()


def test_restore_never_overwrites_and_refuses_a_bad_replica(replicated, tmp_path):
    hall, target = replicated
    result = runner.invoke(app, ["restore", "--from", str(target), "--db", hall.path])
    assert result.exit_code == 2 and "never overwrites" in result.output
    result = runner.invoke(app, ["restore", "--from", "ftp://x/y", "--db", str(tmp_path / "n")])
    assert result.exit_code == 2 and "sftp://" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["restore", "--from", str(empty), "--db", str(tmp_path / "e.db")])
    assert result.exit_code == 3
    assert not (tmp_path / "e.db").exists()
    assert [p for p in tmp_path.iterdir() if ".restoring-" in p.name] == []


def test_a_database_that_appears_while_restoring_is_left_alone(replicated, tmp_path, monkeypatch):
    """Two restores (or a restore and an init) at once: the later one never replaces the
    database the other put there between the check and the rename."""
    from console.reports import restore as restoring

    _, target = replicated
    out = tmp_path / "standby.db"
    real_verify = restoring.verify

    def meanwhile(path):
        out.write_bytes(b"the other restore's hall")
        return real_verify(path)

    monkeypatch.setattr(restoring, "verify", meanwhile)
    result = runner.invoke(app, ["restore", "--from", str(target), "--db", str(out)])
    assert result.exit_code == 2 and "appeared while restoring" in result.output
    assert out.read_bytes() == b"the other restore's hall"
    assert [p for p in tmp_path.iterdir() if ".restoring-" in p.name] == []


def test_doctor_reports_the_replica_lag_and_last_sync(replicated):
    hall, target = replicated
    result = runner.invoke(app, ["doctor", "--db", hall.path, "--replica", str(target), "--json"])
    [check] = [c for c in json.loads(result.stdout)["checks"] if c["name"] == "replica"]
    assert check["ok"] is True
    assert "last successful sync" in check["detail"] and "(0 transactions)" in check["detail"]
    result = runner.invoke(app, ["doctor", "--db", hall.path, "--replica",
                                 str(target.parent / "nothing-here"), "--json"])  # fmt: skip
    [check] = [c for c in json.loads(result.stdout)["checks"] if c["name"] == "replica"]
    assert check["ok"] is False and "no copy" in check["detail"]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("url", "settings"),
    [
        ("/srv/replica", {"type": "file", "path": "/srv/replica"}),
        (
            "sftp://qc@hall-b:2222/srv/r",
            {"type": "sftp", "host": "hall-b:2222", "user": "qc", "path": "/srv/r"},
        ),
        (
            "s3://bucket/hall?endpoint=http://minio:9000",
            {
                "type": "s3",
                "bucket": "bucket",
                "path": "hall",
                "endpoint": "http://minio:9000",
                "force-path-style": True,
            },
        ),
    ],
)
def test_replica_urls_become_litestream_settings(url, settings):
    assert Replica.parse(url).settings == settings


def test_a_password_never_shows(tmp_path):
    assert Replica.parse("sftp://qc:secret@hall-b/srv/r").shown == "sftp://qc@hall-b/srv/r"
