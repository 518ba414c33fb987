"""The checks every room gives the fields it is handed beyond those declared in
``console.domain.fields`` (a line of an import, a citizen's comment, a green-channel
reason). Bad input is refused before any transaction opens."""

from __future__ import annotations

from console.domain import GREEN_REASONS
from console.domain.errors import BadInput
from console.domain.fields import text


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
