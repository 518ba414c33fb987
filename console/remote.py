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
  same ``key`` returns that result instead of doing it twice. Such keys are kept on
  disk (``console.station_memory``) until that server answers for them, so a second
  process of the station (the same CLI command run again) never sends them elsewhere.
* **Generations.** Every request says the highest hall generation this station has
  seen (kept on disk too); a server on an older one (an old primary back after a
  failover) refuses it before doing anything, and the station goes to the next server.
* **The lost call.** The station remembers the ticket each of its counters last
  called. When it finds itself on a newer generation (a standby took over) and that
  ticket is waiting there (the call was acknowledged but never reached the replica), it
  calls it back to the same counter by itself, before anything else; the standby holds
  "call next" for its first seconds so no other counter calls that citizen first.
  ``reclaimed`` lists what was called back, for the desk to say so.
* **Live changes** come from the server's event stream in a background thread
  that reconnects by itself with backoff and resumes from the last event id.
  While the server is unreachable, ``wait_for_change`` raises ``Unavailable``
  (the screens show their banner) and ``.online`` is False.
"""

from __future__ import annotations

import os
import random
import ssl
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta, timezone
from typing import Any

import httpx

from console.domain import Actor, Event, PrintClaim, Ticket
from console.domain.errors import (
    AuthError,
    QConsoleError,
    Unavailable,
)
from console.engine.clock import Clock
from console.feed import BACKOFF_S, ChangeFeed, error_of
from console.remote_operations import RemoteOperations
from console.remote_requests import request, wire_key
from console.server.fencing import GENERATION_HEADER
from console.servers import ServerList, hall_tls
from console.station_credentials import find_token, warn_plain_http
from console.station_memory import StationMemory

RETRY_FOR_S = 4.0
"""How long a state change is retried (same key) before it is refused as unavailable."""
LOGIN_TIMEOUT_S = 30.0
"""A login's answer may take this long: the server checks PINs with a deliberately slow hash,
a few at a time, and a whole hall logs in at once after a power cut."""
SUPERSEDED = ("server.old_generation", "server.fenced")
"""Refusals that mean "this server is not the hall any more": the station moves on."""
CALLS = frozenset({"call_next", "call_number", "recall"})
"""Operations after which the ticket is called at the counter (the one to call back)."""


def _local_utc_offset() -> int:
    """This machine's UTC offset: the hall's until a server says otherwise."""
    return int(time.localtime().tm_gmtoff)


class ServerClock(Clock):
    """The machine's clock corrected by the server's offset, in the hall's UTC offset."""

    def __init__(self, offset_s: float, utc_offset_s: int):
        super().__init__(timezone(timedelta(seconds=utc_offset_s)),
                         lambda: time.time() + self.offset_s)  # fmt: skip
        self.offset_s = offset_s


