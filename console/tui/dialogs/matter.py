"""Choose a matter (事项) from a catalogue of a thousand: the desk's "change the matter".

The same search as reception's (``console.catalogue.search``: name, code, pinyin,
initials, department), the best few shown, Enter takes the highlighted one. The
citizen's current matter is marked, so the clerk sees what they are changing from.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from console.catalogue.search import CatalogueIndex
from console.tui.widgets.options import move_highlight

SHOWN = 30


class MatterDialog(ModalScreen[str | None]):
    """Type to search, up/down to move, Enter to choose, Esc to cancel; dismisses with the
    chosen matter's code."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    def __init__(self, title: str, index: CatalogueIndex, current: str | None) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.index = index
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title")
            yield Input(placeholder=self.app.t("matter.search"), id="matter-search",
                        compact=True)  # fmt: skip
            yield OptionList(id="matter-list")
            yield Static(self.app.t("dialog.pick_help"), classes="dialog-help")

    def on_mount(self) -> None:
        search = self.query_one("#matter-search", Input)
        search.cursor_blink = self.app.settings.cursor_blink
        self.query_one("#matter-list", OptionList).can_focus = False
        self._fill("")
        search.focus()

    def _fill(self, text: str) -> None:
        t = self.app.t
        options = self.query_one("#matter-list", OptionList)
        options.clear_options()
        shown = []
        for entry in self.index.search(text, SHOWN):
            if entry.kind != "matter":
                continue
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append("● " if entry.code == self.current else "  ", "bold")
            label.append(f"{entry.queue:<5}", "bold")
            label.append(entry.name(t.lang))
            shown.append(Option(label, id=entry.code))
        if shown:
            options.add_options(shown)
            options.highlighted = 0
        else:
            options.add_option(Option(t("matter.none"), id="", disabled=True))

    @on(Input.Changed, "#matter-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, step: int) -> None:
        move_highlight(self.query_one("#matter-list", OptionList), step)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#matter-list", OptionList)
        if options.highlighted is not None and options.option_count:
            option = options.get_option_at_index(options.highlighted)
            if not option.disabled and option.id:
                self.dismiss(option.id)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
