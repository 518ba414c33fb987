"""The one interface every screen, the CLI and the hall server talk to.

Two implementations: ``console.local.LocalHall`` runs the engine in this
process over the SQLite file, and the remote client speaks to ``qconsole
serve`` over HTTP. A caller cannot tell which it has.

Conventions:

* ``actor`` says who asks (``login`` returns one for a clerk; the admin shell
  uses ``Actor(staff_no="cli", role="admin", ...)``). Roles are checked by the
  engine, where the data is, never by a screen.
* ``key`` makes a state change idempotent: the first call with a key does the
  work and records its result; a repeat (a retry after a timeout) returns the
  recorded result and changes nothing. Screens make one key per key press.
* A ticket reference is ``"A023"`` (today's), ``"2026-11-25/A023"`` or ``"#17"``
  (the ticket id).
* Errors are ``console.domain.errors`` classes; each carries its exit code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from console.domain import (
    Actor,
    Clerk,
    Counter,
    CounterView,
    Department,
    Event,
    HallView,
    IssueResult,
    Matter,
    PrintClaim,
    Printer,
    PrintJob,
    ServiceDef,
    Session,
    Ticket,
)
from console.engine.clock import Clock


class HallService(Protocol):
    """Operations, views and the change feed of one hall."""

    @property
    def clock(self) -> Clock:
        """The hall's clock: its time and UTC offset (a server's, through one)."""
        ...

    # -- identity -----------------------------------------------------------
    def login(self, staff_no: str, pin: str, station: str) -> Actor:
        """Check a clerk's PIN; wrong PINs count towards a lockout."""
        ...

    # -- hall setup (admin) -------------------------------------------------
    def settings(self) -> dict[str, Any]: ...
    def set_setting(
        self, actor: Actor, name: str, value: Any, key: str | None = None
    ) -> dict[str, Any]: ...

    def list_services(self, include_inactive: bool = False) -> list[ServiceDef]: ...
    def add_service(self, actor: Actor, key: str | None = None, **fields: Any) -> ServiceDef: ...
    def edit_service(
        self, actor: Actor, code: str, key: str | None = None, **changes: Any
    ) -> ServiceDef: ...
    def remove_service(self, actor: Actor, code: str, key: str | None = None) -> str:
        """Delete an unused service, or deactivate one with history; says which."""
        ...

    # -- the catalogue of departments and matters (一窗通办) ---------------------
    def list_departments(self, include_retired: bool = False) -> list[Department]: ...
    def list_matters(self, include_retired: bool = False) -> list[Matter]:
        """Matters in code order, each with its tickets issued in the last 30 days."""
        ...

    def get_matter(self, code: str) -> Matter: ...
    def add_matter(self, actor: Actor, key: str | None = None, **fields: Any) -> Matter:
        """A new matter; its department is added when new (``department_zh``/``_en`` name it)."""
        ...

    def edit_matter(
        self, actor: Actor, code: str, key: str | None = None, **changes: Any
    ) -> Matter: ...
    def remove_matter(self, actor: Actor, code: str, key: str | None = None) -> str:
        """Delete a matter no ticket names, or retire one with history; says which."""
        ...

    def import_matters(
        self,
        actor: Actor,
        rows: Sequence[dict[str, str]],
        *,
        update: bool = False,
        dry_run: bool = False,
        departments: Sequence[str] | None = None,
        confirm: bool = False,
        key: str | None = None,
    ) -> dict[str, Any]:
        """All or nothing: counts (added, changed, unchanged, retired, skipped), ``stored``,
        each bad row by its line (``_line``, ``_sheet``) and column, and the matters retired.
        ``update`` changes existing matters and retires the active ones of the departments
        the rows cover (or of ``departments``, whose rows alone are read) that they leave
        out; retiring more than a tenth of the active matters needs ``confirm``;
        ``dry_run`` stores nothing."""
        ...

    def change_matter(
        self, actor: Actor, ticket: str, matter: str, key: str | None = None
    ) -> Ticket:
        """The citizen came for another matter: a waiting ticket moves to its queue."""
        ...

    def list_counters(self) -> list[Counter]: ...
    def add_counter(self, actor: Actor, key: str | None = None, **fields: Any) -> Counter: ...
    def edit_counter(
        self, actor: Actor, number: int, key: str | None = None, **changes: Any
    ) -> Counter: ...
    def remove_counter(self, actor: Actor, number: int, key: str | None = None) -> str: ...

    def list_clerks(self) -> list[Clerk]: ...
    def add_clerk(self, actor: Actor, key: str | None = None, **fields: Any) -> Clerk: ...
    def edit_clerk(
        self, actor: Actor, staff_no: str, key: str | None = None, **changes: Any
    ) -> Clerk: ...
    def remove_clerk(self, actor: Actor, staff_no: str, key: str | None = None) -> str: ...

    def list_sessions(self) -> list[Session]: ...
    def add_session(self, actor: Actor, key: str | None = None, **fields: Any) -> Session: ...
    def edit_session(
        self, actor: Actor, session: str, key: str | None = None, **changes: Any
    ) -> Session: ...
    def remove_session(self, actor: Actor, name: str, key: str | None = None) -> str: ...

    def list_printers(self) -> list[Printer]: ...
    def add_printer(self, actor: Actor, key: str | None = None, **fields: Any) -> Printer: ...
    def remove_printer(self, actor: Actor, name: str, key: str | None = None) -> str: ...

    # -- counters -----------------------------------------------------------
    def open_counter(
        self, actor: Actor, number: int, key: str | None = None, take: bool = True
    ) -> Counter:
        """Open a counter; ``take`` makes the actor its clerk (a desk login), the floor
        view opens with ``take=False``."""
        ...

    def pause_counter(
        self, actor: Actor, number: int, reason: str, key: str | None = None
    ) -> Counter: ...
    def resume_counter(self, actor: Actor, number: int, key: str | None = None) -> Counter: ...
    def close_counter(self, actor: Actor, number: int, key: str | None = None) -> Counter: ...

    # -- tickets ------------------------------------------------------------
    def issue(
        self,
        actor: Actor,
        service: str | None = None,
        *,
        green_reason: str | None = None,
        green_note: str | None = None,
        low_position: bool = False,
        print_ticket: bool = False,
        matter: str | None = None,
        key: str | None = None,
    ) -> IssueResult:
        """A ticket in ``service``'s queue, or in ``matter``'s queue recording the matter."""
        ...

    def check_in(
        self, actor: Actor, code: str, *, print_ticket: bool = False, key: str | None = None
    ) -> IssueResult: ...
    def import_appointments(
        self, actor: Actor, rows: Sequence[dict[str, str]], key: str | None = None
    ) -> dict[str, Any]: ...

    def call_next(self, actor: Actor, counter: int, key: str | None = None) -> Ticket: ...
    def call_number(
        self, actor: Actor, counter: int, ticket: str, key: str | None = None
    ) -> Ticket: ...
    def recall(self, actor: Actor, counter: int, key: str | None = None) -> Ticket: ...
    def serve(self, actor: Actor, counter: int, key: str | None = None) -> Ticket: ...
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
    ) -> Ticket: ...
    def no_show(
        self, actor: Actor, counter: int, *, requeue: bool = False, key: str | None = None
    ) -> Ticket: ...
    def transfer(
        self,
        actor: Actor,
        ticket: str,
        *,
        to_service: str | None = None,
        to_counter: int | None = None,
        key: str | None = None,
    ) -> Ticket: ...
    def park(
        self, actor: Actor, counter: int, reason: str | None = None, key: str | None = None
    ) -> Ticket: ...
    def resume(self, actor: Actor, counter: int, ticket: str, key: str | None = None) -> Ticket: ...
    def cancel(self, actor: Actor, ticket: str, key: str | None = None) -> Ticket: ...
    def flag_green(
        self,
        actor: Actor,
        ticket: str,
        reason: str,
        note: str | None = None,
        key: str | None = None,
    ) -> Ticket: ...
    def close_day(self, actor: Actor, key: str | None = None) -> int:
        """End every open ticket of earlier days with the outcome 'expired'; returns how many."""
        ...

    # -- printing -----------------------------------------------------------
    def request_print(
        self, actor: Actor, ticket: str, kind: str, key: str | None = None
    ) -> PrintJob: ...
    def list_print_jobs(self, status: str | None = None, limit: int = 100) -> list[PrintJob]: ...

    # -- a station's print worker (``console.printing``) ----------------------------
    def claim_print_job(
        self, station: str, printers: Sequence[str] | None = None
    ) -> PrintClaim | None:
        """The oldest queued job of the station's printers, rendered, on a short lease.

        None when nothing is queued. Over the hall server the station is the token's, and
        the server prints the jobs of printers no station owns."""
        ...

    def renew_print_lease(self, station: str, job_id: int) -> str:
        """Keep a claimed job while printing it; refused once its lease was lost."""
        ...

    def report_print_job(
        self, station: str, job_id: int, status: str, error: str | None = None, **details: Any
    ) -> str:
        """done | unconfirmed | failed, with what the printer said (``console.printing``).

        ``details``: ``may_have_printed``, ``warning``, ``kind_of_error``, ``bytes`` (sent),
        ``printer_status`` (its answer after the job) and ``reason`` (the outcome's reason
        code, stored with the job), kept with the outcome's event."""
        ...

    # -- views and the change feed -----------------------------------------
    def get_ticket(self, ticket: str) -> Ticket: ...
    def list_tickets(
        self, status: str | None = None, day: str | None = None, limit: int | None = None
    ) -> list[Ticket]: ...
    def counter_view(self, number: int, upcoming: int = 8) -> CounterView:
        """A desk's view, with the next ``upcoming`` tickets of its queue."""
        ...

    def hall_view(self, recent: int = 8) -> HallView:
        """Every counter and queue, with the ``recent`` latest calls."""
        ...

    def floor_figures(self) -> dict[str, Any]:
        """Today by hour ({hour, issued, served, avg_wait_s}) and each counter's last finish
        ({"3": unix time}), for the floor view; JSON-ready."""
        ...

    def last_event_id(self) -> int: ...
    def changes_since(self, event_id: int, limit: int = 500) -> list[Event]: ...
    def wait_for_change(self, after_event_id: int, timeout: float) -> int:
        """Block up to ``timeout`` seconds for an event after ``after_event_id``; returns the
        newest event id (equal to ``after_event_id`` when nothing changed). Call from a worker."""
        ...

    def close(self) -> None: ...
