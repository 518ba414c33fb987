"""The web board's sound: ``/board/audio/{number}/{counter}.wav``, the call as the hall
hears it, made by the same code as ``qconsole announce`` (:mod:`console.announce`), so a
TV's browser needs no voice of its own.

Public like the board (and behind its ``board_token``), but only for a call that is on the
board now: the route cannot be made to say anything else, nor to synthesize at will. Each
WAV is made once (one at a time, on a thread) and kept while the hall's announcement
settings stay the same; ``?short=1`` is the call said once, for a board that is behind.
"""

from __future__ import annotations

import asyncio
import collections

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from console.announce import AnnounceSettings, Voice
from console.domain.errors import QConsoleError
from console.server import public

router = APIRouter(include_in_schema=False)

KEPT = 32
"""Announcements kept made (about 0.5 MB each): more than a board shows."""


class BoardAudio:
    """The announcements made so far, newest last; one is made at a time."""

    def __init__(self) -> None:
        self.made: collections.OrderedDict[tuple, bytes] = collections.OrderedDict()
        self.making = asyncio.Lock()

    async def wav(self, settings: AnnounceSettings, number: str, counter: int,
                  short: bool) -> bytes:  # fmt: skip
        key = (repr(settings), number, counter, short)
        async with self.making:
            if key not in self.made:
                voice = Voice(settings)
                announcement = await asyncio.to_thread(
                    voice.call, number, counter, repeat=1 if short else None
                )
                self.made[key] = announcement.wav
                while len(self.made) > KEPT:
                    self.made.popitem(last=False)
            self.made.move_to_end(key)
            return self.made[key]


@router.get("/board/audio/{number}/{counter}.wav")
async def board_audio(request: Request, number: str, counter: int, short: int = 0) -> Response:
    if not await public.board_allowed(request):
        return JSONResponse({"error": "forbidden"}, status_code=403)
    feed = public.public_feed(request)
    board = feed.board if feed.board_watchers and feed.board else await feed.board_now()
    if not any(c["number"] == number and c["counter"] == counter for c in board.get("calls", [])):
        return JSONResponse({"error": "not_found"}, status_code=404)
    settings = AnnounceSettings.from_hall(await feed.hall.aread("settings"))
    try:
        wav = await request.app.state.board_audio.wav(settings, number, counter, bool(short))
    except QConsoleError as exc:  # no synthesizer on the server: the page speaks itself
        return JSONResponse({"error": "no_voice", "message": exc.message}, status_code=503)
    return Response(wav, media_type="audio/wav", headers={"Cache-Control": "max-age=300"})
