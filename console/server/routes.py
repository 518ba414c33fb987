"""The HTTP routes of the hall server, made from the declarations in ``operations``.

An interface operation needs no code here: its route authenticates (done
before the body is read, by ``app.Gate``), checks the declared role, hands the
path, query and body values to the interface method with the actor the
server built, and returns its result. A state change runs under its
``Idempotency-Key``, scoped to the station. The few operations that are not a
plain interface call (a login opens a session, the change feed streams) have
a handler below, registered under their declaration all the same.
"""

from __future__ import annotations

import dataclasses
import inspect
import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, get_args, get_origin

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import StreamingResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic.fields import FieldInfo

from console.domain.errors import AuthError
from console.server import printing
from console.server import schemas as s
from console.server.auth import Principal, close_session, open_session
from console.server.hall import ServerHall
from console.server.operations import OPERATIONS, Operation
from console.service import HallService

bearer = HTTPBearer(auto_error=False, description="The station token from `stations add`.")
session_header = APIKeyHeader(name="X-QConsole-Session", auto_error=False,
                              description="A clerk session from /api/v1/login.")  # fmt: skip

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": s.ErrorBody, "description": why}
    for code, why in (
        (401, "No station token, or one the server does not accept"),
        (403, "The station or clerk may not do this"),
        (404, "No such ticket, counter, service, clerk, session or printer"),
        (409, "Refused by the hall's rules"),
        (413, "The request body is too large for this operation"),
        (422, "Bad input"),
        (503, "The hall database is busy or damaged"),
    )
}

router = APIRouter(prefix="/api/v1", responses=ERRORS, redirect_slashes=False)


def hall_of(request: Request) -> ServerHall:
    return request.app.state.hall


async def principal(
    request: Request,
    token: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    session: Annotated[str | None, Depends(session_header)],
) -> Principal:
    """The caller; ``token`` and ``session`` name the two security schemes in the OpenAPI
    description (the headers are read once, by :func:`principal_of`)."""
    return principal_of(request)


def principal_of(request: Request) -> Principal:
    """The station (its token checked by ``app.Gate``) and the clerk of its session."""
    auth = hall_of(request).auth
    session = request.headers.get("x-qconsole-session")
    station = request.scope.get("state", {}).get("station")
    if station is None:  # not through the gate (an app without it, in a test)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        who = auth.principal(token if scheme.lower() == "bearer" else None, session)
    else:
        who = auth.session_principal(station, session)
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


def scoped(who: Principal, key: str) -> str:
    """A command key as the engine stores it: scoped by station and clerk session, so after
    a logout and a new login at the same station an old key starts a new command instead of
    replaying another clerk's result."""
    return f"{who.station.name}:{(who.session_hash or '')[:16]}:{key}"


def allowed(op: Operation, who: Principal) -> Any:
    """The actor of a state change, after the declared role is checked (the engine checks
    again, where the data is)."""
    if op.role in ("manager", "admin"):
        actor = who.acting()
        if not actor.may(op.role):
            raise AuthError(reason="auth.needs_role", what=op.summary.lower(), role=op.role,
                            clerk=actor.staff_no, actual=actor.role)  # fmt: skip
        return actor
    return who.acting() if op.writes else who.actor


def _marker(arg: str, annotation: Any, in_path: bool) -> Any:
    """FastAPI's Path or Query marker around a declared parameter type."""
    alias = None
    if get_origin(annotation) is Annotated:
        alias = next((m.alias for m in get_args(annotation)[1:] if isinstance(m, FieldInfo)),
                     None)  # fmt: skip
    return Annotated[annotation, Path(alias=alias) if in_path else Query(alias=alias)]


