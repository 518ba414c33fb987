"""A one-stop day: tickets for matters of different handling times share one queue.

Each ticket's matter is drawn from its service's own stream and issued through the
engine, so the estimate sees the matter (its handling time), and runs stay paired.
"""

from __future__ import annotations

from collections import Counter as Tally

from console.simulate import Counter, Day, Handling, Matter, Service, flat_rates, simulate_day

MATTERS = (
    Matter("quick", Handling("exponential", 3.0), share=0.5),
    Matter("usual", Handling("exponential", 8.0), share=0.35),
    Matter("long", Handling("exponential", 30.0), share=0.15),
)


def one_stop() -> Day:
    return Day(
        services=(Service("ONE", flat_rates(20.0, 9, 12), matters=MATTERS),),
        counters=tuple(Counter(n, ("ONE",), ((9.0, 12.0),)) for n in (1, 2, 3, 4)),
        opens=9.0,
        closes=12.0,
    )


def matter_code(engine, row, now) -> str:
    """The matter the engine stored on the new ticket (an observer: it reads the hall)."""
    return engine.conn.execute(
        "SELECT code FROM matters WHERE id = ?", (row["matter_id"],)
    ).fetchone()[0]


def test_a_one_stop_day_issues_tickets_for_matters_through_the_engine():
    run = simulate_day(one_stop(), seed=3, observers=(matter_code,))
    assert len(run.tickets) > 30
    assert all(t.observed == (t.matter,) for t in run.tickets)
    mix = Tally(t.matter for t in run.tickets)
    assert set(mix) == {"quick", "usual", "long"} and mix["quick"] > mix["long"]
    served = [t for t in run.tickets if t.finished is not None]
    mean = {m.code: [t.finished - t.called for t in served if t.matter == m.code] for m in MATTERS}
    assert sum(mean["long"]) / len(mean["long"]) > 3 * sum(mean["quick"]) / len(mean["quick"])


def test_two_runs_with_the_same_seed_are_identical():
    first, second = simulate_day(one_stop(), seed=7), simulate_day(one_stop(), seed=7)
    assert first.tickets == second.tickets and first.busy == second.busy
    assert simulate_day(one_stop(), seed=8).tickets != first.tickets


def test_matters_of_one_service_leave_another_services_citizens_as_they_were():
    other = Service("ID", flat_rates(10.0, 9, 12), Handling("exponential", 6.0))
    plain = Service("ONE", flat_rates(20.0, 9, 12), Handling("exponential", 8.8))
    counters = (
        *(Counter(n, ("ONE",), ((9.0, 12.0),)) for n in (1, 2, 3, 4)),
        Counter(5, ("ID",), ((9.0, 12.0),)),
    )
    day = one_stop().with_changes(services=(plain, other), counters=counters)
    before = simulate_day(day, seed=2)
    after = simulate_day(day.with_changes(services=(one_stop().services[0], other)), seed=2)
    assert [t for t in after.tickets if t.service == "ID"] == [
        t for t in before.tickets if t.service == "ID"
    ]
    assert {t.matter for t in after.tickets if t.service == "ONE"} == {"quick", "usual", "long"}
