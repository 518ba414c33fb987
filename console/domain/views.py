"""What the screens show, as of one event id: a counter's console, the floor, the board.

Read models built by the engine from the hall's records (``console.domain.model``); the
hall server sends them as dicts and the remote service reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self

from console.domain.model import Counter, Ticket
from console.domain.record import Record


@dataclass(frozen=True)
class ServiceStats(Record):
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
class MatterStats(Record):
    """Live figures of one matter today (the floor groups them by queue and department)."""

    code: str
    service: str
    department: str
    waiting: int
    longest_wait_s: float
    issued_today: int
    target_wait_min: int = 30


@dataclass(frozen=True)
class PrinterProblem(Record):
    """A printer whose last slip today failed or went unconfirmed (out of paper, cover open,
    offline, before or during the slip): the floor is told until that printer prints again."""

    printer: str
    since: float
    """When the failed job was reported (Unix seconds)."""
    ticket: str
    """The ticket whose slip did not print (or may not have)."""
    error: str
    """The printer's own words."""
    reason: str | None = None
    """Their reason code (None: a job stored before codes were kept)."""


@dataclass(frozen=True)
class CounterView(Record):
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
class CounterState(Record):
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
class HallView(Record):
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
    """A one-stop hall's matters someone is waiting for now, in code order (empty in a
    hall without a catalogue, or with nobody waiting for a matter)."""
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
