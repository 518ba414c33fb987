"""The hall's nouns as dataclasses.

Times are Unix seconds (float) so that waits are plain subtraction; the
service day is the hall's local date as ``YYYY-MM-DD``. Every class converts
to and from a JSON-ready dict, which is what the hall server sends.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Self

from console.domain import reasons
from console.domain.record import Record

ROLES = ("clerk", "manager", "admin")
"""Roles in rising order of power: a manager may do what a clerk may, and so on."""

OUTCOMES = ("done", "incomplete", "referred")
"""How a served ticket ends: matter done, materials incomplete, referred elsewhere."""

GREEN_REASONS = ("elderly", "disabled", "pregnant", "sick", "urgent", "other")
"""Why a ticket is in the green channel (老弱病残孕 and 加急)."""


class TicketStatus(enum.StrEnum):
    """Where a ticket is in its life cycle."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    PARKED = "parked"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def final(self) -> bool:
        return self in FINAL_STATUSES

    @property
    def active(self) -> bool:
        """Held at a counter's desk right now (a counter holds at most one)."""
        return self in (TicketStatus.CALLED, TicketStatus.SERVING)


FINAL_STATUSES = frozenset(
    {TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED, TicketStatus.EXPIRED}
)


@dataclass(frozen=True)
class ServiceDef(Record):
    """A kind of matter the hall handles (ID card, passport, ...)."""

    id: int
    code: str
    name_zh: str
    name_en: str
    prefix: str
    target_wait_min: int = 30
    handling_min: float = 8.0
    active: bool = True
    materials: list[str] = field(default_factory=list)

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


@dataclass(frozen=True)
class Department(Record):
    """A department (部门) whose matters the hall handles in one window (一窗通办)."""

    id: int
    code: str
    name_zh: str
    name_en: str
    active: bool = True

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


@dataclass(frozen=True)
class Matter(Record):
    """A matter (事项) a citizen comes for, called in one service's queue.

    Its materials are the one-time list (一次性告知) for a "materials incomplete" finish;
    its handling time seeds the wait estimate until the matter has history."""

    id: int
    code: str
    name_zh: str
    name_en: str
    department: str
    """The department's code."""
    service: str
    """The code of the service (queue) the matter is called in."""
    materials: list[str] = field(default_factory=list)
    handling_min: float = 8.0
    target_wait_min: int = 30
    active: bool = True
    """False once retired (removed with history, or gone from an updating import)."""
    issued_recent: int = 0
    """Tickets issued for it in the last 30 days: reception ranks its search by this."""

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


@dataclass(frozen=True)
class Counter(Record):
    """A counter (窗口) and its live state."""

    id: int
    number: int
    name: str
    services: list[str] = field(default_factory=list)
    """Service codes in calling order; codes joined by '+' share one tier."""
    green_channel: bool = False
    low_position: bool = False
    active: bool = True
    state: str = "closed"
    """closed | open | paused"""
    pause_reason: str | None = None
    state_since: float | None = None
    clerk_staff_no: str | None = None
    clerk_name: str | None = None
    printer: str | None = None


@dataclass(frozen=True)
class Clerk(Record):
    """A member of staff who logs in with a staff number and PIN."""

    id: int
    staff_no: str
    name: str
    role: str = "clerk"
    active: bool = True
    locked_until: float | None = None
    failed_attempts: int = 0


@dataclass(frozen=True)
class Session(Record):
    """Opening hours: a weekly daily session or an extra one on a date (e.g. a night session)."""

    id: int
    name: str
    opens: str
    """HH:MM local time"""
    closes: str
    weekdays: str = "1234567"
    """ISO weekdays (1 = Monday) on which a daily session runs."""
    date: str | None = None
    """For an extra session: the one day it runs."""
    active: bool = True
    closed: bool = False
    """A closed day: the hall is shut the whole of ``date`` (the hall's own holiday)."""


@dataclass(frozen=True)
class Printer(Record):
    """An ESC/POS printer and where it is used."""

    id: int
    name: str
    connection: str
    """usb | network | serial | file | cups"""
    address: str
    width_dots: int = 384
    mode: str = "text"
    """text (the printer's own Chinese font) | raster (drawn here, sent as an image)"""
    encoding: str = "gb18030"
    station: str | None = None
    counter_number: int | None = None
    purpose: str = "ticket"
    """ticket (reception) | receipt (counter)"""


