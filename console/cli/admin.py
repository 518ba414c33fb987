"""``qconsole backup`` and ``qconsole doctor``: the admin's nightly copy and health check."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from console.cli.common import (
    DbOpt,
    JsonOpt,
    ServerOpt,
    cli_lang,
    default_db,
    emit_json,
    err,
    guarded,
    out,
)
from console.cli.export import need_db
from console.domain.errors import BadInput
from console.reports.backup import backup as run_backup
from console.reports.doctor import diagnose

DB_CHECKS = ("filesystem", "database", "schema")


@guarded
def backup(
    target: Annotated[str, typer.Argument(help="Backup file, or a directory for a "
                      "time-stamped name (hall-20261126-233000.db).", metavar="OUT")],
    keep: Annotated[int | None, typer.Option("--keep", help="With a directory: keep only the "
                    "newest N backups of this hall there, none older than the "
                    "personal_retention_days setting.")] = None,
    db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """Copy the hall database while stations keep working, and verify the copy.

    The copy is written under a temporary name, checked with PRAGMA integrity_check
    and renamed only when good.

    Example: qconsole backup /var/backups/qconsole/ --keep 14
    """
    if target.endswith(("/", os.sep)) and not Path(target).is_dir():
        raise BadInput(reason="backup.no_directory", target=target)
    result = run_backup(need_db(db, server, "backup"), Path(target), keep)
    if as_json:
        emit_json(result)
    elif err.is_terminal:
        err.print(f"backup → {result['backup']} ({result['bytes']} bytes, integrity ok)",
                  markup=False, highlight=False)  # fmt: skip


@guarded
def doctor(
    quick: Annotated[bool, typer.Option("--quick", help="PRAGMA quick_check instead of the "
                     "full integrity_check (much faster on a large database).")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every check, not only "
                       "problems (the default on a terminal).")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings (a printer switched off "
                      "or unplugged) fail too, exit 1.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only problems, on stderr: "
                     "nothing for warnings (what a cron job wants: it mails any output).")] = False,
    replica: Annotated[str | None, typer.Option("--replica", envvar="QCONSOLE_REPLICA",
                       help="The Litestream replica `serve --replica` writes: report its lag "
                       "and last successful sync.")] = None,
    db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """Check the hall: database integrity, schema version, WAL size, network file system,
    free disk, every printer, the hall server, the replica's lag. Exit 0 when all is well
    or there are only warnings (a printer that is off: one WARNING line each); 1 when a
    check failed (one PROBLEM line each, warnings too under --strict); 3 when the database
    cannot be opened.

    Example: qconsole doctor --db /srv/qconsole/hall.db || mail -s "hall: doctor" admin
    """
    path = db if db is not None or server else default_db()
    checks = diagnose(path, server, quick, replica)
    failed = [c for c in checks if c.ok is False]
    problems = [c for c in failed if strict or not c.warning]
    warnings = [c for c in failed if c not in problems]
    lang = cli_lang()  # the line in the admin's language; PROBLEM, WARNING and names stay
    if as_json:  # for scripts: the code, its params and the English detail stay put
        said = [{**c.to_dict(), "message": c.said(lang)} for c in checks]
        emit_json({"ok": not problems, "warnings": len(warnings), "checks": said})
    elif quiet:
        for c in problems + [w for w in warnings if w.urgent]:  # a line each, never wrapped
            kind = "PROBLEM" if c in problems else "WARNING"
            err.print(f"{kind} {c.name}: {c.said(lang)}", markup=False, highlight=False,
                      soft_wrap=True)  # fmt: skip
    else:
        show_all = verbose or out.is_terminal
        for c in checks:
            if c in problems:
                out.print(f"PROBLEM {c.name}: {c.said(lang)}", markup=False, highlight=False,
                          style="bold red" if out.is_terminal else None)  # fmt: skip
            elif c in warnings:
                out.print(f"WARNING {c.name}: {c.said(lang)}", markup=False, highlight=False,
                          style="yellow" if out.is_terminal else None)  # fmt: skip
            elif show_all:
                mark = "ok     " if c.ok else "unknown"
                out.print(f"{mark} {c.name}: {c.said(lang)}", markup=False, highlight=False)
    if any(c.name in DB_CHECKS for c in problems):
        raise typer.Exit(3)
    if problems:
        raise typer.Exit(1)


@guarded
def restore(
    source: Annotated[str, typer.Option("--from", help="The Litestream replica: "
                      "sftp://user@host/path?key=FILE, a directory, or s3://bucket/path.",
                      metavar="URL")],
    gap: Annotated[int | None, typer.Option("--gap", help="Ticket numbers skipped per prefix "
                   "today (default: the hall setting failover_number_gap, 50).")] = None,
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """Take over from a replica: restore it to --db, check it, record the failover.

    The database must not exist yet. The restored copy passes PRAGMA integrity_check
    and the schema check before it gets its name; then the event log records the
    failover and today's ticket numbers continue with a gap. Start `qconsole serve`
    on it next (see docs/admin.md, Standby and failover).

    Example: qconsole restore --db /srv/qconsole/hall.db
    --from "sftp://qconsole@hall-b/srv/qconsole/replica?key=/etc/qconsole/replica_key"
    """
    from console.reports.restore import restore_hall

    result = restore_hall(source, db or default_db(), gap)
    if as_json:
        emit_json(result)
        return
    numbers = ", ".join(f"{p}{n:03d}" for p, n in sorted(result["next_numbers"].items()))
    out.print(f"restored {result['replica']} → {result['database']} (integrity ok, schema "
              f"{result['schema_version']}) in {result['seconds']} s; failover recorded after "
              f"event {result['from_event']}; generation {result['generation']}; next tickets "
              f"{numbers or '-'}", markup=False, highlight=False)  # fmt: skip
    if result["unreplicated"]:
        out.print(
            f"the primary last said the replica lacked {result['unreplicated']} of its "
            f"changes: numbers skip {result['gap']}",
            markup=False,
            highlight=False,
        )
    for warning in result["warnings"]:
        err.print(f"WARNING: {warning}", markup=False, highlight=False)
