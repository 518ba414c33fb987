"""The desks' calls answered without FastAPI's per-request machinery, same answers.

A desk's call-next or finish is a plain interface call: a counter number in the
path, perhaps a small JSON body, the station's clerk and an idempotency key. On
FastAPI's route each one paid for matching the path against the setup routes,
solving four dependencies and validating the answer: more CPU than the engine's
write itself. A :class:`DirectRoute` sits first in the router for each plain
interface operation whose inputs are its path and a JSON body (the ticket and
counter operations a desk sends all day, and the setup writes alike): it
validates those inputs with the declared types, calls the interface as the
FastAPI route does (``routes.allowed``, ``routes.scoped``, ``ServerHall.awrite``)
and encodes the answer with the declared response type.

It answers only the well-formed request. Anything it would have to refuse (a
missing or malformed key, a counter number out of range, a body that is not
valid JSON for the model) goes on to the operation's FastAPI route, with the body,
so every refusal keeps FastAPI's status and wording. The FastAPI routes also stay
what the OpenAPI description is made from. ``tests/server/test_direct_routes.py``
checks that both give the same answers.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Annotated, Any, get_args, get_origin

from fastapi import FastAPI
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

from console.server import routes
from console.server.operations import OPERATIONS, Operation

KEY = TypeAdapter(
    Annotated[str, Field(min_length=8, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]
)
"""The ``Idempotency-Key`` header, as ``routes.Key`` declares it."""


def _eligible(op: Operation) -> bool:
    """A plain interface write whose inputs are its path and (perhaps) a JSON body."""
    return (
        op.writes
        and op.name not in routes.HANDLERS
        and op.response is not None
        and set(op.params) == set(op.path_args())
    )


FALLBACK = "qconsole.direct_fallback"
"""Set in a request's scope that a direct route hands to FastAPI's: the routes skip it."""


def _unaliased(annotation: Any) -> Any:
    """A declared parameter's type and constraints, without its name on the wire (which the
    route has already matched)."""
    if get_origin(annotation) is not Annotated:
        return annotation
    base, *metas = get_args(annotation)
    plain = []
    for meta in metas:
        if isinstance(meta, FieldInfo) and meta.alias is not None:
            meta = copy.copy(meta)
            meta.alias = meta.validation_alias = meta.serialization_alias = None
        plain.append(meta)
    return Annotated[(base, *plain)]


class DirectRoute(BaseRoute):
    """One operation's well-formed requests, answered directly (see the module)."""

    def __init__(self, op: Operation, router: Any):
        self.op = op
        self.router = router
        pattern = re.escape(op.url)
        self.wires = {op.wire(arg): arg for arg in op.path_args()}
        for wire in self.wires:
            pattern = pattern.replace(re.escape("{" + wire + "}"), f"(?P<{wire}>[^/]+)")
        self.path = re.compile(pattern + "$")
        self.checks = {arg: TypeAdapter(_unaliased(op.params[arg])) for arg in op.path_args()}
        self.answer = TypeAdapter(op.response)
        self.loose = routes.loose_fields(op)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["method"] != self.op.method or FALLBACK in scope:
            return Match.NONE, {}
        found = self.path.match(scope["path"])
        if found is None:
            return Match.NONE, {}
        return Match.FULL, {"direct_path": found.groupdict()}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = await receive()  # the gate has read the whole body: one message
        body = message.get("body", b"")
        args = self._inputs(scope, body)
        if args is None:
            await self._fall_back(scope, body, send)
            return
        key, args = args
        request = routes.Request(scope)
        who = routes.principal_of(request)
        actor = routes.allowed(self.op, who)
        request.state.key = key
        result = await routes.hall_of(request).awrite(
            self.op.name, routes.scoped(who, key), actor, **args
        )
        if self.op.carried:
            result = self.op.response(**{self.op.carried: result})
        answer = self.answer.validate_python(result, from_attributes=True)
        content = self.answer.dump_json(answer, by_alias=True)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(content)).encode())]})  # fmt: skip
        await send({"type": "http.response.body", "body": content})

    def _inputs(self, scope: Scope, body: bytes) -> tuple[str, dict[str, Any]] | None:
        """The key and the interface arguments, or None when FastAPI's route must answer."""
        headers: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name, value)  # the first of a repeated header, as Starlette reads
        try:
            key = KEY.validate_python(headers.get(b"idempotency-key", b"").decode("latin-1"))
            args = {
                self.wires[wire]: self.checks[self.wires[wire]].validate_python(value)
                for wire, value in scope["direct_path"].items()
            }
            if self.op.body is not None:
                media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
                if media != b"application/json":
                    return None
                model: BaseModel = self.op.body.model_validate(json.loads(body))
                args.update(model.model_dump(exclude_none=self.loose))
        except (ValidationError, UnicodeDecodeError, ValueError):
            return None
        return key, args

    async def _fall_back(self, scope: Scope, body: bytes, send: Send) -> None:
        """Hand the request to the operation's FastAPI route, which refuses it in its words."""
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        scope[FALLBACK] = True
        await self.router(scope, replay, send)


def add_direct_routes(app: FastAPI) -> None:
    """Put a :class:`DirectRoute` for every eligible operation before FastAPI's routes."""
    direct = [DirectRoute(op, app.router) for op in OPERATIONS if _eligible(op)]
    # the desks' calls first: the router tries the routes in order
    direct.sort(key=lambda route: route.op.tag != "tickets")
    app.router.routes[0:0] = direct
