"""Reusable widgets of the screens."""

from console.tui.widgets.bigtext import BigText, big_lines
from console.tui.widgets.choice_list import ChoiceList
from console.tui.widgets.keybar import KeyBar
from console.tui.widgets.queue_panel import QueuePanel
from console.tui.widgets.ticket_card import TicketCard

__all__ = ["BigText", "ChoiceList", "KeyBar", "QueuePanel", "TicketCard", "big_lines"]
