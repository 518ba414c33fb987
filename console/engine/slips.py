"""A stored ticket as the slip a printer prints: a ticket slip (people ahead and the
estimate as of now) or a receipt (waited and handling minutes), rendered for the printer it
goes to. Reads only; the print jobs' writes are the print-jobs room's
(:mod:`console.engine.print_jobs`)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from console.engine import estimate
from console.engine.clock import Clock
from console.engine.core import DEFAULT_SETTINGS
from printers import Lang, PrinterConfig, ReceiptSlip, TicketSlip, render


def _settings(conn: sqlite3.Connection) -> dict[str, Any]:
    stored = {
        r["key"]: json.loads(r["value"]) for r in conn.execute("SELECT key, value FROM settings")
    }
    return {**DEFAULT_SETTINGS, **stored}


PUBLIC_PAGES = {"qr_url_template": "/t/{code}", "feedback_url_template": "/f/{code}"}
"""Where a slip's QR leads when its template is unset: the hall server's page of that
ticket (its queue page, its rating page) under the ``public_url`` setting."""


def _url(settings: dict[str, Any], name: str, ticket: sqlite3.Row, kind: str) -> str | None:
    """A QR address from the template setting ``name`` with {code}, {id}, {number}, {day},
    {kind}; by default the ticket's public page; None when unset, bad, or the ticket has no
    code (issued before public pages existed) but the template needs one."""
    template = str(settings.get(name) or "")
    if not template and settings.get("public_url"):
        template = str(settings["public_url"]).rstrip("/") + PUBLIC_PAGES[name]
    if not template:
        return None
    code = ticket["public_code"]
    if code is None and "{code}" in template:
        return None
    try:
        return template.format(
            code=code, id=ticket["id"], number=ticket["number"], day=ticket["day"], kind=kind
        )
    except (KeyError, IndexError, ValueError):
        return None


def build_slip(conn: sqlite3.Connection, clock: Clock, ticket_id: int, kind: str):
    """The TicketSlip or ReceiptSlip of a stored ticket, as of now."""
    ticket = conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    if ticket is None:
        raise LookupError(f"ticket #{ticket_id} does not exist")
    service = conn.execute(
        "SELECT * FROM services WHERE id = ?", (ticket["service_id"],)
    ).fetchone()
    settings = _settings(conn)
    service_zh, service_en = service["name_zh"], service["name_en"]
    if ticket["matter_id"] is not None:  # a one-stop hall: the matter, in its queue
        matter = conn.execute(
            "SELECT name_zh, name_en FROM matters WHERE id = ?", (ticket["matter_id"],)
        ).fetchone()
        service_zh = f"{matter['name_zh']}（{service_zh}）"
        if matter["name_en"] and matter["name_en"] != matter["name_zh"]:
            service_en = f"{matter['name_en']} ({service_en})"
        # else: no English name of its own (the catalogue then keeps the Chinese one there):
        # the English line names the queue only, so a 58 mm slip does not print it twice
    common = {
        "hall_name": str(settings.get("hall_name") or ""),
        "number": ticket["number"],
        "service_zh": service_zh,
        "service_en": service_en,
    }
    if kind == "ticket":
        ahead, minutes = 0, 0
        if ticket["status"] == "waiting":
            expected = estimate.estimate(conn, ticket, clock.now(), settings)
            ahead, minutes = expected.ahead, expected.minutes
        return TicketSlip(
            **common,
            issued_at=clock.local(ticket["issued_at"]).replace(tzinfo=None),
            ahead=ahead,
            estimated_wait_min=minutes,
            green_reason=ticket["green_reason"],
            qr_url=_url(settings, "qr_url_template", ticket, "ticket"),
            footer=settings.get("ticket_footer") or None,
        )
    called = ticket["called_at"] or ticket["served_at"] or ticket["finished_at"]
    served = ticket["served_at"] or ticket["called_at"]
    finished = ticket["finished_at"] or clock.now()
    waited = round(((called or finished) - ticket["issued_at"]) / 60)
    handling = round((finished - served) / 60) if served else 0
    # only a feedback address goes under "rate our service": never the ticket's own page
    return ReceiptSlip(
        **common,
        counter=ticket["counter_number"] or 0,
        staff_no=ticket["clerk_staff_no"] or "",
        waited_min=max(0, waited),
        handling_min=max(0, handling),
        outcome=ticket["outcome"] or "done",
        finished_at=clock.local(finished).replace(tzinfo=None),
        materials=tuple(json.loads(ticket["materials"] or "[]")),
        feedback_url=_url(settings, "feedback_url_template", ticket, "receipt"),
        next_step=settings.get("receipt_next_step") or None,
    )


def printer_config(
    conn: sqlite3.Connection, name: str, settings: dict[str, Any] | None = None
) -> PrinterConfig:
    """The printer row as the printers package wants it (LookupError when removed)."""
    row = conn.execute("SELECT * FROM printers WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise LookupError(f"printer {name} is not set up (removed?)")
    settings = settings if settings is not None else _settings(conn)
    lang = str(settings.get("print_lang") or "both")
    return PrinterConfig.from_record(
        dict(row), lang=Lang(lang) if lang in ("zh", "en", "both") else Lang.BOTH
    )


def render_job(
    conn: sqlite3.Connection, clock: Clock, job: dict[str, Any]
) -> tuple[dict[str, Any], bytes]:
    """A claimed job's printer (its stored row) and the slip's bytes, from the stored ticket
    as of now (LookupError, PrinterError or ValueError when it cannot be rendered)."""
    config = printer_config(conn, job["printer"] or "")
    data = render(build_slip(conn, clock, job["ticket_id"], job["kind"]), config.render_options())
    row = conn.execute("SELECT * FROM printers WHERE name = ?", (job["printer"],)).fetchone()
    return dict(row), data
