"""The ticket state machine: which operation may start from which status.

issue → waiting → called (recall n times) → serving → done | no-show |
transferred (back to waiting) | parked → resumed (serving) | cancelled;
tickets left open when the day ends are expired. The engine checks every
operation against this table before it changes a row.
"""

from __future__ import annotations

from console.domain.errors import Refused

OPEN = frozenset({"waiting", "called", "serving", "parked"})

ALLOWED: dict[str, frozenset[str]] = {
    "call": frozenset({"waiting"}),
    "recall": frozenset({"called"}),
    "serve": frozenset({"called"}),
    "finish": frozenset({"called", "serving"}),
    "no_show": frozenset({"called"}),
    "transfer": OPEN,
    "park": frozenset({"called", "serving"}),
    "resume": frozenset({"parked"}),
    "cancel": OPEN,
    "flag_green": OPEN,
    "change_matter": OPEN,
    "expire": OPEN,
}


def check_transition(op: str, number: str, status: str) -> None:
    """Refuse ``op`` on a ticket in ``status`` with a sentence a clerk understands (the
    catalog says ``op`` as a verb in the reader's language: ``reasons.words.VERBS``)."""
    if status not in ALLOWED[op]:
        shown = status.replace("_", "-")
        raise Refused(reason="ticket.wrong_status", ticket=number, status=shown, op=op)
