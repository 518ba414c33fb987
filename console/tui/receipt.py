"""The receipt's text for the screen, as the printer would print it.

The printers package lays receipts out (``printers.render.text_lines``); when
it cannot be imported or refuses the data, a plain layout from the i18n
catalog is used instead, so the clerk always sees what to hand over.
"""

from __future__ import annotations

from typing import Any

from console.domain import ServiceDef, Ticket
from console.tui.i18n import Translator


def receipt_lines(
    ticket: Ticket, service: ServiceDef | None, hall_name: str, clock: Any, lang: str
) -> list[str]:
    """The receipt of a finished ticket, line by line."""
    waited = round(ticket.waited_s(ticket.finished_at or 0) / 60)
    handling = round((ticket.handling_s(ticket.finished_at or 0) or 0) / 60)
    zh = service.name_zh if service else ticket.service_code
    en = service.name_en if service else ticket.service_code
    try:
        from printers.render import text_lines
        from printers.slips import ReceiptSlip

        slip = ReceiptSlip(
            hall_name=hall_name,
            number=ticket.number,
            service_zh=zh,
            service_en=en,
            counter=ticket.counter_number or 0,
            staff_no=ticket.clerk_staff_no or "",
            waited_min=waited,
            handling_min=handling,
            outcome=ticket.outcome or "done",
            finished_at=clock.local(ticket.finished_at),
            materials=tuple(ticket.materials),
        )
        return list(text_lines(slip))
    except Exception:  # the printer layout is optional here; fall back to plain text
        pass
    t = Translator(lang)
    lines = [
        hall_name,
        t("receipt.heading"),
        t("receipt.number", number=ticket.number),
        t("receipt.service", name=zh if t.zh else en),
        t("receipt.counter", n=ticket.counter_number or "-", staff=ticket.clerk_staff_no or "-"),
        t("receipt.outcome", outcome=t(f"outcome.{ticket.outcome or 'done'}")),
        t("receipt.times", waited=waited, handling=handling),
    ]
    if ticket.materials:
        lines.append(t("receipt.bring"))
        lines += [f"  {i}. {m}" for i, m in enumerate(ticket.materials, 1)]
    if ticket.finished_at:
        lines.append(clock.local(ticket.finished_at).strftime("%Y-%m-%d %H:%M"))
    return lines
