"""The citizens' pages over HTTP: what a phone sees at /t/{code}, /f/{code} and /board,
that they reach nothing else, and that the station API is as closed as it was."""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import subprocess
import sys
import wave

import httpx
import pytest

from console.domain import Actor
from console.engine.slips import build_slip
from console.remote import RemoteHall
from console.reports.dates import DayRange
from console.reports.db import open_readonly
from console.reports.report import compute
from console.server.operations import OPERATIONS
from console.store import connect
from tests.server.conftest import PIN, Server, public_code
from tests.waiting import wait_until

EN = {"Accept-Language": "en-US,en;q=0.9"}
TV = "tv-secret-1-of-the-hall"
"""A board token (at least 16 characters)."""
OWN_FILES = ("/static/public/", "/t/", "/f/", "?lang=", "data:,")
"""Where a public page's links, scripts, styles and forms may lead."""


@pytest.fixture(scope="module")
def admin(public_server: Server) -> RemoteHall:
    hall = RemoteHall(public_server.url, public_server.tokens["admin-pc"])
    yield hall
    hall.close()


@pytest.fixture(scope="module")
def clerk(public_server: Server) -> tuple[RemoteHall, Actor]:
    """Clerk 1005 at counter 5, open for the module."""
    hall = RemoteHall(public_server.url, public_server.tokens["desk-5"])
    actor = hall.login("1005", PIN, "desk-5")
    hall.open_counter(actor, 5)
    yield hall, actor
    hall.close()


