"""Moving through a search's list of matches while the typing stays in the search box."""

from __future__ import annotations

from textual.widgets import OptionList


def move_highlight(options: OptionList, step: int) -> None:
    """Move the list's highlight by ``step`` lines (up/down from the search box), stopping
    at either end; from no highlight, ``step`` 1 lands on the first line."""
    if options.option_count:
        current = options.highlighted if options.highlighted is not None else -step
        options.highlighted = max(0, min(options.option_count - 1, current + step))
