"""The remote implementation of the service interface: the hall server over HTTP (httpx).

A screen cannot tell it from ``LocalHall``: the same methods, arguments,
dataclasses and error classes. What differs is underneath:

* **Who acts** is decided by the server. Every request carries the station
  token (``QCONSOLE_TOKEN`` or the file ``qconsole stations save-token``
  writes); a clerk's requests also carry the session ``login`` got. The
  ``actor`` argument only selects which of this station's logged-in clerks
  acts; the server never trusts it. ``.actor`` is who this station acts as
  with no clerk chosen: the last clerk logged in here, else the admin shell
  for a station registered with ``--admin``, else ``None`` (reads only).
* **Safe retries.** A state change gets one ``Idempotency-Key`` (the caller's
  ``key`` when it passes one, else a uuid4); when the server does not answer
  (timeout, connection lost, server restarting) the same request is retried with
  the same key for ``retry_for`` seconds, so it is done exactly once. Then it is
  refused with ``Unavailable`` (exit 3): never queued behind the user's back, never
  lost without a word. The message says "not done" only when no attempt got past
  connecting; otherwise the server may have done it, and calling again with the
  same ``key`` returns that result instead of doing it twice.
* **Live changes** come from the server's event stream in a background thread
  that reconnects by itself with backoff and resumes from the last event id.
  While the server is unreachable, ``wait_for_change`` raises ``Unavailable``
  (the screens show their banner) and ``.online`` is False.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import httpx

from console.domain import (
    Actor,
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
from console.domain.errors import (
    AuthError,
    BadInput,
    NotFound,
    QConsoleError,
    Refused,
    Unavailable,
)
from console.engine.clock import Clock

T = TypeVar("T")

ERRORS: dict[str, type[QConsoleError]] = {
    "refused": Refused,
    "forbidden": AuthError,
    "unauthenticated": AuthError,
    "bad_input": BadInput,
    "not_found": NotFound,
    "unavailable": Unavailable,
}
"""The server's error codes back to the classes the engine raised."""

RETRY_FOR_S = 4.0
"""How long a state change is retried (same key) before it is refused as unavailable."""
BACKOFF_S = (0.1, 0.2, 0.4, 0.8, 1.6, 3.0)
STREAM_READ_S = 15.0
"""No byte (not even a heartbeat) for this long: the server is gone, reconnect."""


def token_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "qconsole" / "station-token"


def find_token(token: str | None = None) -> str:
    """The station token: given, ``QCONSOLE_TOKEN``, or the per-user token file."""
    token = token or os.environ.get("QCONSOLE_TOKEN")
    if not token:
        path = token_file()
        if path.is_file():
            token = path.read_text(encoding="utf-8").strip()
    if not token:
        raise BadInput(reason="station.no_token")
    return token


def _error(response: httpx.Response) -> QConsoleError:
    try:
        body = response.json()
        code, message = body.get("error", ""), body.get("message") or response.text
    except (ValueError, AttributeError):
        code, message = "", response.text.strip()[:200]
    cls = ERRORS.get(code)
    if cls is None:
        if response.status_code >= 500:
            return Unavailable(reason="server.error", status=response.status_code, detail=message)
        cls = BadInput if response.status_code < 409 else Refused
    reason = body.get("reason") if isinstance(body, dict) else None
    params = body.get("params") if isinstance(body, dict) else None
    if isinstance(reason, str) and isinstance(params, dict):
        return cls(message, reason=reason, **params)
    return cls(message)


class ServerClock(Clock):
    """The machine's clock corrected by the server's offset, in the hall's UTC offset."""

    def __init__(self, offset_s: float, utc_offset_s: int):
        super().__init__(timezone(timedelta(seconds=utc_offset_s)),
                         lambda: time.time() + self.offset_s)  # fmt: skip
        self.offset_s = offset_s


