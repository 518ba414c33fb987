"""The hall's nouns as dataclasses.

Times are Unix seconds (float) so that waits are plain subtraction; the
service day is the hall's local date as ``YYYY-MM-DD``. Every class converts
to and from a JSON-ready dict, which is what the hall server sends.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
from dataclasses import dataclass, field
from typing import Any, Self

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


_ATOMS = frozenset({str, int, float, bool})


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    """``value`` as ``dataclasses.asdict`` gives it: records, lists, tuples and dicts copied
    all the way down. Written out because ``asdict`` deep-copies every string and number
    too, which made a ticket's dict cost more than the write that changed it."""
    if value is None or type(value) in _ATOMS:
        return value
    if isinstance(value, _Record):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


class _Record:
    """JSON round trip shared by every dataclass here."""

    def to_dict(self) -> dict[str, Any]:
        return {name: _plain(getattr(self, name)) for name in _field_names(type(self))}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        names = _field_names(cls)
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class ServiceDef(_Record):
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
class Department(_Record):
    """A department (部门) whose matters the hall handles in one window (一窗通办)."""

    id: int
    code: str
    name_zh: str
    name_en: str
    active: bool = True

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


@dataclass(frozen=True)
class Matter(_Record):
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
class Counter(_Record):
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
class Clerk(_Record):
    """A member of staff who logs in with a staff number and PIN."""

    id: int
    staff_no: str
    name: str
    role: str = "clerk"
    active: bool = True
    locked_until: float | None = None
    failed_attempts: int = 0


@dataclass(frozen=True)
class Session(_Record):
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
class Printer(_Record):
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
class PrintJob(_Record):
    """One ticket or receipt to print; stored before any byte is sent."""

    id: int
    ticket_id: int
    kind: str
    printer: str | None
    status: str
    """queued | printing | done | failed | unconfirmed (sent, but the printer never confirmed
    it: it may not have printed; a person looks and reprints)"""
    error: str | None
    created_at: float
    updated_at: float
    warning: str | None = None
    """A done job's caveat, e.g. paper near end."""
    ticket_number: str | None = None
    """The ticket's number (A023), for people reading the job list."""


@dataclass(frozen=True)
class Ticket(_Record):
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
class IssueResult(_Record):
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
class Event(_Record):
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
class Actor(_Record):
    """Who is asking: a logged-in clerk or the local admin shell, and from which station."""

    staff_no: str
    role: str
    station: str
    name: str = ""

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class ServiceStats(_Record):
    """Live figures of one service."""

    code: str
    name_zh: str
    name_en: str
    waiting: int
    green_waiting: int
    longest_wait_s: float
    target_wait_min: int
    avg_handling_s: float | None
    counters_open: int
    issued_today: int = 0
    green_share_today: float | None = None
    """Share of today's tickets of the service that were green-channel."""
    green_wait_avg_s: float | None = None
    """Today's average wait of called green-channel tickets."""
    normal_wait_avg_s: float | None = None
    """Today's average wait of the other called tickets."""
    estimated_wait_min: int | None = None
    """The wait a ticket issued now would be told (the desk's queue panel shows it)."""

    @property
    def over_target(self) -> bool:
        return self.longest_wait_s > self.target_wait_min * 60


@dataclass(frozen=True)
class MatterStats(_Record):
    """Live figures of one matter today (the floor groups them by queue and department)."""

    code: str
    service: str
    department: str
    waiting: int
    longest_wait_s: float
    issued_today: int
    target_wait_min: int = 30


@dataclass(frozen=True)
class PrinterProblem(_Record):
    """A printer whose last slip today failed or went unconfirmed (out of paper, cover open,
    offline, before or during the slip): the floor is told until that printer prints again."""

    printer: str
    since: float
    """When the failed job was reported (Unix seconds)."""
    ticket: str
    """The ticket whose slip did not print (or may not have)."""
    error: str


