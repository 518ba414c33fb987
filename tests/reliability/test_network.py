"""Network faults between a station (``RemoteHall``) and the hall server, with a TCP proxy
(``netproxy``) on 127.0.0.1 between them: nothing listening, the server SIGKILLed before and
after it did the work, a link slower than the client's timeout, a black hole, and an event
stream cut in the middle.

What must hold: the station gets ``Unavailable`` with a sentence that names the server and
does not claim "not done" when it cannot know; every action is in the log at most once, and
repeating it with the same idempotency key returns the first result instead of doing it
again; the live feed comes back by itself and delivers every change it missed, once.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.domain.errors import Unavailable
from console.remote import RemoteHall
from tests.reliability.conftest import TRIALS
from tests.reliability.netproxy import Proxy
from tests.server.conftest import PIN, Server, build_hall, free_port, register
from tests.waiting import Deadline, scaled, wait_until


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    db = tmp_path / "hall.db"
    build_hall(db, clerks=2, counters=2)
    srv = Server(db, free_port())
    srv.tokens["desk"] = register(db, "desk")
    srv.tokens["other"] = register(db, "other")
    srv.start()
    yield srv
    srv.stop()


def events(db: Path, kind: str | None = None, ticket_id: int | None = None) -> int:
    conn = sqlite3.connect(db, timeout=10)
    try:
        sql, args = "SELECT count(*) FROM events WHERE 1", []
        if kind is not None:
            sql, args = sql + " AND kind = ?", [*args, kind]
        if ticket_id is not None:
            sql, args = sql + " AND ticket_id = ?", [*args, ticket_id]
        return conn.execute(sql, args).fetchone()[0]
    finally:
        conn.close()


def short_fused(url: str, token: str, timeout: float, retry_for: float) -> RemoteHall:
    """A station with a timeout far shorter than a real one's. Its first hello crosses the
    proxy before any fault is set; a loaded machine can hold that one request past the short
    timeout (the load average lags a sudden burst), so the hello is tried again: what the
    trial times is the faulty requests after it, not the greeting."""
    deadline = Deadline(10)
    while True:
        try:
            return RemoteHall(url, token, timeout=timeout, retry_for=retry_for)
        except Unavailable:
            if deadline.expired:
                raise
            deadline.pause()


def test_nothing_listening_is_unavailable_with_the_address() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    t0 = time.monotonic()
    with pytest.raises(Unavailable) as caught:
        RemoteHall(url, "some-token")
    assert url in caught.value.message and "unreachable" in caught.value.message
    assert time.monotonic() - t0 < scaled(5)


def test_server_stopped_then_back_an_action_is_refused_then_done_once(server: Server) -> None:
    hall = RemoteHall(server.url, server.tokens["desk"], retry_for=0.5)
    try:
        clerk = hall.login("1001", PIN, "")
        before = events(server.db, "issued")
        server.stop()
        key = uuid.uuid4().hex
        with pytest.raises(Unavailable, match="not done") as caught:
            hall.issue(clerk, "ID", key=key)  # connection refused: it cannot have been sent
        assert server.url in caught.value.message
        assert events(server.db, "issued") == before
        server.start()
        first = hall.issue(clerk, "ID", key=key)
        again = hall.issue(clerk, "ID", key=key)
        assert again.ticket.id == first.ticket.id
        assert events(server.db, "issued") == before + 1
    finally:
        hall.close()


def test_server_killed_after_doing_it_the_retry_returns_the_same_call(server: Server) -> None:
    """The server commits the call, then dies before the answer reaches the station."""
    direct = RemoteHall(server.url, server.tokens["other"])
    with Proxy(server.port) as proxy:
        hall = RemoteHall(proxy.url, server.tokens["desk"], timeout=scaled(3), retry_for=1.0)
        try:
            clerk = hall.login("1001", PIN, "")
            hall.open_counter(clerk, 1)
            boss = direct.login("1002", PIN, "")
            issued = [direct.issue(boss, "ID").ticket for _ in range(3)]
            direct.close()
            proxy.mode = "hold"
            key = uuid.uuid4().hex
            outcome: list[object] = []

            def call() -> None:
                try:
                    outcome.append(hall.call_next(clerk, 1, key=key))
                except Unavailable as exc:
                    outcome.append(exc)

            worker = threading.Thread(target=call)
            worker.start()
            wait_until(lambda: events(server.db, "called") == 1)  # done, answer held back
            server.kill()
            proxy.cut()
            proxy.mode = "pass"
            worker.join(scaled(15))
            [error] = outcome
            assert isinstance(error, Unavailable)
            assert "not done" not in error.message  # it was done: the station cannot know
            assert "may have been done" in error.message
            assert events(server.db, "called", issued[0].id) == 1
            server.start()
            ticket = hall.call_next(clerk, 1, key=key)  # the same action, repeated
            assert ticket.id == issued[0].id and ticket.status == "called"
            assert events(server.db, "called") == 1  # still once
            assert hall.get_ticket(f"#{issued[1].id}").status == "waiting"
        finally:
            hall.close()


def test_server_killed_before_doing_it_nothing_happens(server: Server) -> None:
    """The request is on the wire (a slow link) when the server dies: nothing is done."""
    with Proxy(server.port, delay_s=scaled(0.6)) as proxy:
        hall = RemoteHall(proxy.url, server.tokens["desk"], timeout=scaled(3), retry_for=1.0)
        try:
            clerk = hall.login("1001", PIN, "")
            before = events(server.db)
            proxy.mode = "delay"
            key = uuid.uuid4().hex
            on_the_wire = proxy.requests_in + 1

            def kill_once_sent() -> None:
                wait_until(lambda: proxy.requests_in >= on_the_wire, what="the request sent")
                server.kill()

            killer = threading.Thread(target=kill_once_sent)
            killer.start()
            with pytest.raises(Unavailable, match="unreachable"):
                hall.issue(clerk, "ID", key=key)
            killer.join()
            assert events(server.db) == before
            proxy.mode = "pass"
            server.start()
            result = hall.issue(clerk, "ID", key=key)
            assert events(server.db, "issued", result.ticket.id) == 1
        finally:
            hall.close()


def test_slower_than_the_timeout_each_action_lands_at_most_once(server: Server) -> None:
    """Every retry of a slow request (same key) reaches the server late: it does it once.

    The link's delay, the client's timeout and its retries are all scaled alike: on a
    loaded machine the link is as much slower than the timeout as on an idle one."""
    with Proxy(server.port, delay_s=scaled(0.8)) as proxy:
        hall = short_fused(proxy.url, server.tokens["desk"], scaled(0.4), scaled(1.2))
        try:
            clerk = hall.login("1001", PIN, "")
            for _ in range(max(1, TRIALS // 3)):  # each round takes ~4 s
                before = events(server.db, "issued")
                proxy.mode = "delay"
                key = uuid.uuid4().hex
                t0 = time.monotonic()
                with pytest.raises(Unavailable) as caught:
                    hall.issue(clerk, "PP", key=key)
                assert time.monotonic() - t0 < scaled(4)
                assert "Timeout" in caught.value.message and server.url not in caught.value.message
                assert proxy.url in caught.value.message
                # the late copies of the request arrive and are answered
                wait_until(lambda: proxy.settled, what="every late copy answered")
                assert events(server.db, "issued") - before <= 1
                proxy.mode = "pass"
                result = hall.issue(clerk, "PP", key=key)
                assert events(server.db, "issued") == before + 1
                assert events(server.db, "issued", result.ticket.id) == 1
        finally:
            hall.close()


def test_a_black_hole_is_unavailable_and_nothing_is_done(server: Server) -> None:
    with Proxy(server.port) as proxy:
        hall = short_fused(proxy.url, server.tokens["desk"], scaled(0.4), scaled(0.8))
        try:
            clerk = hall.login("1001", PIN, "")
            before = events(server.db)
            proxy.mode = "blackhole"
            with pytest.raises(Unavailable, match="unreachable"):
                hall.issue(clerk, "ID")
            with pytest.raises(Unavailable):
                hall.hall_view()
            assert events(server.db) == before
        finally:
            hall.close()


def test_a_cut_stream_comes_back_and_delivers_what_it_missed(server: Server) -> None:
    writer = RemoteHall(server.url, server.tokens["other"])
    with Proxy(server.port) as proxy:
        hall = RemoteHall(proxy.url, server.tokens["desk"], retry_for=0.5)
        seen: list[int] = []
        states: list[bool] = []
        dispatch = hall.feed._dispatch

        def record(kind: str, data: str, event_id: str | None) -> None:
            if kind == "change" and event_id is not None:
                seen.append(int(event_id))
            dispatch(kind, data, event_id)

        hall.feed._dispatch = record  # type: ignore[method-assign]
        hall.add_status_listener(lambda online, reason: states.append(online))
        try:
            clerk = writer.login("1002", PIN, "")
            start = hall.last_event_id()
            assert hall.wait_for_change(start, 0.3) == start  # the stream is up
            wait_until(lambda: proxy.accepted >= 2)
            for trial in range(TRIALS):
                # (a) the cable is pulled and put back at once: the stream just resumes;
                # (b) the server's port stays dead for a while: the station is told
                proxy.mode = "pass" if trial % 2 == 0 else "refuse"
                proxy.cut()
                missed = [writer.issue(clerk, "ID").ticket.id for _ in range(3)]
                newest = writer.last_event_id()
                if proxy.mode == "refuse":
                    wait_until(lambda: not hall.online)
                    with pytest.raises(Unavailable, match="unreachable"):
                        hall.wait_for_change(newest, 0.3)
                    proxy.mode = "pass"
                got = start
                deadline = Deadline(10)
                while got < newest and not deadline.expired:
                    got = hall.wait_for_change(got, 1.0)
                assert got == newest and hall.online
                for ticket_id in missed:
                    assert hall.get_ticket(f"#{ticket_id}").status == "waiting"
                start = newest
            conn = sqlite3.connect(server.db)
            all_ids = [r[0] for r in conn.execute("SELECT id FROM events WHERE id > ? ORDER BY id",
                                                  (seen[0] - 1,))]  # fmt: skip
            conn.close()
            assert sorted(seen) == seen and len(set(seen)) == len(seen)  # in order, no twice
            assert seen == all_ids  # none missed (Last-Event-ID)
            if TRIALS > 1:
                assert states[:2] == [False, True]
        finally:
            hall.close()
            writer.close()


async def test_the_board_shows_the_banner_while_the_link_is_down_and_clears_it(
    server: Server,
) -> None:
    from textual.widgets import Static

    from tests.screens.conftest import station_app
    from tests.waiting import until

    with Proxy(server.port) as proxy:
        hall = RemoteHall(proxy.url, server.tokens["desk"], retry_for=0.3)
        try:
            async with station_app(hall, "board").run_test(size=(100, 30)) as pilot:
                await until(pilot, lambda: getattr(pilot.app.screen, "view", None) is not None)
                banner = pilot.app.screen.query_one("#banner", Static)
                assert not banner.has_class("-shown")
                proxy.mode = "refuse"
                proxy.cut()
                await until(pilot, lambda: banner.has_class("-shown"), timeout=10)
                assert "unreachable" in str(banner.render())
                proxy.mode = "pass"
                await until(pilot, lambda: not banner.has_class("-shown"), timeout=10)
        finally:
            hall.close()
