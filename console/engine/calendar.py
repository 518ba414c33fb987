"""The official calendar: China's statutory holidays and make-up working days (调休).

The State Council announces each year's holidays and the weekend days worked in their
place; the hall follows them without an admin typing each one. The days come from the
``chinese-calendar`` package, which carries the announced days year by year and says
outright which years it knows (``holidays`` on PyPI computes holidays from rules for any
year, so it would quietly guess a year not yet announced, and it does not carry the
make-up working days as plainly). A year this install does not know is never guessed:
its days follow the sessions' weekday rule, and from 1 December of the year before the
doctor, the floor and the nightly job say that the calendar must be upgraded or the days
added by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import chinese_calendar

KNOWN_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
"""The years whose holidays and make-up working days this install carries."""
_NAMES = {h.value: (h.chinese, h.value) for h in chinese_calendar.Holiday}


@dataclass(frozen=True)
class OfficialDay:
    """What the official calendar says of one day."""

    kind: str
    """``holiday`` (closed by law), ``workday`` (a weekend day worked in lieu), ``ordinary``
    (the weekday rule decides), or ``unknown`` (a year this install does not carry)."""
    name_zh: str | None = None
    name_en: str | None = None


def official_day(day: date) -> OfficialDay:
    if day.year not in KNOWN_YEARS:
        return OfficialDay("unknown")
    if day in chinese_calendar.holidays:
        return OfficialDay("holiday", *_NAMES.get(chinese_calendar.holidays[day], ("", "")))
    if day in chinese_calendar.workdays:
        return OfficialDay("workday", *_NAMES.get(chinese_calendar.workdays[day], ("", "")))
    return OfficialDay("ordinary")


def unknown_year(today: date) -> int | None:
    """The year the hall needs now or soon that this install does not know: this year, or
    from 1 December the next one (its first holiday is 1 January)."""
    if today.year not in KNOWN_YEARS:
        return today.year
    if today.month == 12 and today.year + 1 not in KNOWN_YEARS:
        return today.year + 1
    return None
