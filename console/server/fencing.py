"""Generations on the wire: which copy of the hall a server serves, and refusing the old one.

Every API answer carries ``X-QConsole-Generation``, the hall generation this server
serves (``console.engine.failover``: one more per restore). A station sends the
highest generation it has seen in the same header; a server on an older one refuses
the request (409, reason ``server.old_generation``) before it reads the body or does
anything, so a station never acts on an old primary that came back after a failover;
it moves to the next server of its list. A server that found a newer generation in its
replica (it has been replaced) refuses every request the same way.
"""

from __future__ import annotations

import json
from typing import Any

GENERATION_HEADER = "X-QConsole-Generation"
_HEADER = GENERATION_HEADER.lower().encode()


def seen_generation(headers: dict[bytes, bytes]) -> int:
    """The generation a request says its station has seen (0: none said)."""
    value = headers.get(_HEADER, b"")
    return int(value) if value.isdigit() and len(value) < 10 else 0


class Fence:
    """Pure ASGI middleware in front of the API: names this server's generation on every
    answer and refuses stations that have seen a newer one, or everyone once fenced."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/api/"):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        own: int = state.hall.generation
        fenced = state.fenced()
        seen = seen_generation(dict(scope["headers"]))
        mine = (_HEADER, str(own).encode())
        if fenced or seen > own:
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            from console.domain.errors import Refused
            from console.server.refusals import refusal_body

            error = (
                Refused(reason="server.fenced", url=host, detail=fenced)
                if fenced
                else Refused(reason="server.old_generation", url=host, generation=own, seen=seen)
            )
            lang = dict(scope["headers"]).get(b"accept-language", b"").decode("latin-1")
            body = json.dumps(refusal_body(error, lang), ensure_ascii=False)
            data = body.encode()
            await send({"type": "http.response.start", "status": 409,
                        "headers": [(b"content-type", b"application/json"), mine,
                                    (b"content-length", str(len(data)).encode())]})  # fmt: skip
            await send({"type": "http.response.body", "body": data})
            return

        async def sending(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), mine]}
            await send(message)

        await self.app(scope, receive, sending)
