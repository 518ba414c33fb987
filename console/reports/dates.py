"""Day ranges for exports and reports: ``--day D`` or ``--from D --to D``.

A day is the hall's local date ``YYYY-MM-DD``; the words ``today`` and
``yesterday`` are read on the hall's clock, so a cron job at 00:30 exporting
``yesterday`` gets the day that just ended.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from console.domain.errors import BadInput
from console.engine.clock import Clock

WORDS = ("today", "yesterday")


@dataclass(frozen=True)
class DayRange:
    """An inclusive range of local days."""

    first: str
    last: str

    @property
    def single(self) -> bool:
        return self.first == self.last

    @property
    def label(self) -> str:
        """'2026-11-26' or '2026-11-01_2026-11-30': used in default file names."""
        return self.first if self.single else f"{self.first}_{self.last}"

    def days(self) -> list[str]:
        d, end, out = date.fromisoformat(self.first), date.fromisoformat(self.last), []
        while d <= end:
            out.append(d.isoformat())
            d += timedelta(days=1)
        return out

    def bounds(self) -> tuple[float, float]:
        """[start, end) in Unix seconds: local midnight of the first day to after the last."""
        start = datetime.combine(date.fromisoformat(self.first), datetime.min.time())
        end = datetime.combine(date.fromisoformat(self.last) + timedelta(days=1),
                               datetime.min.time())  # fmt: skip
        return time.mktime(start.timetuple()), time.mktime(end.timetuple())


def parse_day(value: str, today: date, what: str = "day") -> str:
    """A local day from 'YYYY-MM-DD', 'today' or 'yesterday'."""
    text = (value or "").strip().lower()
    if text == "today":
        return today.isoformat()
    if text == "yesterday":
        return (today - timedelta(days=1)).isoformat()
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadInput(reason="days.bad_option", option=what, value=repr(value)) from None


def day_range(
    day: str | None, first: str | None, last: str | None, today: date | None = None,
    default: str | None = "today",
) -> DayRange:  # fmt: skip
    """The range the options ask for; ``default`` when none is given (None: one is required)."""
    today = today or date.fromisoformat(Clock().day())
    if day is not None and (first is not None or last is not None):
        raise BadInput(reason="days.day_or_range")
    if day is None and first is None and last is None:
        if default is None:
            raise BadInput(reason="days.needed")
        day = default
    if day is not None:
        d = parse_day(day, today)
        return DayRange(d, d)
    a = parse_day(first, today, "from") if first is not None else None
    b = parse_day(last, today, "to") if last is not None else None
    if a is None or b is None:
        raise BadInput(reason="days.from_and_to")
    if a > b:
        raise BadInput(reason="days.backwards", first=a, last=b)
    return DayRange(a, b)