def _signature(op: Operation, **extra: inspect.Parameter) -> inspect.Signature:
    """What FastAPI reads: the request, the caller, the key, the parameters and the body."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("request", keyword, annotation=Request),
              inspect.Parameter("who", keyword, annotation=Who)]  # fmt: skip
    if op.writes:
        params.append(inspect.Parameter("key", keyword, annotation=Key))
    interface = getattr(HallService, op.name, None)
    defaults = inspect.signature(interface).parameters if interface else {}
    for arg, annotation in op.params.items():
        in_path = arg in op.path_args()
        default = op.defaults.get(arg, inspect._empty)
        if arg in defaults and not in_path:
            default = defaults[arg].default
        params.append(inspect.Parameter(arg, keyword, annotation=_marker(arg, annotation, in_path),
                                        default=default))  # fmt: skip
    if op.body is not None:
        params.append(inspect.Parameter("body", keyword, annotation=op.body))
    params.extend(extra.values())
    return inspect.Signature(params, return_annotation=op.response or inspect._empty)


def loose_fields(op: Operation) -> bool:
    """Whether the interface method takes ``**fields`` (a setup operation): its body then
    passes only the fields given."""
    interface = inspect.signature(getattr(HallService, op.name))
    return any(p.kind is p.VAR_KEYWORD for p in interface.parameters.values())


def _call(op: Operation) -> Callable[..., Any]:
    """The endpoint of a plain interface operation."""
    loose = loose_fields(op)

    async def endpoint(request: Request, who: Principal, key: str | None = None,
                       body: Any = None, **args: Any) -> Any:  # fmt: skip
        actor = allowed(op, who)
        if body is not None:  # a setup operation's **fields take only what was given
            args.update(body.model_dump(exclude_none=loose))
        hall = hall_of(request)
        if op.writes:
            request.state.key = key
            result = await hall.awrite(op.name, scoped(who, key), actor, **args)
        else:
            result = await hall.aread(op.name, **args)
        return op.response(**{op.carried: result}) if op.carried else result

    return endpoint


def _register(op: Operation, endpoint: Callable[..., Any], **route: Any) -> None:
    endpoint.__signature__ = _signature(op, **route.pop("extra", {}))  # type: ignore[attr-defined]
    endpoint.__name__ = op.name
    router.add_api_route(op.path, endpoint, methods=[op.method], tags=[op.tag],
                         summary=op.summary, description=op.description, operation_id=op.name,
                         **route)  # fmt: skip


# -- the operations that are more than one interface call -----------------------
async def login(request: Request, who: Principal, body: s.LoginIn) -> s.LoginOut:
    hall = hall_of(request)
    actor = await hall.alogin(body.staff_no, body.pin, who.station)
    token = await hall.aengine_write(open_session, actor, who.station)
    return s.LoginOut(session=token, actor=actor.to_dict())


async def logout(request: Request, who: Principal) -> s.Done:
    await hall_of(request).aengine_write(close_session, who)
    return s.Done(result="logged out")


async def whoami(request: Request, who: Principal) -> s.WhoAmI:
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


def _with_replication(op: Operation) -> Callable[..., Any]:
    """The hall's view, with how far this server's replica is behind (the floor shows a
    stalled replica, which would otherwise show only at the restore)."""
    plain = _call(op)

    async def endpoint(request: Request, who: Principal, **args: Any) -> Any:
        view = await plain(request, who, **args)
        watch = request.app.state.replication
        return view if watch is None else dataclasses.replace(view, replication=watch.state())

    return endpoint


async def claim_print_job(request: Request, who: Principal, key: str, body: s.ClaimIn
                          ) -> s.ClaimOut:  # fmt: skip
    hall = hall_of(request)
    request.state.key = key
    claim = scoped(who, key)
    if claim in hall.claims:  # a retry: the same job and bytes again, not a second job
        return hall.claims[claim]
    out = s.ClaimOut()
    for _ in range(20):
        job = await hall.aprint(printing.claim_job, who.station.name, body.printers)
        if job is None:
            break
        try:
            rendered = await hall.aprint_read(printing.render, job)
        except Exception as exc:  # a removed printer or a bad setting: that job fails visibly
            await hall.aprint(printing.fail_job, job["id"], f"cannot render: {exc}")
            continue
        out = s.ClaimOut(job=job, **rendered)
        break
    hall.claims[claim] = out
    while len(hall.claims) > 1000:
        hall.claims.popitem(last=False)
    return out


async def report_print_job(request: Request, who: Principal, key: str, job_id: int,
                           body: s.PrintResultIn) -> s.Done:  # fmt: skip
    result = await hall_of(request).aprint(
        printing.report_for_station, who.station.name, job_id, body.model_dump()
    )
    return s.Done(result=result)


async def renew_print_lease(request: Request, who: Principal, key: str, job_id: int) -> s.Done:
    """The station is still printing this job: keep it another few seconds."""
    result = await hall_of(request).aprint(printing.renew_for_station, who.station.name, job_id)
    return s.Done(result=result)


STREAM_RECHECK_S = 1.0
"""How often an open stream or long poll checks that its station token is still accepted."""


async def wait_for_change(request: Request, who: Principal, after_event_id: int, timeout: float
                          ) -> s.WaitOut:  # fmt: skip
    hall = hall_of(request)
    deadline = time.monotonic() + timeout
    newest = after_event_id
    while True:
        slice_s = min(STREAM_RECHECK_S, max(0.0, deadline - time.monotonic()))
        newest = await hall.hub.wait(after_event_id, slice_s)
        if newest > after_event_id or time.monotonic() >= deadline or hall.hub.closing:
            return s.WaitOut(last_event_id=newest)
        recheck(request)


async def stream(request: Request, who: Principal, after: int | None = None,
                 last_event_id: str | None = None) -> StreamingResponse:  # fmt: skip
    cursor = int(last_event_id) if last_event_id else after
    hall = hall_of(request)
    return StreamingResponse(
        while_valid(request, hall.hub.stream(cursor)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def recheck(request: Request) -> None:
    """Raise ``Unauthenticated`` once the request's station token is no longer accepted."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    hall_of(request).auth.station(token if scheme.lower() == "bearer" else None)


