"""Opening the hall database: pragmas, migrations, and every kind of file that must be refused."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from console.domain.errors import Unavailable
from console.local import LocalHall
from console.store import SCHEMA_VERSION, connect, migrate, schema_version
from console.store.netfs import network_fs_problem


def test_every_connection_is_wal_full_sync_with_foreign_keys(hall):
    conn = hall.engine.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_migrations_apply_once(db_path):
    conn = connect(db_path, create=True)
    assert migrate(conn) == SCHEMA_VERSION
    assert migrate(conn) == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == SCHEMA_VERSION


def test_the_kiosk_migration_keeps_stations_and_their_sessions(db_path):
    """The stations table is rebuilt (a kiosk role), and dropping it cascades: the clerk
    sessions and login attempts that name a station are kept across it all the same."""
    import sqlite_utils

    from console.store import migrations
    from console.store.connection import write_transaction

    kiosk = next(s for s in migrations.SCRIPTS if s.stem.endswith("_kiosk_stations"))
    before = sqlite_utils.Migrations("qconsole")
    for script in migrations.SCRIPTS[: migrations.SCRIPTS.index(kiosk)]:
        sql = script.read_text(encoding="utf-8")
        before(name=script.stem)(
            lambda db, sql=sql: [db.conn.execute(s) for s in migrations._statements(sql)]
        )
    conn = connect(db_path, create=True)
    with write_transaction(conn):
        before.apply(sqlite_utils.Database(conn))
    conn.execute("INSERT INTO stations (id, name, token_hash, created_at, role)"
                 " VALUES (7, 'desk-7', 'h', 1.0, 'station')")  # fmt: skip
    conn.execute("INSERT INTO server_sessions VALUES ('s', 7, '1001', 1.0, 2.0)")
    conn.execute("INSERT INTO station_login_attempts (station_id, at) VALUES (7, 1.5)")
    conn.commit()
    assert migrate(conn) == SCHEMA_VERSION
    assert [tuple(r) for r in conn.execute("SELECT name, role FROM stations")] == [
        ("desk-7", "station")
    ]
    assert conn.execute("SELECT station_id FROM server_sessions").fetchone()[0] == 7
    assert conn.execute("SELECT station_id FROM station_login_attempts").fetchone()[0] == 7
    conn.execute("INSERT INTO stations (name, token_hash, created_at, role)"
                 " VALUES ('kiosk-1', 'k', 1.0, 'kiosk')")  # fmt: skip
    conn.execute("DELETE FROM stations WHERE id = 7")  # the foreign keys still hold
    assert conn.execute("SELECT count(*) FROM server_sessions").fetchone()[0] == 0


def test_two_stations_initialising_at_once(db_path):
    code = (
        "import sys; from console.store import connect, migrate;"
        "migrate(connect(sys.argv[1], create=True))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db_path)]) for _ in range(4)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    assert schema_version(connect(db_path)) == SCHEMA_VERSION


def test_missing_file_is_not_created_silently(tmp_path):
    with pytest.raises(Unavailable, match="no hall database at .*qconsole init"):
        LocalHall(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()


def test_a_file_that_is_not_sqlite(tmp_path):
    bad = tmp_path / "hall.db"
    bad.write_bytes(b"this is a spreadsheet, not a database" * 100)
    with pytest.raises(Unavailable, match="not a qconsole hall database"):
        LocalHall(bad)
    assert bad.read_bytes().startswith(b"this is a spreadsheet")


def test_a_foreign_sqlite_database(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE photos (id INTEGER)").connection.commit()
    with pytest.raises(Unavailable, match="not a qconsole hall database"):
        LocalHall(other)
    with pytest.raises(Unavailable, match="not a qconsole hall database"):
        LocalHall(other, create=True)


def test_a_database_from_a_newer_qconsole(hall, db_path):
    hall.engine.conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('qconsole', '9999_future', 'later')"
    )
    with pytest.raises(Unavailable, match="newer qconsole"):
        LocalHall(db_path)


def test_an_empty_file_asks_for_init(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(Unavailable, match="run `qconsole init"):
        LocalHall(empty)


@pytest.mark.parametrize("fstype", ["nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "9p"])
def test_network_file_systems_are_refused(tmp_path, fstype):
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/vda / ext4 rw 0 0\nserver:/share {tmp_path}/share {fstype} rw 0 0\n")
    (tmp_path / "share").mkdir()
    problem = network_fs_problem(tmp_path / "share" / "hall.db", str(mounts))
    assert problem and "qconsole serve" in problem and fstype in problem
    assert network_fs_problem(tmp_path / "local.db", str(mounts)) is None


@pytest.fixture
def read_only_dir(tmp_path):
    """A directory nobody can write in, root included (chattr +i), or a skip."""
    import os
    import shutil

    ro = tmp_path / "ro"
    ro.mkdir()
    if os.geteuid() != 0:
        ro.chmod(0o555)
        yield ro
        ro.chmod(0o755)
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(ro)]).returncode:
        pytest.skip("cannot make a directory read-only for root here (no chattr +i)")
    yield ro
    subprocess.run(["chattr", "-i", str(ro)], check=True)


def test_a_read_only_directory_is_reported(read_only_dir):
    with pytest.raises(Unavailable, match="cannot open|read-only|permission"):
        LocalHall(read_only_dir / "hall.db", create=True)