class RemoteHall(RemoteOperations):
    """``HallService`` over ``qconsole serve`` at ``url`` (or ``url,url``: a primary and its
    standbys, in order; see ``console.servers``)."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = 5.0,
        retry_for: float = RETRY_FOR_S,
        verify: bool | str | ssl.SSLContext | None = None,
        wait: bool = False,
    ):
        self.servers = ServerList.parse(url)
        self.retry_for = retry_for
        verify = hall_tls(verify)
        token = find_token(token)
        self._headers = {"Authorization": f"Bearer {token}"}
        self.memory = StationMemory(token)
        self.generation = self.memory.generation
        """The highest generation of the hall this station has seen (0: none yet)."""
        for server in self.servers.urls:
            warn_plain_http(server)
        self._verify = verify
        self._http = httpx.Client(
            headers=self._headers, verify=verify,
            timeout=httpx.Timeout(timeout, connect=min(2.0, timeout)),
        )  # fmt: skip
        self._sessions: dict[str, tuple[str, Actor]] = {}
        self._current: str | None = None
        self._closed = False
        self._last_calls: dict[int, tuple[str, Actor | None]] = {}
        """Counter -> (the ticket it last called, the clerk who called it)."""
        self._reclaim_due = False
        self._reclaiming = False
        self.reclaimed: list[Ticket] = []
        """Tickets called back to their counter after a failover (the desk says so)."""
        self.station = ""
        self.station_role = ""
        self._station_actor: Actor | None = None
        self.clock = ServerClock(0.0, _local_utc_offset())
        self._connected = False
        self.feed = ChangeFeed(self.servers, self._headers, verify, 0, retry_for=retry_for)
        self.feed.generation_seen = self.generation
        try:
            self._hello()
        except Unavailable as exc:
            if not wait:
                raise
            # a station started before any server (a power cut: every PC boots first): its
            # screen shows the offline banner and the stream connects when a server answers
            self.feed.mark_offline(exc)
        staff, pin = os.environ.get("QCONSOLE_STAFF"), os.environ.get("QCONSOLE_PIN")
        if staff and pin and self._connected:
            self.login(staff, pin, self.station)

    @property
    def url(self) -> str:
        """The server this station is on now."""
        return self.servers.current

    @property
    def server_note(self) -> str:
        """The server this station is on when it is not the first of the list (a standby)."""
        return self.servers.current if self.servers.current != self.servers.primary else ""

    def _hello(self) -> None:
        """Who this station is and the server's clock, from the first server that answers."""
        self._newest_generation()
        last: Unavailable | None = None
        for _ in range(len(self.servers)):
            server = self.servers.current
            try:
                hello = self._request("GET", "/api/v1/whoami", retry=False, hello=True)
            except Unavailable as exc:
                last = exc
                self.servers.advance(server)
                continue
            self.station = hello["station"]
            self.station_role = hello["station_role"]
            self._station_actor = Actor.from_dict(hello["actor"]) if hello["actor"] else None
            self.clock.offset_s = hello["now"] - time.time()  # in place: screens hold it
            self.clock.tz = timezone(timedelta(seconds=hello["utc_offset_s"]))
            self.feed.newest_at_least(hello["last_event_id"])
            self._connected = True
            return
        assert last is not None
        raise last

    def _newest_generation(self) -> None:
        """With a standby in the list, ask each server's /health which generation it serves:
        a station that never saw the standby (new, or its disk wiped) must not pick an old
        primary serving beside it. Learning the newest makes the older refuse this station."""
        if len(self.servers) < 2:
            return
        for url in self.servers.urls:
            try:
                response = self._http.get(url + "/health", timeout=httpx.Timeout(2.0, connect=0.5))
                if response.status_code == 200:
                    self._see_generation_number(int(response.json().get("generation") or 0))
            except (httpx.HTTPError, ValueError, AttributeError, TypeError):
                continue  # not serving (a standby before a failover): normal

    # -- who acts ------------------------------------------------------------
    @property
    def actor(self) -> Actor | None:
        if self._current is not None:
            return self._sessions[self._current][1]
        return self._station_actor

    def login(self, staff_no: str, pin: str, station: str) -> Actor:
        """Log a clerk in at this station (the server names the station, not ``station``)."""
        # not a state change of the hall: safe to send again, and to the next server
        data = self._request("POST", "/api/v1/login", json={"staff_no": staff_no, "pin": pin},
                             timeout=LOGIN_TIMEOUT_S)  # fmt: skip
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
        hello: bool = False,
        timeout: float | None = None,
    ) -> Any:
        if not hello and not self._connected:
            self._hello()  # started while no server answered: say hello first
        if self._reclaim_due and not self._reclaiming:
            self._reclaim()
        headers: dict[str, str] = {GENERATION_HEADER: str(self.generation)}
        if session:
            headers["X-QConsole-Session"] = session
        if write:
            # one per action, kept on retry; the caller's own key when it gave one, so that
            # repeating an action with the same key (after Unavailable) does not repeat it
            headers["Idempotency-Key"] = wire_key(key) if key else uuid.uuid4().hex
            elsewhere = self.memory.unsure(headers["Idempotency-Key"])
            if elsewhere is not None and elsewhere != self.servers.current:
                # only the server that may have done it can say; another would do it again
                raise Unavailable(reason="server.unsure_elsewhere", url=elsewhere,
                                  detail="not repeated on " + self.servers.current)  # fmt: skip
        if params:
            params = {k: v for k, v in params.items() if v is not None}
        server = self.servers.current
        deadline = time.monotonic() + (self.retry_for if retry else 0)
        attempt = 0
        servers_left = len(self.servers) - 1 if retry else 0
        # once an attempt went further than connecting, the server may have done the action
        # although no answer came back: then the station must not be told "not done"
        maybe_sent = False
        extra = {"timeout": httpx.Timeout(timeout, connect=2.0)} if timeout else {}
        while True:
            try:
                response = self._http.request(method, server + path, json=json, params=params,
                                              headers=headers, **extra)  # fmt: skip
            except httpx.HTTPError as exc:
                if self._closed:
                    raise Unavailable(reason="server.closed") from exc
                if not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
                    maybe_sent = True
                if time.monotonic() >= deadline:
                    if servers_left and not (write and maybe_sent):
                        # nothing reached this server (or only a read did): the next one
                        # may answer, and an action not received here is done once there
                        server = self.servers.advance(server)
                        unsure = (self.memory.unsure(headers["Idempotency-Key"]) if write
                                  else None)  # fmt: skip
                        if write and unsure is not None:  # unless an earlier try may have
                            moved = "not repeated on " + server
                            raise Unavailable(reason="server.unsure_elsewhere", url=unsure,
                                              detail=moved) from exc  # fmt: skip
                        servers_left -= 1
                        deadline = time.monotonic() + self.retry_for
                        attempt = 0
                        continue
                    reason = "server.unreachable"
                    if write:
                        reason += "_unsure" if maybe_sent else "_not_done"
                    if write and maybe_sent:  # never sent elsewhere, even when repeated
                        self.memory.remember_unsure(headers["Idempotency-Key"], server)
                    detail = type(exc).__name__ + (f" {exc}" if str(exc) else "")
                    raise Unavailable(reason=reason, url=server, detail=detail) from exc
                pause = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)] * random.uniform(0.8, 1.2)
                time.sleep(min(pause, max(0.0, deadline - time.monotonic())) or 0.01)
                attempt += 1
                continue
            if response.status_code == 503 and time.monotonic() < deadline:
                time.sleep(BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)])  # busy or restarting
                attempt += 1
                continue
            self._see_generation(response)
            if response.status_code == 409 and _superseded(response):
                # an old primary (or one a standby replaced) refused before doing anything:
                # the hall is on another server of the list
                error = error_of(response)
                moved = self.servers.advance(server)
                if servers_left and moved != server:
                    server, servers_left, attempt = moved, servers_left - 1, 0
                    deadline = time.monotonic() + (self.retry_for if retry else 0)
                    continue
                raise Unavailable(error.message, reason=error.reason, **error.params)
            if write:
                self.memory.resolve(headers["Idempotency-Key"])
            if self._reclaim_due and not self._reclaiming:
                self._reclaim()  # the first answer of a standby: call back the lost calls now
            if response.status_code >= 400:
                raise error_of(response)
            return response.json()

    def _call(
        self, op: str, arguments: dict[str, Any], fields: dict[str, Any] | None = None
    ) -> Any:
        """One declared operation as one request (``console.remote_requests``)."""
        sent = request(op, arguments, fields)
        data = self._request(sent.op.method, sent.path, json=sent.body, params=sent.params,
                             write=sent.op.writes, session=self._session_for(sent.actor),
                             key=sent.key)  # fmt: skip
        result = sent.decode(data)
        if not sent.op.writes:  # reads take no actor (tests/server/test_parity.py)
            return result
        self.note_result(op, {**arguments, **(fields or {})}, result)
        return result

    def _see_generation(self, response: httpx.Response) -> None:
        """Remember the newest generation a server said it serves (on disk, for restarts)."""
        said = response.headers.get(GENERATION_HEADER, "")
        if said.isdigit():
            self._see_generation_number(int(said))

    def _see_generation_number(self, said: int) -> None:
        if said > self.generation:
            self._reclaim_due = self.generation > 0 and bool(self._last_calls)
            self.generation = said
            self.feed.generation_seen = self.generation
            self.memory.see_generation(self.generation)

    # -- the lost call ----------------------------------------------------------------
    def note_result(self, op: str, args: dict[str, Any], result: Any) -> None:
        """Keep each counter's last called ticket; forget it once the counter moves on."""
        counter = args.get("counter")
        if op in CALLS and isinstance(result, Ticket) and counter is not None:
            self._last_calls[int(counter)] = (result.number, args.get("actor"))
        elif counter is not None and op != "serve":
            self._last_calls.pop(int(counter), None)
        elif "ticket" in args:  # moved away by number (a transfer, a cancel)
            for at, (number, _) in list(self._last_calls.items()):
                if number == args["ticket"]:
                    del self._last_calls[at]

    def _reclaim(self) -> None:
        """On a standby: call back to each counter the ticket it had called on the lost
        primary when the standby has it waiting (that call never reached the replica)."""
        self._reclaim_due, self._reclaiming = False, True
        try:
            for counter, (number, actor) in list(self._last_calls.items()):
                try:
                    if self.get_ticket(number).status == "waiting":
                        self.reclaimed.append(self.call_number(actor, counter, number,
                                                               key=uuid.uuid4().hex))  # fmt: skip
                except Unavailable:
                    self._reclaim_due = True  # again with the next request
                    return
                except QConsoleError:
                    pass  # not known there, or no longer ours: the desk shows what there is
                self._last_calls.pop(counter, None)
        finally:
            self._reclaiming = False

    # -- printing on this station's own printers ------------------------------------
    def claim_print_job(
        self, station: str, printers: Sequence[str] | None = None
    ) -> PrintClaim | None:
        """The next job of this station's printers (the token's station, not ``station``),
        rendered by the server, or None; held on a lease of a few seconds."""
        body = {"printers": list(printers) if printers is not None else None}
        data = self._request("POST", "/api/v1/print-jobs/claim", json=body, write=True,
                             session=self._session_for(None))  # fmt: skip
        return PrintClaim.from_dict(data) if data.get("job") else None

    def renew_print_lease(self, station: str, job_id: int) -> str:
        """Keep a claimed job while printing it (Refused when the lease was already lost)."""
        data = self._request("POST", f"/api/v1/print-jobs/{int(job_id)}/lease", write=True,
                             session=self._session_for(None))  # fmt: skip
        return str(data["result"])

    def report_print_job(
        self, station: str, job_id: int, status: str, error: str | None = None, **details: Any
    ) -> str:
        """done | unconfirmed | failed, with what the printer said and its reason code
        (``console.print_verdicts.judge``)."""
        body = {"status": status, "error": error, **details}
        data = self._request("POST", f"/api/v1/print-jobs/{int(job_id)}/result", json=body,
                             write=True, session=self._session_for(None))  # fmt: skip
        return str(data["result"])

    # -- the change feed (console.feed) ---------------------------------------------------
    @property
    def online(self) -> bool:
        """False while the event stream cannot reach the server (show the banner)."""
        return self.feed.online

    @property
    def offline_reason(self) -> str:
        return self.feed.offline_reason

    @property
    def offline_error(self) -> QConsoleError | None:
        """Why the server cannot be reached, with its reason code (None while online)."""
        return self.feed.offline_error

    def add_status_listener(self, fn: Callable[[bool, str], None]) -> None:
        """``fn(online, reason)`` is called from the stream thread when reachability changes."""
        self.feed.listeners.append(fn)

    def wait_for_change(self, after_event_id: int, timeout: float) -> int:
        return self.feed.wait(after_event_id, timeout)

    def changes_since(self, event_id: int, limit: int = 500) -> list[Event]:
        """The events after ``event_id``: while the change feed's stream is connected, from
        what it already brought when it holds them all (a desk asks after every change it
        hears of; the stream brings each event as it commits), else from the server."""
        held = self.feed.events_after(event_id, limit)
        if held is not None:
            return held
        return super().changes_since(event_id, limit)

    def close(self) -> None:
        self._closed = True
        self.feed.close()
        self._http.close()


def _superseded(response: httpx.Response) -> bool:
    try:
        return response.json().get("reason") in SUPERSEDED
    except (ValueError, AttributeError):
        return False
