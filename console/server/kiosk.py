"""The self-service ticket kiosk (取号机): its page at ``/kiosk`` and its few routes.

A kiosk is a touch screen by the door running a browser in kiosk mode. It is a station
of its own role (``qconsole stations add kiosk-1 --kiosk``) whose token may do three
things and nothing else: read what the kiosk shows (``/api/v1/kiosk/home``, the search),
issue a ticket (``POST /api/v1/kiosk/tickets``, under an ``Idempotency-Key``, so a double
tap gives one ticket) and follow that ticket's slip (``/api/v1/kiosk/print-jobs/{id}``);
its print agent (``qconsole printers work``) asks who it is and claims the slips of its own
printer through the same claim, lease and result routes as reception's. ``app.Gate``
answers 403 to a kiosk token anywhere else, before a byte of the body is read.

The citizen's ID number never reaches the server: the page checks it and derives "at or
over the hall's ``elderly_age``" itself, and asks only for ``elderly: true``, which issues
the ticket in the green channel with the reason ``elderly``.

Senior mode's spoken prompt is ``/kiosk/prompt.wav?lang=zh|en``, made by the hall's
announcement voice (:mod:`console.announce`, as the board's calls); where the server has no
synthesizer it answers 503 and the page speaks with the browser's own speech synthesis.

The page, its files and its spoken prompt are public (they hold nothing of the hall's):
the token travels in the page address's fragment (``/kiosk#token=…``), which a browser
never sends, and the page keeps it in the kiosk browser's own storage.
"""

from __future__ import annotations

import asyncio
import base64
import re
import threading
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from console.announce import AnnounceSettings, Voice
from console.catalogue.search import CatalogueIndex, Entry
from console.domain import Actor
from console.domain.errors import AuthError, BadInput, NotFound, QConsoleError
from console.engine.sessions import next_opening, open_session
from console.server import routes
from console.server.auth import Principal
from console.server.kiosk_text import kiosk_page, say
from console.server.public_text import pick_lang

KIOSK_API = "/api/v1/kiosk/"
PRINTING = re.compile(r"^/api/v1/print-jobs/(claim|[0-9]+/(lease|result))$")
"""The print agent's routes (claim, renew, report): a kiosk prints its own slips."""
TOP_MATTERS = 8
"""The most asked-for matters shown as buttons; the rest are found by the search."""
SEARCH_LIMIT = 12
CATALOGUE_FRESH_S = 600.0
"""How long the buttons' order (tickets issued per matter lately) is kept before a recount;
a change to the services or the catalogue rebuilds at once."""
TROUBLES = ("paper_out", "cover_open", "offline")


def kiosk_may(method: str, path: str) -> bool:
    """Whether a kiosk token may use this station route: the kiosk's own, and what its print
    agent needs (who am I, then claim, renew and report its own printer's jobs)."""
    if path.startswith(KIOSK_API) or (method, path) == ("GET", "/api/v1/whoami"):
        return True
    return method == "POST" and bool(PRINTING.match(path))


router = APIRouter(prefix="/api/v1/kiosk", tags=["kiosk"], responses=routes.ERRORS,
                   redirect_slashes=False)  # fmt: skip
page_router = APIRouter(include_in_schema=False)


# -- what the kiosk shows ----------------------------------------------------------------
class KioskChoice(BaseModel):
    """A button: a service (its queue) or a matter (issued in its service's queue)."""

    kind: str = Field(description="service | matter")
    code: str
    name_zh: str
    name_en: str
    service: str = Field(description="The service whose queue the ticket joins")


class KioskHome(BaseModel):
    hall: str
    now: float = Field(description="The hall's clock (Unix seconds)")
    today: str = Field(description="The hall's date (YYYY-MM-DD): ages are counted to it")
    elderly_age: int = Field(description="At or over this age a citizen is served first")
    open: bool
    next_opens: str | None = None
    services: list[KioskChoice]
    matters: list[KioskChoice] = Field(description="The most asked-for matters, most first")
    printer: str | None = Field(None, description="The kiosk's ticket printer")


