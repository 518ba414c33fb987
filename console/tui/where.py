"""Where a transferred ticket went, in words: "PP (Passport)" or "counter 5"."""

from __future__ import annotations

from typing import Any

from console.domain import Ticket


def transferred_to(t: Any, ticket: Any, services: list[Any]) -> str:
    """The target of a transfer for the status line ("" for anything but a ticket)."""
    if not isinstance(ticket, Ticket):
        return ""
    if ticket.directed_counter is not None:
        return t("transfer.where_counter", n=ticket.directed_counter)
    name = next(
        (s.name_zh if t.zh else s.name_en for s in services if s.code == ticket.service_code), ""
    )
    if not name:
        return ticket.service_code
    return t("transfer.where_service", code=ticket.service_code, name=name)
