"""Which changes of the hall a counter's desk must show at once, decided from the event.

A desk shows its counter, the ticket at it, the next few tickets it would call, its parked
tickets and its queues' figures. In a hall of 60 counters every desk re-reading its view
after every change of the hall made the server's readers the bottleneck: a clerk's own
call waited seconds to reach the screen behind the other desks' reads. So a desk re-reads
at once only for a change that alters what it shows or what its keys would do:

* anything at its own counter (a call, a finish, a transfer to it, opening, pausing);
* a ticket it shows (called elsewhere, cancelled, moved, given priority);
* a ticket that comes into its queues where its list would show it: directed to this
  counter, green channel, or while its list is shorter than it shows;
* a change of the hall's setup (settings, services, counters' services, clerks,
  sessions, the catalogue), which may change what any desk calls next.

Everything else (another counter's finish, a ticket issued behind a full list, another
counter opening) changes only its queues' figures (waiting, estimates): the live worker
lets those wait for the next re-read, at most ``CATCH_UP_S`` seconds.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from console.domain.model import Event
from console.domain.views import CounterView

CATCH_UP_S = 10.0
"""The longest a desk's queue figures lag behind changes that did not concern it at once."""

QUIET_KINDS = frozenset({"login.failed", "rated", "personal.purged"})
"""Changes no desk shows: a wrong PIN elsewhere, a citizen's rating, the nightly purge."""

ORDER_KEYS = ("status", "service_id", "matter_id", "green_reason", "directed_counter",
              "queued_at")  # fmt: skip
"""A ticket's columns that decide whether and where it waits in a queue."""


def _after(changes: dict[str, Any], column: str) -> Any:
    """A column's new value: an update logs ``[before, after]``, an issue the whole row."""
    value = changes.get(column)
    return value[1] if isinstance(value, list) and len(value) == 2 else value


def concerns_desk(
    event: Event, view: CounterView | None, number: int, service_ids: Collection[int],
    shown: int,
) -> bool:  # fmt: skip
    """Whether counter ``number``'s desk, showing ``view`` (up to ``shown`` next tickets) of
    the services ``service_ids``, must re-read its view for ``event`` now."""
    if view is None or event.counter_number == number:
        return True
    if event.kind in QUIET_KINDS:
        return False
    if event.ticket_id is None:  # setup; another counter's own state is only a figure here
        return not event.kind.startswith("counter.")
    on_screen = {t.id for t in view.next_tickets} | {t.id for t in view.parked}
    if view.current is not None:
        on_screen.add(view.current.id)
    if event.ticket_id in on_screen:
        return True
    changes = event.changes
    if not any(key in changes for key in ORDER_KEYS):
        return False
    if _after(changes, "status") not in (None, "waiting"):
        return False  # it left the queues (called elsewhere, finished): not one we show
    if _after(changes, "directed_counter") == number:
        return True
    service = _after(changes, "service_id") if "service_id" in changes else None
    if service is not None and service not in service_ids:
        return False  # another queue's ticket
    return bool(_after(changes, "green_reason")) or len(view.next_tickets) < shown
