"""``qconsole tickets …``: the ticket life cycle from the shell.

Counter-side commands take the counter number and act on the ticket at its
desk; the others take a ticket reference (A023, 2026-11-25/A023 or #17).
Every state change accepts ``--key`` so a script can retry safely.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from console.cli import print_outcome
from console.cli.common import (
    DbOpt,
    GreenReason,
    JsonOpt,
    Outcome,
    ServerOpt,
    actor_for,
    emit_json,
    guarded,
    open_hall,
    out,
    table,
)
from console.domain import IssueResult, Ticket
from console.format import clock_time, duration, local_datetime, minutes, wait_words

app = typer.Typer(
    help="Tickets: issue, call, serve, finish, transfer, park, cancel, list.", no_args_is_help=True
)

CounterArg = Annotated[int, typer.Argument(help="Counter number.")]
TicketArg = Annotated[str, typer.Argument(help="Ticket: A023 (today), 2026-11-25/A023 or #17.")]
KeyOpt = Annotated[
    str | None,
    typer.Option(
        "--key",
        help="Idempotency key: repeating a command with the same key "
        "returns the first result and changes nothing.",
    ),
]


def _say(ticket: Ticket, as_json: bool, text: str) -> None:
    if as_json:
        emit_json(ticket.to_dict())
    else:
        out.print(text, markup=False)


@app.command()
@guarded
def issue(
    service: Annotated[
        str | None, typer.Argument(help="Service code (optional with --matter).")
    ] = None,
    matter: Annotated[
        str | None,
        typer.Option("--matter", help="The matter (事项) code: its queue, recorded on the ticket."),
    ] = None,
    priority: Annotated[
        GreenReason | None,
        typer.Option(
            "--priority",
            help="Green-channel reason: elderly, disabled, pregnant, sick, urgent, other.",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Green-channel note.")] = None,
    low: Annotated[bool, typer.Option("--low", help="Needs the low-position counter.")] = False,
    print_: Annotated[bool, typer.Option("--print", help="Print the ticket.")] = False,
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Issue a ticket.

    Example: qconsole tickets issue ID --priority elderly
    """
    hall = open_hall(db, server)
    result: IssueResult = hall.issue(
        actor_for(hall),
        service,
        green_reason=priority,
        green_note=note,
        low_position=low,
        print_ticket=print_,
        matter=matter,
        key=key,
    )
    printed = _printed(hall, result.ticket.id, "ticket") if print_ else None
    if as_json:
        emit_json({**result.to_dict(), **({"print_job": printed} if print_ else {})})
        return
    t = result.ticket
    green = f"  green channel: {t.green_reason}" if t.green else ""
    out.print(
        f"{t.number}  {t.service_code}{'  ' + t.matter_code if t.matter_code else ''}"
        f"  {result.ahead} ahead, {wait_words(result)}{green}",
        markup=False,
    )
    if result.page_url:
        out.print(f"page: {result.page_url}", markup=False)
    if printed is not None:
        print_outcome.say(printed)


