"""The citizens' pages, served without a station token: ``/t/{code}`` (a ticket's queue
page, from its QR), ``/f/{code}`` (the receipt's rating page) and ``/board`` (the web
board for a TV), with their live streams, polling fallbacks and static files.

They expose only what a page shows (:mod:`console.engine.public`), by an unguessable
code, never by a ticket id. :class:`PublicGate` limits requests per client address and
sends a strict Content-Security-Policy (scripts and styles only from our own files, no
inline code, no framing, no referrer: the code in the address stays on the phone). The
station API is untouched: its gate (``console.server.app.Gate``) still asks every
``/api/`` request for a station token, and nothing here answers under ``/api/``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import time
import urllib.parse
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.requests import ClientDisconnect

from console.domain.errors import BadInput, NotFound, QConsoleError, Refused
from console.server.public_feed import PublicFeed
from console.server.public_text import page as render
from console.server.public_text import pick_lang, say, ticket_texts

router = APIRouter(include_in_schema=False)

PUBLIC_PREFIXES = ("/t/", "/f/", "/board", "/kiosk", "/static/public/")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")  # fmt: skip
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
]
RATING_HEADERS = [(k, b"same-origin" if k == b"referrer-policy" else v)
                  for k, v in SECURITY_HEADERS]  # fmt: skip
"""The rating page's: its form's post must say where it comes from (under ``no-referrer``
a browser sends ``Origin: null``); the address still never goes to another site."""
RATE_REFUSALS = {"rating.already": "rate.already", "rating.expired": "rate.expired"}
MISS_COST = 10
"""An unknown code costs this many requests of the address's allowance (guessing is slow)."""
RATINGS_PER_MIN = 10
"""Rating submissions per client address and minute."""
BODY_MAX = 2048
FORM_FIELDS = 4
"""A rating form has two fields; a post with more than this is answered 422."""
HEARTBEAT_S = 15.0
STATIC = {
    "public.css": "text/css; charset=utf-8",
    "ticket.js": "text/javascript; charset=utf-8",
    "board.js": "text/javascript; charset=utf-8",
    "kiosk.css": "text/css; charset=utf-8",
    "kiosk.js": "text/javascript; charset=utf-8",
}


class RateLimiter:
    """A token bucket per client address: ``per_min`` requests a minute, in bursts of as
    many. Addresses that have refilled are forgotten, so the table stays small."""

    def __init__(self, per_min: float):
        self.per_min = float(per_min)
        self.buckets: dict[str, tuple[float, float]] = {}

    def take(self, address: str, cost: float = 1.0) -> bool:
        now = time.monotonic()
        tokens, at = self.buckets.get(address, (self.per_min, now))
        tokens = min(self.per_min, tokens + (now - at) * self.per_min / 60)
        allowed = tokens >= cost
        self.buckets[address] = (tokens - cost if allowed else tokens, now)
        if len(self.buckets) > 10_000:
            rate = self.per_min / 60
            self.buckets = {a: (t, when) for a, (t, when) in self.buckets.items()
                            if t + (now - when) * rate < self.per_min}  # fmt: skip
        return allowed

    def charge(self, address: str, cost: float) -> None:
        """Spend ``cost`` more of the address's allowance (down to nothing left)."""
        self.take(address, 0)
        tokens, at = self.buckets[address]
        self.buckets[address] = (max(0.0, tokens - cost), at)