class RemoteHall:
    """``HallService`` over ``qconsole serve`` at ``url``."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = 5.0,
        retry_for: float = RETRY_FOR_S,
        verify: bool | str | ssl.SSLContext | None = None,
    ):
        if not url.startswith(("http://", "https://")):
            raise BadInput(reason="server.bad_url", value=repr(url))
        self.url = url.rstrip("/")
        self.retry_for = retry_for
        if verify is None:
            verify = os.environ.get("QCONSOLE_CA") or True
        if isinstance(verify, str):  # a CA bundle: the hall's own certificate authority
            try:
                verify = ssl.create_default_context(cafile=verify)
            except (OSError, ssl.SSLError) as exc:
                raise BadInput(reason="server.bad_ca", path=verify, detail=str(exc)) from None
        self._headers = {"Authorization": f"Bearer {find_token(token)}"}
        self._verify = verify
        self._http = httpx.Client(
            base_url=self.url, headers=self._headers, verify=verify,
            timeout=httpx.Timeout(timeout, connect=min(2.0, timeout)),
        )  # fmt: skip
        self._sessions: dict[str, tuple[str, Actor]] = {}
        self._current: str | None = None
        self._closed = False
        # the change feed
        self._cond = threading.Condition()
        self._newest = 0
        self._generation = 0
        self._online = True
        self._offline_reason = ""
        self._offline_error: QConsoleError = Unavailable(reason="server.closed")
        self._stream_thread: threading.Thread | None = None
        self._listeners: list[Callable[[bool, str], None]] = []

        hello = self._request("GET", "/api/v1/whoami", retry=False)
        self.station: str = hello["station"]
        self.station_role: str = hello["station_role"]
        self._station_actor = Actor.from_dict(hello["actor"]) if hello["actor"] else None
        self._newest = hello["last_event_id"]
        self.clock: Clock = ServerClock(hello["now"] - time.time(), hello["utc_offset_s"])
        staff, pin = os.environ.get("QCONSOLE_STAFF"), os.environ.get("QCONSOLE_PIN")
        if staff and pin:
            self.login(staff, pin, self.station)

    # -- who acts ------------------------------------------------------------
    @property
    def actor(self) -> Actor | None:
        if self._current is not None:
            return self._sessions[self._current][1]
        return self._station_actor

    def login(self, staff_no: str, pin: str, station: str = "") -> Actor:
        """Log a clerk in at this station (the server names the station, not ``station``)."""
        data = self._request("POST", "/api/v1/login", json={"staff_no": staff_no, "pin": pin},
                             retry=False)  # fmt: skip
        actor = Actor.from_dict(data["actor"])
        self._sessions[actor.staff_no] = (data["session"], actor)
        self._current = actor.staff_no
        return actor

    def logout(self, actor: Actor | None = None) -> None:
        """End a clerk's session on the server (the current clerk when none is given)."""
        staff_no = actor.staff_no if actor else self._current
        if staff_no is None or staff_no not in self._sessions:
            return
        session, _ = self._sessions[staff_no]
        try:
            self._request("POST", "/api/v1/logout", session=session, retry=False)
        finally:
            self._sessions.pop(staff_no, None)
            if self._current == staff_no:
                self._current = None

    def _session_for(self, actor: Actor | None) -> str | None:
        if actor is None:
            return self._sessions[self._current][0] if self._current else None
        found = self._sessions.get(actor.staff_no)
        if found is not None:
            return found[0]
        if self._station_actor is not None and actor.staff_no == self._station_actor.staff_no:
            return None
        if self._current is None and actor.role == "admin" and actor.staff_no == "cli":
            return None  # the CLI's shell actor: the server decides what this station may do
        raise AuthError(reason="auth.not_logged_in", clerk=actor.staff_no)

    # -- HTTP with retries -------------------------------------------------------
    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        write: bool = False,
        retry: bool = True,
        key: str | None = None,
    ) -> Any:
        headers: dict[str, str] = {}
        if session:
            headers["X-QConsole-Session"] = session
        if write:
            # one per action, kept on retry; the caller's own key when it gave one, so that
            # repeating an action with the same key (after Unavailable) does not repeat it
            headers["Idempotency-Key"] = _wire_key(key) if key else uuid.uuid4().hex
        if params:
            params = {k: v for k, v in params.items() if v is not None}
        deadline = time.monotonic() + (self.retry_for if retry else 0)
        attempt = 0
        # once an attempt went further than connecting, the server may have done the action
        # although no answer came back: then the station must not be told "not done"
        maybe_sent = False
        while True:
            try:
                response = self._http.request(method, path, json=json, params=params,
                                              headers=headers)  # fmt: skip
            except httpx.HTTPError as exc:
                if self._closed:
                    raise Unavailable(reason="server.closed") from exc
                if not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
                    maybe_sent = True
                if time.monotonic() >= deadline:
                    reason = "server.unreachable"
                    if write:
                        reason += "_unsure" if maybe_sent else "_not_done"
                    detail = type(exc).__name__ + (f" {exc}" if str(exc) else "")
                    raise Unavailable(reason=reason, url=self.url, detail=detail) from exc
                pause = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)] * random.uniform(0.8, 1.2)
                time.sleep(min(pause, max(0.0, deadline - time.monotonic())) or 0.01)
                attempt += 1
                continue
            if response.status_code == 503 and time.monotonic() < deadline:
                time.sleep(BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)])  # busy or restarting
                attempt += 1
                continue
            if response.status_code >= 400:
                raise _error(response)
            return response.json()

    def _get(self, path: str, **params: Any) -> Any:
        return self._request("GET", path, params=params, session=self._session_for(None))

    def _post(self, actor: Actor, path: str, body: Any = None, method: str = "POST",
              key: str | None = None) -> Any:  # fmt: skip
        return self._request(method, path, json=body, session=self._session_for(actor), write=True,
                             key=key)  # fmt: skip

    @staticmethod
    def _fields(fields: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in fields.items() if v is not None}

    # -- hall setup --------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        return self._get("/api/v1/settings")

    def set_setting(self, actor: Actor, name: str, value: Any) -> dict[str, Any]:
        return self._post(actor, f"/api/v1/settings/{_seg(name)}", {"value": value}, "PUT")

    def list_services(self, include_inactive: bool = False) -> list[ServiceDef]:
        data = self._get("/api/v1/services", include_inactive=include_inactive)
        return [ServiceDef.from_dict(d) for d in data]

    def add_service(self, actor: Actor, **fields: Any) -> ServiceDef:
        return ServiceDef.from_dict(self._post(actor, "/api/v1/services", self._fields(fields)))

    def edit_service(self, actor: Actor, code: str, **changes: Any) -> ServiceDef:
        return ServiceDef.from_dict(self._post(actor, f"/api/v1/services/{_seg(code)}",
                                               self._fields(changes), "PATCH"))  # fmt: skip

    def remove_service(self, actor: Actor, code: str) -> str:
        return self._post(actor, f"/api/v1/services/{_seg(code)}", None, "DELETE")["result"]

    def list_counters(self) -> list[Counter]:
        return [Counter.from_dict(d) for d in self._get("/api/v1/counters")]

    def add_counter(self, actor: Actor, **fields: Any) -> Counter:
        fields = self._fields(fields)
        if isinstance(fields.get("services"), str):
            fields["services"] = [s for s in fields["services"].split(",") if s.strip()]
        return Counter.from_dict(self._post(actor, "/api/v1/counters", fields))

    def edit_counter(self, actor: Actor, number: int, **changes: Any) -> Counter:
        changes = self._fields(changes)
        if isinstance(changes.get("services"), str):
            changes["services"] = [s for s in changes["services"].split(",") if s.strip()]
        return Counter.from_dict(self._post(actor, f"/api/v1/counters/{_num(number)}", changes,
                                            "PATCH"))  # fmt: skip

    def remove_counter(self, actor: Actor, number: int) -> str:
        return self._post(actor, f"/api/v1/counters/{_num(number)}", None, "DELETE")["result"]

    def list_clerks(self) -> list[Clerk]:
        return [Clerk.from_dict(d) for d in self._get("/api/v1/clerks")]

    def add_clerk(self, actor: Actor, **fields: Any) -> Clerk:
        return Clerk.from_dict(self._post(actor, "/api/v1/clerks", self._fields(fields)))

    def edit_clerk(self, actor: Actor, staff_no: str, **changes: Any) -> Clerk:
        return Clerk.from_dict(self._post(actor, f"/api/v1/clerks/{_seg(staff_no)}",
                                          self._fields(changes), "PATCH"))  # fmt: skip

    def remove_clerk(self, actor: Actor, staff_no: str) -> str:
        return self._post(actor, f"/api/v1/clerks/{_seg(staff_no)}", None, "DELETE")["result"]

    def list_sessions(self) -> list[Session]:
        return [Session.from_dict(d) for d in self._get("/api/v1/sessions")]

    def add_session(self, actor: Actor, **fields: Any) -> Session:
        return Session.from_dict(self._post(actor, "/api/v1/sessions", self._fields(fields)))

    def edit_session(self, actor: Actor, session: str, **changes: Any) -> Session:
        return Session.from_dict(self._post(actor, f"/api/v1/sessions/{_seg(session)}",
                                            self._fields(changes), "PATCH"))  # fmt: skip

    def remove_session(self, actor: Actor, name: str) -> str:
        return self._post(actor, f"/api/v1/sessions/{_seg(name)}", None, "DELETE")["result"]

    def list_printers(self) -> list[Printer]:
        return [Printer.from_dict(d) for d in self._get("/api/v1/printers")]

    def add_printer(self, actor: Actor, **fields: Any) -> Printer:
        return Printer.from_dict(self._post(actor, "/api/v1/printers", self._fields(fields)))

    def remove_printer(self, actor: Actor, name: str) -> str:
        return self._post(actor, f"/api/v1/printers/{_seg(name)}", None, "DELETE")["result"]

    # -- counters ------------------------------------------------------------------
    def _counter_op(self, actor: Actor, number: int, op: str, body: Any = None,
                    key: str | None = None) -> Counter:  # fmt: skip
        return Counter.from_dict(self._post(actor, f"/api/v1/counters/{_num(number)}/{op}", body,
                                            key=key))  # fmt: skip

    def open_counter(
        self, actor: Actor, number: int, key: str | None = None, take: bool = True
    ) -> Counter:
        suffix = "open" if take else "open?take=false"
        return self._counter_op(actor, number, suffix, key=key)

    def pause_counter(self, actor: Actor, number: int, reason: str, key: str | None = None
                      ) -> Counter:  # fmt: skip
        return self._counter_op(actor, number, "pause", {"reason": reason}, key=key)

    def resume_counter(self, actor: Actor, number: int, key: str | None = None) -> Counter:
        return self._counter_op(actor, number, "resume", key=key)

    def close_counter(self, actor: Actor, number: int, key: str | None = None) -> Counter:
        return self._counter_op(actor, number, "close", key=key)

    # -- tickets -------------------------------------------------------------------
    def issue(
        self,
        actor: Actor,
        service: str,
        *,
        green_reason: str | None = None,
        green_note: str | None = None,
        low_position: bool = False,
        print_ticket: bool = False,
        key: str | None = None,
    ) -> IssueResult:
        body = {"service": service, "green_reason": green_reason, "green_note": green_note,
                "low_position": low_position, "print_ticket": print_ticket}  # fmt: skip
        return IssueResult.from_dict(self._post(actor, "/api/v1/tickets", body, key=key))

    def check_in(self, actor: Actor, code: str, *, print_ticket: bool = False,
                 key: str | None = None) -> IssueResult:  # fmt: skip
        body = {"code": code, "print_ticket": print_ticket}
        return IssueResult.from_dict(
            self._post(actor, "/api/v1/appointments/check-in", body, key=key)
        )

    def import_appointments(self, actor: Actor, rows: Sequence[dict[str, str]]) -> dict[str, Any]:
        body = {"rows": [{k: "" if v is None else str(v) for k, v in r.items()} for r in rows]}
        return self._post(actor, "/api/v1/appointments/import", body)

    def _ticket_op(self, actor: Actor, path: str, body: Any = None, key: str | None = None
                   ) -> Ticket:  # fmt: skip
        return Ticket.from_dict(self._post(actor, path, body, key=key))

    def call_next(self, actor: Actor, counter: int, key: str | None = None) -> Ticket:
        return self._ticket_op(actor, f"/api/v1/counters/{_num(counter)}/call-next", key=key)

    def call_number(self, actor: Actor, counter: int, ticket: str, key: str | None = None
                    ) -> Ticket:  # fmt: skip
        return self._ticket_op(actor, f"/api/v1/counters/{_num(counter)}/call", {"ticket": ticket},
                               key=key)  # fmt: skip

    def recall(self, actor: Actor, counter: int, key: str | None = None) -> Ticket:
        return self._ticket_op(actor, f"/api/v1/counters/{_num(counter)}/recall", key=key)

    def serve(self, actor: Actor, counter: int, key: str | None = None) -> Ticket:
        return self._ticket_op(actor, f"/api/v1/counters/{_num(counter)}/serve", key=key)

    def finish(
        self,
        actor: Actor,
        counter: int,
        *,
        outcome: str = "done",
        materials: Sequence[str] = (),
        rating: int | None = None,
        note: str | None = None,
        print_receipt: bool = False,
        key: str | None = None,
    ) -> Ticket:
        body = {"outcome": outcome, "materials": list(materials), "rating": rating,
                "note": note, "print_receipt": print_receipt}  # fmt: skip
        return self._ticket_op(actor, f"/api/v1/counters/{_num(counter)}/finish", body, key=key)

    def no_show(self, actor: Actor, counter: int, *, requeue: bool = False,
                key: str | None = None) -> Ticket:  # fmt: skip
        return self._ticket_op(actor, f"/api/v1/counters/{_num(counter)}/no-show",
                               {"requeue": requeue}, key=key)  # fmt: skip

    def transfer(
        self,
        actor: Actor,
        ticket: str,
        *,
        to_service: str | None = None,
        to_counter: int | None = None,
        key: str | None = None,
    ) -> Ticket:
        body = {"ticket": ticket, "to_service": to_service, "to_counter": to_counter}
        return self._ticket_op(actor, "/api/v1/tickets/transfer", body, key=key)

    def park(
        self, actor: Actor, counter: int, reason: str | None = None, key: str | None = None
    ) -> Ticket:
        return self._ticket_op(actor, f"/api/v1/counters/{_num(counter)}/park",
                               {"reason": reason}, key=key)  # fmt: skip

    def resume(self, actor: Actor, counter: int, ticket: str, key: str | None = None) -> Ticket:
        return self._ticket_op(actor, f"/api/v1/counters/{_num(counter)}/resume-ticket",
                               {"ticket": ticket}, key=key)  # fmt: skip

    def cancel(self, actor: Actor, ticket: str, key: str | None = None) -> Ticket:
        return self._ticket_op(actor, "/api/v1/tickets/cancel", {"ticket": ticket}, key=key)

    def flag_green(self, actor: Actor, ticket: str, reason: str, note: str | None = None,
                   key: str | None = None) -> Ticket:  # fmt: skip
        body = {"ticket": ticket, "reason": reason, "note": note}
        return self._ticket_op(actor, "/api/v1/tickets/green", body, key=key)

    def close_day(self, actor: Actor, key: str | None = None) -> int:
        return int(self._post(actor, "/api/v1/close-day", key=key)["count"])

    # -- printing --------------------------------------------------------------------
    def request_print(self, actor: Actor, ticket: str, kind: str, key: str | None = None
                      ) -> PrintJob:  # fmt: skip
        body = {"ticket": ticket, "kind": kind}
        return PrintJob.from_dict(self._post(actor, "/api/v1/print-jobs", body, key=key))

    def list_print_jobs(self, status: str | None = None, limit: int = 100) -> list[PrintJob]:
        data = self._get("/api/v1/print-jobs", status=status, limit=limit)
        return [PrintJob.from_dict(d) for d in data]

    # -- printing on this station's own printers ------------------------------------
    def claim_print_job(self, printers: Sequence[str] | None = None) -> dict[str, Any] | None:
        """The next job of this station's printers, rendered by the server, or None; the
        station holds it on a lease of a few seconds (``renew_print_lease``)."""
        body = {"printers": list(printers) if printers is not None else None}
        data = self._request("POST", "/api/v1/print-jobs/claim", json=body, write=True,
                             session=self._session_for(None))  # fmt: skip
        return data if data.get("job") else None

    def renew_print_lease(self, job_id: int) -> None:
        """Keep a claimed job while printing it (Refused when the lease was already lost)."""
        self._request("POST", f"/api/v1/print-jobs/{int(job_id)}/lease", write=True,
                      session=self._session_for(None))  # fmt: skip

    def report_print_job(
        self, job_id: int, status: str, error: str | None, details: dict[str, Any]
    ) -> None:
        """done | unconfirmed | failed, with what the printer said (``console.printing.judge``)."""
        body = {"status": status, "error": error,
                "may_have_printed": bool(details.get("may_have_printed")),
                "warning": details.get("warning"), "kind_of_error": details.get("kind_of_error"),
                "bytes": details.get("bytes"), "printer_status": details.get("status")}  # fmt: skip
        self._request("POST", f"/api/v1/print-jobs/{int(job_id)}/result", json=body, write=True,
                      session=self._session_for(None))  # fmt: skip

    # -- views -----------------------------------------------------------------------
    def get_ticket(self, ticket: str) -> Ticket:
        return Ticket.from_dict(self._get("/api/v1/ticket", ref=ticket))

    def list_tickets(self, status: str | None = None, day: str | None = None,
                     limit: int | None = None) -> list[Ticket]:  # fmt: skip
        data = self._get("/api/v1/tickets", status=status, day=day, limit=limit)
        return [Ticket.from_dict(d) for d in data]

    def counter_view(self, number: int) -> CounterView:
        return CounterView.from_dict(self._get(f"/api/v1/counters/{_num(number)}/view"))

    def hall_view(self) -> HallView:
        return HallView.from_dict(self._get("/api/v1/hall"))

    def floor_figures(self) -> dict[str, Any]:
        return self._get("/api/v1/floor")

    def last_event_id(self) -> int:
        return int(self._get("/api/v1/events/last")["last_event_id"])

    def changes_since(self, event_id: int, limit: int = 500) -> list[Event]:
        data = self._get("/api/v1/events", after=max(0, int(event_id)), limit=limit)
        return [Event.from_dict(d) for d in data]

    # -- the change feed ---------------------------------------------------------------
    @property
    def online(self) -> bool:
        """False while the event stream cannot reach the server (show the banner)."""
        return self._online

    @property
    def offline_reason(self) -> str:
        return self._offline_reason

    def add_status_listener(self, fn: Callable[[bool, str], None]) -> None:
        """``fn(online, reason)`` is called from the stream thread when reachability changes."""
        self._listeners.append(fn)

    def wait_for_change(self, after_event_id: int, timeout: float) -> int:
        """Newest event id once past ``after_event_id`` (or a resync), else the same id at the
        timeout; raises ``Unavailable`` while the server cannot be reached."""
        self._ensure_stream()
        deadline = time.monotonic() + timeout
        with self._cond:
            generation = self._generation
            while True:
                if self._newest > after_event_id or self._generation != generation:
                    return self._newest
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            if not self._online:
                error = self._offline_error
                raise Unavailable(error.message, reason=error.reason, **error.params)
            return after_event_id

    def _ensure_stream(self) -> None:
        if self._stream_thread is None and not self._closed:
            self._stream_thread = threading.Thread(target=self._stream_loop,
                                                   name="qconsole-stream", daemon=True)  # fmt: skip
            self._stream_thread.start()

    def _set_online(self, online: bool, error: QConsoleError | None = None) -> None:
        reason = error.message if error else ""
        with self._cond:
            changed = online != self._online
            self._online = online
            self._offline_reason = reason
            self._offline_error = error or Unavailable(reason="server.closed")
            self._cond.notify_all()
        if changed:
            for fn in list(self._listeners):
                with contextlib.suppress(Exception):  # a listener's bug must not stop the stream
                    fn(online, reason)

    def _stream_loop(self) -> None:
        attempt = 0
        client = httpx.Client(
            base_url=self.url, headers=self._headers, verify=self._verify,
            timeout=httpx.Timeout(STREAM_READ_S, connect=2.0),
        )  # fmt: skip
        self._stream_client = client
        try:
            while not self._closed:
                try:
                    headers = {"Last-Event-ID": str(self._newest), "Accept": "text/event-stream"}
                    with client.stream("GET", "/api/v1/stream", headers=headers) as response:
                        if response.status_code != 200:
                            response.read()
                            raise _error(response)
                        attempt = 0
                        self._read_stream(response)
                    continue  # the server said goodbye (shutting down): reconnect at once
                except (httpx.HTTPError, QConsoleError) as exc:
                    if self._closed:
                        break
                    error = exc if isinstance(exc, QConsoleError) else Unavailable(
                        reason="server.unreachable", url=self.url, detail=type(exc).__name__
                    )  # fmt: skip
                    self._set_online(False, error)
                pause = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)] * random.uniform(0.8, 1.2)
                attempt += 1
                end = time.monotonic() + pause
                while not self._closed and time.monotonic() < end:
                    time.sleep(0.05)
        finally:
            client.close()

    def _read_stream(self, response: httpx.Response) -> None:
        kind, data, event_id = "message", "", None
        for line in response.iter_lines():
            if self._closed:
                return
            if line == "":
                if data or kind != "message":
                    self._dispatch(kind, data, event_id)
                kind, data, event_id = "message", "", None
                continue
            if line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                kind = value
            elif field == "data":
                data = f"{data}\n{value}" if data else value
            elif field == "id":
                event_id = value

    def _dispatch(self, kind: str, data: str, event_id: str | None) -> None:
        with self._cond:
            if kind == "hello":
                last = json.loads(data)["last_event_id"]
                if last < self._newest:  # the server's log is behind us (a restored backup)
                    self._newest = last
                    self._generation += 1
                self._cond.notify_all()
            elif kind == "change" and event_id is not None:
                self._newest = max(self._newest, int(event_id))
                self._cond.notify_all()
                wake = getattr(self, "_print_wake", None)
                if wake is not None and '"print.queued"' in data:
                    wake.set()
            elif kind == "resync":
                self._newest = json.loads(data)["last_event_id"]
                self._generation += 1
                self._cond.notify_all()
        if kind == "hello" and not self._online:
            self._set_online(True)
        elif kind == "hello":
            with self._cond:
                self._cond.notify_all()

    def close(self) -> None:
        self._closed = True
        wake = getattr(self, "_print_wake", None)
        if wake is not None:
            wake.set()
        with self._cond:
            self._cond.notify_all()
        self._http.close()
        client = getattr(self, "_stream_client", None)
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()


def _wire_key(key: str) -> str:
    """A caller's idempotency key as the server accepts it (8-128 of ``A-Za-z0-9_.:-``); any
    other key is hashed, so the same key always maps to the same header."""
    if 8 <= len(key) <= 128 and all(c.isascii() and (c.isalnum() or c in "_.:-") for c in key):
        return key
    import hashlib

    return "k-" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _seg(value: str) -> str:
    """One path segment, escaped (names may hold spaces or Chinese)."""
    from urllib.parse import quote

    return quote(str(value), safe="")


def _num(value: int) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise BadInput(reason="counter.not_whole", value=repr(value)) from None
    return str(value)
