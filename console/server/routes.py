"""Every operation of the service interface as an HTTP route.

Routes are thin: authenticate, validate the body (``schemas``), call the one
interface method with the actor the server built, return its dataclass. A
state change needs an ``Idempotency-Key`` header; the key is scoped to the
station, so a retry returns the recorded result and changes nothing.
"""

import time
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import StreamingResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field

from console.domain import (
    Clerk,
    Counter,
    CounterView,
    Event,
    HallView,
    IssueResult,
    Printer,
    PrintJob,
    ServiceDef,
    Session,
    Ticket,
)
from console.domain.errors import AuthError, Refused
from console.server import printing
from console.server import schemas as s
from console.server.auth import Principal, close_session, open_session
from console.server.hall import ServerHall

bearer = HTTPBearer(auto_error=False, description="The station token from `stations add`.")
session_header = APIKeyHeader(name="X-QConsole-Session", auto_error=False,
                              description="A clerk session from /api/v1/login.")  # fmt: skip

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": s.ErrorBody} for code in (400, 401, 403, 404, 409, 422, 503)
}

router = APIRouter(prefix="/api/v1", responses=ERRORS)


def hall_of(request: Request) -> ServerHall:
    return request.app.state.hall


async def principal(
    request: Request,
    token: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    session: Annotated[str | None, Depends(session_header)],
) -> Principal:
    who = hall_of(request).auth.principal(token.credentials if token else None, session)
    request.state.who = (
        f"{who.station.name}/{who.actor.staff_no}" if who.actor else who.station.name
    )
    return who


Who = Annotated[Principal, Depends(principal)]
Key = Annotated[
    str,
    Header(alias="Idempotency-Key", min_length=8, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$",
           description="One per user action (a uuid4); a retry reuses it."),
]  # fmt: skip
Number = Annotated[int, Path(ge=1, le=9999)]


async def write(request: Request, who: Principal, key: str, op: str, *args: Any, **kw: Any
                ) -> Any:  # fmt: skip
    request.state.key = key
    # Keys are scoped by station and clerk session: after a logout and a new login at the
    # same station, an old key starts a new command instead of replaying another's result.
    scoped = f"{who.station.name}:{(who.session_hash or '')[:16]}:{key}"
    return await hall_of(request).awrite(op, scoped, who.acting(), *args, **kw)


async def read(request: Request, op: str, *args: Any, **kw: Any) -> Any:
    return await hall_of(request).aread(op, *args, **kw)


# -- identity ----------------------------------------------------------------
@router.post("/login", tags=["identity"])
async def login(request: Request, who: Who, body: s.LoginIn) -> s.LoginOut:
    """A clerk logs in at this station; wrong PINs count towards a lockout."""
    hall = hall_of(request)
    hall.auth.check_throttle(who.station)
    try:
        actor = await hall.alogin(body.staff_no, body.pin, who.station.name)
    except AuthError:
        hall.auth.count_failure(who.station)
        hall.hub.poke()
        raise
    token = await hall.aengine_write(open_session, actor, who.station)
    return s.LoginOut(session=token, actor=actor.to_dict())


@router.post("/logout", tags=["identity"])
async def logout(request: Request, who: Who) -> s.Done:
    await hall_of(request).aengine_write(close_session, who)
    return s.Done(result="logged out")


@router.get("/whoami", tags=["identity"])
async def whoami(request: Request, who: Who) -> s.WhoAmI:
    """This station, the actor its requests act as, and the server's time."""
    hall = hall_of(request)
    now = hall.clock.now()
    offset = hall.clock.local(now).utcoffset()
    return s.WhoAmI(
        station=who.station.name,
        station_role=who.station.role,
        actor=who.actor.to_dict() if who.actor else None,
        now=now,
        utc_offset_s=int(offset.total_seconds()) if offset else 0,
        last_event_id=hall.hub.last,
        version=request.app.version,
    )


# -- settings and setup --------------------------------------------------------
@router.get("/settings", tags=["setup"])
async def settings(request: Request, who: Who) -> dict[str, Any]:
    return await read(request, "settings")


