"""``qconsole printers list|add|test|remove|jobs|work`` and ``reprint`` (as ``tickets reprint``).

Printers are set up per station (reception ticket printers) or per counter
(receipt printers). ``test`` prints a test page straight away and says what
the printer answered; a print failure exits 1 when the printer refused (paper
out, cover open, offline), 3 when it cannot be reached, 2 for a bad setting.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import typer

from console.cli import print_outcome
from console.cli.common import (
    DbOpt,
    JsonOpt,
    ServerOpt,
    actor_for,
    cli_lang,
    emit_json,
    err,
    guarded,
    open_hall,
    out,
    station_name,
    table,
)
from console.domain.errors import BadInput, QConsoleError, Refused, Unavailable

app = typer.Typer(help="Ticket and receipt printers (ESC/POS).", no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help="Printer name, e.g. reception-1.")]


def product_error(exc: Any, printer: str) -> QConsoleError:
    """A printers.PrinterError as the CLI's error of the same exit code: its kind said in the
    reader's language, the printer's own words after it for the admin."""
    from console.domain import reasons
    from console.print_verdicts import reason_of

    cls = {1: Refused, 2: BadInput}.get(exc.exit_code, Unavailable)
    said = reasons.render(reason_of(exc) or "printer.failed", {"printer": printer}, cli_lang())
    return cls(reason="printer.test_failed", said=said, detail=exc.message, kind=exc.kind)


def _local(hall: Any) -> tuple[Any, Any]:
    """The hall's database path and clock; printing needs the database on this machine."""
    path = getattr(hall, "path", None)
    if path is None:
        raise Refused(reason="printer.needs_local")
    return path, hall.clock