@app.command("matter")
@guarded
def change_matter(
    ticket: Annotated[str, typer.Argument(help="A023, 2026-11-25/A023 or #17.")],
    matter: Annotated[str, typer.Argument(help="The matter the citizen came for.")],
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a ticket's matter (a waiting ticket moves to its queue, keeping its place).

    Example: qconsole tickets matter A023 SCJG-0002
    """
    hall = open_hall(db, server)
    changed = hall.change_matter(actor_for(hall), ticket, matter, key=key)
    if as_json:
        emit_json(changed.to_dict())
    else:
        out.print(f"{changed.number}  matter {changed.matter_code}  queue {changed.service_code}",
                  markup=False)  # fmt: skip


def _printed(hall: Any, ticket_id: int, kind: str) -> dict[str, Any] | None:
    """The outcome of the slip a command asked for (``--print``)."""
    job = print_outcome.job_of(hall, ticket_id, kind)
    return print_outcome.follow(hall, job) if job is not None else None


@app.command()
@guarded
def call(
    counter: CounterArg,
    ticket: Annotated[
        str | None, typer.Argument(help="A specific ticket instead of the next.")
    ] = None,
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Call the next ticket (or a given one) to a counter.

    Example: qconsole tickets call 1
    """
    hall = open_hall(db, server)
    actor = actor_for(hall)
    t = (
        hall.call_number(actor, counter, ticket, key=key)
        if ticket
        else hall.call_next(actor, counter, key=key)
    )
    _say(t, as_json, f"{t.number} → counter {counter}")


@app.command()
@guarded
def recall(
    counter: CounterArg,
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Call the current ticket again.

    Example: qconsole tickets recall 1
    """
    hall = open_hall(db, server)
    t = hall.recall(actor_for(hall), counter, key=key)
    _say(t, as_json, f"{t.number} → counter {counter} (recall {t.recall_count})")


@app.command()
@guarded
def serve(
    counter: CounterArg,
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Start serving the called ticket.

    Example: qconsole tickets serve 1
    """
    hall = open_hall(db, server)
    t = hall.serve(actor_for(hall), counter, key=key)
    _say(t, as_json, f"{t.number} serving at counter {counter}")


@app.command()
@guarded
def done(
    counter: CounterArg,
    outcome: Annotated[
        Outcome, typer.Option("--outcome", help="done, incomplete or referred.")
    ] = "done",
    bring: Annotated[
        str | None,
        typer.Option(
            "--bring", help="Materials still needed, ';'-separated (with --outcome incomplete)."
        ),
    ] = None,
    rating: Annotated[int | None, typer.Option("--rating", help="Satisfaction 1-5.")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    print_: Annotated[bool, typer.Option("--print", help="Print the receipt.")] = False,
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Finish the ticket at a counter.

    Example: qconsole tickets done 1 --outcome incomplete --bring 户口本
    """
    hall = open_hall(db, server)
    materials = [m.strip() for m in (bring or "").split(";") if m.strip()]
    t = hall.finish(
        actor_for(hall),
        counter,
        outcome=outcome,
        materials=materials,
        rating=rating,
        note=note,
        print_receipt=print_,
        key=key,
    )
    printed = _printed(hall, t.id, "receipt") if print_ else None
    if as_json:
        emit_json({**t.to_dict(), **({"print_job": printed} if print_ else {})})
        return
    out.print(f"{t.number} {t.outcome}", markup=False)
    if printed is not None:
        print_outcome.say(printed)


@app.command("no-show")
@guarded
def no_show(
    counter: CounterArg,
    requeue: Annotated[
        bool,
        typer.Option(
            "--requeue", help="Put it back at the end of the queue instead of closing it."
        ),
    ] = False,
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark the called ticket as not present.

    Example: qconsole tickets no-show 1 --requeue
    """
    hall = open_hall(db, server)
    t = hall.no_show(actor_for(hall), counter, requeue=requeue, key=key)
    _say(t, as_json, f"{t.number} {'re-queued' if requeue else 'no-show'}")


@app.command()
@guarded
def transfer(
    ticket: TicketArg,
    to_service: Annotated[str | None, typer.Option("--to-service")] = None,
    to_counter: Annotated[int | None, typer.Option("--to-counter")] = None,
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Send a ticket to another service or counter, keeping its place.

    Example: qconsole tickets transfer A023 --to-counter 5
    """
    hall = open_hall(db, server)
    t = hall.transfer(
        actor_for(hall), ticket, to_service=to_service, to_counter=to_counter, key=key
    )
    where = f"counter {t.directed_counter}" if t.directed_counter else f"service {t.service_code}"
    _say(t, as_json, f"{t.number} transferred to {where}")


@app.command()
@guarded
def park(
    counter: CounterArg,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (shown on the floor), e.g. photo retake.")
    ] = None,
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Park the current ticket (e.g. a photo retake).

    Example: qconsole tickets park 1 --reason "photo retake"
    """
    hall = open_hall(db, server)
    t = hall.park(actor_for(hall), counter, reason=reason, key=key)
    _say(t, as_json, f"{t.number} parked at counter {counter}")


@app.command()
@guarded
def resume(
    counter: CounterArg,
    ticket: TicketArg,
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Resume a parked ticket at its counter.

    Example: qconsole tickets resume 1 A023
    """
    hall = open_hall(db, server)
    t = hall.resume(actor_for(hall), counter, ticket, key=key)
    _say(t, as_json, f"{t.number} serving again at counter {counter}")


@app.command()
@guarded
def cancel(
    ticket: TicketArg,
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Cancel a ticket.

    Example: qconsole tickets cancel A023
    """
    hall = open_hall(db, server)
    t = hall.cancel(actor_for(hall), ticket, key=key)
    _say(t, as_json, f"{t.number} cancelled")


@app.command()
@guarded
def green(
    ticket: TicketArg,
    reason: Annotated[str, typer.Argument(help="elderly, disabled, pregnant, sick, urgent, other")],
    note: Annotated[str | None, typer.Option("--note")] = None,
    key: KeyOpt = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Flag a ticket for the green channel.

    Example: qconsole tickets green A023 pregnant
    """
    hall = open_hall(db, server)
    t = hall.flag_green(actor_for(hall), ticket, reason, note, key=key)
    _say(t, as_json, f"{t.number} green channel: {t.green_reason}")


@app.command("close-day")
@guarded
def close_day(
    key: KeyOpt = None, db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False
) -> None:
    """End every ticket still open today as expired (run at closing).

    Example: qconsole tickets close-day
    """
    hall = open_hall(db, server)
    count = hall.close_day(actor_for(hall), key=key)
    if as_json:
        emit_json({"expired": count})
    else:
        out.print(f"{count} open tickets ended as expired")


@app.command("list")
@guarded
def list_(
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help="waiting, called, serving, parked, done, no_show, cancelled, expired"
        ),
    ] = None,
    day: Annotated[str | None, typer.Option("--day", help="YYYY-MM-DD (default today).")] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List a day's tickets.

    Example: qconsole tickets list --status waiting --json
    """
    hall = open_hall(db, server)
    tickets = hall.list_tickets(status=status, day=day)
    if as_json:
        emit_json([t.to_dict() for t in tickets])
        return
    now, clock = hall.clock.now(), hall.clock
    table(
        f"Tickets {day or clock.day()}",
        ["number", "service", "status", "issued", "waited", "counter", "green", "outcome"],
        [
            (
                t.number,
                t.service_code,
                t.status,
                clock_time(t.issued_at, clock),
                minutes(t.waited_s(now)),
                t.counter_number or t.directed_counter or "",
                t.green_reason or "",
                t.outcome or "",
            )
            for t in tickets
        ],
    )


@app.command()
@guarded
def show(
    ticket: TicketArg, db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False
) -> None:
    """Show one ticket.

    Example: qconsole tickets show A023
    """
    hall = open_hall(db, server)
    t = hall.get_ticket(ticket)
    if as_json:
        emit_json(t.to_dict())
        return
    table(None, ["field", "value"], [(k, _shown(k, v, hall.clock)) for k, v in t.to_dict().items()])


def _shown(field: str, value: object, clock: Any) -> object:
    """A field as a person reads it: times local to the hall, spans in minutes."""
    if field.endswith("_at") and isinstance(value, (int, float)):
        return local_datetime(value, clock)
    if field == "parked_s":
        return duration(value) if value else ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return value