async def while_valid(request: Request, chunks: AsyncIterator[str]) -> AsyncIterator[str]:
    """The stream, ended as soon as its station is revoked (the revocation is itself an event,
    so the check runs before that event would go out); reconnecting then gets 401."""
    checked = time.monotonic()
    try:
        async for chunk in chunks:
            now = time.monotonic()
            if now - checked >= STREAM_RECHECK_S or '"station.revoked"' in chunk:
                checked = now
                try:
                    recheck(request)
                except AuthError:
                    return
            yield chunk
    finally:
        await chunks.aclose()  # type: ignore[attr-defined]


SSE = {200: {"content": {"text/event-stream": {"schema": {"type": "string"}}},
             "description": "Server-Sent Events: `hello`, `change` (id = event id), `resync`, "
                            "`bye`; a `: ping` comment every few seconds."}}  # fmt: skip
keyword = inspect.Parameter.KEYWORD_ONLY
HANDLERS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "login": (login, {}),
    "logout": (logout, {}),
    "whoami": (whoami, {}),
    "claim_print_job": (claim_print_job, {}),
    "report_print_job": (report_print_job, {}),
    "renew_print_lease": (renew_print_lease, {}),
    "wait_for_change": (wait_for_change, {}),
    "stream": (stream, {
        "response_class": StreamingResponse, "responses": SSE,
        "extra": {
            "after": inspect.Parameter("after", keyword, default=None,
                                       annotation=Annotated[int | None, Query(ge=0, le=2**62)]),
            "last_event_id": inspect.Parameter(
                "last_event_id", keyword, default=None,
                annotation=Annotated[str | None, Header(alias="Last-Event-ID",
                                                        pattern=r"^[0-9]{1,18}$")]),
        },
    }),
}  # fmt: skip
"""Operations with a handler of their own (and what their route needs besides)."""

# The router tries routes in order: a desk's calls (the tickets' operations) come first, so a
# call is not matched against every setup route before its own (no two routes overlap).
for _op in sorted(OPERATIONS, key=lambda op: op.tag != "tickets"):
    _handler, _route = HANDLERS.get(_op.name, (None, {}))
    if _op.name == "hall_view":
        _handler = _with_replication(_op)
    _register(_op, _handler or _call(_op), **dict(_route))
