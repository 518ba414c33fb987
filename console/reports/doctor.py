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
import dataclasses
import os
import re
import shutil
import socket
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from console.domain import reasons
from console.domain.errors import QConsoleError
from console.engine.calendar import KNOWN_YEARS, unknown_year
from console.engine.clock import Clock
from console.engine.sessions import calendar_missing
from console.reports.db import open_readonly
from console.store.migrations import schema_version
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
    """The line in English (``--json`` keeps it for scripts that read it)."""
    warning: bool = False
    urgent: bool = False
    """A warning that ``--quiet`` still says: something to do before a date (next year's
    official calendar), which the nightly job must mail although the hall works today."""
    reason: str = ""
    """The line's code (``doctor.*``, or the refusal it reports): :meth:`said` renders it in
    the reader's language."""
    params: dict[str, Any] = field(default_factory=dict)
    """Its parameters; one that is itself a sentence is ``{"reason": ..., "params": ...}``."""

    def said(self, lang: str = "en") -> str:
        """The line in ``lang``."""
        if not self.reason:
            return self.detail
        return reasons.render(self.reason, {k: _said(v, lang) for k, v in self.params.items()},
                              lang)  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _said(value: Any, lang: str) -> Any:
    """A parameter in ``lang``: a sentence of its own, or a list of them, rendered."""
    if isinstance(value, dict) and "reason" in value:
        return reasons.render(value["reason"], value.get("params") or {}, lang)
    if isinstance(value, list):
        return ("、" if lang.startswith("zh") else ", ").join(str(_said(v, lang)) for v in value)
    return value


def check(name: str, ok: bool | None, reason: str, *, warning: bool = False,
          urgent: bool = False, **params: Any) -> Check:  # fmt: skip
    """A check whose line is the catalog's ``reason``: said in English here, in the reader's
    language by whoever shows it."""
    plain = {k: str(v) if isinstance(v, Path) else v for k, v in params.items()}
    made = Check(name, ok, "", warning, urgent, reason, plain)
    return Check(name, ok, made.said("en"), warning, urgent, reason, plain)


def refused(name: str, exc: QConsoleError) -> Check:
    """A failed check that is a refusal the product names (its code, when it has one)."""
    return Check(name, False, exc.message, reason=exc.reason, params=dict(exc.params))


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
    if problem:
        checks.append(check("filesystem", False, "db.network_fs", path=path))
        return checks, None
    checks.append(check("filesystem", True, "doctor.filesystem", path=path, fstype=fstype))
    if not path.exists():
        checks.append(check("database", False, "db.missing", path=path))
        return checks, None
    try:
        conn = open_readonly(path)
    except QConsoleError as exc:
        try:  # say which schema it has, when it is an SQLite file at all
            raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            schema_version(raw)
            raw.close()
            checks.append(refused("schema", exc))  # too old, too new, not a hall's: says which
        except sqlite3.Error:
            checks.append(refused("database", exc))
        return checks, None
    checks.append(check("schema", True, "doctor.schema_current", version=schema_version(conn)))
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchmany(5)]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    if rows == ["ok"]:
        checks.append(check("integrity", True, "doctor.integrity_ok", pragma=pragma))
    else:
        checks.append(check("integrity", False, "doctor.integrity_failed", pragma=pragma,
                            detail="; ".join(rows)))  # fmt: skip
    return checks, conn


def check_wal(path: Path) -> Check:
    wal = Path(f"{path}-wal")
    size = wal.stat().st_size if wal.exists() else 0
    if size > WAL_LIMIT:
        return check("wal", False, "doctor.wal_large", wal=wal, size=_size(size),
                     limit=_size(WAL_LIMIT))  # fmt: skip
    return check("wal", True, "doctor.wal", size=_size(size))


def check_disk(path: Path) -> Check:
    usage = shutil.disk_usage(path.parent if path.parent.exists() else ".")
    free, total = _size(usage.free), _size(usage.total)
    if usage.free >= FREE_MIN:
        return check("disk", True, "doctor.disk", free=free, total=total)
    return check("disk", False, "doctor.disk_low", free=free, total=total, want=_size(FREE_MIN))


