"""Formatting shared by the CLI, the screens and the printed slips (no UI code here)."""

from __future__ import annotations

from typing import Any

from console.engine.clock import Clock


def minutes(seconds: float | None) -> str:
    """'12 min' from seconds; '-' when unknown."""
    if seconds is None:
        return "-"
    return f"{round(seconds / 60)} min"


def clock_time(ts: float | None, clock: Clock) -> str:
    """Local HH:MM of a timestamp; '' when unset."""
    return clock.local(ts).strftime("%H:%M") if ts is not None else ""


def local_datetime(ts: float | None, clock: Clock) -> str:
    """'2026-11-26 09:30:05' in the hall's time zone; '' when unset (never a raw epoch)."""
    return clock.local(ts).strftime("%Y-%m-%d %H:%M:%S") if ts is not None else ""


def duration(seconds: float | None) -> str:
    """A span a director reads: '25 min', '1 h 11 min', '40 s'; '-' when unknown."""
    if seconds is None:
        return "-"
    s = round(max(0.0, seconds))
    if s < 60:
        return f"{s} s"
    h, m = divmod(round(s / 60), 60)
    return f"{h} h {m} min" if h else f"{m} min"


def mm_ss(seconds: float | None) -> str:
    """A running timer: '07:42', or '1:07:42' past an hour."""
    if seconds is None:
        return "--:--"
    s = int(max(0, seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def wait_words(result: Any) -> str:
    """An issued ticket's wait for the CLI line: 'about 12 min', or why there is no figure."""
    if result.estimated_wait_min is None:
        return "called once the low-position counter opens"
    return f"about {result.estimated_wait_min} min"
