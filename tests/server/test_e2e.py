"""End to end: the server in a subprocess, every operation through the remote client."""

from __future__ import annotations

import inspect
import subprocess
import sys
import threading
import time
import uuid

import httpx
import pytest

from console.domain import (
    Actor,
    Clerk,
    Counter,
    CounterView,
    Event,
    HallView,
    IssueResult,
    Printer,
    PrintJob,
    ServiceDef,
    Session,
    Ticket,
    reasons,
)
from console.domain.errors import AuthError, BadInput, NotFound, Refused
from console.printing import ServiceJobs, process_pending
from console.remote import RemoteHall
from console.service import HallService
from tests.server.conftest import PIN, Server
from tests.waiting import scaled, wait_until


def remote(server: Server, station: str, **kw) -> RemoteHall:
    return RemoteHall(server.url, server.tokens[station], **kw)


def test_remote_implements_every_interface_method() -> None:
    wanted = {n for n, v in vars(HallService).items() if callable(v) and not n.startswith("_")}
    for name in wanted:
        mine = getattr(RemoteHall, name)
        theirs = inspect.signature(getattr(HallService, name))
        assert list(inspect.signature(mine).parameters) == list(theirs.parameters), name


def test_every_operation_through_the_client(server: Server, tmp_path) -> None:
    admin = remote(server, "admin-pc")
    desk = remote(server, "desk-1")
    try:
        a = admin.actor
        assert a is not None and a.role == "admin" and a.station == "admin-pc"
        assert desk.actor is None  # a plain station acts only through a clerk login
        assert abs(admin.clock.now() - server.now) < 60  # the server's clock, not the real one

        # setup
        assert admin.set_setting(a, "green_streak_limit", "2")["green_streak_limit"] == 2
        assert admin.settings()["green_streak_limit"] == 2
        svc = admin.add_service(a, code="TMP", name_zh="临时", name_en="Temp", prefix="T",
                                materials=["照片"])  # fmt: skip
        assert isinstance(svc, ServiceDef) and svc.materials == ["照片"]
        assert admin.edit_service(a, "TMP", name_en="Temporary").name_en == "Temporary"
        assert "TMP" in {s.code for s in admin.list_services()}
        assert admin.remove_service(a, "TMP") == "removed"
        c = admin.add_counter(a, number=9, services=["ID"], low_position=True)
        assert isinstance(c, Counter) and c.low_position
        assert admin.edit_counter(a, 9, services=["ID", "PP"]).services == ["ID", "PP"]
        assert 9 in {x.number for x in admin.list_counters()}
        assert admin.remove_counter(a, 9) == "removed"
        k = admin.add_clerk(a, staff_no="2001", name="temp", pin="5678")
        assert isinstance(k, Clerk) and k.role == "clerk"
        assert admin.edit_clerk(a, "2001", role="manager").role == "manager"
        assert "2001" in {x.staff_no for x in admin.list_clerks()}
        assert admin.remove_clerk(a, "2001")
        s = admin.add_session(a, name="night", opens="00:00", closes="00:01", active=False)
        assert isinstance(s, Session)
        assert admin.edit_session(a, "night", closes="00:02").closes == "00:02"
        assert [x.name for x in admin.list_sessions()] == ["night"]
        assert admin.remove_session(a, "night") == "removed"
        p = admin.add_printer(a, name="desk1-receipt", connection="file",
                              address=str(tmp_path / "r.bin"), counter_number=1,
                              purpose="receipt")  # fmt: skip
        assert isinstance(p, Printer)
        assert [x.name for x in admin.list_printers()] == ["desk1-receipt"]

        # a clerk logs in at desk-1; the server, not the client, says who that is
        clerk = desk.login("1001", PIN, "ignored")
        assert clerk == Actor(staff_no="1001", role="clerk", station="desk-1", name="clerk 1")
        assert desk.actor == clerk
        assert desk.open_counter(clerk, 1).state == "open"

        issued = [admin.issue(a, "ID") for _ in range(4)]
        assert all(isinstance(r, IssueResult) for r in issued)
        green = admin.issue(a, "PP", green_reason="elderly", green_note="80 岁")
        assert green.ticket.green_reason == "elderly"
        today = admin.clock.day()
        result = admin.import_appointments(a, [{"code": "AP1", "service": "ID", "date": today}])
        assert result == {"imported": 1, "errors": []}
        checked = admin.check_in(a, "AP1")
        assert checked.ticket.appointment_code == "AP1"

        t = desk.call_next(clerk, 1)
        assert isinstance(t, Ticket) and t.status == "called" and t.number == green.ticket.number
        assert desk.recall(clerk, 1).recall_count == 1
        assert desk.serve(clerk, 1).status == "serving"
        done = desk.finish(clerk, 1, rating=5, note="ok", print_receipt=True)
        assert done.status == "done" and done.rating == 5
        t2 = desk.call_next(clerk, 1)
        assert desk.no_show(clerk, 1, requeue=True).status == "waiting"
        t3 = desk.call_number(clerk, 1, issued[2].ticket.number)
        assert t3.number == issued[2].ticket.number
        assert desk.park(clerk, 1).status == "parked"
        assert desk.resume(clerk, 1, t3.number).status == "serving"
        assert desk.finish(clerk, 1, outcome="incomplete", materials=["户口簿"]).materials == [
            "户口簿"
        ]  # fmt: skip
        moved = admin.transfer(a, t2.number, to_service="PP")
        assert moved.service_code == "PP" and moved.transferred
        assert admin.flag_green(a, issued[3].ticket.number, "urgent").green_reason == "urgent"
        assert admin.cancel(a, issued[3].ticket.number).status == "cancelled"
        job = admin.request_print(a, done.number, "receipt")
        assert isinstance(job, PrintJob) and job.printer == "desk1-receipt"
        assert {j.id for j in admin.list_print_jobs()} >= {job.id}

        # views and the change feed
        assert admin.get_ticket(done.number) == done
        assert admin.get_ticket(f"#{done.id}").number == done.number
        assert len(admin.list_tickets(status="done")) == 2
        view = desk.counter_view(1)
        assert isinstance(view, CounterView) and view.served_today == 2
        hall = desk.hall_view()
        assert isinstance(hall, HallView) and hall.counters[0].counter.state == "open"
        figures = desk.floor_figures()
        assert sum(h["served"] for h in figures["hours"]) == 2 and "1" in figures["last_finished"]
        # the server's own printer worker writes print.* events when it gets to the jobs:
        # the feed is read once they are all settled, or its last event moves under the test
        wait_until(lambda: not {j.status for j in admin.list_print_jobs()} & {"queued", "printing"},
                   what="the server's printer worker settling every job")  # fmt: skip
        last = desk.last_event_id()
        events = desk.changes_since(last - 3)
        assert all(isinstance(e, Event) for e in events) and events[-1].id == last
        assert desk.wait_for_change(last, 0.2) == last

        # counters: pause, resume, close; then the manager's end of day
        assert desk.pause_counter(clerk, 1, "lunch").state == "paused"
        assert desk.resume_counter(clerk, 1).state == "open"
        assert desk.close_counter(clerk, 1).state == "closed"
        assert admin.remove_printer(a, "desk1-receipt") == "removed"
        assert admin.close_day(a) >= 1
        desk.logout()
        assert desk.actor is None
    finally:
        admin.close()
        desk.close()