def state(server: Server, code: str, lang: str = "en") -> dict:
    answer = httpx.get(f"{server.url}/t/{code}/state?lang={lang}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def issue(admin: RemoteHall, server: Server, service: str = "ID", **kw) -> tuple[str, str]:
    ticket = admin.issue(admin.actor, service, **kw).ticket
    return ticket.number, public_code(server.db, ticket.number)


def test_a_ticket_page_shows_what_the_ticket_says(public_server: Server, admin) -> None:
    result = admin.issue(admin.actor, "ID")
    code = public_code(public_server.db, result.ticket.number)
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", code)  # 128 random bits, not the id
    page = httpx.get(f"{public_server.url}/t/{code}", headers=EN)
    assert page.status_code == 200
    assert result.ticket.number in page.text and "ID card" in page.text
    assert f"{result.ahead} ahead of you, about {result.estimated_wait_min} min" in page.text
    chinese = httpx.get(f"{public_server.url}/t/{code}")  # no language said: Chinese
    assert "排队中" in chinese.text and "身份证" in chinese.text
    switched = httpx.get(f"{public_server.url}/t/{code}?lang=zh", headers=EN)
    assert '<html lang="zh-CN">' in switched.text and 'href="?lang=en"' in switched.text


def test_issuing_tells_reception_the_page_the_qr_leads_to(public_server: Server, admin) -> None:
    """Reception (and docs/admin.md's steps) learn the page's address from the issue itself,
    over the server as in-process, without reading the database."""
    result = admin.issue(admin.actor, "ID")
    code = public_code(public_server.db, result.ticket.number)
    assert result.page_url == f"{public_server.url}/t/{code}"
    assert httpx.get(result.page_url).status_code == 200
    cli = subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", "tickets", "issue", "ID",
         "--db", str(public_server.db)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    number = cli.stdout.split()[0]
    assert f"page: {public_server.url}/t/{public_code(public_server.db, number)}" in cli.stdout


def test_the_slips_qr_codes_lead_to_the_ticket_and_rating_pages(public_server: Server,
                                                              admin) -> None:  # fmt: skip
    _, code = issue(admin, public_server)
    conn = connect(public_server.db)
    try:
        ticket_id = conn.execute("SELECT id FROM tickets WHERE public_code = ?", (code,)
                                 ).fetchone()[0]  # fmt: skip
        clock = admin.clock
        ticket = build_slip(conn, clock, ticket_id, "ticket")
        assert ticket.qr_url == f"{public_server.url}/t/{code}"
        assert build_slip(conn, clock, ticket_id, "receipt").feedback_url == (
            f"{public_server.url}/f/{code}")  # fmt: skip
    finally:
        conn.close()


def test_every_state_a_citizen_can_be_told(public_server: Server, admin, clerk) -> None:
    desk, me = clerk
    number, code = issue(admin, public_server)
    while (called := desk.call_next(me, 5)).number != number:  # earlier tickets first
        desk.finish(me, 5)
    assert called.number == number
    shown = state(public_server, code)
    assert (shown["state"], shown["headline"]) == ("called", "Please go to counter 5")
    assert state(public_server, code, "zh")["headline"] == "请到 5 号窗口"
    desk.serve(me, 5)
    assert state(public_server, code)["headline"] == "Being served at counter 5"
    desk.park(me, 5, "photo retake")
    assert state(public_server, code)["headline"] == "Please come back to counter 5 when ready"
    admin.transfer(admin.actor, number, to_counter=5)  # an open counter: a closed one refuses
    shown = state(public_server, code)
    assert shown["state"] == "transferred" and shown["detail"].startswith("Moved to counter 5")
    admin.transfer(admin.actor, number, to_service="PP")
    assert state(public_server, code)["detail"].startswith("Moved to: Passport")
    assert state(public_server, code)["service"] == "Passport"

    other, other_code = issue(admin, public_server)
    admin.cancel(admin.actor, other)
    assert state(public_server, other_code)["state"] == "cancelled"
    admin.close_day(admin.actor)
    shown = state(public_server, code)
    assert shown["state"] == "expired" and shown["final"]


def test_a_page_shows_nothing_but_what_it_needs(public_server: Server, admin, clerk) -> None:
    _, code = issue(admin, public_server, green_reason="elderly", green_note="wheelchair")
    shown = state(public_server, code)
    assert set(shown) == {"state", "number", "service", "headline", "detail", "counter",
                          "recalls", "rate_url", "final"}  # fmt: skip
    page = httpx.get(f"{public_server.url}/t/{code}").text
    for private in ("elderly", "wheelchair", "1005", "clerk"):
        assert private not in page and private not in str(shown)


def test_unknown_or_guessed_codes_find_nothing(public_server: Server, admin) -> None:
    number, code = issue(admin, public_server)
    with sqlite3.connect(public_server.db) as conn:
        ticket_id = conn.execute("SELECT id FROM tickets WHERE public_code = ?", (code,)
                                 ).fetchone()[0]  # fmt: skip
    wrong = ("A" if code[0] != "A" else "B") + code[1:]
    for guess in (str(ticket_id), number, wrong, code.lower(), code + "x", code + "%0A"):
        for page in ("t", "f"):
            answer = httpx.get(f"{public_server.url}/{page}/{guess}")
            assert answer.status_code == 404, guess
            assert number not in answer.text
        assert httpx.get(f"{public_server.url}/t/{guess}/state").status_code == 404


def test_the_rating_page_rates_a_finished_ticket_once(public_server: Server, admin,
                                                      clerk) -> None:  # fmt: skip
    desk, me = clerk
    number, code = issue(admin, public_server)
    url = f"{public_server.url}/f/{code}"
    own = {**EN, "Origin": public_server.url}  # the form posts from the hall's own page
    assert "You can rate once your matter is done" in httpx.get(url, headers=EN).text
    refused = httpx.post(url, data={"rating": "5"}, headers=own)
    assert refused.status_code == 409 and "once your matter is done" in refused.text
    while desk.call_next(me, 5).number != number:
        desk.finish(me, 5)
    desk.finish(me, 5)
    assert state(public_server, code)["rate_url"] == f"/f/{code}?lang=en"
    form = httpx.get(url).text
    assert "非常满意" in form and "非常不满意" in form and 'name="comment"' in form

    assert httpx.post(url, data={"rating": "9"}, headers=own).status_code == 422
    thanks = httpx.post(url, data={"rating": "2", "comment": "等得太久"}, headers=own)
    assert thanks.status_code == 200 and "Thank you for your rating" in thanks.text
    again = httpx.post(url, data={"rating": "5"}, headers=own)
    assert again.status_code == 409 and "already been rated" in again.text
    assert "already been rated" in httpx.get(url, headers=EN).text

    ticket = admin.get_ticket(number)
    assert (ticket.rating, ticket.feedback) == (2, "等得太久")
    rated = [e for e in admin.changes_since(0, 5000) if e.kind == "rated"]
    assert rated[-1].actor == "citizen" and rated[-1].changes["rating"] == [None, 2]
    reader = open_readonly(str(public_server.db))
    try:
        day = ticket.day
        report = compute(reader, DayRange(day, day), personal=True)
    finally:
        reader.close()
    assert report["satisfaction"]["distribution"]["2"] >= 1


def test_the_board_shows_calls_and_can_be_private(public_server: Server, admin, clerk) -> None:
    desk, me = clerk
    number, _ = issue(admin, public_server)
    while desk.call_next(me, 5).number != number:
        desk.finish(me, 5)
    board = httpx.get(f"{public_server.url}/board/state").json()
    assert board["calls"][0]["number"] == number and board["calls"][0]["counter"] == 5
    assert {"zh": "身份证", "en": "ID card"}.items() <= board["waiting"][0].items()
    assert set(board) == {"hall", "open", "closed", "calls", "waiting"}
    admin.set_setting(admin.actor, "board_token", TV)
    try:
        for path in ("/board", "/board/state", "/board/events"):
            assert httpx.get(f"{public_server.url}{path}").status_code == 403
            assert httpx.get(f"{public_server.url}{path}?token={TV}-2").status_code == 403
        assert httpx.get(f"{public_server.url}/board?token={TV}").status_code == 200
    finally:
        admin.set_setting(admin.actor, "board_token", "")
    desk.finish(me, 5)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng makes the WAV")
def test_the_board_serves_the_announcement_of_a_call_on_it_and_nothing_else(
    public_server: Server, admin, clerk
) -> None:
    desk, me = clerk
    number, _ = issue(admin, public_server)
    while desk.call_next(me, 5).number != number:
        desk.finish(me, 5)
    call = httpx.get(f"{public_server.url}/board/state").json()["calls"][0]
    assert call["audio"] == f"/board/audio/{number}/5.wav"
    spaced = " ".join(number)
    assert call["say"] == [  # the hall's words, for a browser that must speak them itself
        {"lang": "zh-CN", "text": f"请 {spaced} 号到 5 号窗口办理"},
        {"lang": "en", "text": f"Number {', '.join(number)}, please go to counter 5"},
    ]
    url = public_server.url + call["audio"]
    full = httpx.get(url, timeout=30)
    assert full.status_code == 200 and full.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(full.content)) as w:
        seconds = w.getnframes() / w.getframerate()
    assert 2 <= seconds <= 12
    assert httpx.get(url, timeout=30).content == full.content  # made once, kept
    short = httpx.get(url, params={"short": 1}, timeout=30)
    assert short.status_code == 200 and len(short.content) < len(full.content)
    for other in (f"/board/audio/{number}/4.wav", "/board/audio/Z999/5.wav",
                  "/board/audio/%E8%AF%B7/5.wav"):  # fmt: skip
        answer = httpx.get(public_server.url + other)
        assert answer.status_code == 404 and not answer.content.startswith(b"RIFF"), other
    admin.set_setting(admin.actor, "board_token", TV)
    try:
        assert httpx.get(url).status_code == 403
        assert httpx.get(url, params={"token": TV}, timeout=30).status_code == 200
    finally:
        admin.set_setting(admin.actor, "board_token", "")
    desk.finish(me, 5)


