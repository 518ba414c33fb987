"""The city's public "where to go now" page for phones: ``/where?service=ID`` (or
``?matter=CODE``, or ``?q=`` to find a matter by name), served by ``qconsole city serve``.

For the service or matter asked for it lists the city's halls open now (``when=tonight``:
those with a night session today), each with its waiting, estimated wait and open counters,
shortest wait first; a tap on "nearest first" asks the phone for its location and sorts
by distance in the browser (the position is never sent). A hall the city cannot reach says
since when its figures are. ``/where/state`` gives the same texts as JSON, for the page's
refresh every 30 s.

Like the hall's ticket page (``console.server.public``): rendered on the server in the
phone's language, no cookies, nothing stored, a strict Content-Security-Policy (our own
script and style only), requests limited per client address, a few kilobytes in all.
The figures come from a :class:`WhereSource` (the city's own database of what its halls
told it), read on a worker thread (the routes are plain functions), never on the event
loop the city's links to its halls run on; the page never reaches a hall itself.
"""

from __future__ import annotations

import functools
import html
import string
import urllib.parse
from datetime import tzinfo
from importlib import resources
from typing import Any, Protocol

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.middleware.gzip import GZipMiddleware

from console.city.where_text import FIND_LIMIT, TEXT, name_in, say, where_texts
from console.server.public import SECURITY_HEADERS, RateLimiter, client
from console.server.public_text import pick_lang

router = APIRouter(include_in_schema=False)

PAGE_PREFIXES = ("/where", "/static/where/")
RATE_PER_MIN = 120
"""Requests per client address and minute (a page and its refreshes use a few)."""
STATIC = {"where.css": "text/css; charset=utf-8", "where.js": "text/javascript; charset=utf-8"}
HEADERS = {k.decode(): v.decode() for k, v in SECURITY_HEADERS}


class WhereSource(Protocol):
    """What the page reads: the city's figures, never a hall directly."""

    tz: tzinfo | None

    def catalogue(self) -> dict[str, list[dict[str, Any]]]:
        """Services and matters offered by any hall: ``code``, ``name_zh``, ``name_en``."""
        ...

    def where(self, service: str | None, matter: str | None) -> dict[str, Any] | None:
        """``now``, ``service`` or ``matter`` (its names) and ``halls`` (each: ``id``,
        ``name``, ``district``, ``address``, ``lat``, ``lon``, ``state``, ``next_opens``,
        ``sessions_today``, ``waiting``, ``estimated_wait_min``, ``counters_open``,
        ``seen_at``, ``stale``); None for a code no hall offers."""
        ...


class PageGate:
    """Pure ASGI middleware for the page's paths: one request of the client address's
    allowance (429 beyond it), the security headers on every answer, and gzip for a phone
    that takes it (a city's hundred halls are 40 KB of list, 5 KB compressed)."""

    def __init__(self, app: Any, per_min: float = RATE_PER_MIN):
        self.app = app
        self.compressed = GZipMiddleware(app, minimum_size=1000)
        self.limiter = RateLimiter(per_min)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/" or path.startswith(PAGE_PREFIXES)):
            await self.app(scope, receive, send)
            return
        if not self.limiter.take(client(scope)):
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"retry-after", b"10"), *SECURITY_HEADERS]})  # fmt: skip
            await send({"type": "http.response.body", "body": b"Too many requests."})
            return

        async def secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.compressed(scope, receive, secured)


def source(request: Request) -> WhereSource:
    return request.app.state.where


@functools.cache
def _template() -> string.Template:
    text = (resources.files("console.city") / "public" / "where.html").read_text("utf-8")
    return string.Template(text)


def _e(value: Any) -> str:
    return html.escape(str(value if value is not None else ""))


def hall_item(hall: dict[str, Any]) -> str:
    """One hall of the list (the page's script builds the same from ``/where/state``)."""
    classes = f"hall g-{hall['group']} s-{hall['state']}" + (" stale" if hall["stale"] else "")
    rest = " · ".join(x for x in (hall["waiting"], hall["counters"]) if x)
    return (
        f'<li class="{classes}" data-lat="{_e(hall["lat"])}" data-lon="{_e(hall["lon"])}">'
        f'<p class="name">{_e(hall["name"])}</p><p class="place">{_e(hall["place"])}</p>'
        f'<p class="status"><b>{_e(hall["status"])}</b> <span class="dist"></span></p>'
        f'<p class="figs"><b class="wait">{_e(hall["wait"])}</b> {_e(rest)}</p>'
        + (f'<p class="stale-note">{_e(hall["stale"])}</p>' if hall["stale"] else "")
        + "</li>"
    )


