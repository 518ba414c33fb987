"""The estimated wait printed on a ticket, shown at reception and in the desk's queue panel.

The estimate is the expected time until a counter calls the ticket, built from what the
hall knows at that moment (measured against the simulator in ``bench/estimate.py``):

``wait = (work ahead + time to the next free counter) ÷ n``, then stretched for green
tickets that will overtake, where

* **pool** — the counters that may call this ticket: active counters serving its
  service (only the low-position ones for a wheelchair ticket), staffed now (open or
  paused), or all of them when none is (the hall is about to open);
* **n** — open counters of the pool, plus each paused one at ``PAUSED_WEIGHT``
  (a pause usually ends during the wait, but not at once);
* **work ahead** — every waiting ticket of its own queue that will be called first, at
  its service's handling time ``h``; directed tickets to pool counters; for a
  wheelchair ticket, the low-position tickets ahead of it (they go first there);
* **the tier's other services** — the older tickets of another service that a pool
  counter calls oldest first with this one are work *that counter* does first (its share
  of them: they divide among the counters that call them at least as early), not work
  the whole pool shares: a counter that calls this service first does not help with
  them. Pooled, six older passport tickets at one shared counter made an ID ticket's
  slip say 22 minutes where the ID counters would call it in 3 (``bench/estimate.py``'s
  rotating three-service hall: +18 % → +7 %, 32 days);
* **tiers** — a pool counter that calls another service *first* (a lower tier) gives
  this ticket only the time that service leaves it: the share of its time the earlier
  tiers took in the past hour is not this ticket's, and it first works down its part of
  their queue (weighted, ``EARLIER_QUEUE_WEIGHT``); the wait is when the counters'
  remaining time adds up to the work ahead (piecewise linear in the wait);
* **order** — the calling policy's: a green ticket's queue time counts
  ``green_credit_min`` earlier;
* **time to the next free counter** — one handling time of the tickets at the
  counters, so ``(ahead + 1) × h ÷ n`` when all is one service (the Erlang C
  conditional wait); 0 when an open counter of the pool is free and nobody is ahead;
* **overtaking** — green tickets issued during the wait (up to the credit) are called
  first: at the last hour's green rate ``ρg`` the wait becomes ``W ÷ (1 − ρg)``, or
  ``W + ρg × credit`` once it passes the credit;
* **h** — the *mean* handling time of the service's last ``estimate_sample`` finished
  tickets (past 7 days), each clipped at 10× their median so one forgotten ticket cannot
  inflate every estimate; the service's configured handling time below 3 tickets. A
  ticket for a matter (a one-stop hall's 事项) counts at its *matter's* handling time
  instead: the same mean over the matter's own finished tickets once it has that history
  (3 in 7 days, read through ``tickets_matter``), with the time its tickets at a desk have
  taken so far added (a new matter's long tickets are still there), else the catalogue's
  typical time for
  the matter — a matter of 30 minutes and one of 3 share a queue but not a wait.
  The mean, not the median: the wait is a sum of handling times, and the median of a
  skewed distribution is ~0.7× its mean, which made every estimate low.

Every query reads through an index (``tickets_done_recent``, ``tickets_waiting``,
``tickets_directed``, ``tickets_low_waiting``, ``tickets_green_issued``), so the
estimate costs the same on the first day and after five years of history.
"""

from __future__ import annotations

import bisect
import math
import sqlite3
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

PAUSED_WEIGHT = 0.5
"""A paused counter's share of a counter's work during the wait (measured in the simulator:
pauses of a few minutes end during most waits, but the ticket still waits for them)."""
CLIP = 10.0
"""Handling times above this many medians count as this many medians in the mean: far
enough out that clipping barely lowers the mean of ordinary skewed handling times (5×
lowered an exponential's by 3 %), near enough to tame a ticket left open over lunch."""
MAX_OVERTAKE = 0.8
"""The green load the estimate stretches for at most (beyond it the queue is not stable)."""
EARLIER_QUEUE_WEIGHT = 0.5
"""How much of an earlier tier's queue counts as work a counter does before reaching the
ticket's tier. The past hour's pace (the share of the counter's time the earlier tiers
took) already includes working such a queue down, so counting all of it again counts part
twice: measured in ``bench/estimate.py``'s tiered halls, the whole queue made estimates
7–19 % high, half of it −4 to +13 %."""
MIN_LEFT = 0.2
"""The share of the pool's counters the estimate leaves to this ticket's tier at least,
however much of their time earlier tiers take (beyond it the queue does not settle)."""