@dataclass(frozen=True)
class CounterView(_Record):
    """Everything a counter console shows, as of one event id."""

    as_of_event: int
    now: float
    counter: Counter
    current: Ticket | None
    services: list[ServiceStats]
    next_tickets: list[Ticket]
    """In calling order, as call-next would take them."""
    parked: list[Ticket]
    served_today: int
    no_shows_today: int
    avg_handling_s: float | None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(
            as_of_event=data["as_of_event"],
            now=data["now"],
            counter=Counter.from_dict(data["counter"]),
            current=Ticket.from_dict(data["current"]) if data.get("current") else None,
            services=[ServiceStats.from_dict(s) for s in data["services"]],
            next_tickets=[Ticket.from_dict(t) for t in data["next_tickets"]],
            parked=[Ticket.from_dict(t) for t in data["parked"]],
            served_today=data["served_today"],
            no_shows_today=data["no_shows_today"],
            avg_handling_s=data["avg_handling_s"],
        )


@dataclass(frozen=True)
class CounterState(_Record):
    """One counter on the floor view."""

    counter: Counter
    current: Ticket | None
    served_today: int
    parked: list[Ticket] = field(default_factory=list)
    """Tickets set aside at this counter, each with its reason."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(
            counter=Counter.from_dict(data["counter"]),
            current=Ticket.from_dict(data["current"]) if data.get("current") else None,
            served_today=data["served_today"],
            parked=[Ticket.from_dict(t) for t in data.get("parked") or []],
        )


@dataclass(frozen=True)
class HallView(_Record):
    """The whole hall at a glance, as of one event id."""

    as_of_event: int
    now: float
    day: str
    counters: list[CounterState]
    services: list[ServiceStats]
    green_waiting: list[Ticket]
    recent_calls: list[Ticket]
    """Latest calls first, for the public board."""
    session_open: bool
    next_session_opens: str | None
    low_position_waiting: list[Ticket] = field(default_factory=list)
    """Waiting tickets that need the low-position counter, oldest first (the floor alerts on
    one waiting longer than its service's target)."""
    matters: list[MatterStats] = field(default_factory=list)
    """A one-stop hall's matters issued today or waiting now, in code order (empty in a
    hall without a catalogue)."""
    failover: dict[str, Any] | None = None
    """Today's latest failover (``at``, ``from_event``, ``event_id``, ``gap``): this server
    took over from a restored replica, so the floor says so."""
    catalogue_event: int = 0
    """The newest event that changed the services or the catalogue of matters: a screen
    that searches them rebuilds its index when it moves."""
    closed_for: list[str] | None = None
    """[Chinese, English] name of the day the hall is closed all day: a statutory holiday
    (["国庆节", "National Day, 国庆节"]) or the hall's own closed day."""
    calendar_unknown: int | None = None
    """A year the hall needs now or soon whose official calendar this install lacks."""
    printer_problems: list[PrinterProblem] = field(default_factory=list)
    """Printers whose last slip today failed, newest first (a kiosk out of paper)."""
    replication: dict[str, Any] | None = None
    """Through a hall server that replicates (``serve --replica``): how far its replica is
    behind (``lag_writes``, ``lag_s``, ``stalled``, ``problem``); None otherwise."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(
            as_of_event=data["as_of_event"],
            now=data["now"],
            day=data["day"],
            counters=[CounterState.from_dict(c) for c in data["counters"]],
            services=[ServiceStats.from_dict(s) for s in data["services"]],
            green_waiting=[Ticket.from_dict(t) for t in data["green_waiting"]],
            recent_calls=[Ticket.from_dict(t) for t in data["recent_calls"]],
            session_open=data["session_open"],
            next_session_opens=data["next_session_opens"],
            low_position_waiting=[
                Ticket.from_dict(t) for t in data.get("low_position_waiting") or []
            ],
            matters=[MatterStats.from_dict(m) for m in data.get("matters") or []],
            failover=data.get("failover"),
            catalogue_event=data.get("catalogue_event", 0),
            closed_for=data.get("closed_for"),
            calendar_unknown=data.get("calendar_unknown"),
            printer_problems=[
                PrinterProblem.from_dict(p) for p in data.get("printer_problems") or []
            ],
            replication=data.get("replication"),
        )
