"""The service interface, the server's declarations, LocalHall and RemoteHall agree.

An operation is written in the engine and declared once in
``console.server.operations``; the routes and the remote client are made from
the declaration. These checks catch the ways the pieces could still drift: an
interface method with no declaration (or the other way round), a client or
engine method whose arguments differ from the interface, a declared parameter
or body field the interface does not take, or an interface argument the HTTP
request has no way to carry.
"""

from __future__ import annotations

import inspect

import pytest

from console.engine import Engine
from console.local import LocalHall
from console.remote import RemoteHall
from console.server.operations import BY_NAME, OPERATIONS
from console.service import HallService

LOCAL_ONLY = {"close"}
"""Interface methods that are about the client itself, not the hall."""
SERVER_ONLY = {
    "logout",
    "whoami",
    "stream",
}
"""Declared operations a station uses beyond the interface (sessions, the feed)."""
FROM_THE_CALLER = {"actor", "key", "station"}
"""Arguments the server takes from the request itself: the actor from the token and session,
the key from Idempotency-Key, the station from its token."""


def interface_ops() -> list[str]:
    return sorted(
        name
        for name, value in vars(HallService).items()
        if callable(value) and not name.startswith("_") and name not in LOCAL_ONLY
    )


def shape(fn: object) -> list[tuple[str, object, object]]:
    """Names, kinds and defaults of a method's parameters (after ``self``)."""
    params = list(inspect.signature(fn).parameters.values())  # type: ignore[arg-type]
    if params and params[0].name == "self":
        params = params[1:]
    return [(p.name, p.kind, p.default) for p in params]


def test_every_interface_operation_is_declared_and_nothing_else_is() -> None:
    declared = {op.name for op in OPERATIONS}
    assert len(declared) == len(OPERATIONS), "an operation is declared twice"
    assert set(interface_ops()) - declared == set()
    assert declared - set(interface_ops()) == SERVER_ONLY


@pytest.mark.parametrize("name", interface_ops())
def test_local_and_remote_take_the_interface_arguments(name: str) -> None:
    expected = shape(getattr(HallService, name))
    assert shape(getattr(LocalHall, name)) == expected, "LocalHall differs"
    if name not in vars(LocalHall):  # generated: it passes every argument by name
        assert shape(getattr(Engine, name)) == expected, "the engine differs"
    assert shape(getattr(RemoteHall, name)) == expected, "RemoteHall differs"


@pytest.mark.parametrize("name", interface_ops())
def test_the_declaration_carries_every_argument(name: str) -> None:
    op = BY_NAME[name]
    params = inspect.signature(getattr(HallService, name)).parameters
    fields = set(op.body.model_fields) if op.body is not None else set()
    loose = any(p.kind is p.VAR_KEYWORD for p in params.values())
    named = {n for n, p in params.items() if p.kind is not p.VAR_KEYWORD} - {"self"}
    carried = set(op.params) | fields
    assert set(op.params) <= named, "a declared parameter the interface does not take"
    if not loose:
        assert fields <= named, "a body field the interface does not take"
    missing = named - carried - FROM_THE_CALLER
    assert missing == set(), f"{name}: nothing in the request carries {missing}"
    assert op.params.keys().isdisjoint(fields), "a value both in the URL and in the body"
    if "actor" in named or "key" in named:
        assert op.writes, f"{name} changes the hall but takes no Idempotency-Key"


def test_every_operation_is_documented_for_its_readers() -> None:
    for op in OPERATIONS:
        assert op.summary and op.description and op.summary[0].isupper(), op.name
        assert op.response is not None or op.name == "stream", op.name


def test_the_openapi_description_documents_every_operation() -> None:
    from console.server.app import create_app

    spec = create_app("/nonexistent").openapi()
    ops = [(path, method, op) for path, item in spec["paths"].items()
           for method, op in item.items()]  # fmt: skip
    own = [path for path, _, _ in ops if path.startswith(("/api/v1/kiosk/", "/api/v1/city/"))]
    assert len(ops) == len(OPERATIONS) + len(own) + 1  # the kiosk's, the city's and /health
    for path, method, op in ops:
        where = f"{method.upper()} {path}"
        assert op.get("summary") and op.get("description"), where
        assert op["operationId"].isidentifier() and "api_v1" not in op["operationId"], where
        content = op["responses"]["200"].get("content", {})
        assert content, f"{where}: untyped answer"
        for media in content.values():
            assert media.get("schema") not in (None, {}), f"{where}: untyped answer"
    stream = spec["paths"]["/api/v1/stream"]["get"]["responses"]["200"]["content"]
    assert list(stream) == ["text/event-stream"]
