"""F1: every key of the screen below, grouped, with what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from console.tui.bindings import APP, BY_NAME, display_key

GROUPS = ("ticket", "counter", "session", "app")


class HelpScreen(ModalScreen[None]):
    """The key list is drawn from the bindings registry, so it cannot drift from the keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,enter,q,question_mark", "close", show=False)
    ]

    def __init__(self, actions: tuple[str, ...]) -> None:
        super().__init__(classes="dialog")
        self.actions = tuple(dict.fromkeys((*actions, *APP)))

    def compose(self) -> ComposeResult:
        t = self.app.t
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column()
        for group in GROUPS:
            names = [n for n in self.actions if BY_NAME[n].group == group]
            if not names:
                continue
            table.add_row(Text(t(f"help.group.{group}"), style="bold underline"), "")
            for name in names:
                action = BY_NAME[name]
                keys = display_key(action.key)
                if action.alias:
                    keys += " / " + display_key(action.alias)
                table.add_row(Text(keys, style="bold"), t(action.label + ".help"))
        with Vertical(classes="dialog-box help-box"):
            yield Static(t("help.title"), classes="dialog-title")
            with VerticalScroll():
                yield Static(table, id="help-table")
            yield Static(t("help.footer"), classes="dialog-help")

    def action_close(self) -> None:
        self.dismiss(None)