class PublicGate:
    """Pure ASGI middleware for the public paths: one request of the client address's
    allowance (429 beyond it) and the security headers on every answer."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        limits: Limits | None = getattr(state, "limits", None)
        if limits is not None:
            limits.requests.per_min = float(state.public.settings.get("public_rate_per_min", 120))
        if limits is not None and not limits.requests.take(client(scope)):
            body = b"Too many requests; please wait a moment."
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"retry-after", b"10"), *SECURITY_HEADERS]})  # fmt: skip
            await send({"type": "http.response.body", "body": body})
            return

        headers = RATING_HEADERS if path.startswith("/f/") else SECURITY_HEADERS

        async def secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await self.app(scope, receive, secured)


class Limits:
    """The allowances of client addresses (from the ``public_rate_per_min`` setting)."""

    def __init__(self, per_min: int):
        self.requests = RateLimiter(per_min)
        self.ratings = RateLimiter(RATINGS_PER_MIN)


def client(scope: dict) -> str:
    return (scope.get("client") or ("?", 0))[0]


def public_feed(request: Request) -> PublicFeed:
    return request.app.state.public


def _lang(request: Request) -> str:
    return pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"))


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers={"Cache-Control": "no-store"})


class _Stream(StreamingResponse):
    """A live stream holding one of the feed's places (taken before it was made) until
    it ends, however it ends."""

    def __init__(self, chunks: AsyncIterator[str], feed: PublicFeed):
        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        super().__init__(chunks, media_type="text/event-stream", headers=headers)
        self.feed = feed

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.feed.give_back_stream()


def _busy() -> JSONResponse:
    return JSONResponse({"error": "busy"}, status_code=503, headers={"Retry-After": "30"})


def _event(kind: str, data: dict[str, Any]) -> str:
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _found(request: Request, code: str) -> tuple[int, dict[str, Any]] | None:
    """(ticket id, public view) of ``code``; None (and a costlier request) when unknown."""
    found = await public_feed(request).hall.aread("public_ticket", code)
    if found is None:
        request.app.state.limits.requests.charge(client(request.scope), MISS_COST)
    return found


def _not_found(lang: str) -> HTMLResponse:
    return _html(render("notfound.html", lang), 404)


# -- the ticket's queue page -----------------------------------------------------------
@router.get("/t/{code}")
async def ticket_page(request: Request, code: str) -> HTMLResponse:
    lang = _lang(request)
    found = await _found(request, code)
    if found is None:
        return _not_found(lang)
    texts = ticket_texts(found[1], lang, code)
    return _html(render(
        "ticket.html", lang, code=code, state=texts["state"], number=texts["number"],
        service=texts["service"], headline=texts["headline"], detail=texts["detail"],
        rate_url=texts["rate_url"] or "", rate_hidden="" if texts["rate_url"] else "hidden",
        recalls=texts["recalls"],
    ))  # fmt: skip


@router.get("/t/{code}/state")
async def ticket_state(request: Request, code: str) -> JSONResponse:
    """The polling fallback: the page's texts as of now."""
    lang = _lang(request)
    found = await _found(request, code)
    if found is None:
        return JSONResponse({"error": "not_found"}, status_code=404)
    ticket_id, view = found
    view = public_feed(request).views.get(ticket_id, view)
    return JSONResponse(ticket_texts(view, lang, code), headers={"Cache-Control": "no-store"})


@router.get("/t/{code}/events")
async def ticket_events(request: Request, code: str) -> Response:
    lang = _lang(request)
    feed = public_feed(request)
    found = await _found(request, code)
    if found is None:
        return JSONResponse({"error": "not_found"}, status_code=404)
    if not feed.take_stream():
        return _busy()
    return _Stream(_follow_ticket(feed, *found, lang, code), feed)


async def _follow_ticket(feed: PublicFeed, ticket_id: int, view: dict[str, Any], lang: str,
                         code: str) -> AsyncIterator[str]:  # fmt: skip
    """The page's texts whenever they change; ``end`` once the ticket is final."""
    feed.watch(ticket_id, view)
    try:
        yield "retry: 2000\n\n"
        sent = None
        while True:
            texts = ticket_texts(view, lang, code)
            if texts != sent:
                yield _event("state", texts)
                sent = texts
            if texts["final"] or feed.closing:
                yield _event("end", {})
                return
            changed = feed.signal(ticket_id)
            try:
                await asyncio.wait_for(changed.wait(), HEARTBEAT_S)
            except TimeoutError:
                yield ": ping\n\n"
            view = feed.views.get(ticket_id, view)
    finally:
        feed.unwatch(ticket_id)


# -- the receipt's rating page -------------------------------------------------------------
@router.get("/f/{code}")
async def rating_page(request: Request, code: str) -> HTMLResponse:
    lang = _lang(request)
    found = await _found(request, code)
    if found is None:
        return _not_found(lang)
    view = found[1]
    if view["rated"]:
        return _rating(lang, code, view, say(lang, "rate.already"), form=False)
    if view["day"] != public_feed(request).hall.clock.day():
        return _rating(lang, code, view, say(lang, "rate.expired"), form=False)
    if view["state"] != "finished":
        return _rating(lang, code, view, say(lang, "rate.not_finished"), form=False)
    return _rating(lang, code, view, "", form=True)


@router.post("/f/{code}")
async def rate(request: Request, code: str) -> HTMLResponse:
    lang = _lang(request)
    if not request.app.state.limits.ratings.take(client(request.scope)):
        return _html(render("message.html", lang, message=say(lang, "rate.busy")), 429)
    if not _from_the_hall(request):
        return _html(render("message.html", lang, message=say(lang, "rate.elsewhere")), 403)
    form = await _form(request)
    if form is None:
        return _html(render("message.html", lang, message=say(lang, "rate.bad")), 413)
    found = await _found(request, code)
    if found is None:
        return _not_found(lang)
    view = found[1]
    rating = form.get("rating", "")
    if rating not in ("1", "2", "3", "4", "5"):
        return _rating(lang, code, view, say(lang, "rate.bad"), form=True, status=422)
    try:
        await public_feed(request).hall.aengine_write(
            lambda engine: engine.rate_by_code(code, int(rating), form.get("comment") or None)
        )
    except Refused as exc:
        key = RATE_REFUSALS.get(exc.reason or "", "rate.not_finished")
        return _rating(lang, code, view, say(lang, key), form=False, status=409)
    except BadInput:
        return _rating(lang, code, view, say(lang, "rate.bad"), form=True, status=422)
    except NotFound:
        return _not_found(lang)
    except QConsoleError:
        return _html(render("message.html", lang, message=say(lang, "rate.busy")), 503)
    return _rating(lang, code, view, say(lang, "rate.thanks"), form=False)