@router.put("/settings/{name}", tags=["setup"])
async def set_setting(
    request: Request, who: Who, key: Key,
    name: Annotated[str, Field(max_length=40)], body: s.SettingIn,
) -> dict[str, Any]:  # fmt: skip
    return await write(request, who, key, "set_setting", name, body.value)


@router.get("/services", tags=["setup"])
async def list_services(
    request: Request, who: Who, include_inactive: bool = False
) -> list[ServiceDef]:
    return await read(request, "list_services", include_inactive)


@router.post("/services", tags=["setup"])
async def add_service(request: Request, who: Who, key: Key, body: s.ServiceIn) -> ServiceDef:
    return await write(request, who, key, "add_service", **body.model_dump(exclude_none=True))


Code = Annotated[str, Field(min_length=1, max_length=16)]


@router.patch("/services/{code}", tags=["setup"])
async def edit_service(
    request: Request, who: Who, key: Key, code: Code, body: s.ServiceEdit
) -> ServiceDef:
    return await write(
        request, who, key, "edit_service", code, **body.model_dump(exclude_none=True)
    )


@router.delete("/services/{code}", tags=["setup"])
async def remove_service(request: Request, who: Who, key: Key, code: Code) -> s.Done:
    return s.Done(result=await write(request, who, key, "remove_service", code))


@router.get("/counters", tags=["setup"])
async def list_counters(request: Request, who: Who) -> list[Counter]:
    return await read(request, "list_counters")


@router.post("/counters", tags=["setup"])
async def add_counter(request: Request, who: Who, key: Key, body: s.CounterIn) -> Counter:
    return await write(request, who, key, "add_counter", **body.model_dump(exclude_none=True))


@router.patch("/counters/{number}", tags=["setup"])
async def edit_counter(
    request: Request, who: Who, key: Key, number: Number, body: s.CounterEdit
) -> Counter:
    return await write(
        request, who, key, "edit_counter", number, **body.model_dump(exclude_none=True)
    )


@router.delete("/counters/{number}", tags=["setup"])
async def remove_counter(request: Request, who: Who, key: Key, number: Number) -> s.Done:
    return s.Done(result=await write(request, who, key, "remove_counter", number))


StaffNo = Annotated[str, Field(min_length=1, max_length=20)]


@router.get("/clerks", tags=["setup"])
async def list_clerks(request: Request, who: Who) -> list[Clerk]:
    return await read(request, "list_clerks")


@router.post("/clerks", tags=["setup"])
async def add_clerk(request: Request, who: Who, key: Key, body: s.ClerkIn) -> Clerk:
    return await write(request, who, key, "add_clerk", **body.model_dump(exclude_none=True))


@router.patch("/clerks/{staff_no}", tags=["setup"])
async def edit_clerk(
    request: Request, who: Who, key: Key, staff_no: StaffNo, body: s.ClerkEdit
) -> Clerk:
    return await write(
        request, who, key, "edit_clerk", staff_no, **body.model_dump(exclude_none=True)
    )


@router.delete("/clerks/{staff_no}", tags=["setup"])
async def remove_clerk(request: Request, who: Who, key: Key, staff_no: StaffNo) -> s.Done:
    return s.Done(result=await write(request, who, key, "remove_clerk", staff_no))


Name = Annotated[str, Field(min_length=1, max_length=60)]


@router.get("/sessions", tags=["setup"])
async def list_sessions(request: Request, who: Who) -> list[Session]:
    return await read(request, "list_sessions")


@router.post("/sessions", tags=["setup"])
async def add_session(request: Request, who: Who, key: Key, body: s.SessionIn) -> Session:
    return await write(request, who, key, "add_session", **body.model_dump(exclude_none=True))


@router.patch("/sessions/{name}", tags=["setup"])
async def edit_session(
    request: Request, who: Who, key: Key, name: Name, body: s.SessionEdit
) -> Session:
    return await write(
        request, who, key, "edit_session", name, **body.model_dump(exclude_none=True)
    )


@router.delete("/sessions/{name}", tags=["setup"])
async def remove_session(request: Request, who: Who, key: Key, name: Name) -> s.Done:
    return s.Done(result=await write(request, who, key, "remove_session", name))


