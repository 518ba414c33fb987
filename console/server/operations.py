"""Every operation of the hall server, declared once.

A declaration says what the HTTP API needs to know about one operation of the
service interface (``console.service.HallService``): its method and path, the
request body and response models, the role it needs, whether it writes (and
so takes an ``Idempotency-Key``), a summary and a description. The server's
routes (``console.server.routes``) are made from these at start, the remote
client's typed methods (``console/remote_operations.py``) and the in-process
ones (``console/local_operations.py``) by ``python -m console.facades``; the
arguments and their defaults come from the interface, so the engine and this
table are the only places an operation is written. ``tests/server/test_parity.py`` checks
that the interface, this table, ``LocalHall`` and ``RemoteHall`` agree.

Path parameters are named after the interface argument they carry; a query
parameter whose name on the wire differs says so with ``Field(alias=...)``.

Parameters are plain pydantic ``Field`` constraints (the server adds FastAPI's markers),
so the client reads this table without importing the web framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, Field

from console.domain import (
    Clerk,
    Counter,
    CounterView,
    Department,
    Event,
    HallView,
    IssueResult,
    Matter,
    Printer,
    PrintJob,
    ServiceDef,
    Session,
    Ticket,
)
from console.server import schemas as s

Role = Literal["station", "clerk", "manager", "admin"]
"""``station``: any registered station; ``clerk``: a clerk logged in (or an admin station);
``manager``/``admin``: an actor with at least that role."""

SMALL_BODY = 64 * 1024
"""Largest request body of an ordinary operation (bytes); more is refused with 413."""
IMPORT_BODY = 8 * 1024 * 1024
"""Largest import: 20000 appointments of a few short fields, or a catalogue of 10000 matters
with their materials."""

CounterNo = Annotated[int, Field(ge=1, le=9999, description="Counter number")]
AtCounter = Annotated[int, Field(alias="number", ge=1, le=9999, description="Counter number")]
Code = Annotated[str, Field(min_length=1, max_length=16, description="Service code")]
StaffNo = Annotated[str, Field(min_length=1, max_length=20, description="Staff number")]
Name = Annotated[str, Field(min_length=1, max_length=60)]
MatterRef = Annotated[str, Field(min_length=1, max_length=40, description="Matter code")]
EventId = Annotated[int, Field(alias="after", ge=0, le=2**62, description="Last event seen")]
TicketStatus = Literal[
    "waiting", "called", "serving", "parked", "done", "no_show", "cancelled", "expired"
]
JobStatus = Literal["queued", "printing", "done", "failed", "unconfirmed"]


@dataclass(frozen=True)
class Operation:
    """One operation of the hall server."""

    name: str
    """The service interface method (and the OpenAPI operationId)."""
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
    path: str
    """Under ``/api/v1``; ``{arg}`` segments carry the interface argument ``arg``."""
    tag: str
    role: Role
    summary: str
    description: str
    response: Any
    """A domain dataclass, a list of one, or a model of ``schemas``."""
    body: type[BaseModel] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    """Path and query parameters: interface argument -> annotated type."""
    carried: str | None = None
    """The one field of ``response`` that carries a plain result (a count, a message)."""
    max_body: int = SMALL_BODY
    idempotent: bool | None = None
    """Takes an ``Idempotency-Key`` (by default: every method but GET)."""
    defaults: dict[str, Any] = field(default_factory=dict)
    """Query defaults the interface does not give itself."""
    repeatable: str = ""
    """Why a write takes no key from its caller: repeating it changes nothing by the state it
    acts on (a print job's lease and worker). Its request still carries a key per attempt,
    so a retry over the LAN is answered as the first was."""
    remote: bool = True
    """False when ``RemoteHall`` implements it itself (login keeps sessions; the change feed
    comes from the stream)."""

    @property
    def writes(self) -> bool:
        """A state change: it needs an actor and an ``Idempotency-Key``."""
        return self.method != "GET" if self.idempotent is None else self.idempotent

    @property
    def url(self) -> str:
        return "/api/v1" + self.path

    def wire(self, arg: str) -> str:
        """A parameter's name in the path or query (its alias, when it has one)."""
        annotation = self.params[arg]
        if get_origin(annotation) is Annotated:
            for meta in get_args(annotation)[1:]:
                if getattr(meta, "alias", None):
                    return meta.alias
        return arg

    def path_args(self) -> list[str]:
        return [a for a in self.params if "{" + self.wire(a) + "}" in self.path]


# fmt: off
def _op(name: str, method: str, path: str, tag: str, role: Role, summary: str, description: str,
        response: Any, body: type[BaseModel] | None = None, **extra: Any) -> Operation:
    return Operation(name, method, path, tag, role, summary, description, response, body,  # type: ignore[arg-type]
                     **extra)


LEASED = "a print job's lease and worker"

OPERATIONS: tuple[Operation, ...] = (
    # -- identity ------------------------------------------------------------------
    _op("login", "POST", "/login", "identity", "station", "Log a clerk in at this station",
        "Checks the staff number and PIN. Wrong PINs count towards the clerk's lockout and the "
        "station's limit; the answer carries a session to send as X-QConsole-Session.",
        s.LoginOut, s.LoginIn, idempotent=False, remote=False),
    _op("logout", "POST", "/logout", "identity", "station", "End this clerk session",
        "Ends the session sent in X-QConsole-Session (nothing happens without one).",
        s.Done, idempotent=False, remote=False),
    _op("whoami", "GET", "/whoami", "identity", "station", "Who this station is",
        "The station, the actor its requests act as, the server's time and UTC offset and the "
        "newest event id: what a client needs to start.", s.WhoAmI, remote=False),
    # -- setup ---------------------------------------------------------------------
    _op("settings", "GET", "/settings", "setup", "station", "The hall's settings",
        "Every setting with its value (the default when none was stored).", s.Settings),
    _op("set_setting", "PUT", "/settings/{name}", "setup", "admin", "Change one setting",
        "Stores a new value for one known setting; returns every setting.", s.Settings,
        s.SettingIn, params={"name": Annotated[str, Field(min_length=1, max_length=40)]}),
    _op("list_services", "GET", "/services", "setup", "station", "The services",
        "Services in code order; inactive ones only with include_inactive.", list[ServiceDef],
        params={"include_inactive": bool}),
    _op("add_service", "POST", "/services", "setup", "admin", "Add a service",
        "A new service with its ticket prefix, names and target wait.", ServiceDef, s.ServiceIn),
    _op("edit_service", "PATCH", "/services/{code}", "setup", "admin", "Change a service",
        "Changes the fields given; the code names the service and is not edited.", ServiceDef,
        s.ServiceEdit, params={"code": Code}),
    _op("remove_service", "DELETE", "/services/{code}", "setup", "admin", "Remove a service",
        "Deletes an unused service, or deactivates one with history; says which.", s.Done,
        params={"code": Code}, carried="result"),
    _op("list_departments", "GET", "/departments", "setup", "station", "The departments",
        "Departments in code order; retired ones only with include_retired.",
        list[Department], params={"include_retired": bool}),
    _op("list_matters", "GET", "/matters", "setup", "station", "The matters",
        "Matters in code order with their queue, department, materials and the tickets "
        "issued for each in the last 30 days; retired ones only with include_retired.",
        list[Matter], params={"include_retired": bool}),
    _op("get_matter", "GET", "/matters/{code}", "setup", "station", "One matter",
        "A matter by its code, retired or not.", Matter, params={"code": MatterRef}),
    _op("add_matter", "POST", "/matters", "setup", "admin", "Add a matter",
        "A new matter called in an existing service's queue; its department is added when "
        "new.", Matter, s.MatterIn),
    _op("edit_matter", "PATCH", "/matters/{code}", "setup", "admin", "Change a matter",
        "Changes the fields given; the code names the matter and is not edited.", Matter,
        s.MatterEdit, params={"code": MatterRef}),
    _op("remove_matter", "DELETE", "/matters/{code}", "setup", "admin", "Remove a matter",
        "Deletes a matter no ticket names, or retires one with history; says which.", s.Done,
        params={"code": MatterRef}, carried="result"),
    _op("import_matters", "POST", "/catalogue/import", "setup", "admin", "Import the catalogue",
        "All or nothing: every row is checked and each bad one reported by its line (_line); "
        "update changes existing matters and retires the active ones left out; dry_run "
        "stores nothing.", s.MatterImportOut, s.MatterImportIn, max_body=IMPORT_BODY),
    _op("list_counters", "GET", "/counters", "setup", "station", "The counters",
        "Every counter with its services in calling order, state and clerk.", list[Counter]),
    _op("add_counter", "POST", "/counters", "setup", "admin", "Add a counter",
        "A new counter (closed) serving the services given.", Counter, s.CounterIn),
    _op("edit_counter", "PATCH", "/counters/{number}", "setup", "admin", "Change a counter",
        "Changes the fields given.", Counter, s.CounterEdit, params={"number": CounterNo}),
    _op("remove_counter", "DELETE", "/counters/{number}", "setup", "admin", "Remove a counter",
        "Deletes an unused counter, or deactivates one with history; says which.", s.Done,
        params={"number": CounterNo}, carried="result"),
    _op("list_clerks", "GET", "/clerks", "setup", "manager", "The clerks",
        "Every clerk with role, state and lockout; for managers and admins only.", list[Clerk]),
    _op("add_clerk", "POST", "/clerks", "setup", "admin", "Add a clerk",
        "A new clerk with a PIN (stored only as a slow hash).", Clerk, s.ClerkIn),
    _op("edit_clerk", "PATCH", "/clerks/{staff_no}", "setup", "admin", "Change a clerk",
        "Changes the fields given; a new PIN or a deactivation ends the clerk's sessions; "
        "unlock lifts a PIN lockout.", Clerk, s.ClerkEdit, params={"staff_no": StaffNo}),
    _op("remove_clerk", "DELETE", "/clerks/{staff_no}", "setup", "admin", "Remove a clerk",
        "Deletes a clerk without history, or deactivates one with history; ends their "
        "sessions; says which.", s.Done, params={"staff_no": StaffNo}, carried="result"),
    _op("list_sessions", "GET", "/sessions", "setup", "station", "The opening hours",
        "Daily sessions by weekday and extra sessions by date.", list[Session]),
    _op("add_session", "POST", "/sessions", "setup", "admin", "Add opening hours",
        "A daily session on its weekdays, or an extra one on a date.", Session, s.SessionIn),
    _op("edit_session", "PATCH", "/sessions/{name}", "setup", "admin",
        "Change opening hours", "Changes the fields given of the named session.", Session,
        s.SessionEdit, params={"session": Annotated[str, Field(alias="name", min_length=1,
                                                                max_length=60)]}),
    _op("remove_session", "DELETE", "/sessions/{name}", "setup", "admin",
        "Remove opening hours", "Deletes or deactivates the named session; says which.",
        s.Done, params={"name": Name}, carried="result"),
    _op("list_printers", "GET", "/printers", "setup", "station", "The printers",
        "Every ticket and receipt printer, with the station or counter it belongs to.",
        list[Printer]),
    _op("add_printer", "POST", "/printers", "setup", "admin", "Add a printer",
        "Registers a printer. A file printer's address must be a printer device "
        "(/dev/usb/lp*, /dev/ttyUSB*, /dev/ttyS*) or lie in the server's printer directory.",
        Printer, s.PrinterIn),
    _op("remove_printer", "DELETE", "/printers/{name}", "setup", "admin", "Remove a printer",
        "Removes the named printer; says what happened.", s.Done, params={"name": Name},
        carried="result"),
    # -- counters ------------------------------------------------------------------
    _op("open_counter", "POST", "/counters/{number}/open", "counters", "clerk",
        "Open a counter", "Opens the counter; the clerk becomes its clerk. take=false (the "
        "floor view, managers only) leaves the counter to whoever logs in there.", Counter,
        params={"number": CounterNo, "take": bool}),
    _op("pause_counter", "POST", "/counters/{number}/pause", "counters", "clerk",
        "Pause a counter", "No calls until resumed; the reason shows on the floor view.",
        Counter, s.PauseIn, params={"number": CounterNo}),
    _op("resume_counter", "POST", "/counters/{number}/resume", "counters", "clerk",
        "Resume a paused counter", "The counter calls again.", Counter,
        params={"number": CounterNo}),
    _op("close_counter", "POST", "/counters/{number}/close", "counters", "clerk",
        "Close a counter", "Closes the counter and frees its clerk.", Counter,
        params={"number": CounterNo}),
    # -- tickets -------------------------------------------------------------------
    _op("issue", "POST", "/tickets", "tickets", "clerk", "Issue a ticket",
        "A new numbered ticket for a service (green channel and low position on request), "
        "with its position and wait estimate; print_ticket queues the slip.", IssueResult,
        s.IssueIn),
    _op("check_in", "POST", "/appointments/check-in", "tickets", "clerk",
        "Check an appointment in", "Issues the ticket of a booked appointment by its code.",
        IssueResult, s.CheckInIn),
    _op("import_appointments", "POST", "/appointments/import", "tickets", "manager",
        "Import appointments", "Stores the valid rows in one transaction and reports the "
        "others by line. The body may be a few MB; more is refused with 413.", s.ImportOut,
        s.ImportIn, max_body=IMPORT_BODY),
    _op("call_next", "POST", "/counters/{number}/call-next", "tickets", "clerk",
        "Call the next ticket", "Calls the next ticket the counter serves, by its calling "
        "order and the green-channel rules.", Ticket, params={"counter": AtCounter}),
    _op("call_number", "POST", "/counters/{number}/call", "tickets", "clerk",
        "Call a ticket by number", "Calls the named waiting ticket out of turn.", Ticket,
        s.TicketIn, params={"counter": AtCounter}),
    _op("recall", "POST", "/counters/{number}/recall", "tickets", "clerk",
        "Call the current ticket again", "Repeats the call of the counter's called ticket.",
        Ticket, params={"counter": AtCounter}),
    _op("serve", "POST", "/counters/{number}/serve", "tickets", "clerk",
        "Start serving", "The called citizen arrived; handling starts.", Ticket,
        params={"counter": AtCounter}),
    _op("finish", "POST", "/counters/{number}/finish", "tickets", "clerk",
        "Finish the current ticket", "Ends handling with an outcome, missing materials, a "
        "rating and a note; print_receipt queues the receipt.", Ticket, s.FinishIn,
        params={"counter": AtCounter}),
    _op("no_show", "POST", "/counters/{number}/no-show", "tickets", "clerk",
        "Mark a no-show", "The called citizen did not come; requeue puts the ticket back.",
        Ticket, s.NoShowIn, params={"counter": AtCounter}),
    _op("transfer", "POST", "/tickets/transfer", "tickets", "clerk", "Transfer a ticket",
        "Sends a ticket to another service or counter, keeping its place in the queue.",
        Ticket, s.TransferIn),
    _op("park", "POST", "/counters/{number}/park", "tickets", "clerk", "Park the ticket",
        "Sets the serving ticket aside with a reason (the citizen retakes a photo, fetches a "
        "document); the parked time does not count as handling.", Ticket, s.ParkIn,
        params={"counter": AtCounter}),
    _op("resume", "POST", "/counters/{number}/resume-ticket", "tickets", "clerk",
        "Resume a parked ticket", "Takes a parked ticket back to the counter.", Ticket,
        s.TicketIn, params={"counter": AtCounter}),
    _op("change_matter", "POST", "/tickets/matter", "tickets", "clerk",
        "Change a ticket's matter", "The citizen came for another matter: it is recorded "
        "(an event); a waiting ticket moves to the matter's queue keeping its place.", Ticket,
        s.ChangeMatterIn),
    _op("cancel", "POST", "/tickets/cancel", "tickets", "clerk", "Cancel a ticket",
        "The citizen left; the ticket ends as cancelled.", Ticket, s.TicketIn),
    _op("flag_green", "POST", "/tickets/green", "tickets", "clerk",
        "Put a ticket in the green channel", "Gives a waiting ticket green-channel priority "
        "with a reason (elderly, disabled, …).", Ticket, s.GreenIn),
    _op("close_day", "POST", "/close-day", "tickets", "manager", "Close earlier days",
        "Ends every open ticket of earlier days as expired; says how many.", s.Count,
        carried="count"),
    # -- printing ------------------------------------------------------------------
    _op("request_print", "POST", "/print-jobs", "printing", "clerk", "Print a slip",
        "Queues a ticket slip or a receipt for a stored ticket.", PrintJob, s.PrintIn),
    _op("list_print_jobs", "GET", "/print-jobs", "printing", "station", "The print jobs",
        "Recent print jobs, newest first, optionally of one status.", list[PrintJob],
        params={"status": JobStatus | None,
                "limit": Annotated[int, Field(ge=1, le=1000)]}),
    _op("claim_print_job", "POST", "/print-jobs/claim", "printing", "station",
        "Claim a print job", "The next queued job of this station's own printers, rendered "
        "by the server (base64 ESC/POS); the station holds it on a lease of a few seconds "
        "(renewed while printing), prints it and reports the result. A job whose lease runs "
        "out becomes unconfirmed, never re-sent. Jobs of printers without a station are "
        "printed by the server.", s.ClaimOut, s.ClaimIn, repeatable=LEASED, remote=False),
    _op("renew_print_lease", "POST", "/print-jobs/{job_id}/lease", "printing", "station",
        "Keep a claimed print job", "The station is still printing this job: its lease is "
        "extended a few seconds. Refused once the lease was lost (the job is unconfirmed).",
        s.Done, params={"job_id": Annotated[int, Field(ge=1, le=2**62)]}, repeatable=LEASED,
        remote=False),
    _op("report_print_job", "POST", "/print-jobs/{job_id}/result", "printing", "station",
        "Report a print job", "How the station's printer took a claimed job: done (the "
        "printer confirmed it), unconfirmed (it may not have printed) or failed, with the "
        "reason.", s.Done, s.PrintResultIn,
        params={"job_id": Annotated[int, Field(ge=1, le=2**62)]}, repeatable=LEASED,
        remote=False),
    # -- views and the change feed -------------------------------------------------
    _op("get_ticket", "GET", "/ticket", "views", "station", "One ticket",
        "ref is A023 (today), 2026-11-25/A023 or #17 (the ticket id).", Ticket,
        params={"ticket": Annotated[str, Field(alias="ref", min_length=1, max_length=40)]}),
    _op("list_tickets", "GET", "/tickets", "views", "station", "Tickets",
        "Tickets of a day (today by default), optionally of one status.", list[Ticket],
        params={"status": TicketStatus | None,
                "day": Annotated[str | None, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")],
                "limit": Annotated[int | None, Field(ge=1, le=100000)]}),
    _op("counter_view", "GET", "/counters/{number}/view", "views", "station",
        "A desk's view", "The counter, its current ticket, its queue and its parked tickets.",
        CounterView, params={"number": CounterNo,
                             "upcoming": Annotated[int, Field(ge=0, le=200)]}),
    _op("hall_view", "GET", "/hall", "views", "station", "The hall's view",
        "Every counter and queue with waits, for the board and the floor.", HallView,
        params={"recent": Annotated[int, Field(ge=0, le=200)]}),
    _op("floor_figures", "GET", "/floor", "views", "station", "Today by hour",
        "Issued, served and average wait by hour, and each counter's last finish.",
        s.FloorFigures),
    _op("last_event_id", "GET", "/events/last", "views", "station", "The newest event id",
        "Where the change feed stands.", s.WaitOut, carried="last_event_id"),
    _op("changes_since", "GET", "/events", "views", "station", "Events after an id",
        "The event log after ``after``, oldest first.", list[Event],
        params={"event_id": EventId, "limit": Annotated[int, Field(ge=1, le=5000)]}),
    _op("wait_for_change", "GET", "/events/wait", "views", "station", "Wait for a change",
        "Long poll: answers as soon as an event after ``after`` exists, or at the timeout; "
        "ends with 401 as soon as the station is revoked.", s.WaitOut,
        params={"after_event_id": EventId,
                "timeout": Annotated[float, Field(ge=0, le=30)]},
        defaults={"after_event_id": 0, "timeout": 10.0}, carried="last_event_id",
        remote=False),
    _op("stream", "GET", "/stream", "views", "station", "The live change feed",
        "Server-Sent Events: `hello`, then `change` (id = event id) for every event as it "
        "commits, `resync` when the station must reload, `bye` at shutdown. Reconnect with "
        "Last-Event-ID to get what was missed. Ends as soon as the station is revoked.",
        None, remote=False),
)
# fmt: on

BY_NAME: dict[str, Operation] = {op.name: op for op in OPERATIONS}


def body_limit(method: str, path: str) -> int:
    """The body cap of the route a request is for (the small cap when none matches)."""
    for op in OPERATIONS:
        if op.max_body != SMALL_BODY and op.method == method and op.url == path:
            return op.max_body
    return SMALL_BODY