def _query(service: str | None, matter: str | None) -> str:
    asked = {"matter": matter} if matter else {"service": service} if service else {}
    return urllib.parse.urlencode(asked)


def _pick(request: Request) -> tuple[str, str | None, str | None, str, str]:
    params = request.query_params
    lang = pick_lang(params.get("lang"), request.headers.get("accept-language"))
    service = (params.get("service") or "").strip()[:40] or None
    matter = (params.get("matter") or "").strip()[:80] or None
    when = "tonight" if params.get("when") == "tonight" else "now"
    return lang, service, matter, when, (params.get("q") or "").strip()[:40]


def state_of(src: WhereSource, service: str | None, matter: str | None, lang: str,
             when: str) -> dict[str, Any] | None:  # fmt: skip
    """The page's texts for the thing asked for; None when no hall offers it."""
    where = src.where(service, matter)
    if where is None:
        return None
    return where_texts(where, lang, src.tz, when)


def find_matters(catalogue: dict[str, list[dict[str, Any]]], q: str) -> list[dict[str, Any]]:
    """The first matters whose name (either language) or code holds ``q``."""
    q = q.casefold()
    found = [m for m in catalogue.get("matters", [])
             if q in m["name_zh"].casefold() or q in m["name_en"].casefold()
             or q == m["code"].casefold()]  # fmt: skip
    return found[:FIND_LIMIT]


@router.get("/")
async def home() -> Response:
    return Response(status_code=307, headers={"Location": "/where"})


@router.get("/where")
def where_page(request: Request) -> HTMLResponse:
    lang, service, matter, when, q = _pick(request)
    src = source(request)
    catalogue = src.catalogue()
    texts = None
    if (service or matter) and not q:
        texts = state_of(src, service, matter, lang, when)
    found = find_matters(catalogue, q) if q else []
    chosen = service or next((m["service"] for m in catalogue.get("matters", [])
                              if m["code"] == matter), None)  # fmt: skip
    options = "".join(
        f'<option value="{_e(s["code"])}"{" selected" if s["code"] == chosen else ""}>'
        f"{_e(name_in(s, lang))}</option>"
        for s in catalogue.get("services", [])
    )
    matches = "".join(
        f'<li><a href="?{_e(urllib.parse.urlencode({"matter": m["code"], "lang": lang}))}">'
        f"{_e(name_in(m, lang))}</a></li>"
        for m in found
    ) or (f"<li>{_e(say(lang, 'where.no_match'))}</li>" if q else "")
    query = _query(service, matter)
    values = {
        **{f"t_{key.replace('.', '_')}": _e(zh if lang == "zh" else en)
           for key, (zh, en) in TEXT.items()},
        "lang": lang, "html_lang": "zh-CN" if lang == "zh" else "en",
        "other": "en" if lang == "zh" else "zh", "query": _e(query),
        "query_amp": _e(f"{query}&") if query else "", "q": _e(q), "services": options,
        "matches": matches, "matches_hidden": "" if q else "hidden",
        "answer_hidden": "" if texts else "hidden",
        "asked": _e(texts["asked"]) if texts else "",
        "updated": _e(texts["updated"]) if texts else "",
        "none": _e(texts["none_now"]) if texts else "",
        "none_hidden": "" if texts and texts["none_now"] else "hidden",
        "halls": "".join(hall_item(h) for h in texts["halls"]) if texts else "",
        "now_on": "on" if when == "now" else "", "tonight_on": "on" if when == "tonight" else "",
        "sorted": _e(say(lang, "where.by_wait" if when == "now" else "where.by_opening")),
    }  # fmt: skip
    status = 404 if (service or matter) and not q and texts is None else 200
    return HTMLResponse(_template().safe_substitute(values), status_code=status,
                        headers={"Cache-Control": "no-store"})  # fmt: skip


@router.get("/where/state")
def where_state(request: Request) -> JSONResponse:
    """The page's refresh: the same texts, as JSON."""
    lang, service, matter, when, _ = _pick(request)
    texts = state_of(source(request), service, matter, lang, when) if service or matter else None
    if texts is None:
        return JSONResponse({"error": "not_found"}, status_code=404)
    return JSONResponse(texts, headers={"Cache-Control": "no-store"})


@router.get("/static/where/{name}")
async def static_file(name: str) -> Response:
    if name not in STATIC:
        return Response("not found", status_code=404, media_type="text/plain")
    body = (resources.files("console.city") / "public" / name).read_bytes()
    return Response(body, media_type=STATIC[name], headers={"Cache-Control": "max-age=300"})
