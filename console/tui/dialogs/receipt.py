"""The receipt's text on screen: when no printer is set up, or to check before printing."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class ReceiptDialog(ModalScreen[None]):
    """Shows the receipt lines and the print job's status; Enter or Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "close", show=False)]

    def __init__(self, title: str, lines: list[str], status: str) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.lines = lines
        self.status = status

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box receipt-box"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.status, id="receipt-status", classes="dialog-error")
            with VerticalScroll(id="receipt-scroll"):
                yield Static("\n".join(self.lines), id="receipt-text", markup=False)
            yield Static(self.app.t("dialog.close_help"), classes="dialog-help")

    def action_close(self) -> None:
        self.dismiss(None)
