"""The desk keeps up with the hall: at once for what it shows, and without re-reading its
view for changes that are none of its business (60 desks doing so saturated the server)."""

from __future__ import annotations

from console.tui import live
from tests.conftest import ADMIN, clerk
from tests.tui.conftest import desk_app, ready, until


def counting_reads(hall) -> list[int]:
    """Count the counter views ``hall`` is asked for (the desk's re-reads)."""
    reads: list[int] = []
    read = hall.counter_view

    def counted(*args, **kwargs):
        reads.append(1)
        return read(*args, **kwargs)

    hall.counter_view = counted
    return reads


def looking_at_events(hall) -> list[int]:
    """The newest event id each of the live worker's looks at the events reached."""
    looked = [0]
    changes_since = hall.changes_since

    def recorded(*args, **kwargs):
        events = changes_since(*args, **kwargs)
        looked.append(max([looked[-1], *(e.id for e in events)]))
        return events

    hall.changes_since = recorded
    return looked


async def test_a_call_elsewhere_of_a_ticket_the_desk_lists_is_shown_at_once(desk_hall):
    """Counter 2 calls the ID queue's first ticket: desk 1 (ID) stops listing it."""
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        first = pilot.app.screen.view.next_tickets[0].number
        desk_hall.call_next(clerk("1002"), 2)

        def listed() -> list[str]:
            return [t.number for t in pilot.app.screen.view.next_tickets]

        await until(pilot, lambda: first not in listed())


async def test_the_desk_does_not_reread_for_other_queues(desk_hall, monkeypatch):
    """Desk 1 serves ID and lists 8 of its 23 waiting: a vehicle ticket issued, a passport
    finished at counter 3 and the next one called there change nothing it shows."""
    async with desk_app(desk_hall).run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        reads = counting_reads(desk_hall)
        looked = looking_at_events(desk_hall)
        desk_hall.issue(ADMIN, "VEH")
        desk_hall.issue(ADMIN, "ID")  # behind a full list: its figure waits for the next read
        desk_hall.finish(clerk("1003"), 3)
        desk_hall.call_next(clerk("1003"), 3)  # the passport queue's first
        newest = desk_hall.last_event_id()
        await until(pilot, lambda: looked[-1] >= newest, what="the desk's look at the events")
        assert reads == []
        before = pilot.app.screen.view.services
        monkeypatch.setattr(live, "CATCH_UP_S", 0.3)  # the figures catch up in the end
        await until(pilot, lambda: reads)
        await until(pilot, lambda: pilot.app.screen.view.services != before)
        waiting = {s.code: s.waiting for s in pilot.app.screen.view.services}
        assert waiting["ID"] == 24