def test_two_stations_see_each_others_changes(server: Server) -> None:
    one = remote(server, "desk-1")
    two = remote(server, "desk-2")
    try:
        manager = two.login("9001", PIN, "")
        start = one.last_event_id()
        seen: list[int] = []

        def watch() -> None:
            seen.append(one.wait_for_change(start, 10))

        watcher = threading.Thread(target=watch)
        watcher.start()
        sent = time.monotonic()
        result = two.issue(manager, "ID")
        watcher.join(scaled(10))
        assert seen and seen[0] > start
        assert time.monotonic() - sent < scaled(2)
        kinds = [(e.kind, e.station) for e in one.changes_since(start)]
        assert ("issued", "desk-2") in kinds
        assert one.get_ticket(result.ticket.number).status == "waiting"
        two.cancel(manager, result.ticket.number)
    finally:
        one.close()
        two.close()


def test_a_station_reads_what_changed_from_its_own_stream(server: Server) -> None:
    """A desk asks what changed after every change it hears of: the events its stream
    brought answer that, the same as the server's log, without asking the server."""
    one = remote(server, "desk-1")
    two = remote(server, "desk-2")
    try:
        manager = two.login("9001", PIN, "")
        start = one.last_event_id()
        assert one.feed.events_after(start, 500) is None  # no stream yet: the server's
        one.feed.start()
        wait_until(lambda: one.feed.events_after(start, 500) is not None, what="the stream")
        numbers = [two.issue(manager, "PP").ticket.number for _ in range(3)]
        newest = two.last_event_id()
        wait_until(lambda: one.wait_for_change(start, 0.2) >= newest, what="the three issues")
        held = one.feed.events_after(start, 500)
        assert held is not None and held == two.changes_since(start)
        assert [e.changes["number"] for e in held if e.kind == "issued"] == numbers
        assert one.changes_since(start) == held
        assert one.feed.events_after(0, 500) is None  # from before the stream: the server's
        assert one.changes_since(0, limit=5000)[-len(held) :] == held
        for number in numbers:
            two.cancel(manager, number)
    finally:
        one.close()
        two.close()