@app.command("list")
@guarded
def list_(
    status: Annotated[
        bool, typer.Option("--status", help="Ask each printer its state (takes a moment).")
    ] = False,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List printers, optionally with what each one answers now.

    Example: qconsole printers list --status
    """
    from console.domain import reasons
    from console.print_verdicts import reason_of
    from printers import PrinterConfig, PrinterError, query_status

    rows, lang = [], cli_lang()
    for p in open_hall(db, server).list_printers():
        data = p.to_dict()
        if status:
            try:  # scripts read the status in English; people read "message", in theirs
                answer = query_status(PrinterConfig.from_record(p))
                data["status"] = answer.describe()
                data["message"] = ("、" if lang == "zh-CN" else ", ").join(
                    reasons.render(f"printer_state.{w}", {}, lang) for w in answer.words()
                )
            except PrinterError as e:  # its kind for scripts; its code, said, for people
                data["status"] = f"{e.kind}: {e.message}"
                data["reason"] = reason_of(e)
                data["message"] = reasons.render(data["reason"] or "printer.failed",
                                                 {"printer": p.name}, lang)  # fmt: skip
        rows.append(data)
    if as_json:
        emit_json(rows)
        return
    columns = [
        "name",
        "connection",
        "address",
        "width_dots",
        "mode",
        "encoding",
        "station",
        "counter_number",
        "purpose",
    ] + (["status"] if status else [])
    table("Printers 打印机", columns,
          [[r.get("message", r.get(c)) if c == "status" else r.get(c) for c in columns]
           for r in rows])  # fmt: skip


@app.command()
@guarded
def add(
    name: NameArg,
    connection: Annotated[
        str, typer.Option("--connection", help="usb | network | serial | file | cups")
    ],
    address: Annotated[
        str,
        typer.Option(
            "--address",
            help="network HOST[:PORT] (9100); usb VID:PID; serial PORT[@BAUD]; "
            "file /dev/usb/lp0; cups QUEUE",
        ),
    ],
    width: Annotated[
        int, typer.Option("--width", help="Paper: 384 (58 mm) or 576 (80 mm) dots.")
    ] = 384,
    mode: Annotated[
        Literal["text", "raster"],
        typer.Option("--mode", help="text (Chinese font ROM, default) or raster (image)."),
    ] = "text",
    encoding: Annotated[
        Literal["gb18030", "gbk"], typer.Option("--encoding", help="gb18030 or gbk.")
    ] = "gb18030",
    station: Annotated[
        str | None,
        typer.Option(
            "--station",
            help="The station that drives this printer: the name its screens run under"
            " (their --station / QCONSOLE_STATION, by default that machine's host name; over"
            " --server, the name the station was registered with). Without it the server (or"
            " any screen on the hall file) drives the printer.",
        ),
    ] = None,
    counter: Annotated[
        int | None, typer.Option("--counter", help="Counter that prints receipts here.")
    ] = None,
    purpose: Annotated[str | None, typer.Option("--purpose", help="ticket or receipt.")] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a printer.

    Example: qconsole printers add reception-1 --connection network --address 192.168.1.50
    """
    from printers import PrinterConfig, PrinterError
    from printers.transport import make_transport

    try:  # check the address form here, not at the first ticket
        PrinterConfig(name, connection, address, width_dots=width, mode=mode, encoding=encoding)
        make_transport(connection, address)
    except PrinterError as e:
        raise BadInput(reason="printer.bad_setup", detail=e.message) from None
    hall = open_hall(db, server)
    printer = hall.add_printer(
        actor_for(hall),
        name=name,
        connection=connection,
        address=address,
        width_dots=width,
        mode=mode,
        encoding=encoding,
        station=station,
        counter_number=counter,
        purpose=purpose or ("receipt" if counter is not None else "ticket"),
    )
    if as_json:
        emit_json(printer.to_dict())
    else:
        out.print(f"added printer {printer.name} ({printer.connection} {printer.address})")


@app.command()
@guarded
def remove(
    name: NameArg, db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False
) -> None:
    """Remove a printer (counters using it print nowhere until given another).

    Example: qconsole printers remove reception-1
    """
    hall = open_hall(db, server)
    result = hall.remove_printer(actor_for(hall), name)
    if as_json:
        emit_json({"name": name, "result": result})
    else:
        out.print(f"printer {name} {result}")


@app.command()
@guarded
def test(
    name: NameArg,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Print a test page now and report what the printer answered.

    Example: qconsole printers test reception-1
    """
    from printers import PrinterConfig, PrinterError, print_slip
    from printers.samples import test_page

    hall = open_hall(db, server)
    matches = [p for p in hall.list_printers() if p.name == name]
    if not matches:
        raise BadInput(reason="printer.not_found", printer=repr(name))
    config = PrinterConfig.from_record(matches[0])
    try:
        result = print_slip(config, test_page(name))
    except PrinterError as e:
        raise product_error(e, name) from None
    if as_json:
        emit_json(result.to_dict())
        return
    said = result.status_after if result.status_after.known else result.status_before
    if not result.confirmed:
        out.print(
            f"sent a test page to {name}: {result.bytes_sent} bytes; {result.warning};"
            f" printer said before: {said.describe()}"
        )
        return
    out.print(
        f"printed a test page on {name}: {result.bytes_sent} bytes; printer says: {said.describe()}"
    )
    if result.warning:
        out.print(f"warning: {result.warning}")


@app.command()
@guarded
def jobs(
    status: Annotated[
        Literal["queued", "printing", "done", "unconfirmed", "failed"] | None,
        typer.Option("--status", help="queued | printing | done | unconfirmed | failed"),
    ] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List print jobs, newest first.

    Example: qconsole printers jobs --status failed
    """
    found = open_hall(db, server).list_print_jobs(status=status, limit=limit)
    lang = cli_lang()
    if as_json:  # the code and the printer's own words for scripts, the sentence for people
        emit_json([{**j.to_dict(), "message": j.said(lang)} for j in found])
        return
    table(
        "Print jobs 打印任务",
        ["job", "ticket", "kind", "printer", "status", "error or warning"],
        [
            (j.id, j.ticket_number or f"#{j.ticket_id}", j.kind, j.printer, j.status,
             j.said(lang))
            for j in found
        ],
    )  # fmt: skip


@app.command()
@guarded
def work(
    once: Annotated[bool, typer.Option("--once", help="Print what is queued, then stop.")] = False,
    printer: Annotated[
        list[str] | None, typer.Option("--printer", help="Only these printers (repeatable).")
    ] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Print queued jobs: a station without a screen (over --server: this station's
    printers, claimed from the server), or a catch-up after a fault. With --once, exit 1
    when a job failed or was not confirmed by its printer.

    Example: qconsole printers work --server http://hall:8470
    """
    import time

    from console.printing import ServiceJobs, process_pending
    from console.printing_local import LocalJobs

    hall = open_hall(db, server)
    wanted = set(printer) if printer else None
    path = getattr(hall, "path", None)
    if path is not None:
        jobs: Any = LocalJobs(path, hall.clock, station_name(), lambda conn: wanted)
    else:
        jobs = ServiceJobs(hall, station_name(), sorted(wanted) if wanted else None)
    troubles = 0
    try:
        while True:
            try:
                outcomes = process_pending(jobs)
            except Unavailable as exc:
                if once:
                    raise
                err.print(f"qconsole: {exc.message}; trying again", markup=False)
                time.sleep(2.0)  # the jobs wait in the database meanwhile
                continue
            for outcome in outcomes:
                troubles += outcome.status != "done"
                if as_json:
                    emit_json(print_outcome.from_outcome(outcome))
                else:
                    print_outcome.say(print_outcome.from_outcome(outcome))
            if once:
                break
            time.sleep(0.5 if path is not None else 1.0)
    finally:
        jobs.close()
        hall.close()
    if troubles:
        raise Refused(reason="printer.jobs_troubled", count=troubles)


@guarded
def reprint(
    ticket: Annotated[str, typer.Argument(help="A023 (today), 2026-11-25/A023 or #17.")],
    receipt: Annotated[bool, typer.Option("--receipt", help="Reprint the receipt.")] = False,
    printer: Annotated[
        str | None, typer.Option("--printer", help="Print on this printer instead.")
    ] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Print a ticket (or its receipt) again, now, and say how it went.

    Example: qconsole tickets reprint A023
    """
    hall = open_hall(db, server)
    kind = "receipt" if receipt else "ticket"
    if printer is not None and not any(p.name == printer for p in hall.list_printers()):
        raise BadInput(reason="printer.not_found", printer=repr(printer))
    job = hall.request_print(actor_for(hall), ticket, kind)
    if printer is not None:
        from console.engine import print_jobs
        from console.store import connect

        path, clock = _local(hall)
        conn = connect(path)
        try:
            print_jobs.over(conn, clock, path).set_printer(job.id, printer)
        finally:
            conn.close()
        job = next(j for j in hall.list_print_jobs(limit=200) if j.id == job.id)
    outcome = print_outcome.follow(hall, job)
    if as_json:
        emit_json(outcome)
    if outcome["status"] == "done":
        if not as_json:
            print_outcome.say(outcome)
        return
    cls = {1: Refused, 2: BadInput, 3: Unavailable}.get(outcome.get("exit_code", 1), Refused)
    reason, params = print_outcome.describe(outcome)
    raise cls(reason=reason, **params)
