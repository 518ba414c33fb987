"""Every key of every screen, as data in one place.

A ``KeyAction`` names an action once, with its key and its label key in the
i18n catalogs; a screen lists the action names it offers and gets Textual
bindings from ``bindings_for``. Because the key lives here and nowhere else,
the same key does the same thing on every screen (a test checks no key is
used twice), and the key bar and the help screen are drawn from the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class KeyAction:
    """One thing a person can do with one key."""

    name: str
    """The Textual action (``action_<name>`` on the screen or app)."""
    key: str
    """Textual key name(s), comma-separated; the first is the one shown."""
    label: str
    """i18n key of the short label (key bar) and, with ``.help``, the help line."""
    group: str = "ticket"
    """Where the help screen lists it: ticket, counter, session, app."""
    destructive: bool = False
    """Asks for confirmation before it acts."""
    priority: bool = False
    """Works even while a text field has the focus (function keys only)."""
    alias: str | None = None
    """A second key that does the same but gives way to a text field (e.g. '?')."""

    @property
    def shown_key(self) -> str:
        return self.key.split(",")[0]


ACTIONS: tuple[KeyAction, ...] = (
    # the counter's work, most frequent first
    KeyAction("call_next", "n", "key.call_next"),
    KeyAction("recall", "r", "key.recall"),
    KeyAction("serve", "s", "key.serve"),
    KeyAction("done", "d", "key.done"),
    KeyAction("no_show", "x", "key.no_show", destructive=True),
    KeyAction("transfer", "t", "key.transfer"),
    KeyAction("park", "p", "key.park"),
    KeyAction("resume", "u", "key.resume"),
    KeyAction("green", "g", "key.green"),
    KeyAction("matter", "m", "key.matter"),
    KeyAction("call_number", "c", "key.call_number"),
    KeyAction("print_receipt", "e", "key.print_receipt"),
    # the counter itself
    KeyAction("pause", "z", "key.pause", group="counter"),
    KeyAction("close_counter", "w", "key.close_counter", group="counter", destructive=True),
    KeyAction("logout", "l", "key.logout", group="session", destructive=True),
    # the floor view and reception (hall-wide screens)
    KeyAction("open_counter", "o", "key.open_counter", group="counter"),
    KeyAction("cancel_ticket", "k", "key.cancel_ticket", destructive=True),
    KeyAction("issue", "f2", "key.issue", priority=True),
    KeyAction("check_in", "f5", "key.check_in", priority=True),
    KeyAction("reprint", "f6", "key.reprint", priority=True),
    # everywhere
    KeyAction("help", "f1", "key.help", group="app", priority=True, alias="question_mark"),
    KeyAction("quit", "ctrl+q", "key.quit", group="app", priority=True),
)

BY_NAME: dict[str, KeyAction] = {a.name: a for a in ACTIONS}

DESK = (
    "call_next",
    "recall",
    "serve",
    "done",
    "no_show",
    "transfer",
    "park",
    "resume",
    "green",
    "matter",
    "call_number",
    "print_receipt",
    "pause",
    "close_counter",
    "logout",
)
"""What the counter console offers, in key-bar order."""

FLOOR = ("open_counter", "pause", "close_counter", "green", "transfer", "cancel_ticket")
"""What the floor view offers: counters (selected row) and any ticket of the hall."""

RECEPTION = ("issue", "check_in", "reprint")
"""What the reception screen offers (function keys: the search field keeps the letters)."""

BOARD: tuple[str, ...] = ()
"""The public board offers only help and quit."""

APP = ("help", "quit")
"""Offered on every screen."""


def bindings_for(*names: str) -> list[Binding]:
    """Textual bindings for these actions; the description carries the action name for the
    key bar, which translates it."""
    out: list[Binding] = []
    for action in (BY_NAME[n] for n in names):
        out.append(Binding(action.key, action.name, action.name, priority=action.priority))
        if action.alias:
            out.append(Binding(action.alias, action.name, action.name, show=False))
    return out


def display_key(key: str) -> str:
    """How a key is written on screen: 'n', 'F1', 'Ctrl+Q', '?'."""
    first = key.split(",")[0]
    special = {"question_mark": "?", "escape": "Esc", "enter": "Enter", "space": "Space"}
    if first in special:
        return special[first]
    if first.startswith("f") and first[1:].isdigit():
        return first.upper()
    if first.startswith("ctrl+"):
        return "Ctrl+" + first[5:].upper()
    return first
