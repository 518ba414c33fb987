"""``qconsole doctor``: is this hall healthy? One check per line, a problem per failing line.

Checks: this install knows the official calendar (this year's, and from 1 December the
next one's: a warning the nightly job mails); the database file is on a local disk (not
a network file system), opens, has the schema this qconsole knows, passes
``PRAGMA integrity_check``;
its ``-wal`` file is not growing without bound; the disk has room; every
configured printer is reachable; the hall server answers ``/health``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import sqlite3
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from console.domain.errors import QConsoleError
from console.engine.calendar import KNOWN_YEARS, unknown_year
from console.engine.clock import Clock
from console.engine.sessions import calendar_missing
from console.reports.db import open_readonly
from console.store.migrations import SCHEMA_VERSION, schema_version
from console.store.netfs import filesystem_of, network_fs_problem

WAL_LIMIT = 256 * 1024 * 1024
"""A -wal file above this means checkpoints are being starved (a reader never lets go)."""
FREE_MIN = 1024 * 1024 * 1024
"""Less free space than this on the database's disk is a problem (backups, exports, WAL)."""
TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Check:
    """One line of the doctor's answer; ``ok`` None means it could not be checked here.

    A failed check is a problem (exit 1) unless ``warning``: a printer that is
    switched off or unplugged is a fact of a hall's night, not a broken hall, so
    it is reported as a warning and fails only under ``--strict``.
    """

    name: str
    ok: bool | None
    detail: str
    warning: bool = False
    urgent: bool = False
    """A warning that ``--quiet`` still says: something to do before a date (next year's
    official calendar), which the nightly job must mail although the hall works today."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"  # pragma: no cover


def check_database(
    path: Path, quick: bool = False
) -> tuple[list[Check], sqlite3.Connection | None]:
    """The file system, schema and integrity checks; the open connection when it opened."""
    checks: list[Check] = []
    problem = network_fs_problem(path)
    fstype = filesystem_of(path) or "unknown"
    checks.append(Check("filesystem", problem is None, problem or f"{path} is on {fstype}"))
    if problem:
        return checks, None
    if not path.exists():
        checks.append(Check("database", False, f"no hall database at {path}"))
        return checks, None
    try:
        conn = open_readonly(path)
    except QConsoleError as exc:
        try:  # say which schema it has, when it is an SQLite file at all
            raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            version = schema_version(raw)
            raw.close()
            detail = f"schema version {version}, this qconsole expects {SCHEMA_VERSION}"
            checks.append(Check("schema", False, f"{exc.message} ({detail})"))
        except sqlite3.Error:
            checks.append(Check("database", False, exc.message))
        return checks, None
    checks.append(Check("schema", True, f"schema version {schema_version(conn)} (current)"))
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchmany(5)]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    ok = rows == ["ok"]
    checks.append(Check("integrity", ok, f"{pragma}: ok" if ok else f"{pragma}: {'; '.join(rows)}"))
    return checks, conn


def check_wal(path: Path) -> Check:
    wal = Path(f"{path}-wal")
    size = wal.stat().st_size if wal.exists() else 0
    if size > WAL_LIMIT:
        return Check("wal", False, f"{wal} is {_size(size)} (limit {_size(WAL_LIMIT)}): a reader "
                     "is holding checkpoints back; restart long-running stations")  # fmt: skip
    return Check("wal", True, f"WAL file {_size(size)}")


def check_disk(path: Path) -> Check:
    usage = shutil.disk_usage(path.parent if path.parent.exists() else ".")
    ok = usage.free >= FREE_MIN
    detail = f"{_size(usage.free)} free of {_size(usage.total)} on the database's disk"
    return Check("disk", ok, detail if ok else f"only {detail} (want {_size(FREE_MIN)})")


_HOST_PORT = re.compile(r"^(?:tcp://)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?/?$")
_VID_PID = re.compile(r"^(0x)?([0-9a-fA-F]{4}):(0x)?([0-9a-fA-F]{4})")


def check_printer(name: str, connection: str, address: str) -> Check:
    """A cheap reachability check of one printer (no bytes are sent to it)."""
    label = f"printer {name}"
    if connection == "network":
        m = _HOST_PORT.match(address.strip())
        if not m:
            return Check(label, False, f"network address {address!r} is not host[:port]")
        host, port = m.group(1).strip("[]"), int(m.group(2) or 9100)
        try:
            with socket.create_connection((host, port), timeout=TIMEOUT_S):
                pass
        except OSError as exc:
            return Check(label, False, f"{host}:{port} unreachable ({exc.strerror or exc})",
                         warning=True)  # fmt: skip
        return Check(label, True, f"{host}:{port} accepts connections")
    if connection == "file":
        target = Path(address)
        where = target if target.exists() else target.parent
        ok = where.exists() and os.access(where, os.W_OK)
        return Check(label, ok, f"{address} writable" if ok else f"{address}: {where} not writable")
    if connection in ("usb", "serial") and address.startswith("/"):
        ok = Path(address).exists()
        return Check(label, ok, f"{address} present" if ok else f"device {address} not present",
                     warning=True)  # fmt: skip
    if connection == "usb" and (m := _VID_PID.match(address)):
        try:
            import usb.core

            found = usb.core.find(idVendor=int(m.group(2), 16), idProduct=int(m.group(4), 16))
        except Exception as exc:  # no backend, no permission: say so, do not guess
            return Check(label, None, f"cannot check USB {address} here ({exc})")
        ok = found is not None
        return Check(label, ok, f"USB {address} present" if ok else f"USB {address} not connected",
                     warning=True)  # fmt: skip
    if connection == "cups":
        lpstat = shutil.which("lpstat")
        if not lpstat:
            return Check(label, None, "cannot check a CUPS queue: lpstat missing (cups-client)")
        import subprocess

        try:
            done = subprocess.run([lpstat, "-p", address], capture_output=True, text=True,
                                  timeout=TIMEOUT_S)  # fmt: skip
        except subprocess.TimeoutExpired:
            return Check(label, False, f"CUPS did not answer about {address} in {TIMEOUT_S:.0f} s",
                         warning=True)  # fmt: skip
        ok = done.returncode == 0 and "disabled" not in done.stdout
        said = (done.stdout or done.stderr).strip()
        return Check(label, ok, said.splitlines()[0] if said else f"CUPS queue {address}",
                     warning=True)  # fmt: skip
    return Check(label, None, f"cannot check a {connection} printer at {address!r} from here")


def check_printers(conn: sqlite3.Connection) -> list[Check]:
    rows = conn.execute("SELECT name, connection, address FROM printers ORDER BY name").fetchall()
    return [check_printer(*r) for r in rows] + check_printing_needs(conn)


def check_printing_needs(conn: sqlite3.Connection) -> list[Check]:
    """What this machine needs for the printers configured: a CJK font for raster mode,
    libusb for USB, lp for CUPS. A missing piece no printer uses is only reported."""
    from printers.doctor import checks as machine_checks

    used = {
        "cjk_font": "SELECT 1 FROM printers WHERE mode = 'raster'",
        "usb": "SELECT 1 FROM printers WHERE connection = 'usb'",
        "serial": "SELECT 1 FROM printers WHERE connection = 'serial'",
        "cups": "SELECT 1 FROM printers WHERE connection = 'cups'",
    }
    out = []
    for name, ok, line in machine_checks():
        needed = conn.execute(used[name]).fetchone() is not None if name in used else True
        out.append(Check(name, ok if (needed or ok) else None, line))
    return out


def check_server(url: str) -> Check:
    import httpx

    from console.servers import hall_tls

    health = url.rstrip("/") + "/health"
    try:
        response = httpx.get(health, timeout=TIMEOUT_S, verify=hall_tls())
    except httpx.HTTPError as exc:
        return Check("server", False, f"{health} unreachable ({type(exc).__name__}: {exc})")
    if response.status_code != 200:
        return Check("server", False, f"{health} answered HTTP {response.status_code}")
    try:
        warnings = list(response.json().get("warnings") or [])
    except (ValueError, AttributeError):
        warnings = []
    if warnings:  # a damaged database, plain HTTP on the LAN: what the admin must fix
        return Check("server", False, f"{health}: " + "; ".join(map(str, warnings)))
    return Check("server", True, f"{health} answered 200")


def check_replica(db: Path, url: str) -> Check:
    """How far the Litestream replica is behind, and when it last took a change."""
    from console.replica import STALE_S, Replica, replica_state

    try:
        replica = Replica.parse(url)
        state = replica_state(replica, db)
    except QConsoleError as exc:
        return Check("replica", False, exc.message)
    if state.last_sync is None:
        return Check("replica", False, f"{replica.shown} holds no copy of {db} yet")
    ago = max(0.0, time.time() - state.last_sync)
    when = datetime.fromtimestamp(state.last_sync).strftime("%Y-%m-%d %H:%M:%S")
    behind = "unknown" if state.lag_txids is None else f"{state.lag_txids} transactions"
    detail = (f"{replica.shown}: last successful sync {when} ({ago:.0f} s ago), "
              f"lag {state.lag_s:.1f} s ({behind})")  # fmt: skip
    return Check("replica", state.lag_s <= STALE_S, detail)


def check_calendar(conn: sqlite3.Connection | None, today: date) -> Check:
    """Whether this install knows the official calendar of this year and, from 1 December,
    of the next one (a year it does not know keeps the sessions' weekday rule), or the
    admin has added that year's closed days by hand."""
    year = unknown_year(today) if conn is None else calendar_missing(conn, today)
    if year is None and unknown_year(today) is not None:
        return Check("calendar", True, f"the official days of {unknown_year(today)} were "
                     "added by hand (closed days)")  # fmt: skip
    if year is None:
        known = KNOWN_YEARS
        return Check(
            "calendar", True, f"official holidays known for {known.start}-{known.stop - 1}"
        )
    return Check("calendar", False, f"the official calendar for {year} is not known to this "
                 "install: upgrade qconsole or add the days by hand", warning=True,
                 urgent=True)  # fmt: skip


def check_personal(conn: sqlite3.Connection) -> Check:
    """The oldest personal field still stored, against the retention setting: older means
    the nightly purge did not run (the law's question is how long, not whether)."""
    from console.engine import Engine

    factory, conn.row_factory = conn.row_factory, sqlite3.Row  # as the engine reads rows
    try:
        engine = Engine(conn)
        oldest, cutoff = engine.oldest_personal_day(), engine.personal_cutoff()
        days = engine.settings()["personal_retention_days"]
    except sqlite3.DatabaseError as exc:  # a damaged file: the integrity check says so
        return Check("personal", None, f"cannot tell how old the personal fields are: {exc}")
    finally:
        conn.row_factory = factory
    if oldest is None:
        return Check("personal", True, f"no personal fields stored (retention {days} days)")
    if oldest < cutoff:
        return Check("personal", False, f"personal fields from {oldest} are kept past the "
                     f"retention of {days} days (kept from {cutoff} on): run qconsole purge "
                     "(the nightly job)", warning=True, urgent=True)  # fmt: skip
    return Check("personal", True, f"oldest personal field from {oldest} (retention {days} days)")


def diagnose(
    db: Path | None, server: str | None = None, quick: bool = False, replica: str | None = None
) -> list[Check]:
    """Every check that applies: the database ones with a path, the server one with a URL,
    the replica's lag with a replica URL."""
    checks: list[Check] = []
    if db is not None:  # the install that runs the engine: its calendar decides the sessions
        db_checks, conn = check_database(db, quick)
        checks.append(check_calendar(conn, Clock().local().date()))
        checks += db_checks
        if db.exists():
            checks.append(check_wal(db))
        checks.append(check_disk(db))
        if conn is not None:
            try:
                checks += check_printers(conn)
                checks.append(check_personal(conn))
            except sqlite3.DatabaseError as exc:  # a damaged page: integrity says where
                checks.append(Check("contents", False, f"cannot be read: {exc}"))
            finally:
                conn.close()
        if replica:
            checks.append(check_replica(db, replica))
    if server:
        primary, *standbys = [u.strip() for u in server.split(",") if u.strip()] or [server]
        checks.append(check_server(primary))
        for url in standbys:  # a standby serves only after a failover: not serving is normal
            check = check_server(url)
            checks.append(Check(f"standby {url}", True if check.ok else None,
                                check.detail if check.ok else f"{url} not serving (normal for "
                                "a standby until a failover)"))  # fmt: skip
        if standbys:
            checks.append(check_one_hall([primary, *standbys]))
    return checks


def check_one_hall(urls: list[str]) -> Check:
    """At most one server of the list serves: two that answer are an old primary back
    beside the standby that replaced it (the one on the older generation must stop)."""
    import httpx

    serving: dict[str, int] = {}
    for url in urls:
        try:
            response = httpx.get(url.rstrip("/") + "/health", timeout=TIMEOUT_S)
        except httpx.HTTPError:
            continue
        if response.status_code == 200:
            with contextlib.suppress(ValueError, AttributeError):
                serving[url] = int(response.json().get("generation") or 1)
    if len(serving) < 2:
        return Check("one hall", True, "one server of the list serves")
    said = ", ".join(f"{u} generation {g}" for u, g in serving.items())
    newest = max(serving.values())
    old = [u for u, g in serving.items() if g < newest]
    advice = f"stop {', '.join(old)} (an old primary)" if old else "stop all but one"
    return Check("one hall", False, f"{len(serving)} servers serve the hall ({said}): {advice}")
