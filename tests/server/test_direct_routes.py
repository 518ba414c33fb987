"""The desks' direct routes answer exactly as FastAPI's routes of the same operations.

Two copies of one hall, each behind its own app with the same pinned clock: one app
as the server builds it (direct routes first), one with FastAPI's routes alone. The
same requests, well-formed and not, get the same status and the same JSON from both;
the well-formed ones never reach FastAPI's route in the first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from console.engine import FixedClock
from console.local import LocalHall
from console.server import app as app_module
from console.server import direct
from console.server.auth import add_station
from tests.conftest import ADMIN, MORNING, TZ

REQUESTS: list[tuple[str, str, dict | None, dict[str, str]]] = [
    ("POST", "/api/v1/counters/1/open", None, {}),
    ("POST", "/api/v1/tickets", {"service": "ID"}, {}),
    ("POST", "/api/v1/tickets", {"service": "ID", "green_reason": "elderly"}, {}),
    ("POST", "/api/v1/counters/1/call-next", None, {}),
    ("POST", "/api/v1/counters/1/call-next", None, {}),  # refused: the desk is busy
    ("POST", "/api/v1/counters/1/serve", None, {}),
    ("POST", "/api/v1/counters/1/finish", {"outcome": "done", "rating": 5}, {}),
    ("POST", "/api/v1/counters/1/finish", {"outcome": "finished"}, {}),  # no such outcome
    ("POST", "/api/v1/counters/1/finish", {"rating": "five"}, {}),
    ("POST", "/api/v1/counters/1/call-next", None, {"Idempotency-Key": "short"}),
    ("POST", "/api/v1/counters/1/call-next", None, {"Idempotency-Key": "has spaces in it"}),
    ("POST", "/api/v1/counters/0/call-next", None, {}),
    ("POST", "/api/v1/counters/ten/call-next", None, {}),
    ("POST", "/api/v1/counters/77/call-next", None, {}),  # no such counter
    ("POST", "/api/v1/counters/1/call-next", None, {}),
    ("POST", "/api/v1/counters/1/no-show", {"requeue": True}, {}),
    ("POST", "/api/v1/tickets/cancel", {"ticket": "A002"}, {}),
    ("POST", "/api/v1/counters/1/finish", None, {"Content-Type": "text/plain"}),
    ("POST", "/api/v1/close-day", None, {}),
    ("POST", "/api/v1/counters/1/close", None, {}),
]


@pytest.fixture
def halls(tmp_path: Path) -> tuple[Path, Path, str]:
    first = tmp_path / "direct.db"
    hall = LocalHall(first, clock=FixedClock(MORNING, TZ), create=True)
    hall.add_service(ADMIN, code="ID", name_zh="身份证", name_en="ID card", prefix="A")
    hall.add_counter(ADMIN, number=1, services=["ID"])
    _, token = add_station(hall.engine, ADMIN, "desk-1", "admin")
    hall.close()
    second = tmp_path / "fastapi.db"
    shutil.copy(first, second)
    return first, second, token


async def answers(db: Path, token: str, direct_routes: bool, monkeypatch) -> list:
    with monkeypatch.context() as patch:
        if not direct_routes:
            patch.setattr(app_module, "add_direct_routes", lambda app: None)
        app = app_module.create_app(db, clock=FixedClock(MORNING, TZ))
    got = []
    async with (
        app.router.lifespan_context(app) as _,
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://hall") as http,
    ):
        for n, (method, path, body, headers) in enumerate(REQUESTS):
            sent = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"request-{n:04}",
                    **headers}  # fmt: skip
            if body is None and "Content-Type" in headers:
                r = await http.request(method, path, content=b"{}", headers=sent)
            else:
                r = await http.request(method, path, json=body, headers=sent)
            got.append((method, path, r.status_code, r.json()))
    return got


async def test_direct_routes_answer_as_fastapi_routes(halls, monkeypatch) -> None:
    first, second, token = halls
    fell_back: list[str] = []
    original = direct.DirectRoute._fall_back

    async def counted(self, scope, body, send) -> None:
        fell_back.append(scope["path"])
        await original(self, scope, body, send)

    monkeypatch.setattr(direct.DirectRoute, "_fall_back", counted)
    with_direct = await answers(first, token, True, monkeypatch)
    monkeypatch.setattr(direct.DirectRoute, "_fall_back", original)
    without = await answers(second, token, False, monkeypatch)

    assert with_direct == without
    statuses = [status for _, _, status, _ in with_direct]
    assert statuses.count(200) >= 10 and 409 in statuses and 422 in statuses
    assert statuses.count(422) == len(fell_back)  # only what FastAPI refuses went to it


def test_every_plain_write_has_a_direct_route() -> None:
    app = app_module.create_app("/nonexistent")
    names = {r.op.name for r in app.router.routes if isinstance(r, direct.DirectRoute)}
    assert {"call_next", "finish", "issue", "serve", "recall", "no_show", "transfer",
            "park", "cancel", "close_counter", "close_day"} <= names  # fmt: skip
    assert not {"login", "claim_print_job", "open_counter", "counter_view", "stream"} & names
