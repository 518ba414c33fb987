"""Messages the workers post to the screens (attributes down, messages up)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from console.domain import Actor, CounterView, HallView


@dataclass
class HallOpened(Message):
    """The app's hall service is ready (it was opened after the first frame)."""


@dataclass
class HallChanged(Message):
    """Another station (or this one) committed: the hall is now at ``event_id``; or the
    service day turned (``day``, on the hall's clock), so today's figures start afresh."""

    event_id: int
    day: str = ""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, HallChanged)


@dataclass
class HallUnavailable(Message):
    """The database or server cannot be reached; the live worker keeps retrying unless
    ``retrying`` is False (the server refuses this station's token for good)."""

    error: str
    retrying: bool = True


@dataclass
class HallReachable(Message):
    """The hall can be reached again after an outage."""


@dataclass
class ViewLoaded(Message):
    """A fresh counter view, read in a worker."""

    view: CounterView

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ViewLoaded)


@dataclass
class HallLoaded(Message):
    """A fresh hall view (and the floor's hourly figures when asked for), read in a worker."""

    view: HallView
    figures: dict[str, Any] | None = None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, HallLoaded)


@dataclass
class ActionDone(Message):
    """A key press's service call succeeded; ``result`` is what the service returned."""

    action: str
    result: Any
    view: CounterView | None = None


@dataclass
class ActionFailed(Message):
    """A key press's service call was refused or failed; ``error`` is one clear line."""

    action: str
    error: str
    unavailable: bool = False


@dataclass
class PrintFinished(Message):
    """The station's print worker finished a job: done, or failed with the reason."""

    job_id: int
    ticket_id: int
    status: str
    message: str | None = None
    """The printer's own words (English)."""
    reason: str | None = None
    """Their reason code, said in the clerk's language (``console.print_verdicts.reason_of``)."""
    printer: str | None = None


@dataclass
class LoggedIn(Message):
    """The clerk's PIN was accepted and the counter is open for them."""

    actor: Actor


@dataclass
class LoginFailed(Message):
    """The PIN was refused, the clerk is locked out, or the counter cannot be opened."""

    error: str