@dataclass(frozen=True)
class Estimate:
    ahead: int
    """The tickets of this ticket's own queue (its service) that will be called before it,
    green and directed ones included: the one meaning of "ahead" on the slip, at reception,
    on the queue page and in the lists, where a queue's waiting count is what a ticket
    issued now has ahead. Other services' tickets at shared counters are not people in
    this queue; they lengthen the wait, and ``seconds`` counts them."""
    seconds: float | None
    """Expected wait until called; None when no counter that may call the ticket is open
    while the hall is (a wheelchair ticket with the low-position counter closed)."""

    @property
    def minutes(self) -> int | None:
        """Whole minutes, rounded to the nearest: rounding up would add half a minute to
        every estimate, a large bias when the hall is quiet."""
        return None if self.seconds is None else math.floor(self.seconds / 60 + 0.5)


_RECENT: dict[tuple, tuple[int, float]] = {}
"""Handling means (with the count of tickets each is over) by (connection, service, newest
finished ticket, sample, hour): the mean changes only when one of the service's tickets
finishes (or, hourly, as the 7-day window moves), and every issue asks for it for each
service at its counters."""


def _recent_mean(
    conn: sqlite3.Connection, column: str, index: str, key: int, now: float, sample: int
) -> tuple[int, float] | None:
    """How many of the last ``sample`` finished tickets whose ``column`` is ``key`` in the
    past 7 days there are, and their mean handling time (clipped), read through ``index``;
    None below 3 tickets."""
    newest = conn.execute(
        f"SELECT finished_at, id FROM tickets INDEXED BY {index}"
        f" WHERE {column} = ? AND status = 'done' ORDER BY finished_at DESC LIMIT 1",
        (key,),
    ).fetchone()
    cache_key = (id(conn), column, key, *(newest or (None, None)), sample, int(now // 3600))
    if cache_key in _RECENT:
        return _RECENT[cache_key]
    count, mean = conn.execute(
        f"WITH recent AS (SELECT finished_at - served_at - parked_s AS h FROM tickets"
        f" INDEXED BY {index} WHERE {column} = ? AND status = 'done'"
        " AND finished_at > ? AND served_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?),"
        " mid AS (SELECT h FROM recent ORDER BY h LIMIT 1"
        " OFFSET (SELECT count(*) / 2 FROM recent))"
        " SELECT count(*), avg(min(h, ? * (SELECT h FROM mid))) FROM recent",
        (key, now - 7 * 86400, max(3, sample), CLIP),
    ).fetchone()
    if count < 3:
        return None
    if len(_RECENT) > 10_000:
        _RECENT.clear()
    _RECENT[cache_key] = (count, float(mean))
    return count, float(mean)


def handling_seconds(conn: sqlite3.Connection, service_id: int, now: float, sample: int) -> float:
    """Mean handling time of the service's last ``sample`` finished tickets (clipped)."""
    recent = _recent_mean(conn, "service_id", "tickets_done_recent", service_id, now, sample)
    if recent is not None:
        return recent[1]
    row = conn.execute("SELECT handling_min FROM services WHERE id = ?", (service_id,)).fetchone()
    return float(row[0]) * 60


def matter_handling_seconds(
    conn: sqlite3.Connection, matter_id: int, now: float, sample: int, at_desk: float = 0.0
) -> float:
    """A matter's handling time: the mean of its own last finished tickets once it has
    history (3 in the past 7 days), else the catalogue's typical time for it.

    ``at_desk`` is the time the matter's tickets now at a desk have taken so far; it is
    added to the finished tickets' time (their count unchanged). A matter's history is
    short when it is new, and then its long tickets are the ones still at a desk: the
    finished ones alone made a 30-minute matter look like 17–25 minutes all morning, and
    the one-stop bench's estimates 19 % low (with this, 8 %: ``bench/RESULTS.md``)."""
    recent = _recent_mean(conn, "matter_id", "tickets_matter", matter_id, now, sample)
    if recent is not None:
        count, mean = recent
        return mean + at_desk / count
    row = conn.execute("SELECT handling_min FROM matters WHERE id = ?", (matter_id,)).fetchone()
    return float(row[0]) * 60


@dataclass(frozen=True)
class Pool:
    """The counters that may call a ticket, and what they serve before reaching it."""

    counters: list[tuple[int, str]]
    """(number, state) of each."""
    before: dict[int, list[int]]
    """Per counter number, the services it calls *first* (a lower tier than the ticket's):
    their whole queue and their new arrivals go before the ticket there."""
    sharing: dict[int, int]
    """Per such service, the staffed counters that call it before reaching the ticket's
    service: its queue divides among them."""
    beside: dict[int, float]
    """Per service in the ticket's own tier (its own included), called oldest first with
    it: the share of its queue these counters take."""
    alongside: dict[int, list[int]]
    """Per counter number, the *other* services it calls in the ticket's tier, oldest first
    with it: their older tickets are work that counter does before the ticket, and only
    that counter (a counter with this service in a higher tier does not help with them)."""


def _pool(conn: sqlite3.Connection, service_id: int, low: bool) -> Pool:
    """The counters that may call the ticket: active counters serving its service (only the
    low-position ones for a wheelchair ticket), staffed ones if any is; and what each of
    them serves before it. A counter with this service in an earlier tier than another
    service leaves that one for later, so it does not share it."""
    pool = conn.execute(
        "SELECT c.id, c.number, c.state FROM counters c JOIN counter_services cs"
        " ON cs.counter_id = c.id WHERE cs.service_id = ? AND c.active = 1"
        " AND (c.low_position = 1 OR NOT ?)",
        (service_id, low),
    ).fetchall()
    staffed = [r for r in pool if r[2] in ("open", "paused")]
    if staffed:
        pool = staffed
    ids = [r[0] for r in pool]
    if not ids:
        return Pool([], {}, {}, {service_id: 1.0}, {})
    marks = ",".join("?" * len(ids))
    sharing = dict(
        conn.execute(
            "SELECT o.service_id, count(*) FROM counter_services o JOIN counters c"
            " ON c.id = o.counter_id LEFT JOIN counter_services me"
            " ON me.counter_id = o.counter_id AND me.service_id = ? WHERE c.active = 1"
            " AND (c.state IN ('open', 'paused') OR NOT ?)"
            " AND (me.tier IS NULL OR o.tier <= me.tier) GROUP BY o.service_id",
            (service_id, bool(staffed)),
        ).fetchall()
    )
    number = {r[0]: r[1] for r in pool}
    before: dict[int, list[int]] = {}
    beside: dict[int, float] = {}
    alongside: dict[int, list[int]] = {}
    for counter_id, sid, earlier in conn.execute(
        "SELECT cs.counter_id, cs.service_id, cs.tier < me.tier FROM counter_services cs"
        " JOIN counter_services me ON me.counter_id = cs.counter_id AND me.service_id = ?"
        f" WHERE cs.counter_id IN ({marks}) AND cs.tier <= me.tier",
        (service_id, *ids),
    ):
        if earlier:
            before.setdefault(number[counter_id], []).append(sid)
        else:
            beside[sid] = beside.get(sid, 0.0) + 1 / max(1, sharing.get(sid, 0))
            if sid != service_id:
                alongside.setdefault(number[counter_id], []).append(sid)
    return Pool([(r[1], r[2]) for r in pool], before, sharing, beside, alongside)


def _time_taken(conn: sqlite3.Connection, number: int, services: list[int], now: float,
                h: Any) -> float:  # fmt: skip
    """The share of counter ``number``'s time its earlier tiers took in the past hour: the
    handling of the tickets of ``services`` it finished (``tickets_done_counter``: that
    counter's hour of each, what one clerk serves, however busy the hall's day)."""
    marks = ",".join("?" * len(services))
    done = conn.execute(
        "SELECT service_id, count(*) FROM tickets INDEXED BY tickets_done_counter"
        f" WHERE counter_number = ? AND service_id IN ({marks}) AND status = 'done'"
        " AND finished_at > ? GROUP BY service_id",
        (number, *services, now - 3600),
    ).fetchall()
    return sum(count * h(sid) for sid, count in done) / 3600


def _time_to_do(work: float, counters: list[tuple[float, float]]) -> float:
    """When counters that each give ``rate`` of their time after first doing ``head`` seconds
    of other work (``(rate, head)``) have done ``work`` seconds of this ticket's tier: the
    work done by time T is the sum of max(0, rate × T − head), piecewise linear."""
    slope = offset = 0.0
    for start, rate, head in sorted(
        (head / rate, rate, head) for rate, head in counters if rate > 0
    ):
        if slope > 0 and (work + offset) / slope <= start:
            break
        slope, offset = slope + rate, offset + head
    return (work + offset) / slope if slope > 0 else math.inf


def estimate(
    conn: sqlite3.Connection,
    ticket: Mapping[str, Any],
    now: float,
    settings: dict,
    memo: dict | None = None,
) -> Estimate:
    """The expected wait of waiting ticket ``ticket`` (a ``tickets`` row) as of ``now``.

    ``memo`` (an empty dict, then passed again) shares what every ticket of one service
    has in common — its counters, the tickets at their desks, the green rate — between
    the estimates of many tickets at one moment (the citizens' open queue pages)."""
    service = ticket["service_id"]
    low = bool(ticket["low_position"])
    green = ticket["green_reason"] is not None
    credit = float(settings.get("green_credit_min") or 0) * 60
    sample = int(settings.get("estimate_sample") or 120)
    batch = memo is not None
    memo = {} if memo is None else memo
    if (service, low) not in memo:
        memo[(service, low)] = _pool(conn, service, low)
    found: Pool = memo[(service, low)]
    pool, beside = found.counters, found.beside
    staffed = any(state != "closed" for _, state in pool)
    if low and not staffed and _hall_staffed(conn, memo):
        return Estimate(_low_ahead(conn, service, ticket), None)  # nobody here may call it
    weight = {number: 1.0 if not staffed or state == "open" else PAUSED_WEIGHT
              for number, state in pool}  # fmt: skip
    n = max(0.5, sum(weight.values()))
    numbers = set(weight)
    served = sorted(beside)
    handling: dict[tuple[int, int | None], float] = {}

    def h(sid: int, matter: int | None = None) -> float:
        """A ticket's expected handling: its matter's, else its service's."""
        if (sid, matter) not in handling:
            handling[sid, matter] = (
                handling_seconds(conn, sid, now, sample)
                if matter is None
                else matter_handling_seconds(conn, matter, now, sample, so_far.get(matter, 0.0))
            )
        return handling[sid, matter]

    if "desks" not in memo:
        memo["desks"] = conn.execute(
            "SELECT service_id, counter_number, matter_id,"
            " coalesce(? - served_at - parked_s, 0) FROM tickets"
            " WHERE status IN ('called', 'serving')",
            (now,),
        ).fetchall()
    so_far: Counter[int] = Counter()  # the time each matter's tickets at a desk have taken
    for r in memo["desks"]:
        if r[2] is not None:
            so_far[r[2]] += max(0.0, r[3])
    at_desks = [(r[0], r[2]) for r in memo["desks"] if r[1] in numbers]
    ahead, work = 0, 0.0  # ahead: this queue's tickets only (see Estimate.ahead)
    older: dict[int, float] = {}  # per other service of the tier: its older tickets' work
    if numbers:
        marks = ",".join("?" * len(numbers))
        directed = conn.execute(
            "SELECT service_id, matter_id FROM tickets INDEXED BY tickets_directed"
            " WHERE status = 'waiting' AND day = ?"
            f" AND directed_counter IN ({marks}) AND queued_at <= ? AND id != ?",
            (ticket["day"], *numbers, ticket["queued_at"], ticket["id"]),
        ).fetchall()
        ahead += sum(1 for r in directed if r[0] == service)
        work += sum(h(r[0], r[1]) for r in directed)
    if low:
        marks = ",".join("?" * len(served))
        rows = conn.execute(
            "SELECT service_id, matter_id FROM tickets INDEXED BY tickets_low_waiting"
            " WHERE status = 'waiting' AND low_position = 1"
            f" AND day = ? AND directed_counter IS NULL AND service_id IN ({marks})"
            " AND queued_at <= ? AND id != ?",
            (ticket["day"], *served, ticket["queued_at"], ticket["id"]),
        ).fetchall()
        ahead += sum(1 for r in rows if r[0] == service)
        work += sum(h(r[0], r[1]) for r in rows)
    else:
        mine = ticket["queued_at"] - (credit if green else 0.0)
        for sid in beside:
            if batch:
                count, seconds = _ahead_in_queue(conn, memo, sid, ticket, mine, credit, h)
            else:
                count, seconds = _ahead_alone(conn, sid, ticket, mine, credit, h)
            if sid == service:
                ahead, work = ahead + count, work + seconds * beside[sid]
            else:
                older[sid] = seconds / max(1, found.sharing.get(sid, 0))
    if (
        not work
        and not any(older.values())
        and len(at_desks) < sum(1 for _, state in pool if state == "open")
    ):
        return Estimate(ahead, 0.0)
    own = dict(ticket).get("matter_id")  # (a new ticket's figures have no matter)
    first = statistics.fmean(h(s, m) for s, m in at_desks) if at_desks else h(service, own)
    if ("tiers", service, low) not in memo:  # what earlier tiers keep each counter doing
        whole = now + 86400  # queued before then: all of it
        queues = {
            sid: _ahead_alone(conn, sid, ticket, whole, credit, h)[1]
            for sid in {s for services in found.before.values() for s in services}
        }
        memo[("tiers", service, low)] = [
            (
                weight[c] * (1 - min(1 - MIN_LEFT, _time_taken(conn, c, found.before[c], now, h))),
                EARLIER_QUEUE_WEIGHT
                * sum(queues[s] / max(1, found.sharing.get(s, 0)) for s in found.before[c]),
            )
            if c in found.before
            else (weight[c], 0.0)
            for c in weight
        ]  # fmt: skip
    tiers = [
        (rate, head + sum(older.get(s, 0.0) for s in found.alongside.get(c, ())))
        for c, (rate, head) in zip(weight, memo[("tiers", service, low)], strict=True)
    ]
    n = sum(rate for rate, _ in tiers) or n
    wait = _time_to_do(work + first, tiers) if tiers else (work + first) / n
    if not green:
        if ("green", service, low) not in memo:
            memo[("green", service, low)] = sum(
                conn.execute(
                    "SELECT count(*) FROM tickets INDEXED BY tickets_green_issued"
                    " WHERE service_id = ? AND green_reason IS NOT NULL"
                    " AND issued_at > ?",
                    (sid, now - 3600),
                ).fetchone()[0]
                * h(sid)
                * beside.get(sid, 0.0)
                for sid in served
            )
        rate = memo[("green", service, low)]
        rho = min(MAX_OVERTAKE, rate / 3600 / n)
        stretched = wait / (1 - rho)
        wait = stretched if not credit or stretched <= credit else wait + rho * credit
    return Estimate(ahead, wait)


def _hall_staffed(conn: sqlite3.Connection, memo: dict) -> bool:
    """Whether any counter of the hall is open or paused (before opening, none is)."""
    if "hall_staffed" not in memo:
        memo["hall_staffed"] = bool(conn.execute(
            "SELECT 1 FROM counters WHERE active = 1 AND state IN ('open', 'paused') LIMIT 1"
        ).fetchone())  # fmt: skip
    return memo["hall_staffed"]


def _low_ahead(conn: sqlite3.Connection, service: int, ticket: Mapping[str, Any]) -> int:
    """The wheelchair tickets of the queue that go first at the low-position counters."""
    return conn.execute(
        "SELECT count(*) FROM tickets INDEXED BY tickets_low_waiting"
        " WHERE status = 'waiting' AND low_position = 1 AND day = ? AND directed_counter IS NULL"
        " AND service_id = ? AND queued_at <= ? AND id != ?",
        (ticket["day"], service, ticket["queued_at"], ticket["id"]),
    ).fetchone()[0]


def _ahead_alone(conn: sqlite3.Connection, sid: int, ticket: Mapping[str, Any], mine: float,
                 credit: float, h: Any) -> tuple[int, float]:  # fmt: skip
    """The tickets ahead of ``ticket`` in service ``sid``'s queue and their handling seconds.

    A ticket for a matter counts at its matter's handling time; only a one-stop hall has
    them, so elsewhere this is the one count it always was."""
    where = (
        " FROM tickets INDEXED BY tickets_waiting WHERE status = 'waiting'"
        " AND service_id = ? AND queued_at <= ? AND day = ? AND directed_counter IS NULL"
        " AND id != ? AND (green_reason IS NOT NULL OR queued_at <= ?)"
    )
    params = (sid, mine + credit, ticket["day"], ticket["id"], mine)
    count, with_matter = conn.execute(
        "SELECT count(*), count(matter_id)" + where, params
    ).fetchone()
    matters = (
        Counter(r[0] for r in conn.execute(
            "SELECT matter_id" + where + " AND matter_id IS NOT NULL", params))
        if with_matter else Counter()
    )  # fmt: skip
    seconds = (count - with_matter) * h(sid) + sum(n * h(sid, mid) for mid, n in matters.items())
    return count, seconds


def _ahead_in_queue(conn: sqlite3.Connection, memo: dict, sid: int, ticket: Mapping[str, Any],
                    mine: float, credit: float, h: Any) -> tuple[int, float]:  # fmt: skip
    """The ahead query of :func:`estimate` for many tickets at once: the service's undirected
    waiting tickets are read once (queue times, green or not, matter) and counted by
    bisection, their handling seconds summed once as running totals. Returns the count ahead
    and its handling seconds."""
    key = ("queue", sid, ticket["day"])
    if key not in memo:
        rows = conn.execute(
            "SELECT id, queued_at, green_reason IS NOT NULL, matter_id FROM tickets"
            " INDEXED BY tickets_waiting WHERE status = 'waiting' AND service_id = ? AND day = ?"
            " AND directed_counter IS NULL",
            (sid, ticket["day"]),
        ).fetchall()

        def line(green: bool) -> tuple[list[float], list[float]]:
            queue = sorted(((q, m) for _, q, g, m in rows if bool(g) == green), key=lambda r: r[0])
            seconds = accumulate((h(sid, m) for _, m in queue), initial=0.0)
            return [q for q, _ in queue], list(seconds)

        memo[key] = (*line(True), *line(False), {i: (q, bool(g), m) for i, q, g, m in rows})
    greens, green_s, others, other_s, by_id = memo[key]
    g, o = bisect.bisect_right(greens, mine + credit), bisect.bisect_right(others, mine)
    count, seconds = g + o, green_s[g] + other_s[o]
    own = by_id.get(ticket["id"])
    if own is not None and own[0] <= (mine + credit if own[1] else mine):
        count, seconds = count - 1, seconds - h(sid, own[2])  # the ticket itself
    return count, seconds


def for_new_ticket(
    conn: sqlite3.Connection, service_id: int, day: str, now: float, settings: dict
) -> Estimate:
    """What a normal ticket of the service issued now would be told (the desk's queue panel)."""
    ticket = {
        "id": 0,
        "day": day,
        "service_id": service_id,
        "low_position": 0,
        "green_reason": None,
        "queued_at": now,
    }
    return estimate(conn, ticket, now, settings)
