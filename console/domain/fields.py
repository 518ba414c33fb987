"""What a person may type into each field, declared once, and the one check of it.

The engine checks every field it is handed with these; the hall server's request
models (``console.server.schemas``) take their limits from here and run the same
check, so a bad value is refused with the same reason code and words whether the
station runs the engine itself or talks to a server ("备注 不能为空", exit 2, both
ways). ``what`` is the name a refusal gives the field (``reasons.words.FIELDS_ZH``
says it in Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.domain.errors import BadInput

NUMBER_MAX = 10_000
"""The largest count of minutes a service or matter may take or wait for."""


def text(value: Any, what: str, max_len: int) -> str:
    """A non-empty line of at most ``max_len`` characters without control characters,
    stripped of the spaces around it."""
    if not isinstance(value, str) or not value.strip():
        raise BadInput(reason="field.empty", what=what)
    value = value.strip()
    if len(value) > max_len:
        raise BadInput(reason="field.too_long", what=what, max_len=max_len)
    if any(ord(c) < 32 for c in value):
        raise BadInput(reason="field.control_chars", what=what)
    return value


@dataclass(frozen=True)
class Text:
    """A required line of text."""

    what: str
    max_len: int

    def check(self, value: Any) -> str:
        return text(value, self.what, self.max_len)


@dataclass(frozen=True)
class Note:
    """Optional free text kept on one line: blank is none, line breaks become spaces."""

    what: str
    max_len: int

    def check(self, value: Any) -> str | None:
        if value is None or not str(value).strip():
            return None
        return text(str(value).replace("\n", " "), self.what, self.max_len)


@dataclass(frozen=True)
class Minutes:
    """A number of minutes above zero and at most ``NUMBER_MAX``."""

    what: str

    def check(self, value: Any) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise BadInput(reason="field.not_number", what=self.what, value=repr(value)) from None
        if not 0 < number <= NUMBER_MAX:
            raise BadInput(reason="field.out_of_range", what=self.what, value=repr(value))
        return number


# -- tickets -----------------------------------------------------------------------
NOTE = Note("note", 500)
"""A clerk's note on a finished ticket."""
GREEN_NOTE = Note("green-channel note", 500)
PARK_REASON = Text("a park reason", 60)
MATERIAL = Text("a material", 120)
"""One item of a list of materials (a service's, a matter's, a finish's missing ones)."""
APPOINTMENT_CODE = Text("appointment code", 40)

# -- counters --------------------------------------------------------------------------
COUNTER_NAME = Text("counter name", 60)
PAUSE_REASON = Text("pause reason", 100)

# -- services and matters -----------------------------------------------------------
NAME_ZH = Text("name_zh", 200)
NAME_EN = Text("name_en", 200)
DEPARTMENT = Text("department", 40)
DEPARTMENT_ZH = Text("department_zh", 200)
DEPARTMENT_EN = Text("department_en", 200)
HANDLING_MIN = Minutes("handling time (minutes)")
TARGET_WAIT_MIN = Minutes("target wait (minutes)")

# -- clerks, sessions, printers ------------------------------------------------------
STAFF_NO = Text("staff number", 20)
CLERK_NAME = Text("clerk name", 60)
SESSION_NAME = Text("session name", 60)
PRINTER_NAME = Text("printer name", 60)
PRINTER_ADDRESS = Text("printer address", 300)

NAMED: dict[str, Text] = {
    field.what: field for field in (NAME_ZH, NAME_EN, DEPARTMENT, DEPARTMENT_ZH, DEPARTMENT_EN)
}
"""The fields a service or a matter names by their own key (``name_zh``, ``department``)."""