_HOST_PORT = re.compile(r"^(?:tcp://)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?/?$")
_VID_PID = re.compile(r"^(0x)?([0-9a-fA-F]{4}):(0x)?([0-9a-fA-F]{4})")


def check_printer(name: str, connection: str, address: str) -> Check:
    """A cheap reachability check of one printer (no bytes are sent to it)."""
    label = f"printer {name}"
    if connection == "network":
        m = _HOST_PORT.match(address.strip())
        if not m:
            return check(label, False, "doctor.printer_bad_address", address=repr(address))
        host, port = m.group(1).strip("[]"), int(m.group(2) or 9100)
        try:
            with socket.create_connection((host, port), timeout=TIMEOUT_S):
                pass
        except OSError as exc:
            return check(label, False, "doctor.printer_unreachable", host=host, port=port,
                         detail=exc.strerror or str(exc), warning=True)  # fmt: skip
        return check(label, True, "doctor.printer_listening", host=host, port=port)
    if connection == "file":
        target = Path(address)
        where = target if target.exists() else target.parent
        if where.exists() and os.access(where, os.W_OK):
            return check(label, True, "doctor.printer_file", address=address)
        return check(label, False, "doctor.printer_file_unwritable", address=address, where=where)
    if connection in ("usb", "serial") and address.startswith("/"):
        ok = Path(address).exists()
        return check(label, ok, "doctor.device_present" if ok else "doctor.device_missing",
                     address=address, warning=True)  # fmt: skip
    if connection == "usb" and (m := _VID_PID.match(address)):
        try:
            import usb.core

            found = usb.core.find(idVendor=int(m.group(2), 16), idProduct=int(m.group(4), 16))
        except Exception as exc:  # no backend, no permission: say so, do not guess
            return check(label, None, "doctor.usb_unchecked", address=address, detail=str(exc))
        ok = found is not None
        return check(label, ok, "doctor.usb_present" if ok else "doctor.usb_missing",
                     address=address, warning=True)  # fmt: skip
    if connection == "cups":
        lpstat = shutil.which("lpstat")
        if not lpstat:
            return check(label, None, "doctor.no_lpstat")
        import subprocess

        try:
            done = subprocess.run([lpstat, "-p", address], capture_output=True, text=True,
                                  timeout=TIMEOUT_S)  # fmt: skip
        except subprocess.TimeoutExpired:
            return check(label, False, "doctor.cups_silent", address=address,
                         seconds=f"{TIMEOUT_S:.0f}", warning=True)  # fmt: skip
        ok = done.returncode == 0 and "disabled" not in done.stdout
        said = (done.stdout or done.stderr).strip()
        if said:
            return check(label, ok, "doctor.cups_said", address=address,
                         detail=said.splitlines()[0], warning=True)  # fmt: skip
        return check(label, ok, "doctor.cups_queue", address=address, warning=True)
    return check(label, None, "doctor.printer_unchecked", connection=connection,
                 address=repr(address))  # fmt: skip


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
    for name, ok, line, *said in machine_checks():
        needed = conn.execute(used[name]).fetchone() is not None if name in used else True
        shown = ok if (needed or ok) else None
        if said:  # what printers.doctor found, as a key of the catalog's doctor.* and its values
            key, params = said
            out.append(check(name, shown, f"doctor.{key}", **params))
        else:
            out.append(Check(name, shown, line))
    return out


