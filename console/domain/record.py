"""The JSON round trip every record of the hall shares (``to_dict`` / ``from_dict``).

The hall server sends these dicts and the remote service reads them back, so the
in-process and the remote service return the same shapes.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Self

_ATOMS = frozenset({str, int, float, bool})


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    """``value`` as ``dataclasses.asdict`` gives it: records, lists, tuples and dicts copied
    all the way down. Written out because ``asdict`` deep-copies every string and number
    too, which made a ticket's dict cost more than the write that changed it."""
    if value is None or type(value) in _ATOMS:
        return value
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


class Record:
    """JSON round trip shared by every dataclass of the domain (records and views)."""

    def to_dict(self) -> dict[str, Any]:
        return {name: _plain(getattr(self, name)) for name in _field_names(type(self))}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        names = _field_names(cls)
        return cls(**{k: v for k, v in data.items() if k in names})