def _station_requests():
    for op in OPERATIONS:
        path = re.sub(r"\{[^}]+\}", "1", op.url)
        yield op.method, path
    yield "GET", "/openapi.json"


def test_a_public_code_opens_no_station_route(public_server: Server, admin) -> None:
    _, code = issue(admin, public_server)
    admin.set_setting(admin.actor, "board_token", TV)
    try:
        with httpx.Client(base_url=public_server.url) as web:
            for method, path in _station_requests():
                for headers, params in (
                    ({}, {}),
                    ({"Authorization": f"Bearer {code}"}, {}),
                    ({"Authorization": f"Bearer {TV}"}, {"token": TV}),
                    ({"Referer": f"{public_server.url}/t/{code}"}, {"code": code}),
                ):
                    answer = web.request(method, path, headers=headers, params=params)
                    assert answer.status_code == 401, (method, path, headers)
                    assert answer.json()["error"] == "unauthenticated"
            # nor do the public paths lead under the station API
            for path in (
                f"/t/{code}/../../api/v1/tickets",
                "/static/public/../app.py",
                "/static/public/%2e%2e/app.py",
                "/board/../api/v1/hall",
            ):
                answer = web.get(path)
                assert answer.status_code in (401, 404), path
                assert "ticket" not in answer.text.lower() or answer.status_code == 401
    finally:
        admin.set_setting(admin.actor, "board_token", "")


