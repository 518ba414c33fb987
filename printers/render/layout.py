"""A slip as a list of blocks, shared by the text and the raster renderer.

The layout decides what is printed and in which order and emphasis; the
renderers decide how (printer font or drawn image) and where lines break. A
``Text`` with ``fit=True`` is printed in the largest size that fits the paper:
the ticket number.
"""

from __future__ import annotations

from dataclasses import dataclass

from printers.labels import GREEN_REASONS, NEXT_STEPS, OUTCOMES, label, lookup
from printers.slips import Lang, ReceiptSlip, Slip, TicketSlip

MAX_MUL = 8
"""Largest character multiplier of GS ! (8 x 8)."""


@dataclass(frozen=True)
class Text:
    """A paragraph; wrapped by the renderer."""

    text: str
    w: int = 1
    """Width multiplier, 1-8."""
    h: int = 1
    """Height multiplier, 1-8."""
    align: str = "left"
    bold: bool = False
    invert: bool = False
    fit: bool = False
    """Use the largest equal multiplier that fits on one line (ignores w and h)."""


@dataclass(frozen=True)
class Rule:
    """A horizontal line across the paper."""


@dataclass(frozen=True)
class QR:
    """A QR code, centred."""

    data: str


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1


Block = Text | Rule | QR | Feed

TIME_FORMAT = "%Y-%m-%d %H:%M"


def _kv(key: str, value: str, lang: Lang, *, bold: bool = False, h: int = 1) -> Text:
    colon = "：" if lang is Lang.ZH else ": "
    return Text(f"{label(key, lang)}{colon}{value}", bold=bold, h=h)


def _service(slip: TicketSlip | ReceiptSlip, lang: Lang, w: int, h: int) -> list[Block]:
    if lang is Lang.EN:
        return [Text(slip.service_en, w=w, h=h, align="center", bold=True)]
    blocks: list[Block] = [Text(slip.service_zh, w=w, h=h, align="center", bold=True)]
    if lang is Lang.BOTH and slip.service_en:
        blocks.append(Text(slip.service_en, align="center"))
    return blocks


def ticket_blocks(slip: TicketSlip, lang: Lang = Lang.BOTH) -> list[Block]:
    """The ticket: hall, number at full size, service, green mark, queue, time, QR, footer."""
    blocks: list[Block] = [
        Text(slip.hall_name, h=2, align="center", bold=True),
        Text(label("ticket_title", lang), align="center"),
        Rule(),
        Text(slip.number, align="center", bold=True, fit=True),
        *_service(slip, lang, 2, 2),
    ]
    if slip.green_reason:
        reason = slip.green_reason
        zh_mark = f" {label('green', Lang.ZH)} · {lookup(GREEN_REASONS, reason, Lang.ZH)} "
        en_mark = f" {label('green', Lang.EN)} · {lookup(GREEN_REASONS, reason, Lang.EN)} "
        first = en_mark if lang is Lang.EN else zh_mark
        blocks.append(Text(first, align="center", bold=True, invert=True))
        if lang is Lang.BOTH:
            blocks.append(Text(en_mark.strip(), align="center"))
    blocks += [
        Rule(),
        _kv("ahead", label("people", lang, n=slip.ahead), lang, bold=True),
        _kv(
            "wait",
            label("minutes_about", lang, n=slip.estimated_wait_min)
            if slip.estimated_wait_min is not None
            else label("low_counter_closed", lang),
            lang,
        ),
        _kv("issued", slip.issued_at.strftime(TIME_FORMAT), lang),
    ]
    if slip.qr_url:
        blocks += [QR(slip.qr_url), Text(label("scan_ticket", lang, sep="\n"), align="center")]
    footer = slip.footer if slip.footer is not None else label("footer", lang, sep="\n")
    if footer:
        blocks += [Rule(), Text(footer, align="center")]
    return blocks


def receipt_blocks(slip: ReceiptSlip, lang: Lang = Lang.BOTH) -> list[Block]:
    """The receipt: what happened at which counter, by which staff number, what comes next."""
    blocks: list[Block] = [
        Text(slip.hall_name, h=2, align="center", bold=True),
        Text(label("receipt_title", lang), align="center"),
        Rule(),
        _kv("number", slip.number, lang, bold=True, h=2),
        _kv("service", slip.service_en if lang is Lang.EN else slip.service_zh, lang),
    ]
    if lang is Lang.BOTH and slip.service_en:
        blocks.append(Text(slip.service_en, align="right"))
    blocks += [
        _kv("counter", str(slip.counter), lang),
        _kv("staff", slip.staff_no, lang),
        _kv("waited", label("minutes", lang, n=slip.waited_min), lang),
        _kv("handling", label("minutes", lang, n=slip.handling_min), lang),
        _kv("outcome", lookup(OUTCOMES, slip.outcome, lang, sep="\n"), lang, bold=True),
    ]
    if slip.materials:
        blocks += [Rule(), Text(label("bring", lang, sep="\n"), bold=True)]
        blocks += [Text(f"{i}. {item}") for i, item in enumerate(slip.materials, 1)]
    next_step = slip.next_step
    if next_step is None and slip.outcome in NEXT_STEPS:
        next_step = lookup(NEXT_STEPS, slip.outcome, lang, sep="\n")
    blocks.append(Rule())
    if next_step:
        blocks += [Text(label("next", lang), bold=True), Text(next_step)]
    blocks.append(_kv("finished", slip.finished_at.strftime(TIME_FORMAT), lang))
    if slip.feedback_url:
        blocks += [QR(slip.feedback_url), Text(label("rate", lang, sep="\n"), align="center")]
    return blocks


def blocks_for(slip: Slip, lang: Lang = Lang.BOTH) -> list[Block]:
    """The blocks of a ticket or a receipt."""
    if isinstance(slip, TicketSlip):
        return ticket_blocks(slip, lang)
    if isinstance(slip, ReceiptSlip):
        return receipt_blocks(slip, lang)
    raise TypeError(f"not a slip: {type(slip).__name__}")