class KioskIssueIn(BaseModel):
    service: str | None = Field(None, min_length=1, max_length=16)
    matter: str | None = Field(None, min_length=1, max_length=40)
    elderly: bool = Field(False, description="The page read an ID card at or over the "
                          "hall's elderly age (the number itself is never sent)")  # fmt: skip


class KioskTicket(BaseModel):
    number: str
    service_zh: str
    service_en: str
    matter_zh: str | None = None
    matter_en: str | None = None
    ahead: int
    wait_min: int
    green: bool
    page_url: str | None = None
    qr: str | None = Field(None, description="The queue page's QR code (an SVG data URI)")
    job: int | None = Field(None, description="The slip's print job")


class KioskPrint(BaseModel):
    status: str = Field(description="queued | printing | done | failed | unconfirmed")
    trouble: str | None = Field(None, description="paper_out | cover_open | offline | other")
    floor_told: bool = Field(False, description="The floor view alerts on this printer now "
                             "(a failed or unconfirmed slip of a registered printer)")  # fmt: skip


# -- who may ask ----------------------------------------------------------------------------
def kiosk_station(who: routes.Who) -> Principal:
    """The kiosk asking; any other station is refused (these routes issue without a login)."""
    if who.station.role != "kiosk":
        raise AuthError(reason="station.not_kiosk", station=who.station.name)
    return who


Kiosk = Annotated[Principal, Depends(kiosk_station)]


def kiosk_actor(who: Principal) -> Actor:
    """Who issued, in the event log: the kiosk itself (its routes can only issue)."""
    name = who.station.name
    return Actor(staff_no=f"kiosk:{name}", role="clerk", station=name, name=f"kiosk {name}")