def check_server(url: str) -> Check:
    import httpx

    from console.servers import hall_tls

    health = url.rstrip("/") + "/health"
    try:
        response = httpx.get(health, timeout=TIMEOUT_S, verify=hall_tls())
    except httpx.HTTPError as exc:
        return check("server", False, "doctor.server_unreachable", url=health,
                     detail=f"{type(exc).__name__}: {exc}")  # fmt: skip
    if response.status_code != 200:
        return check("server", False, "doctor.server_status", url=health,
                     status=response.status_code)  # fmt: skip
    try:
        warnings = list(response.json().get("warnings") or [])
    except (ValueError, AttributeError):
        warnings = []
    if warnings:  # a damaged database, plain HTTP on the LAN: what the admin must fix
        return check("server", False, "doctor.server_warns", url=health,
                     detail="; ".join(map(str, warnings)))  # fmt: skip
    return check("server", True, "doctor.server_ok", url=health)


def check_replica(db: Path, url: str) -> Check:
    """How far the Litestream replica is behind, and when it last took a change."""
    from console.replica import STALE_S, Replica, replica_state

    try:
        replica = Replica.parse(url)
        state = replica_state(replica, db)
    except QConsoleError as exc:
        return refused("replica", exc)
    if state.last_sync is None:
        return check("replica", False, "doctor.replica_empty", replica=replica.shown, db=db)
    ago = max(0.0, time.time() - state.last_sync)
    when = datetime.fromtimestamp(state.last_sync).strftime("%Y-%m-%d %H:%M:%S")
    behind = ({"reason": "doctor.unknown"} if state.lag_txids is None
              else {"reason": "doctor.transactions", "params": {"n": state.lag_txids}})  # fmt: skip
    return check("replica", state.lag_s <= STALE_S, "doctor.replica", replica=replica.shown,
                 when=when, ago=f"{ago:.0f}", lag=f"{state.lag_s:.1f}", behind=behind)  # fmt: skip


def check_calendar(conn: sqlite3.Connection | None, today: date) -> Check:
    """Whether this install knows the official calendar of this year and, from 1 December,
    of the next one (a year it does not know keeps the sessions' weekday rule), or the
    admin has added that year's closed days by hand."""
    year = unknown_year(today) if conn is None else calendar_missing(conn, today)
    if year is None and unknown_year(today) is not None:
        return check("calendar", True, "doctor.calendar_by_hand", year=unknown_year(today))
    if year is None:
        return check("calendar", True, "doctor.calendar_known", first=KNOWN_YEARS.start,
                     last=KNOWN_YEARS.stop - 1)  # fmt: skip
    return check("calendar", False, "doctor.calendar_unknown", year=year, warning=True,
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
        return check("personal", None, "doctor.personal_unknown", detail=str(exc))
    finally:
        conn.row_factory = factory
    if oldest is None:
        return check("personal", True, "doctor.personal_none", days=days)
    if oldest < cutoff:
        return check("personal", False, "doctor.personal_overdue", oldest=oldest, days=days,
                     cutoff=cutoff, warning=True, urgent=True)  # fmt: skip
    return check("personal", True, "doctor.personal_ok", oldest=oldest, days=days)


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
                checks.append(check("contents", False, "doctor.unreadable", detail=str(exc)))
            finally:
                conn.close()
        if replica:
            checks.append(check_replica(db, replica))
    if server:
        primary, *standbys = [u.strip() for u in server.split(",") if u.strip()] or [server]
        checks.append(check_server(primary))
        for url in standbys:  # a standby serves only after a failover: not serving is normal
            answer = check_server(url)
            if answer.ok:
                checks.append(dataclasses.replace(answer, name=f"standby {url}"))
            else:
                checks.append(check(f"standby {url}", None, "doctor.standby_idle", url=url))
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
        return check("one hall", True, "doctor.one_hall")
    said = [{"reason": "doctor.serving", "params": {"url": u, "generation": g}}
            for u, g in serving.items()]  # fmt: skip
    newest = max(serving.values())
    old = [u for u, g in serving.items() if g < newest]
    advice = ({"reason": "doctor.stop_old", "params": {"servers": ", ".join(old)}} if old
              else {"reason": "doctor.stop_all_but_one"})  # fmt: skip
    return check("one hall", False, "doctor.two_halls", count=len(serving), serving=said,
                 advice=advice)  # fmt: skip
