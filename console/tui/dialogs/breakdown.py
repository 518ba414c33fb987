"""A department's matters in one queue, today: the floor view's drill-down (Enter on a
department's row). Esc or Enter closes it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static


class BreakdownDialog(ModalScreen[None]):
    """Rows of (matter name, code, waiting, longest/target, issued today), most waiting first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", show=False),
        Binding("enter", "close", show=False),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str, int, float, int, int]]) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.rows = rows
        """(name, code, waiting, longest wait in seconds, target minutes, issued today)."""

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title")
            table = DataTable(id="breakdown", cursor_type="row", zebra_stripes=True)
            for key in ("matter", "waiting", "longest", "issued"):
                table.add_column(t(f"floor.breakdown.{key}"), key=key)
            for name, code, waiting, longest, target, issued in self.rows:
                over = waiting and longest > target * 60
                wait = Text(f"{round(longest / 60)}/{target}" + ("▲" if over else ""),
                            style="bold red" if over else "")  # fmt: skip
                table.add_row(Text(f"{name}  {code}", no_wrap=True, overflow="ellipsis"),
                              str(waiting), wait, str(issued), key=code)  # fmt: skip
            yield table
            yield Static(t("floor.breakdown.help"), classes="dialog-help")

    def action_close(self) -> None:
        self.dismiss(None)
