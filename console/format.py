"""Formatting shared by the CLI, the screens and the printed slips (no UI code here)."""

from __future__ import annotations

from console.engine.clock import Clock


def minutes(seconds: float | None) -> str:
    """'12 min' from seconds; '-' when unknown."""
    if seconds is None:
        return "-"
    return f"{round(seconds / 60)} min"


def clock_time(ts: float | None, clock: Clock) -> str:
    """Local HH:MM of a timestamp; '' when unset."""
    return clock.local(ts).strftime("%H:%M") if ts is not None else ""


def mm_ss(seconds: float | None) -> str:
    """A running timer: '07:42', or '1:07:42' past an hour."""
    if seconds is None:
        return "--:--"
    s = int(max(0, seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