def _sse(server: Server, token: str, last: int | str, limit_s: float = 3.0) -> list[tuple]:
    """Read the raw stream until ``limit_s``: (event, id, data) triples."""
    got: list[tuple] = []
    headers = {"Authorization": f"Bearer {token}", "Last-Event-ID": str(last)}
    kind, eid, data = "message", None, ""
    deadline = time.monotonic() + limit_s
    try:
        with httpx.stream("GET", server.url + "/api/v1/stream", headers=headers,
                          timeout=httpx.Timeout(limit_s)) as r:  # fmt: skip
            assert r.status_code == 200
            for line in r.iter_lines():
                if line == "":
                    got.append((kind, eid, data))
                    kind, eid, data = "message", None, ""
                    if time.monotonic() > deadline or (got and got[-1][0] == "change"
                                                       and len(got) >= 3):  # fmt: skip
                        break
                elif line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("id:"):
                    eid = line[3:].strip()
                elif line.startswith("data:"):
                    data = line[5:].strip()
    except httpx.ReadTimeout:
        pass
    return got


def test_reconnect_with_last_event_id_gets_what_was_missed(server: Server) -> None:
    admin = remote(server, "admin-pc")
    try:
        before = admin.last_event_id()
        numbers = [admin.issue(admin.actor, "PP").ticket.number for _ in range(2)]
        got = _sse(server, server.tokens["desk-2"], before)
        changes = [g for g in got if g[0] == "change"]
        assert [int(g[1]) for g in changes[:2]] == [before + 1, before + 2]
        assert numbers[0] in changes[0][2]
        ahead = _sse(server, server.tokens["desk-2"], before + 10_000, limit_s=1.0)
        assert ahead[0][0] == "hello" and ahead[1][0] == "resync"
        for n in numbers:
            admin.cancel(admin.actor, n)
    finally:
        admin.close()


