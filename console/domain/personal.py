"""What citizens told the hall, named once: the personal fields the purge erases after
``personal_retention_days``, the exports leave out without ``--personal`` and the Datasette
metadata marks (tests/admin/test_personal.py keeps the last two equal to this).

A green-channel reason (elderly, disabled, pregnant, sick…) is health information, sensitive
under the Personal Information Protection Law; what the reports need of it — that a ticket
was green, and how many of a day's tickets were of each reason — is kept without it: the
ticket's reason becomes :data:`PURGED_REASON` (still green to every count) and the day's
figures per reason are kept beside the tickets first.
"""

from __future__ import annotations

PURGED_REASON = "purged"
"""What a purged ticket's or appointment's green-channel reason becomes: green, reason erased."""

TICKET_FIELDS: dict[str, str | None] = {
    "green_reason": PURGED_REASON,
    "green_note": None,
    "note": None,
    "materials": "[]",
    "feedback": None,
    "park_reason": None,
}
"""Columns of ``tickets`` that hold what a citizen said or what was noted of them, and what
each becomes when erased (a green ticket stays green; the list of what to bring empties)."""

APPOINTMENT_FIELDS: dict[str, str | None] = {"name": None, "green_reason": PURGED_REASON}
"""Columns of ``appointments`` likewise (the booking's name and green-channel reason)."""

EVENT_KEYS = frozenset(TICKET_FIELDS) | frozenset(APPOINTMENT_FIELDS)
"""Keys of an event's ``changes`` that carry those fields' values (before and after)."""

EXPORT_COLUMNS: dict[str, frozenset[str]] = {
    "tickets": frozenset({"green_note", "clerk_name", "note", "appointment_name", "feedback"}),
    "events": frozenset(),
    "summary": frozenset(),
}
"""Export columns only ``export --personal`` writes (clerks' names are the staff's personal
data; the events export redacts its ``changes`` column instead)."""


def erased_changes(changes: dict) -> dict:
    """An event's ``changes`` with every personal value erased (a ``[before, after]`` pair
    keeps its shape)."""
    out = {}
    for key, value in changes.items():
        if key not in EVENT_KEYS or value is None:
            out[key] = value
        elif isinstance(value, list) and len(value) == 2:
            out[key] = [_erased(key, value[0]), _erased(key, value[1])]
        else:
            out[key] = _erased(key, value)
    return out


def _erased(key: str, value: object) -> object:
    if value is None:
        return None
    return TICKET_FIELDS.get(key, APPOINTMENT_FIELDS.get(key))