@dataclass(frozen=True)
class PrintJob(Record):
    """One ticket or receipt to print; stored before any byte is sent."""

    id: int
    ticket_id: int
    kind: str
    printer: str | None
    status: str
    """queued | printing | done | failed | unconfirmed (sent, but the printer never confirmed
    it: it may not have printed; a person looks and reprints)"""
    error: str | None
    """What the printer (or its driver) said, in its own words: for the admin."""
    created_at: float
    updated_at: float
    warning: str | None = None
    """A done job's caveat, e.g. paper near end, in the printer's words."""
    ticket_number: str | None = None
    """The ticket's number (A023), for people reading the job list."""
    reason: str | None = None
    """The reason code of its failure or caveat (``printer.paper_out``): what people are told,
    in their language (:meth:`said`); None for a job stored before codes were kept."""

    def said(self, lang: str = "en") -> str | None:
        """Its failure or caveat in ``lang``; an old job's stored words as they are."""
        return reasons.printer_said(self.reason, self.error or self.warning, self.printer, lang)


PRINT_LEASE_S = 5.0
"""A print worker's claim on a job lasts this long unless renewed while it prints: a dead
worker's job is released within seconds (as unconfirmed, never sent again)."""


@dataclass(frozen=True)
class PrintClaim(Record):
    """A print job a station's worker holds on its lease: the job, the printer to send it
    to, and the slip's bytes (ESC/POS, base64) rendered from the stored ticket, so every
    station prints the same slip of the same ticket."""

    job: PrintJob
    printer: Printer
    data: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(job=PrintJob.from_dict(data["job"]), printer=Printer.from_dict(data["printer"]),
                   data=data["data"])  # fmt: skip


@dataclass(frozen=True)
class Ticket(Record):
    """A citizen's numbered ticket and everything that happened to it."""

    id: int
    day: str
    number: str
    service_code: str
    status: str
    issued_at: float
    queued_at: float
    """Position in the queue: the issue time, kept on transfer; reset on a no-show re-queue."""
    green_reason: str | None = None
    green_note: str | None = None
    low_position: bool = False
    directed_counter: int | None = None
    counter_number: int | None = None
    clerk_staff_no: str | None = None
    called_at: float | None = None
    served_at: float | None = None
    finished_at: float | None = None
    recall_count: int = 0
    outcome: str | None = None
    materials: list[str] = field(default_factory=list)
    rating: int | None = None
    note: str | None = None
    transferred: bool = False
    session_id: int | None = None
    appointment_code: str | None = None
    park_reason: str | None = None
    """Why the ticket is (or last was) parked: a photo retake, a document to fetch..."""
    parked_at: float | None = None
    """When it was parked, while it is."""
    parked_s: float = 0.0
    """Seconds spent parked so far; handling time leaves them out."""
    matter_code: str | None = None
    """The matter (事项) the citizen came for, in a hall with a catalogue; else None."""
    feedback: str | None = None
    """The citizen's comment with a rating given on the receipt's page."""

    @property
    def green(self) -> bool:
        return self.green_reason is not None

    def waited_s(self, now: float) -> float:
        """Seconds from issue until called (or until now while still waiting)."""
        end = self.called_at if self.called_at is not None else now
        return max(0.0, end - self.issued_at)

    def handling_s(self, now: float) -> float | None:
        """Seconds of service from its start to finish (or now), without the time parked."""
        if self.served_at is None:
            return None
        end = self.finished_at if self.finished_at is not None else now
        if self.parked_at is not None:
            end = min(end, self.parked_at)  # parked now: the timer stands still
        return max(0.0, end - self.served_at - (self.parked_s or 0.0))


@dataclass(frozen=True)
class IssueResult(Record):
    """What reception tells the citizen: the ticket, how many are ahead, roughly how long."""

    ticket: Ticket
    ahead: int
    """Tickets of its own queue called before it (the one meaning of "ahead")."""
    estimated_wait_min: int | None
    """None while no counter that may call it is open (a wheelchair ticket, the
    low-position counter closed): it waits for that counter, no minutes are promised."""
    page_url: str | None = None
    """The ticket's queue page on the hall server (``public_url``/t/{code}), the address its
    QR leads to by default; None while ``public_url`` is unset."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(
            ticket=Ticket.from_dict(data["ticket"]),
            ahead=data["ahead"],
            estimated_wait_min=data["estimated_wait_min"],
            page_url=data.get("page_url"),
        )


@dataclass(frozen=True)
class Event(Record):
    """One line of the append-only log: who did what, where, when, and what changed."""

    id: int
    at: float
    kind: str
    ticket_id: int | None
    counter_number: int | None
    actor: str | None
    """staff number of the clerk, or 'system' / 'cli'"""
    station: str | None
    changes: dict[str, Any]
    """{column: [before, after]} for a ticket or counter; the full row for an issue."""


@dataclass(frozen=True)
class Actor(Record):
    """Who is asking: a logged-in clerk or the local admin shell, and from which station."""

    staff_no: str
    role: str
    station: str
    name: str = ""

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)
