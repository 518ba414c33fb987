"""The calling policy: which waiting ticket a counter takes next. Written once, here.

For counter C, among today's waiting tickets C may serve:

1. **Directed tickets** — transferred to C itself — come first, oldest first.
2. **Low-position tickets** (a wheelchair user) of C's services come next at a
   low-position counter, oldest first: only those counters can serve them, so they
   must not wait behind everyone else there.
3. **Everyone else** by the counter's service order: services are in tiers
   (``counters add 1 --services ID+PP,RES`` puts ID and PP in tier 1, RES in
   tier 2); a lower tier is emptied first, and within a tier the oldest ticket
   (by queue time, which a transfer keeps) goes first.
4. **Green-channel tickets** (elderly, disabled, pregnant, sick, urgent) of any of
   C's services join rule 3 with a **queue-time credit**: they queue as if issued
   ``green_credit_min`` minutes (default 20) earlier. A green ticket overtakes only
   the tickets issued less than the credit before it, so no normal ticket is pushed
   back by more than the green work arriving within the credit, however many green
   cases come. With the hall setting ``green_designated_only`` the credit applies
   only at green-channel counters; elsewhere green tickets queue by issue time like
   everyone else, so they are never stranded.

Anti-starvation, as well: after ``green_streak_limit`` green-channel calls in a row
at a counter (default 3), its next call gives no credit. With a credit it rarely acts:
green tickets wait so little that a counter seldom finds one first three calls running
(at 10 % and at 40 % green, limits 3 and 20 give the same waits); a limit of 1 acts at
40 % green (bench/RESULTS.md).

The figures behind the default credit are in bench/RESULTS.md (the fairness table).

Which tickets C may serve: those directed to C, and undirected tickets of C's
services; a ticket needing the low-position counter (wheelchair) only at a
low-position counter.
"""

from __future__ import annotations

import sqlite3

from console.engine.ticket_select import TICKET_SELECT


def green_first(counter: sqlite3.Row, settings: dict) -> bool:
    """Whether green tickets get their credit at this counter's next call."""
    if settings["green_designated_only"] and not counter["green_channel"]:
        return False
    return counter["green_streak"] < settings["green_streak_limit"]


def counter_tiers(conn: sqlite3.Connection, counter_id: int) -> dict[int, list[int]]:
    """The services a counter calls, by tier (lowest first): ``{tier: [service id, ...]}``."""
    tiers: dict[int, list[int]] = {}
    for row in conn.execute(
        "SELECT service_id, tier FROM counter_services WHERE counter_id = ? ORDER BY tier",
        (counter_id,),
    ):
        tiers.setdefault(row["tier"], []).append(row["service_id"])
    return tiers


DIRECTED, LOW, GREEN, TIER = 0, 1, 2, 3
"""Which rule's query a candidate row came from (``TIER + i`` for the i-th tier)."""


def calling_order(
    conn: sqlite3.Connection,
    counter: sqlite3.Row,
    day: str,
    settings: dict,
    limit: int = 1,
    green: bool | None = None,
    tiers: dict[int, list[int]] | None = None,
) -> list[sqlite3.Row]:
    """The next ``limit`` tickets counter ``counter`` would call, in order.

    Each rule is its own query that an index answers in queue order (directed:
    ``tickets_directed``; low-position: ``tickets_low_waiting``; green:
    ``tickets_green_waiting``; each service of a tier: ``tickets_waiting``), so the cost
    does not grow with the queue; the queries go to SQLite as one statement (a UNION ALL
    of them, each row tagged with its rule), and the green and tier streams are merged
    here. ``tiers`` are the counter's services by tier when the caller knows them.
    """
    if tiers is None:
        tiers = counter_tiers(conn, counter["id"])
    everyone = [sid for ids in tiers.values() for sid in ids]
    # The unary '+' keeps SQLite off the other indexes (day, service, directed) so that each
    # rule reads its own partial index in queue order, without a sort and without reading
    # every waiting ticket to find the few green-channel ones.
    base = TICKET_SELECT + " WHERE t.status = 'waiting' AND +t.day = ?"
    order = " ORDER BY t.queued_at, t.id LIMIT ?"
    parts = [(DIRECTED, base + " AND t.directed_counter = ?" + order,
              (day, counter["number"], limit))]  # fmt: skip
    # A low-position ticket may also be among the greens and the tiers' heads: fetching
    # twice the limit there leaves ``limit`` after those already taken.
    more = 2 * limit
    marks = ",".join("?" * len(everyone))
    undirected = " AND +t.directed_counter IS NULL AND (t.low_position = 0 OR ?)"
    low = counter["low_position"]
    greens_used = green_first(counter, settings) if green is None else green
    if everyone:
        if low:
            low_index = TICKET_SELECT.replace(
                "tickets t", "tickets t INDEXED BY tickets_low_waiting"
            )
            parts.append((LOW, low_index + " WHERE t.status = 'waiting' AND t.day = ?"
                          " AND t.low_position = 1 AND t.directed_counter IS NULL"
                          f" AND t.service_id IN ({marks})" + order,
                          (day, *everyone, limit)))  # fmt: skip
        if greens_used:
            parts.append((GREEN, base + " AND t.green_reason IS NOT NULL" + undirected
                          + f" AND +t.service_id IN ({marks})" + order,
                          (day, low, *everyone, more)))  # fmt: skip
        normal = base + undirected + (" AND t.green_reason IS NULL" if greens_used else "")
        for i, (_, services) in enumerate(sorted(tiers.items())):
            parts.extend((TIER + i, normal + " AND t.service_id = ?" + order,
                          (day, low, sid, more)) for sid in services)  # fmt: skip
    sql = " UNION ALL ".join(f"SELECT {rule} AS rule, * FROM ({q})" for rule, q, _ in parts)
    found: dict[int, list[sqlite3.Row]] = {}
    for row in conn.execute(sql, [p for _, _, args in parts for p in args]):
        found.setdefault(row["rule"], []).append(row)

    picked: list[sqlite3.Row] = []
    seen: set[int] = set()

    def take(rows: list[sqlite3.Row]) -> None:
        for row in rows:
            if row["id"] not in seen and len(picked) < limit:
                seen.add(row["id"])
                picked.append(row)

    take(found.get(DIRECTED, []))
    if not everyone or len(picked) >= limit:
        return picked
    take(found.get(LOW, []))
    greens = found.get(GREEN, [])
    credit = float(settings.get("green_credit_min") or 0) * 60
    queues = [
        sorted(found.get(TIER + i, []), key=lambda r: (r["queued_at"], r["id"]))
        for i in range(len(tiers))
    ]
    g = 0
    while len(picked) < limit:
        while g < len(greens) and greens[g]["id"] in seen:
            g += 1
        head = None
        for queue in queues:
            while queue and queue[0]["id"] in seen:
                queue.pop(0)
            if queue:
                head = queue[0]
                break
        if g < len(greens) and (
            head is None
            or (greens[g]["queued_at"] - credit, greens[g]["id"]) <= (head["queued_at"], head["id"])
        ):
            take([greens[g]])
        elif head is not None:
            take([head])
        else:
            break
    return picked


def next_ticket(
    conn: sqlite3.Connection,
    counter: sqlite3.Row,
    day: str,
    settings: dict,
    tiers: dict[int, list[int]] | None = None,
) -> sqlite3.Row | None:
    """The ticket call-next takes, with the anti-starvation rule applied."""
    rows = calling_order(conn, counter, day, settings, tiers=tiers)
    return rows[0] if rows else None
