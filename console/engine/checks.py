"""The checks every room gives the fields it is handed: text, positive numbers, notes,
green-channel reasons. Bad input is refused before any transaction opens."""

from __future__ import annotations

from typing import Any

from console.domain import GREEN_REASONS
from console.domain.errors import BadInput


def text(value: Any, what: str, max_len: int = 200) -> str:
    """A non-empty line of at most ``max_len`` characters, without control characters."""
    if not isinstance(value, str) or not value.strip():
        raise BadInput(reason="field.empty", what=what)
    value = value.strip()
    if len(value) > max_len:
        raise BadInput(reason="field.too_long", what=what, max_len=max_len)
    if any(ord(c) < 32 for c in value):
        raise BadInput(reason="field.control_chars", what=what)
    return value


def positive(value: Any, what: str) -> float:
    """A number above zero and at most 10,000 (minutes, in practice)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadInput(reason="field.not_number", what=what, value=repr(value)) from None
    if not number > 0 or number > 10_000:
        raise BadInput(reason="field.out_of_range", what=what, value=repr(value))
    return number


def note(value: str | None, what: str = "note") -> str | None:
    """An optional free-text note on one line (None when blank)."""
    if value is None or not str(value).strip():
        return None
    return text(str(value).replace("\n", " "), what, 500)


def green_reason(reason: str | None) -> str | None:
    """A green-channel reason from the known ones, or None."""
    if reason is None:
        return None
    if reason not in GREEN_REASONS:
        raise BadInput(
            reason="green.bad_reason", choices=", ".join(GREEN_REASONS), value=repr(reason)
        )
    return reason
