"""The floor view: the manager login, every action (recorded under the manager's staff
number) and every alert, driven by keys and by the pinned clock."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from console.tui.dialogs import ConfirmDialog, PickDialog
from console.tui.screens.floor import FloorScreen
from console.tui.screens.hall_login import HallLoginScreen
from tests.conftest import clerk
from tests.screens.conftest import MANAGER, loaded, plain, station_app, until


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def last_event(hall):
    return hall.changes_since(hall.last_event_id() - 1)[-1]


async def select_counter(pilot, number: int) -> None:
    table = pilot.app.screen.query_one("#floor-counters", DataTable)
    table.focus()
    row = [r.key.value for r in table.ordered_rows].index(str(number))
    table.move_cursor(row=row)
    await pilot.pause()


def floor_app(hall, **kwargs):
    return station_app(hall, "floor", actor=MANAGER, **kwargs)


def a_waiting_ticket(hall, green: bool = False):
    return next(t for t in hall.list_tickets(status="waiting") if t.green == green)


async def pick(pilot, typed: str) -> None:
    """Answer the open pick dialog by typing ``typed`` and Enter."""
    await until(pilot, lambda: isinstance(pilot.app.screen, PickDialog))
    dialog = pilot.app.screen
    await pilot.press(*typed, "enter")
    await until(pilot, lambda: pilot.app.screen is not dialog)


async def test_a_manager_logs_in_to_the_floor(desk_hall):
    async with station_app(desk_hall, "floor").run_test(size=(120, 40)) as pilot:
        assert isinstance(pilot.app.screen, HallLoginScreen)
        assert "floor view login" in text(pilot.app, "#login-title")
        await pilot.press(*"9001", "enter", *"1234", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, FloorScreen))
        await loaded(pilot)
        assert pilot.app.screen.actor.staff_no == "9001"
        assert "Floor" in text(pilot.app, "#header")
        assert desk_hall.counter_view(1).counter.state == "closed"  # no counter was opened


async def test_a_clerk_is_refused_plainly(desk_hall):
    async with station_app(desk_hall, "floor").run_test(size=(120, 40)) as pilot:
        await pilot.press(*"1001", "enter", *"1234", "enter")
        await until(pilot, lambda: "manager role" in text(pilot.app, "#login-error"))
        assert "The floor view needs the manager role; 1001 is a clerk" in text(
            pilot.app, "#login-error"
        )
        assert isinstance(pilot.app.screen, HallLoginScreen)
        assert desk_hall.counter_view(1).counter.state == "closed"


async def test_every_counter_and_service_at_a_glance(desk_hall):
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        table = pilot.app.screen.query_one("#floor-counters", DataTable)
        rows = {r.key.value: [str(c) for c in table.get_row(r.key)] for r in table.ordered_rows}
        assert rows["3"][1:4] == ["serving", "张敏", "B003"]
        assert rows["7"][1] == "paused 5m: 午休 lunch"
        assert rows["1"][1] == "closed"
        services = pilot.app.screen.query_one("#floor-services", DataTable)
        id_row = [str(c) for c in services.get_row("ID")]
        assert id_row[0] == "ID ID card ▸" and id_row[2].endswith("▲")  # over its target
        # ▸: the queue calls matters of the catalogue (Enter shows their departments)
        green = pilot.app.screen.query_one("#floor-green", DataTable)
        assert [str(green.get_row(r.key)[0]) for r in green.ordered_rows] == [
            t.number for t in desk_hall.hall_view().green_waiting
        ]


async def test_open_a_counter(desk_hall):
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await select_counter(pilot, 1)
        await pilot.press("o")
        await until(pilot, lambda: "Counter opened" in text(pilot.app, "#status"))
        assert desk_hall.counter_view(1).counter.state == "open"
        event = last_event(desk_hall)
        assert (event.kind, event.actor, event.counter_number) == ("counter.opened", "9001", 1)


async def test_pause_and_resume_a_counter(desk_hall):
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await select_counter(pilot, 2)
        await pilot.press("z")
        await pick(pilot, "meeting")
        await until(pilot, lambda: desk_hall.counter_view(2).counter.state == "paused")
        assert desk_hall.counter_view(2).counter.pause_reason == "meeting"
        assert (last_event(desk_hall).kind, last_event(desk_hall).actor) == (
            "counter.paused",
            "9001",
        )
        await until(pilot, lambda: "paused 0m: meeting" in str(
            pilot.app.screen.query_one("#floor-counters", DataTable).get_row("2")[1]))  # fmt: skip
        await pilot.press("z")
        await until(pilot, lambda: desk_hall.counter_view(2).counter.state == "open")
        assert last_event(desk_hall).kind == "counter.resumed"


async def test_close_a_counter_asks_first(desk_hall):
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await select_counter(pilot, 4)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("n")
        await pilot.pause()
        assert desk_hall.counter_view(4).counter.state == "open"
        await pilot.press("w")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: desk_hall.counter_view(4).counter.state == "closed")
        assert (last_event(desk_hall).kind, last_event(desk_hall).actor) == (
            "counter.closed",
            "9001",
        )


async def test_a_refusal_is_a_status_line(desk_hall):
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await select_counter(pilot, 3)  # serving B003
        await pilot.press("w")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: "still has B003" in text(pilot.app, "#status"))
        assert isinstance(pilot.app.screen, FloorScreen)
        assert desk_hall.counter_view(3).counter.state == "open"


async def test_move_a_ticket_to_the_green_channel(desk_hall):
    ticket = a_waiting_ticket(desk_hall)
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("g")
        await pick(pilot, ticket.number)
        await pick(pilot, "elderly")
        await until(pilot, lambda: desk_hall.get_ticket(ticket.number).green)
        assert desk_hall.get_ticket(ticket.number).green_reason == "elderly"
        assert (last_event(desk_hall).kind, last_event(desk_hall).actor) == (
            "green_flagged",
            "9001",
        )
        green = pilot.app.screen.query_one("#floor-green", DataTable)
        await until(pilot, lambda: str(ticket.id) in [r.key.value for r in green.ordered_rows])


async def test_move_a_ticket_to_another_service(desk_hall):
    ticket = next(t for t in desk_hall.list_tickets(status="waiting") if t.service_code == "ID")
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("t")
        await pick(pilot, ticket.number)
        await pick(pilot, "service:PP")
        await until(pilot, lambda: desk_hall.get_ticket(ticket.number).service_code == "PP")
        event = last_event(desk_hall)
        assert (event.kind, event.actor) == ("transferred", "9001")
        assert f"{ticket.number} transferred to PP (Passport" in text(pilot.app, "#status")


async def test_move_a_ticket_to_a_counter(desk_hall):
    ticket = a_waiting_ticket(desk_hall)
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("t")
        await pick(pilot, ticket.number)
        await pick(pilot, "counter:5")
        await until(pilot, lambda: desk_hall.get_ticket(ticket.number).directed_counter == 5)
        assert last_event(desk_hall).actor == "9001"
        await until(pilot, lambda: "transferred to counter 5" in text(pilot.app, "#status"))


async def test_a_parked_ticket_and_its_reason_are_on_the_floor(desk_hall):
    busy = next(c for c in desk_hall.hall_view().counters if c.current is not None)
    number = busy.counter.number
    parked = desk_hall.park(clerk(busy.counter.clerk_staff_no), number, reason="补拍照片")
    async with floor_app(desk_hall, lang="zh-CN").run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        table = pilot.app.screen.query_one("#floor-counters", DataTable)
        row = table.get_row(f"{number}/{parked.id}")
        assert (str(row[1]), str(row[3])) == ("补拍照片", parked.number)  # 80 columns: the reason
        keys = [r.key.value for r in table.ordered_rows]
        table.move_cursor(row=keys.index(f"{number}/{parked.id}"))
        assert pilot.app.screen._selected().counter.number == number  # acts on its counter


async def test_cancel_a_ticket_asks_first(desk_hall):
    ticket = a_waiting_ticket(desk_hall)
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("k")
        await pick(pilot, ticket.number)
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: desk_hall.get_ticket(ticket.number).status == "cancelled")
        assert (last_event(desk_hall).kind, last_event(desk_hall).actor) == ("cancelled", "9001")


async def test_the_ticket_list_offers_the_waiting_ones(desk_hall):
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("k")
        await until(pilot, lambda: isinstance(pilot.app.screen, PickDialog))
        values = {value for value, _ in pilot.app.screen.items}
        waiting = {f"#{t.id}" for t in desk_hall.list_tickets(status="waiting")}
        assert waiting <= values
        await pilot.press("escape")


# -- alerts -------------------------------------------------------------------------------
def alert_text(app) -> str:
    """The alerts, each on one line again (the screen wraps them between words, or between
    two Chinese characters)."""
    import re

    joined = re.sub(r" *\n {2,}", " ", plain(app, "#floor-alert-list"))
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", joined)  # 午|休: a CJK break


async def test_wait_and_idle_alerts_newest_first(desk_hall):
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot, lambda: pilot.app.screen.figures_ready)
        shown = alert_text(pilot.app)
        assert "ID: longest wait" in shown and "over the 20 min target" in shown
        assert "Counter 2 idle" in shown
        assert [a.since for a in pilot.app.screen.alerts] == sorted(
            (a.since for a in pilot.app.screen.alerts), reverse=True
        )
        assert f"{len(pilot.app.screen.alerts)} alerts" in text(pilot.app, "#header")


async def test_a_pause_becomes_an_alert_when_it_lasts(desk_hall, clock):
    async with floor_app(desk_hall, tick_s=0.05).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert "Counter 7 paused" not in alert_text(pilot.app)  # paused 5 min, limit 15
        clock.t += 11 * 60
        await until(pilot, lambda: "Counter 7 paused 16 min (午休 lunch)" in alert_text(pilot.app))


async def test_a_wait_over_target_appears_as_the_clock_moves(desk_hall, clock):
    async with floor_app(desk_hall, tick_s=0.05).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert "HH: longest wait" not in alert_text(pilot.app)  # 22 of 40 min
        clock.t += 19 * 60
        await until(pilot, lambda: "HH: longest wait 41 min" in alert_text(pilot.app))


async def test_a_ticket_recalled_three_times(desk_hall):
    actor = clerk("1002")
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        number = desk_hall.call_next(actor, 2).number
        for _ in range(3):
            desk_hall.recall(actor, 2)
        await until(pilot, lambda: f"{number} recalled 3× at counter 2" in alert_text(pilot.app))


async def test_an_idle_counter_is_not_an_alert_between_two_tickets(desk_hall, clock):
    actor = clerk("1002")
    async with floor_app(desk_hall, tick_s=0.05).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        desk_hall.call_next(actor, 2)
        desk_hall.serve(actor, 2)
        await until(pilot, lambda: "Counter 2 idle" not in alert_text(pilot.app))
        clock.t += 5 * 60
        desk_hall.finish(actor, 2)
        clock.t += 30
        await until(pilot, lambda: pilot.app.screen.view.counters[1].current is None)
        assert "Counter 2 idle" not in alert_text(pilot.app)
        clock.t += 60
        await until(pilot, lambda: "Counter 2 idle 1 min" in alert_text(pilot.app))


async def test_the_chart_has_the_day_by_hour(desk_hall):
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot, lambda: pilot.app.screen.figures_ready)
        hours = pilot.app.screen.figures["hours"]
        assert [h["hour"] for h in hours] == [8, 9]
        assert sum(h["issued"] for h in hours) == len(desk_hall.list_tickets())


async def test_narrow_terminals_hide_the_chart(desk_hall):
    async with floor_app(desk_hall).run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert pilot.app.screen.query_one("#floor-chart-box").has_class("-hidden")


async def test_a_resized_window_gets_the_columns_of_its_width(desk_hall):
    """Opened at 80 columns and dragged to 120 (and back), the tables take the new width's
    columns and keep their rows: not the narrow ones the screen happened to start with."""
    async with floor_app(desk_hall).run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        counters = pilot.app.screen.query_one("#floor-counters", DataTable)
        services = pilot.app.screen.query_one("#floor-services", DataTable)
        await select_counter(pilot, 3)

        def shape():
            return ([c.width for c in counters.columns.values()], len(services.columns),
                    counters.row_count, services.row_count)  # fmt: skip

        narrow = shape()
        assert narrow[1] == 3 and narrow[2] > 0
        await pilot.resize_terminal(120, 40)
        await until(pilot, lambda: len(services.columns) == 5)
        wide = shape()
        assert wide[0] != narrow[0] and sum(wide[0]) > sum(narrow[0])
        assert wide[2:] == narrow[2:]  # the same counters and services, drawn again
        assert services.get_row_at(0)[4] not in ("", None)  # the wide-only column is filled
        assert counters.ordered_rows[counters.cursor_row].key.value == "3"
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: len(services.columns) == 3)
        assert shape() == narrow


async def test_a_queue_opens_into_its_departments_and_a_department_into_its_matters(desk_hall):
    """A one-stop hall: the one-stop window's queue (ZH) lists its departments on Enter, and
    a department's row lists that department's matters someone is waiting for."""
    from console.tui.dialogs import BreakdownDialog

    ticket = desk_hall.issue(MANAGER, matter="SCJG-0001").ticket  # 个体工商户设立登记
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        table = pilot.app.screen.query_one("#floor-services", DataTable)
        keys = [r.key.value for r in table.ordered_rows]
        assert "ZH" in keys and not any("/" in k for k in keys)

        def cells() -> str:
            return " ".join(str(c) for r in table.ordered_rows for c in table.get_row(r.key))

        assert "ZH One-stop window ▸" in cells()
        table.focus()
        table.move_cursor(row=keys.index("ZH"))
        await pilot.press("enter")
        await until(pilot, lambda: "ZH/SCJG" in [r.key.value for r in table.ordered_rows])
        assert "Market Regulation Bureau" in cells() and "▾" in cells()
        departments = [r.key.value for r in table.ordered_rows if r.key.value.startswith("ZH/")]
        assert "ZH/GAJ" not in departments  # the police matters are called in their queues
        table.move_cursor(row=[r.key.value for r in table.ordered_rows].index("ZH/SCJG"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, BreakdownDialog))
        dialog = pilot.app.screen
        rows = {row[1]: row for row in dialog.rows}
        assert rows[ticket.matter_code][0] == "Individual business: establishment registration"
        assert rows[ticket.matter_code][2] >= 1  # waiting
        await pilot.press("escape")
        await until(pilot, lambda: pilot.app.screen is not dialog)
        table.move_cursor(row=[r.key.value for r in table.ordered_rows].index("ZH"))
        await pilot.press("enter")
        await until(pilot, lambda: not any("/" in r.key.value for r in table.ordered_rows))


async def test_a_department_is_red_only_when_a_waiting_matter_passes_its_own_target(
    desk_hall, clock
):
    from tests.conftest import ADMIN

    busy = {m.department for m in desk_hall.hall_view().matters}
    department, (tight, loose) = next(
        (d, ms[:2])
        for d in sorted({m.department for m in desk_hall.list_matters() if m.service == "ZH"})
        if d not in busy
        and len(ms := [m.code for m in desk_hall.list_matters()
                       if m.department == d and m.service == "ZH"]) >= 2
    )  # fmt: skip
    desk_hall.edit_matter(ADMIN, tight, target_wait_min=20)
    desk_hall.edit_matter(ADMIN, loose, target_wait_min=30)
    gone = desk_hall.issue(MANAGER, matter=tight).ticket  # issued today, nobody waits now
    desk_hall.cancel(MANAGER, gone.number)
    desk_hall.issue(MANAGER, matter=loose)
    clock.advance(21 * 60)  # past the tight matter's target, within the waiting one's
    async with floor_app(desk_hall).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        table = pilot.app.screen.query_one("#floor-services", DataTable)
        table.focus()
        table.move_cursor(row=[r.key.value for r in table.ordered_rows].index("ZH"))
        await pilot.press("enter")
        key = f"ZH/{department}"
        await until(pilot, lambda: key in [r.key.value for r in table.ordered_rows])
        wait = table.get_row(key)[2]
        assert str(wait) == "21/30" and "red" not in str(wait.style)