@router.get("/printers", tags=["setup"])
async def list_printers(request: Request, who: Who) -> list[Printer]:
    return await read(request, "list_printers")


@router.post("/printers", tags=["setup"])
async def add_printer(request: Request, who: Who, key: Key, body: s.PrinterIn) -> Printer:
    return await write(request, who, key, "add_printer", **body.model_dump())


@router.delete("/printers/{name}", tags=["setup"])
async def remove_printer(request: Request, who: Who, key: Key, name: Name) -> s.Done:
    return s.Done(result=await write(request, who, key, "remove_printer", name))


# -- counters ------------------------------------------------------------------
@router.post("/counters/{number}/open", tags=["counters"])
async def open_counter(
    request: Request, who: Who, key: Key, number: Number, take: bool = True
) -> Counter:
    """Open a counter; ``take=false`` (the floor view) leaves its clerk to whoever logs in."""
    return await write(request, who, key, "open_counter", number, take=take)


@router.post("/counters/{number}/pause", tags=["counters"])
async def pause_counter(
    request: Request, who: Who, key: Key, number: Number, body: s.PauseIn
) -> Counter:
    return await write(request, who, key, "pause_counter", number, body.reason)


@router.post("/counters/{number}/resume", tags=["counters"])
async def resume_counter(request: Request, who: Who, key: Key, number: Number) -> Counter:
    return await write(request, who, key, "resume_counter", number)


@router.post("/counters/{number}/close", tags=["counters"])
async def close_counter(request: Request, who: Who, key: Key, number: Number) -> Counter:
    return await write(request, who, key, "close_counter", number)


# -- tickets -------------------------------------------------------------------
@router.post("/tickets", tags=["tickets"])
async def issue(request: Request, who: Who, key: Key, body: s.IssueIn) -> IssueResult:
    return await write(request, who, key, "issue", body.service, green_reason=body.green_reason,
                 green_note=body.green_note, low_position=body.low_position,
                 print_ticket=body.print_ticket)  # fmt: skip


@router.post("/appointments/check-in", tags=["tickets"])
async def check_in(request: Request, who: Who, key: Key, body: s.CheckInIn) -> IssueResult:
    return await write(request, who, key, "check_in", body.code, print_ticket=body.print_ticket)


@router.post("/appointments/import", tags=["tickets"])
async def import_appointments(
    request: Request, who: Who, key: Key, body: s.ImportIn
) -> dict[str, Any]:
    return await write(request, who, key, "import_appointments", body.rows)


@router.post("/counters/{number}/call-next", tags=["tickets"])
async def call_next(request: Request, who: Who, key: Key, number: Number) -> Ticket:
    return await write(request, who, key, "call_next", number)


@router.post("/counters/{number}/call", tags=["tickets"])
async def call_number(
    request: Request, who: Who, key: Key, number: Number, body: s.TicketIn
) -> Ticket:
    return await write(request, who, key, "call_number", number, body.ticket)


@router.post("/counters/{number}/recall", tags=["tickets"])
async def recall(request: Request, who: Who, key: Key, number: Number) -> Ticket:
    return await write(request, who, key, "recall", number)


@router.post("/counters/{number}/serve", tags=["tickets"])
async def serve(request: Request, who: Who, key: Key, number: Number) -> Ticket:
    return await write(request, who, key, "serve", number)


@router.post("/counters/{number}/finish", tags=["tickets"])
async def finish(request: Request, who: Who, key: Key, number: Number, body: s.FinishIn) -> Ticket:
    return await write(request, who, key, "finish", number, outcome=body.outcome,
                 materials=body.materials, rating=body.rating, note=body.note,
                 print_receipt=body.print_receipt)  # fmt: skip


@router.post("/counters/{number}/no-show", tags=["tickets"])
async def no_show(request: Request, who: Who, key: Key, number: Number, body: s.NoShowIn) -> Ticket:
    return await write(request, who, key, "no_show", number, requeue=body.requeue)


@router.post("/counters/{number}/park", tags=["tickets"])
async def park(
    request: Request, who: Who, key: Key, number: Number, body: s.ParkIn | None = None
) -> Ticket:
    return await write(request, who, key, "park", number, reason=body.reason if body else None)