def _rating(lang: str, code: str, view: dict[str, Any], message: str, *, form: bool,
            status: int = 200) -> HTMLResponse:  # fmt: skip
    return _html(render(
        "rate.html", lang, code=code, number=view["number"],
        service=view["service_zh"] if lang == "zh" else view["service_en"],
        message=message, message_hidden="" if message else "hidden",
        form_hidden="" if form else "hidden",
    ), status)  # fmt: skip


async def _form(request: Request) -> dict[str, str] | None:
    """The posted form (urlencoded, at most ``BODY_MAX`` bytes and ``FORM_FIELDS`` fields;
    a body that is late is answered 408 by the connection's deadline); None when too big.
    Too many fields read as an empty form (no rating: 422)."""
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > BODY_MAX:
                return None
            chunks.append(chunk)
    except ClientDisconnect:
        return None
    text = b"".join(chunks).decode("utf-8", "replace")
    try:
        fields = urllib.parse.parse_qs(text, max_num_fields=FORM_FIELDS)
    except ValueError:
        return {}
    return {k: v[0] for k, v in fields.items()}


def _from_the_hall(request: Request) -> bool:
    """The post comes from a page of this server: the browser says so (``Sec-Fetch-Site:
    same-origin``), or, from one that does not say, its ``Origin`` is the address the phone
    used or ``public_url``. A page elsewhere cannot make a visitor's browser rate."""
    site = request.headers.get("sec-fetch-site")
    if site:
        return site == "same-origin"
    origin = request.headers.get("origin", "")
    where = urllib.parse.urlsplit(origin).netloc.lower() if "://" in origin else ""
    ours = {request.headers.get("host", "").lower()}
    public_url = str(public_feed(request).settings.get("public_url") or "")
    if public_url:
        ours.add(urllib.parse.urlsplit(public_url).netloc.lower())
    return bool(where) and where in ours


# -- the web board --------------------------------------------------------------------------
async def board_allowed(request: Request) -> bool:
    """No ``board_token`` set, or the board's address carries it (read now: a changed
    token shuts the old address at once). A wrong token costs as much of the address's
    allowance as an unknown code: guessing is slow."""
    settings = await public_feed(request).hall.aread("settings")
    wanted = str(settings.get("board_token") or "")
    given = request.query_params.get("token") or ""
    if not wanted or hmac.compare_digest(wanted.encode(), given.encode()):
        return True
    request.app.state.limits.requests.charge(client(request.scope), MISS_COST)
    return False


@router.get("/board")
async def board_page(request: Request) -> HTMLResponse:
    lang = _lang(request)
    if not await board_allowed(request):
        return _html(render("message.html", lang, message=say(lang, "board.forbidden")), 403)
    return _html(render("board.html", lang))


@router.get("/board/state")
async def board_state(request: Request) -> JSONResponse:
    if not await board_allowed(request):
        return JSONResponse({"error": "forbidden"}, status_code=403)
    feed = public_feed(request)
    board = feed.board if feed.board_watchers and feed.board else await feed.board_now()
    return JSONResponse(board, headers={"Cache-Control": "no-store"})


@router.get("/board/events")
async def board_events(request: Request) -> Response:
    if not await board_allowed(request):
        return JSONResponse({"error": "forbidden"}, status_code=403)
    feed = public_feed(request)
    board = await feed.board_now()
    if not feed.take_stream():
        return _busy()
    return _Stream(_follow_board(feed, board), feed)


async def _follow_board(feed: PublicFeed, board: dict[str, Any]) -> AsyncIterator[str]:
    feed.board_watchers += 1
    try:
        yield "retry: 2000\n\n"
        sent = None
        while not feed.closing:
            if board != sent:
                yield _event("board", board)
                sent = board
            changed = feed.board_signal
            try:
                await asyncio.wait_for(changed.wait(), HEARTBEAT_S)
            except TimeoutError:
                yield ": ping\n\n"
            board = feed.board or board
    finally:
        feed.board_watchers -= 1


# -- the pages' files ------------------------------------------------------------------------
@router.get("/static/public/{name}")
async def static_file(name: str) -> Response:
    if name not in STATIC:
        return Response("not found", status_code=404, media_type="text/plain")
    body = (resources.files("console.server") / "public" / name).read_bytes()
    return Response(body, media_type=STATIC[name], headers={"Cache-Control": "max-age=300"})
