"""The banner every station screen shows when the hall cannot be reached, written once.

A screen that mixes in ``HallBanner`` (and yields a ``Static`` with id ``banner``) hears
``HallUnavailable`` and ``HallReachable`` from its live worker, its loads and its actions;
the banner says why and whether it retries, and goes (or names the standby server the
station now works on) when the hall answers again.
"""

from __future__ import annotations

from typing import ClassVar

from textual.widgets import Static

from console.tui import live
from console.tui.messages import HallReachable, HallUnavailable


class HallBanner:
    """Mixed into a station screen (desk, floor, reception, board) before ``Screen``."""

    unavailable = False
    """The banner is up: the next view that loads takes it down."""
    REACHABLE_NOTE: ClassVar[str | None] = None
    """A catalog key the screen's status line shows when the hall answers again, if any."""

    def on_hall_unavailable(self, message: HallUnavailable) -> None:
        self.unavailable = True
        banner = self.query_one("#banner", Static)
        banner.update(live.banner(self.app.t, message))
        banner.remove_class("-standby")
        banner.add_class("-shown")

    def on_hall_reachable(self, _message: HallReachable) -> None:
        self.unavailable = False
        self.query_one("#banner", Static).remove_class("-shown")
        live.show_server(self)
        if self.REACHABLE_NOTE:
            self._status(self.app.t(self.REACHABLE_NOTE))

    def hall_answered(self) -> None:
        """A view loaded: if the banner was up, the hall is back."""
        if self.unavailable:
            self.on_hall_reachable(HallReachable())
