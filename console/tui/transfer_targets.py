"""Where a ticket can be transferred to: the picker's lines, the same at the desk and the floor.

Only what would take the ticket is offered: services in use, and counters in use that are
open or paused (a paused one comes back). A closed counter would leave the citizen waiting
where nobody calls, and a retired service refuses the ticket, so neither is a choice; the
lists are read when the picker opens, so a service retired since the screen started is gone.
"""

from __future__ import annotations

from typing import Any


def transfer_targets(
    t: Any, services: list[Any], counters: list[Any], *, own_service: str | None, own_counter: int
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The picker's (value, label) lines and the services' names in both languages to search."""
    offered = [s for s in services if s.active and s.code != own_service]
    items = [
        (f"service:{s.code}", t("transfer.to_service", code=s.code, name=s.name(t.lang)))
        for s in offered
    ]
    items += [
        (
            f"counter:{c.number}",
            t("transfer.to_counter", n=c.number, name=c.name, state=t(f"counter.{c.state}")),
        )
        for c in counters
        if c.active and c.state != "closed" and c.number != own_counter
    ]
    names = {f"service:{s.code}": f"{s.name_zh} {s.name_en}" for s in offered}
    return items, names