@router.post("/counters/{number}/resume-ticket", tags=["tickets"])
async def resume(request: Request, who: Who, key: Key, number: Number, body: s.TicketIn) -> Ticket:
    return await write(request, who, key, "resume", number, body.ticket)


@router.post("/tickets/transfer", tags=["tickets"])
async def transfer(request: Request, who: Who, key: Key, body: s.TransferIn) -> Ticket:
    return await write(request, who, key, "transfer", body.ticket, to_service=body.to_service,
                 to_counter=body.to_counter)  # fmt: skip


@router.post("/tickets/cancel", tags=["tickets"])
async def cancel(request: Request, who: Who, key: Key, body: s.TicketIn) -> Ticket:
    return await write(request, who, key, "cancel", body.ticket)


@router.post("/tickets/green", tags=["tickets"])
async def flag_green(request: Request, who: Who, key: Key, body: s.GreenIn) -> Ticket:
    return await write(request, who, key, "flag_green", body.ticket, body.reason, body.note)


@router.post("/close-day", tags=["tickets"])
async def close_day(request: Request, who: Who, key: Key) -> s.Count:
    return s.Count(count=await write(request, who, key, "close_day"))


# -- printing ------------------------------------------------------------------
@router.post("/print-jobs", tags=["printing"])
async def request_print(request: Request, who: Who, key: Key, body: s.PrintIn) -> PrintJob:
    return await write(request, who, key, "request_print", body.ticket, body.kind)


@router.post("/print-jobs/claim", tags=["printing"])
async def claim_print_job(request: Request, who: Who, key: Key, body: s.ClaimIn) -> s.ClaimOut:
    """A station takes the next job of its own printers, rendered; it then sends the bytes
    and reports the result. Jobs of printers without a station are printed by the server."""
    hall = hall_of(request)
    request.state.key = key
    scoped = f"{who.station.name}:{key}"
    if scoped in hall.claims:  # a retry: the same job and bytes again, not a second job
        return hall.claims[scoped]
    out = s.ClaimOut()
    for _ in range(20):
        job = await hall.aprint(printing.claim_job, who.station.name, body.printers)
        if job is None:
            break
        try:
            rendered = await hall.aprint_read(printing.render_job, job)
        except Exception as exc:  # a removed printer or a bad setting: that job fails visibly
            await hall.aprint(printing.fail_job, job["id"], f"cannot render: {exc}")
            continue
        out = s.ClaimOut(job=job, **rendered)
        break
    hall.claims[scoped] = out
    while len(hall.claims) > 1000:
        hall.claims.popitem(last=False)
    return out


@router.post("/print-jobs/{job_id}/lease", tags=["printing"])
async def renew_print_lease(
    request: Request, who: Who, key: Key, job_id: Annotated[int, Path(ge=1, le=2**62)],
) -> s.Done:  # fmt: skip
    """The station is still printing this job: keep it for another few seconds. A station
    that stops renewing loses the job, which becomes unconfirmed (never re-sent)."""
    ok = await hall_of(request).aprint(printing.renew_for_station, who.station.name, job_id)
    if not ok:
        raise Refused(reason="print.lease_lost", job=job_id, station=who.station.name)
    return s.Done(result="renewed")


@router.post("/print-jobs/{job_id}/result", tags=["printing"])
async def report_print_job(
    request: Request, who: Who, key: Key,
    job_id: Annotated[int, Path(ge=1, le=2**62)], body: s.PrintResultIn,
) -> s.Done:  # fmt: skip
    """How the station's printer took a claimed job: done (the printer confirmed it),
    unconfirmed (it may not have printed) or failed, with the reason."""
    details = {"may_have_printed": body.may_have_printed, "warning": body.warning,
               "kind_of_error": body.kind_of_error, "bytes": body.bytes,
               "status": body.printer_status}  # fmt: skip
    details = {k: v for k, v in details.items() if v is not None}
    ok = await hall_of(request).aprint(
        printing.report_for_station, who.station.name, job_id, body.status, body.error, details
    )
    if not ok:
        raise AuthError(reason="print.job_not_yours", job=job_id, station=who.station.name)
    return s.Done(result=body.status)


