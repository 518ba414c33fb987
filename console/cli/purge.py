"""``qconsole purge``: erase the personal fields older than the retention setting."""

from __future__ import annotations

from typing import Annotated

import typer

from console.cli.common import DbOpt, JsonOpt, ServerOpt, emit_json, guarded, out, shell_actor
from console.cli.export import need_db
from console.local import LocalHall


@guarded
def purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would be erased; "
                       "change nothing.")] = False,
    db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """Erase what citizens told the hall once it is older than personal_retention_days
    (default 90): appointment names, green-channel reasons and notes, clerks' notes, the
    lists of what to bring, park reasons and rating comments — in tickets, appointments and
    the event log. The tickets, their times, outcomes and ratings stay, and so do the
    reports of those days. Prints nothing under cron unless asked (--json), so the nightly
    job mails nothing on a good night.

    Example: qconsole purge --dry-run --db /var/lib/qconsole/hall.db
    """
    path = need_db(db, server, "purge")
    hall = LocalHall(path)
    try:
        plan = hall.purge_personal(shell_actor(), dry_run=dry_run)
    finally:
        hall.close()
    result = {**plan.to_dict(), "dry_run": dry_run}
    if as_json:
        emit_json(result)
    elif out.is_terminal or dry_run:
        verb = "would erase" if dry_run else "erased"
        out.print(f"{verb} personal fields of {plan.tickets} tickets, {plan.appointments} "
                  f"appointments and {plan.events} events before {plan.before_day}",
                  markup=False)  # fmt: skip