# -- the catalogue the buttons and the search come from --------------------------------------
class KioskCatalogue:
    """The services and matters as reception's search indexes them, rebuilt when the
    catalogue changes (or its order grows stale)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: tuple[int, float] | None = None
        self.index = CatalogueIndex()
        self.services: list[Entry] = []
        self.top: list[Entry] = []
        self.names: dict[tuple[str, str], Entry] = {}

    def fresh(self, reader: Any) -> KioskCatalogue:
        """Rebuilt on ``reader`` (a ``LocalHall``) when needed; returns itself."""
        event = reader.engine.views.catalogue_event()
        with self._lock:
            if (self._built is not None and self._built[0] == event
                    and time.monotonic() - self._built[1] < CATALOGUE_FRESH_S):  # fmt: skip
                return self
            index = CatalogueIndex(reader.list_services(), reader.list_matters(),
                                   reader.list_departments())  # fmt: skip
            self.index = index
            self.services = [e for e in index.entries if e.kind == "service"]
            matters = [e for e in index.entries if e.kind == "matter"]
            self.top = sorted(matters, key=lambda e: -e.weight)[:TOP_MATTERS]
            self.names = {(e.kind, e.code): e for e in index.entries}
            self._built = (event, time.monotonic())
        return self


def _catalogue(request: Request) -> KioskCatalogue:
    state = request.app.state
    if getattr(state, "kiosk", None) is None:
        state.kiosk = KioskCatalogue()
    return state.kiosk


def _choice(entry: Entry) -> KioskChoice:
    return KioskChoice(kind=entry.kind, code=entry.code, name_zh=entry.name_zh,
                       name_en=entry.name_en, service=entry.queue)  # fmt: skip


def _home(reader: Any, catalogue: KioskCatalogue, station: str) -> KioskHome:
    catalogue.fresh(reader)
    engine = reader.engine
    now = engine.clock.now()
    local = engine.clock.local(now)
    is_open, _ = open_session(engine.conn, local)
    printer = engine.conn.execute(
        "SELECT name FROM printers WHERE purpose = 'ticket' AND (station = ? OR station IS NULL)"
        " ORDER BY station IS NULL, id LIMIT 1", (station,),
    ).fetchone()  # fmt: skip
    settings = engine.settings()
    return KioskHome(
        hall=str(settings["hall_name"]), now=now, today=local.date().isoformat(),
        elderly_age=int(settings["elderly_age"]), open=is_open,
        next_opens=None if is_open else next_opening(engine.conn, local),
        services=[_choice(e) for e in catalogue.services],
        matters=[_choice(e) for e in catalogue.top],
        printer=printer[0] if printer else None,
    )  # fmt: skip


@router.get("/home", operation_id="kiosk_home", summary="What the kiosk shows",
            description="The hall's name, clock, date and elderly age, whether tickets are "
            "issued now, the services and the most asked-for matters as buttons, and the "
            "kiosk's ticket printer. Kiosk tokens only.")  # fmt: skip
async def home(request: Request, who: Kiosk) -> KioskHome:
    hall = routes.hall_of(request)
    return await hall.aquery(_home, _catalogue(request), who.station.name)


@router.get("/search", operation_id="kiosk_search", summary="Find a service or matter",
            description="Reception's search (name, code, pinyin, pinyin initials such as "
            "`gtgsh`, department), best first. Kiosk tokens only.")  # fmt: skip
async def search(request: Request, who: Kiosk,
                 q: Annotated[str, Query(max_length=40)] = "") -> list[KioskChoice]:  # fmt: skip
    catalogue = await routes.hall_of(request).aquery(lambda r: _catalogue(request).fresh(r))
    if not q.strip():
        return []
    return [_choice(e) for e in catalogue.index.search(q, SEARCH_LIMIT)]


def qr_data_uri(text: str) -> str:
    """The QR code of ``text`` as an SVG data URI (the page's policy allows data: images)."""
    from printers.render.qr import qr_matrix

    matrix = qr_matrix(text)
    size = len(matrix)
    path = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix)
                   for x, dark in enumerate(row) if dark)  # fmt: skip
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
           f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
           f'<path d="{path}" fill="#000"/></svg>')  # fmt: skip
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _slip_job(reader: Any, ticket_id: int) -> int | None:
    row = reader.engine.conn.execute(
        "SELECT id FROM print_jobs WHERE ticket_id = ? AND kind = 'ticket' ORDER BY id DESC",
        (ticket_id,),
    ).fetchone()
    return row[0] if row else None


@router.post("/tickets", operation_id="kiosk_issue", summary="Take a ticket at the kiosk",
             description="Issues a ticket for a service or a matter and queues its slip on "
             "the kiosk's printer; elderly=true puts it in the green channel (reason "
             "elderly). A repeat with the same Idempotency-Key returns the same ticket. "
             "Kiosk tokens only.")  # fmt: skip
async def issue(request: Request, who: Kiosk, key: routes.Key,
                body: KioskIssueIn) -> KioskTicket:  # fmt: skip
    if bool(body.service) == bool(body.matter):
        raise BadInput(reason="kiosk.needs_choice")
    hall = routes.hall_of(request)
    request.state.key = key
    result = await hall.awrite(
        "issue", routes.scoped(who, key), kiosk_actor(who), body.service,
        green_reason="elderly" if body.elderly else None, print_ticket=True,
        matter=body.matter,
    )  # fmt: skip
    ticket = result.ticket
    catalogue = await hall.aquery(lambda r: _catalogue(request).fresh(r))
    service = catalogue.names.get(("service", ticket.service_code or ""))
    matter = catalogue.names.get(("matter", ticket.matter_code or "")) if ticket.matter_code \
        else None  # fmt: skip
    job = await hall.aquery(_slip_job, ticket.id)
    return KioskTicket(
        number=ticket.number,
        service_zh=service.name_zh if service else ticket.service_code or "",
        service_en=service.name_en if service else ticket.service_code or "",
        matter_zh=matter.name_zh if matter else None,
        matter_en=matter.name_en if matter else None,
        ahead=result.ahead, wait_min=result.estimated_wait_min,
        green=ticket.green_reason is not None, page_url=result.page_url,
        qr=qr_data_uri(result.page_url) if result.page_url else None, job=job,
    )  # fmt: skip