def test_a_revoked_token_is_refused(server: Server) -> None:
    desk = remote(server, "desk-3")
    try:
        assert desk.list_services()
        run = subprocess.run(
            [sys.executable, "-c", "from console.cli.main import run; run()", "stations",
             "revoke", "desk-3", "--db", str(server.db)],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        with pytest.raises(AuthError, match="revoked"):
            desk.list_services()
        r = httpx.get(server.url + "/api/v1/hall",
                      headers={"Authorization": f"Bearer {server.tokens['desk-3']}"})  # fmt: skip
        assert r.status_code == 401
    finally:
        desk.close()


def test_a_clerk_cannot_do_a_managers_action(server: Server) -> None:
    desk = remote(server, "desk-2")
    try:
        clerk = desk.login("1002", PIN, "")
        with pytest.raises(AuthError, match="manager"):
            desk.close_day(clerk)
        with pytest.raises(AuthError, match="admin"):
            desk.add_service(clerk, code="X", name_zh="x", name_en="x", prefix="X")
        # the actor argument cannot promote anyone: the session decides
        forged = Actor(staff_no="9001", role="manager", station="desk-2")
        with pytest.raises(AuthError, match="not logged in"):
            desk.close_day(forged)
        r = httpx.post(server.url + "/api/v1/close-day", json={"actor": forged.to_dict()},
                       headers={"Authorization": f"Bearer {server.tokens['desk-2']}",
                                "Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
        assert r.status_code == 403
        manager = desk.login("9001", PIN, "")
        assert desk.close_day(manager) >= 0
    finally:
        desk.close()


def test_nothing_but_health_answers_without_a_token(server: Server) -> None:
    assert httpx.get(server.url + "/health").json()["status"] == "ok"
    assert httpx.get(server.url + "/openapi.json").status_code == 401
    assert httpx.get(server.url + "/docs").status_code == 404
    auth = {"Authorization": f"Bearer {server.tokens['desk-1']}"}
    spec = httpx.get(server.url + "/openapi.json", headers=auth).json()
    for path, ops in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        url = server.url + path.replace("{number}", "1").replace("{code}", "ID").replace(
            "{staff_no}", "1001").replace("{name}", "x")  # fmt: skip
        for method in ops:
            r = httpx.request(method, url, headers={"Idempotency-Key": "k" * 10}, timeout=5)
            assert r.status_code == 401, (method, path, r.status_code)
            assert r.json()["error"] == "unauthenticated"
            bad = httpx.request(method, url, headers={"Authorization": "Bearer nope"}, timeout=5)
            assert bad.status_code == 401


def test_a_retried_call_is_done_once(server: Server) -> None:
    admin = remote(server, "admin-pc")
    try:
        a = admin.actor
        admin.open_counter(a, 3)
        admin.issue(a, "ID")
        headers = {"Authorization": f"Bearer {server.tokens['admin-pc']}",
                   "Idempotency-Key": uuid.uuid4().hex}  # fmt: skip
        url = server.url + "/api/v1/counters/3/call-next"
        first, again = httpx.post(url, headers=headers), httpx.post(url, headers=headers)
        assert first.status_code == again.status_code == 200
        assert first.json() == again.json()
        called = [e for e in admin.changes_since(0, 5000)
                  if e.kind == "called" and e.ticket_id == first.json()["id"]]  # fmt: skip
        assert len(called) == 1
        # a key names one operation: reusing it for another is bad input, not a replay
        clash = httpx.post(server.url + "/api/v1/counters/3/recall", headers=headers)
        assert clash.status_code == 422
        admin.finish(a, 3)
        admin.close_counter(a, 3)
    finally:
        admin.close()


def test_wrong_pins_lock_out(server: Server) -> None:
    desk = remote(server, "desk-2")
    try:
        for _ in range(4):
            with pytest.raises(AuthError, match="wrong PIN"):
                desk.login("1004", "0000", "")
        with pytest.raises(AuthError, match="locked"):
            desk.login("1004", "0000", "")
        with pytest.raises(AuthError, match="locked"):
            desk.login("1004", PIN, "")  # even the right PIN, until the lockout ends
    finally:
        desk.close()


def test_bad_requests_get_a_clear_4xx(server: Server) -> None:
    h = {"Authorization": f"Bearer {server.tokens['admin-pc']}", "Idempotency-Key": "abcdefgh1"}
    cases = [
        ("POST", "/api/v1/tickets", {"content": b"{not json"}),
        ("POST", "/api/v1/tickets", {"json": {"service": "ID", "actor": {"role": "admin"}}}),
        ("POST", "/api/v1/counters/99999999999999999999/call-next", {}),
        ("POST", "/api/v1/tickets", {"json": {"service": "ID", "green_reason": "vip"}}),
        ("GET", "/api/v1/tickets?day=yesterday", {}),
        ("PATCH", "/api/v1/clerks/1001", {"json": {"pin": "12"}}),
    ]
    for method, path, kw in cases:
        r = httpx.request(method, server.url + path, headers=h, **kw)
        assert r.status_code == 422, (path, r.text)
        body = r.json()
        assert body["error"] == "bad_input" and body["reason"].startswith("request."), r.text
        assert body["message"] == reasons.render(body["reason"], body["params"], "en")
    no_key = httpx.post(
        server.url + "/api/v1/close-day", headers={"Authorization": h["Authorization"]}
    )
    assert no_key.status_code == 422 and "Idempotency-Key" in no_key.json()["message"]
    admin = remote(server, "admin-pc")
    try:
        with pytest.raises(NotFound):
            admin.get_ticket("Z999")
        with pytest.raises(Refused):
            admin.call_next(admin.actor, 2)  # counter 2 is closed
        with pytest.raises(BadInput):
            admin.list_tickets(status="lost")
    finally:
        admin.close()


def test_printing_across_the_lan(server: Server, tmp_path) -> None:
    """A station's own printer is driven by the station after the server stored the job;
    a printer without a station by the server."""
    admin = remote(server, "admin-pc")
    desk = remote(server, "desk-2")
    try:
        a = admin.actor
        own, hall_printer = tmp_path / "desk2.bin", tmp_path / "hall.bin"
        admin.add_printer(a, name="desk2-ticket", connection="file", address=str(own),
                          station="desk-2")  # fmt: skip
        admin.add_printer(a, name="hall-ticket", connection="file", address=str(hall_printer))
        clerk = desk.login("1003", PIN, "")
        at_desk = desk.issue(clerk, "ID", print_ticket=True)
        at_admin = admin.issue(a, "ID", print_ticket=True)  # admin-pc has no printer of its own
        outcomes = process_pending(ServiceJobs(desk, desk.station))
        assert [o.status for o in outcomes] == ["done"]
        assert own.stat().st_size > 0
        wait_until(lambda: hall_printer.exists(), what="the hall printer's ticket")
        assert hall_printer.stat().st_size > 0
        jobs = {j.ticket_id: j for j in admin.list_print_jobs()}
        assert jobs[at_desk.ticket.id].printer == "desk2-ticket"
        assert jobs[at_desk.ticket.id].status == "done"
        assert jobs[at_admin.ticket.id].printer == "hall-ticket"
        wait_until(lambda: {j.ticket_id: j.status for j in admin.list_print_jobs()}
                   [at_admin.ticket.id] == "done", what="the hall ticket printed")  # fmt: skip
        assert process_pending(ServiceJobs(desk, desk.station)) == []  # not another station's
        for ticket in (at_desk, at_admin):
            admin.cancel(a, ticket.ticket.number)
        admin.remove_printer(a, "desk2-ticket")
        admin.remove_printer(a, "hall-ticket")
    finally:
        admin.close()
        desk.close()


async def test_the_counter_console_runs_over_the_server(server: Server) -> None:
    """The desk screen cannot tell the remote client from the in-process one."""
    from console.tui.app import build_app
    from console.tui.screens import DeskScreen
    from console.tui.settings import Settings
    from tests.tui.conftest import ready, until

    admin = remote(server, "admin-pc")
    hall = remote(server, "desk-2")
    try:
        issued = admin.issue(admin.actor, "PP").ticket.number
        settings = Settings(counter=2, lang="en", station="desk-2", live=True,
                            cursor_blink=False, live_timeout=0.2)  # fmt: skip
        app = build_app(hall, settings)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press(*"1002", "enter", *PIN, "enter")
            await until(pilot, lambda: isinstance(app.screen, DeskScreen), timeout=10)
            await ready(pilot)
            await pilot.press("n")
            await until(pilot, lambda: app.screen.view.current is not None, timeout=10)
            number = app.screen.view.current.number
            ticket = admin.get_ticket(number)
            assert (ticket.status, ticket.counter_number, ticket.clerk_staff_no) == (
                "called", 2, "1002"
            )  # fmt: skip
            # another station's change arrives through the stream
            other = admin.issue(admin.actor, "ID").ticket.number
            await until(
                pilot,
                lambda: other in [t.number for t in app.screen.view.next_tickets],
                timeout=10,
            )
        assert issued
    finally:
        admin.close()
        hall.close()
