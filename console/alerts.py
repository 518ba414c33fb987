"""The floor view's alerts, computed from a ``HallView``: no UI here, so they are unit-tested
with a pinned clock and the floor screen only draws them.

Six kinds, each with the moment it began, newest first:

* ``wait`` — a service's longest wait is over its target (since: oldest issue + target);
* ``idle`` — an open counter has no ticket while its services have a queue, for at least
  ``IDLE_GRACE_MIN`` (since: the later of opening and its last finished ticket);
* ``paused`` — a counter paused longer than the hall setting ``paused_alert_min``;
* ``recalled`` — a ticket called ``RECALL_LIMIT`` times or more and still not at the counter;
* ``low_position`` — a ticket needing the low-position counter (a wheelchair user) waiting
  longer than its service's target (since: its issue + target): only a few counters can
  serve it, so the manager may need to free one;
* ``printer`` — a printer's last slip today failed or went unconfirmed (a kiosk out of
  paper): someone must go to it (since: the failure; it ends when that printer prints
  again). Its detail is what became of the slip, in the reader's language (``lang``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from console.domain import HallView, reasons

IDLE_GRACE_MIN = 1.0
"""A counter between two tickets is not idle: only after this long without one."""
RECALL_LIMIT = 3
"""Recalls after which a called ticket is an alert (the citizen is probably not there)."""
KINDS = ("wait", "idle", "paused", "recalled", "low_position", "printer")


@dataclass(frozen=True)
class Alert:
    """One thing the floor manager should look at."""

    kind: str
    """wait | idle | paused | recalled | low_position | printer"""
    since: float
    """When the condition became an alert (Unix seconds); the list is newest first."""
    minutes: int
    """How long: the longest wait (wait), idle (idle), paused (paused), since called."""
    counter: int | None = None
    service: str | None = None
    ticket: str | None = None
    detail: str = ""
    """The pause reason; the waiting count of the idle counter's services; the target; what
    became of a printer's slip."""
    count: int = 0
    """Tickets waiting (wait, idle) or recalls (recalled)."""


def hall_alerts(
    view: HallView,
    now: float,
    *,
    paused_alert_min: float = 15,
    last_finished: Mapping[str, float] | None = None,
    idle_grace_min: float = IDLE_GRACE_MIN,
    recall_limit: int = RECALL_LIMIT,
    lang: str = "en",
) -> list[Alert]:
    """Every alert of ``view`` as of ``now`` (which may be later than ``view.now``), newest
    first. ``last_finished`` maps a counter number (as text) to its last finished ticket."""
    alerts: list[Alert] = []
    drift = max(0.0, now - view.now)
    waiting = {s.code: s.waiting for s in view.services}
    for s in view.services:
        longest = s.longest_wait_s + drift if s.waiting else 0.0
        if s.waiting and longest > s.target_wait_min * 60:
            oldest = now - longest
            alerts.append(Alert("wait", oldest + s.target_wait_min * 60, int(longest // 60),
                                service=s.code, detail=str(s.target_wait_min),
                                count=s.waiting))  # fmt: skip
    last_finished = last_finished or {}
    for state in view.counters:
        c = state.counter
        if not c.active:
            continue
        if c.state == "open" and state.current is None:
            codes = [code for tier in c.services for code in tier.split("+")]
            queued = sum(waiting.get(code, 0) for code in codes)
            idle_since = max(c.state_since or 0.0, last_finished.get(str(c.number), 0.0))
            if queued and idle_since and now - idle_since >= idle_grace_min * 60:
                busy = ",".join(code for code in codes if waiting.get(code))
                alerts.append(Alert("idle", idle_since, int((now - idle_since) // 60),
                                    counter=c.number, detail=busy, count=queued))  # fmt: skip
        if c.state == "paused" and c.state_since is not None:
            paused = now - c.state_since
            if paused >= paused_alert_min * 60:
                alerts.append(Alert("paused", c.state_since + paused_alert_min * 60,
                                    int(paused // 60), counter=c.number,
                                    detail=c.pause_reason or ""))  # fmt: skip
        ticket = state.current
        if ticket is not None and ticket.status == "called" and ticket.recall_count >= recall_limit:
            called = ticket.called_at or now
            alerts.append(Alert("recalled", called, int(max(0.0, now - called) // 60),
                                counter=c.number, ticket=ticket.number,
                                service=ticket.service_code,
                                count=ticket.recall_count))  # fmt: skip
    targets = {s.code: s.target_wait_min for s in view.services}
    for ticket in view.low_position_waiting:
        target = targets.get(ticket.service_code or "")
        waited = now - ticket.issued_at
        if target is not None and waited > target * 60:
            alerts.append(Alert("low_position", ticket.issued_at + target * 60,
                                int(waited // 60), service=ticket.service_code,
                                ticket=ticket.number, detail=str(target)))  # fmt: skip
    for problem in view.printer_problems:
        minutes = int(max(0.0, now - problem.since) // 60)
        said = reasons.printer_said(problem.reason, problem.error, problem.printer, lang) or ""
        # every code's sentence names the printer; an old job's words may not
        detail = said if problem.printer in said else f"{problem.printer}: {said}"
        alerts.append(Alert("printer", problem.since, minutes, ticket=problem.ticket,
                            detail=detail))  # fmt: skip
    alerts.sort(key=lambda a: (-a.since, KINDS.index(a.kind), a.counter or 0, a.service or ""))
    return alerts