def test_public_pages_load_only_their_own_files_under_a_strict_policy(public_server: Server,
                                                                      admin) -> None:  # fmt: skip
    _, code = issue(admin, public_server)
    weight = 0
    for path in (f"/t/{code}", f"/f/{code}", "/board", f"/t/{code}/state",
                 "/static/public/public.css", "/static/public/ticket.js"):  # fmt: skip
        answer = httpx.get(public_server.url + path)
        csp = answer.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe" not in csp and "frame-ancestors 'none'" in csp
        policy = "same-origin" if path.startswith("/f/") else "no-referrer"  # its form posts
        assert answer.headers["referrer-policy"] == policy
        if path.startswith(("/t/", "/static/public/public", "/static/public/t")) and (
            not path.endswith("/state")
        ):
            weight += len(answer.content)
        if path in (f"/t/{code}", f"/f/{code}", "/board"):
            assert "<script>" not in answer.text and "style=" not in answer.text
            assert " on" not in re.sub(r">[^<]*<", "><", answer.text)  # no inline handlers
            for src in re.findall(r'(?:src|href|action)="([^"]*)"', answer.text):
                assert (
                    src.startswith(("/static/public/", "/t/", "/f/", "?lang=", "data:,")) or not src
                )
    assert weight < 30_000  # the first page with its style and script
    for script in ("ticket.js", "board.js"):
        text = httpx.get(f"{public_server.url}/static/public/{script}").text
        assert "/api/" not in text and "document.cookie" not in text


def test_requests_are_limited_per_client_address(tmp_path) -> None:
    from tests.server.conftest import build_hall, free_port

    db = tmp_path / "hall.db"
    build_hall(db)
    srv = Server(db, free_port())
    srv.start()
    try:
        answers = [httpx.get(f"{srv.url}/t/{'x' * 22}").status_code for _ in range(20)]
        assert answers[0] == 404 and 429 in answers  # misses cost more: guessing is slow
        ratings = [httpx.post(f"{srv.url}/f/{'y' * 22}", data={"rating": "5"}).status_code
                   for _ in range(12)]  # fmt: skip
        assert 429 in ratings
        assert httpx.get(f"{srv.url}/health").status_code == 200  # stations are not limited
    finally:
        srv.stop()


def test_the_access_log_keeps_no_code(public_server: Server, admin) -> None:
    _, code = issue(admin, public_server)
    assert httpx.get(f"{public_server.url}/t/{code}/state").status_code == 200
    health = httpx.get(f"{public_server.url}/health").json()  # logged after the request above

    def logged() -> str:  # the line is written once the answer has gone out
        text = public_server.log.read_text(encoding="utf-8")
        return text if '"path": "/health"' in text.rsplit("/t/…/state", 1)[-1] else ""

    log = wait_until(logged, what="the access log line of /health")
    assert health["status"] == "ok"
    assert '"path": "/t/…/state"' in log and code not in log


def test_the_request_allowance_refills_and_forgets_full_addresses(monkeypatch) -> None:
    from console.server import public

    now = [1000.0]
    monkeypatch.setattr(public.time, "monotonic", lambda: now[0])
    limiter = public.RateLimiter(60)
    assert all(limiter.take("10.0.0.1") for _ in range(60))
    assert not limiter.take("10.0.0.1")
    now[0] += 5  # a request a second comes back
    assert sum(limiter.take("10.0.0.1") for _ in range(10)) == 5
    for i in range(10_001):
        limiter.take(f"10.1.{i // 250}.{i % 250}")
    now[0] += 120
    limiter.take("10.0.0.2")
    assert len(limiter.buckets) < 10