JobStatus = Literal["queued", "printing", "done", "failed", "unconfirmed"]


@router.get("/print-jobs", tags=["printing"])
async def list_print_jobs(
    request: Request, who: Who, status: JobStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[PrintJob]:  # fmt: skip
    return await read(request, "list_print_jobs", status, limit)


# -- views and the change feed ------------------------------------------------
@router.get("/ticket", tags=["views"])
async def get_ticket(
    request: Request, who: Who, ref: Annotated[str, Query(min_length=1, max_length=40)]
) -> Ticket:
    """One ticket: ``ref`` is A023 (today), 2026-11-25/A023 or #17."""
    return await read(request, "get_ticket", ref)


Status = Literal["waiting", "called", "serving", "parked", "done", "no_show", "cancelled",
                   "expired"]  # fmt: skip


@router.get("/tickets", tags=["views"])
async def list_tickets(
    request: Request, who: Who, status: Status | None = None,
    day: Annotated[str | None, Query(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")] = None,
    limit: Annotated[int | None, Query(ge=1, le=100000)] = None,
) -> list[Ticket]:  # fmt: skip
    return await read(request, "list_tickets", status, day, limit)


@router.get("/counters/{number}/view", tags=["views"])
async def counter_view(request: Request, who: Who, number: Number) -> CounterView:
    return await read(request, "counter_view", number)


@router.get("/hall", tags=["views"])
async def hall_view(request: Request, who: Who) -> HallView:
    return await read(request, "hall_view")


@router.get("/floor", tags=["views"])
async def floor_figures(request: Request, who: Who) -> dict[str, Any]:
    """Today by hour and each counter's last finish, for the floor view."""
    return await read(request, "floor_figures")


@router.get("/events/last", tags=["views"])
async def last_event_id(request: Request, who: Who) -> s.WaitOut:
    return s.WaitOut(last_event_id=await read(request, "last_event_id"))


EventId = Annotated[int, Query(ge=0, le=2**62)]


@router.get("/events", tags=["views"])
async def changes_since(
    request: Request, who: Who, after: EventId = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[Event]:  # fmt: skip
    return await read(request, "changes_since", after, limit)


@router.get("/events/wait", tags=["views"])
async def wait_for_change(
    request: Request, who: Who, after: EventId = 0,
    timeout: Annotated[float, Query(ge=0, le=30)] = 10,
) -> s.WaitOut:  # fmt: skip
    """Long poll: returns as soon as an event after ``after`` exists, or at the timeout."""
    newest = await hall_of(request).hub.wait(after, timeout)
    return s.WaitOut(last_event_id=newest)


@router.get(
    "/stream", tags=["views"], response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}},
                     "description": "Server-Sent Events: `change` (id = event id), "
                                    "`resync`, `hello`, `bye`."}},
)  # fmt: skip
async def stream(
    request: Request, who: Who, after: EventId | None = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=20)] = None,
    token: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> StreamingResponse:  # fmt: skip
    """Every change as it commits; reconnect with ``Last-Event-ID`` to get what was missed."""
    cursor = after
    if last_event_id and last_event_id.isdigit():
        cursor = int(last_event_id)
    hub = hall_of(request).hub
    return StreamingResponse(
        _while_valid(request, token.credentials if token else None, hub.stream(cursor)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


STREAM_RECHECK_S = 1.0
"""How often an open stream checks that its station token is still accepted."""


async def _while_valid(
    request: Request, token: str | None, chunks: AsyncIterator[str]
) -> AsyncIterator[str]:
    """The stream, ended as soon as its station is revoked (the revocation is itself an event,
    so the check runs before that event would go out); reconnecting then gets 401."""
    auth = hall_of(request).auth
    checked = time.monotonic()
    try:
        async for chunk in chunks:
            now = time.monotonic()
            if now - checked >= STREAM_RECHECK_S or '"station.revoked"' in chunk:
                checked = now
                try:
                    auth.station(token)
                except AuthError:
                    return
            yield chunk
    finally:
        await chunks.aclose()  # type: ignore[attr-defined]