def _slip(reader: Any, station: str, job_id: int) -> KioskPrint:
    conn = reader.engine.conn
    job = conn.execute("SELECT * FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
    if job is None:
        raise NotFound(reason="kiosk.no_job", job=job_id)
    asked = conn.execute(
        "SELECT station FROM events WHERE ticket_id = ? AND kind = 'print.queued'"
        " AND json_extract(changes, '$.job') = ? ORDER BY id DESC LIMIT 1",
        (job["ticket_id"], job_id),
    ).fetchone()
    if asked is None or asked[0] != station:
        raise AuthError(reason="kiosk.job_not_yours", job=job_id)
    trouble = None
    if job["status"] in ("failed", "unconfirmed"):
        said = conn.execute(
            "SELECT json_extract(changes, '$.kind_of_error') FROM events WHERE ticket_id = ?"
            " AND kind = 'print.' || ? AND json_extract(changes, '$.job') = ?"
            " ORDER BY id DESC LIMIT 1", (job["ticket_id"], job["status"], job_id),
        ).fetchone()  # fmt: skip
        trouble = said[0] if said and said[0] in TROUBLES else "other"
    told = trouble is not None and job["printer"] is not None  # see HallView.printer_problems
    return KioskPrint(status=job["status"], trouble=trouble, floor_told=told)


@router.get("/print-jobs/{job_id}", operation_id="kiosk_print_job",
            summary="How the kiosk's slip is printing",
            description="The status of a slip this kiosk asked for and, when it failed or "
            "was not confirmed, what the printer said (paper_out, cover_open, offline, "
            "other). Kiosk tokens only.")  # fmt: skip
async def print_job(request: Request, who: Kiosk,
                    job_id: Annotated[int, Path(ge=1, le=2**62)]) -> KioskPrint:  # fmt: skip
    return await routes.hall_of(request).aquery(_slip, who.station.name, job_id)


# -- the page --------------------------------------------------------------------------------
@page_router.get("/kiosk")
async def kiosk(request: Request) -> HTMLResponse:
    lang = pick_lang(request.query_params.get("lang"), None)
    return HTMLResponse(kiosk_page(lang), headers={"Cache-Control": "no-store"})


class KioskPrompt:
    """The spoken prompt, made once per language and announcement settings, one at a time."""

    def __init__(self) -> None:
        self.made: dict[tuple[str, str], bytes] = {}
        self.making = asyncio.Lock()

    async def wav(self, settings: AnnounceSettings, lang: str) -> bytes:
        key = (repr(settings), lang)
        async with self.making:
            if key not in self.made:
                voice = Voice(settings)
                said = await asyncio.to_thread(voice.say, say(lang, "prompt"), lang)
                self.made = {
                    key: said.wav,
                    **{k: v for k, v in self.made.items() if k[0] == key[0]},
                }
            return self.made[key]


@page_router.get("/kiosk/prompt.wav")
async def prompt(request: Request) -> Response:
    lang = "en" if request.query_params.get("lang") == "en" else "zh"
    state = request.app.state
    if getattr(state, "kiosk_prompt", None) is None:
        state.kiosk_prompt = KioskPrompt()
    settings = AnnounceSettings.from_hall(await routes.hall_of(request).aread("settings"))
    try:
        wav = await state.kiosk_prompt.wav(settings, lang)
    except QConsoleError as exc:  # no synthesizer on the server: the page speaks itself
        return JSONResponse({"error": "no_voice", "message": exc.message}, status_code=503)
    return Response(wav, media_type="audio/wav", headers={"Cache-Control": "max-age=300"})
