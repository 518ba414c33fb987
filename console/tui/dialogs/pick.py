"""Choose one item from a searchable list (transfer targets, tickets, reasons), optionally
typing a value that is not in the list and adding a note.

Every picker searches the same way (``console.tui.search``: labels, values, pinyin), and
what Enter does is always what the list shows highlighted: a typed value that is not in
the list is listed as its own line ("use what I typed") before it can be chosen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from console.tui.search import matches, searchable
from console.tui.widgets.options import move_highlight

TYPED = "\x00typed:"
"""Marks the list line that stands for the typed text (never a real item's value)."""


@dataclass(frozen=True)
class Picked:
    """The chosen value, and the note when the dialog asked for one."""

    value: str
    note: str | None = None


class PickDialog(ModalScreen[Picked | None]):
    """Type to filter, up/down to move, Enter to choose, Esc to cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    def __init__(
        self,
        title: str,
        items: list[tuple[str, str]],
        *,
        free_text: bool = False,
        placeholder: str = "",
        note: str | None = None,
        empty: str | None = None,
        aliases: dict[str, str] | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.items = items
        """(value, label) pairs."""
        self.free_text = free_text
        self.placeholder = placeholder
        self.note_label = note
        self.empty = empty
        aliases = aliases or {}
        self.haystacks = [
            searchable(f"{value} {label} {aliases.get(value, '')}") for value, label in items
        ]
        """What a search looks in: value, label, the item's other names, all with pinyin."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title")
            yield Input(placeholder=self.placeholder, id="pick-search", compact=True)
            yield OptionList(id="pick-list")
            if self.note_label is not None:
                yield Input(placeholder=self.note_label, id="pick-note", compact=True)
            yield Static(self.app.t("dialog.pick_help"), classes="dialog-help")

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.cursor_blink = self.app.settings.cursor_blink
        # The list follows the search field (up/down there), so Tab goes to the note.
        self.query_one("#pick-list", OptionList).can_focus = False
        self._fill("")
        self.query_one("#pick-search", Input).focus()

    def _fill(self, text: str) -> None:
        typed = text.strip()
        options = self.query_one("#pick-list", OptionList)
        options.clear_options()
        shown = [
            Option(label, id=value)
            for (value, label), hay in zip(self.items, self.haystacks, strict=True)
            if matches(hay, typed)
        ]
        exact = any(typed.lower() in (v.lower(), lb.lower()) for v, lb in self.items)
        if self.free_text and typed and not exact:
            own = Option(self.app.t("dialog.use_typed", value=typed), id=f"{TYPED}{typed}")
            shown = [*shown, own] if shown else [own]
        if shown:
            options.add_options(shown)
            options.highlighted = 0
        elif self.empty:
            options.add_option(Option(self.empty, id="", disabled=True))

    @on(Input.Changed, "#pick-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, step: int) -> None:
        move_highlight(self.query_one("#pick-list", OptionList), step)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        """An exact match first, else the highlighted line (which may be the typed text)."""
        event.stop()
        typed = self.query_one("#pick-search", Input).value.strip()
        options = self.query_one("#pick-list", OptionList)
        exact = [
            v for v, label in self.items if typed and typed.lower() in (v.lower(), label.lower())
        ]
        value: str | None = exact[0] if exact else None
        if value is None and options.highlighted is not None and options.option_count:
            option = options.get_option_at_index(options.highlighted)
            value = None if option.disabled else option.id
        if value:
            self._done(value)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._done(event.option.id)

    def _done(self, value: str) -> None:
        value = value.removeprefix(TYPED)
        note = None
        if self.note_label is not None:
            note = self.query_one("#pick-note", Input).value.strip() or None
        self.dismiss(Picked(value, note))

    def action_cancel(self) -> None:
        self.dismiss(None)
