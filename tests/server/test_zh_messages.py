"""Every message a Chinese station can meet over the hall server comes from a code: the
gate's refusals, the server's model checks (with the field's name in Chinese), a revoked
station's banner (which does not promise to retry), the unreachable banner and the CLI's
``--json``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from console.domain import reasons
from console.domain.errors import QConsoleError
from console.local import LocalHall
from console.remote import RemoteHall
from console.server.auth import revoke_station
from console.tui.app import build_app
from console.tui.i18n import Translator
from console.tui.settings import Settings
from tests.server.conftest import ADMIN, PIN, Server, build_hall, free_port, register
from tests.tui.conftest import ready, until
from tests.tui.english import SENTENCE, english_sentences, screen_text

ZH = Translator("zh-CN")


def chinese(error: BaseException) -> str:
    text = ZH.error(error)
    assert not [s for s in SENTENCE.findall(text) if not s.isupper()], text
    return text


@pytest.fixture
def own_server(tmp_path) -> Iterator[Server]:
    db = tmp_path / "hall.db"
    build_hall(db, clerks=2, counters=2)
    srv = Server(db, free_port())
    for name in ("desk-1", "desk-2"):
        srv.tokens[name] = register(db, name)
    srv.start()
    yield srv
    srv.stop()


def revoke(server: Server, name: str) -> None:
    hall = LocalHall(server.db)
    try:
        revoke_station(hall.engine, ADMIN, name)
    finally:
        hall.close()


def test_the_gates_refusals_carry_their_code(own_server):
    for token, reason in ((None, "station.token_needed"), ("nonsense", "station.unknown_token")):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = httpx.get(own_server.url + "/api/v1/settings", headers=headers)
        assert answer.status_code == 401 and answer.json()["reason"] == reason
    revoke(own_server, "desk-2")
    with pytest.raises(QConsoleError) as refused:
        RemoteHall(own_server.url, token=own_server.tokens["desk-2"], retry_for=0.5)
    assert refused.value.reason == "station.revoked"
    assert chinese(refused.value) == "工作台 desk-2 已被吊销"


def test_the_servers_model_checks_name_the_field_in_chinese(own_server):
    hall = RemoteHall(own_server.url, token=own_server.tokens["desk-1"])
    try:
        actor = hall.login("1001", PIN, "desk-1")
        hall.open_counter(actor, 1)
        with pytest.raises(QConsoleError) as refused:
            hall.pause_counter(actor, 1, "")  # the engine's check, as in-process
        assert (refused.value.reason, refused.value.params["what"]) == (
            "field.empty",
            "pause reason",
        )
        assert chinese(refused.value) == "暂停原因 不能为空"
        with pytest.raises(QConsoleError) as refused:
            hall.call_number(actor, 1, "")  # the server's model
        assert (refused.value.reason, refused.value.params["what"]) == ("field.empty", "ticket")
        assert chinese(refused.value) == "号票 不能为空"
    finally:
        hall.close()


def test_field_names_and_operations_inside_chinese_sentences_are_chinese():
    empty = QConsoleError(reason="field.empty", what="a note")
    assert chinese(empty) == "备注 不能为空"
    matter = QConsoleError(reason="ticket.wrong_status", ticket="A009", status="done",
                           op="change_matter")  # fmt: skip
    assert "change_matter" not in chinese(matter) and "更改办理事项" in chinese(matter)
    assert reasons.stored(reasons.NO_PRINTER, "zh-CN") == "本工作台没有设置打印机"


def test_json_errors_are_in_the_language_the_cli_speaks(own_server, tmp_path: Path):
    env = {**os.environ, "QCONSOLE_LANG": "zh-CN", "QCONSOLE_TOKEN": "nonsense"}
    env.pop("QCONSOLE_DB", None)
    ran = subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", "tickets", "list",
         "--server", own_server.url, "--json"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    error = json.loads(ran.stderr.strip().splitlines()[-1])
    assert error["reason"] == "station.unknown_token"  # what a script reads stays stable
    assert error["message"] == "工作台令牌无效"


async def test_a_revoked_station_is_told_so_in_chinese_and_not_that_it_retries(own_server):
    hall = RemoteHall(own_server.url, token=own_server.tokens["desk-1"], retry_for=0.5)
    try:
        actor = hall.login("1001", PIN, "desk-1")
        hall.open_counter(actor, 1)
        settings = Settings(counter=1, lang="zh-CN", station="desk-1", actor=actor,
                            cursor_blink=False, live_timeout=0.2)  # fmt: skip
        async with build_app(hall, settings).run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            revoke(own_server, "desk-1")
            banner = pilot.app.screen.query_one("#banner")
            await until(pilot, lambda: "已被吊销" in str(banner.render()), timeout=20)
            shown = str(banner.render())
            assert "正在自动重试" not in shown and "新令牌" in shown
            assert english_sentences(pilot.app) == [], screen_text(pilot.app)
    finally:
        hall.close()


async def test_the_login_of_a_station_whose_server_is_down_speaks_chinese(tmp_path):
    from console.tui.screens import LoginScreen

    url = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    hall = RemoteHall(url, token="any", retry_for=0.5, wait=True)
    try:
        settings = Settings(counter=1, lang="zh-CN", station="desk-1", cursor_blink=False,
                            live_timeout=0.2)  # fmt: skip
        async with build_app(hall, settings).run_test(size=(80, 24)) as pilot:
            assert isinstance(pilot.app.screen, LoginScreen)
            error = pilot.app.screen.query_one("#login-error")
            await until(pilot, lambda: "连不上大厅服务器" in str(error.render()), timeout=20)
            assert english_sentences(pilot.app) == [], screen_text(pilot.app)
            assert "ConnectError" not in screen_text(pilot.app)
    finally:
        hall.close()


RAW = [
    ("POST", "/api/v1/tickets", {"service": 5}, "request.not_text", "业务 须是文本",
     "service must be text"),
    ("POST", "/api/v1/counters/1/call", {"ticket": ""}, "field.empty", "号票 不能为空",
     "ticket must not be empty"),
    ("POST", "/api/v1/login", {"staff_no": "1001"}, "request.missing", "缺少 密码",
     "pin is missing"),
    ("POST", "/api/v1/counters", {"number": 0}, "request.at_least", "窗口号 至少为 1",
     "number must be at least 1"),
    ("POST", "/api/v1/printers", {"name": "p", "connection": "fax", "address": "x"},
     "request.not_a_choice", "连接方式 须是 usb|network|serial|file|cups 之一",
     "connection is one of usb|network|serial|file|cups"),
    ("POST", "/api/v1/tickets", {"service": "ID", "low_position": "x"}, "request.not_yes_no",
     "低位窗口 须是 true 或 false", "low_position must be true or false"),
    ("POST", "/api/v1/tickets", {"service": "ID", "colour": "red"}, "request.unknown_field",
     "请求中不能有字段 colour", "the request has no field colour"),
    ("POST", "/api/v1/tickets", b"{not json", "request.body", "请求内容无法读取",
     "the request body is not valid JSON"),
    ("GET", "/api/v1/hall?recent=x", None, "request.not_whole_number", "最近叫号条数 须是整数",
     "recent must be a whole number"),
    ("GET", "/api/v1/nowhere", None, "request.no_route", "这里没有地址 /api/v1/nowhere",
     "no such address here: /api/v1/nowhere"),
]  # fmt: skip


def test_a_raw_request_the_models_refuse_is_answered_from_a_code_in_the_callers_language(
    own_server,
):
    """curl with a wrong type or a missing field: a reason naming the field, said in the
    language the request's Accept-Language prefers (English when it names none), never
    the models' own English ("Input should be a valid string")."""
    token = register(own_server.db, "admin-pc", admin=True)
    tried = 0
    for method, path, body, reason, zh, en in RAW:
        for lang, said in (("zh-CN,zh;q=0.9,en;q=0.8", zh), (None, en), ("en-GB,en", en)):
            tried += 1
            headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"raw-{tried:04}"}
            if lang:
                headers["Accept-Language"] = lang
            if isinstance(body, bytes):
                headers["Content-Type"] = "application/json"
            answer = httpx.request(method, own_server.url + path, headers=headers,
                                   **({"content": body} if isinstance(body, bytes) else
                                      {"json": body} if body is not None else {}))  # fmt: skip
            assert answer.status_code in (404, 422), answer.text
            refusal = answer.json()
            assert (refusal["reason"], refusal["message"]) == (reason, said), answer.text
        assert not [s for s in SENTENCE.findall(zh) if not s.isupper()], zh


def test_every_field_of_the_servers_requests_has_a_chinese_name():
    """A refusal names the field in the reader's language: each body field and query or
    path parameter of the API has its Chinese name in the catalog."""
    from console.server.app import create_app  # noqa: F401 (the routes' models, as served)
    from console.server.operations import OPERATIONS

    names: set[str] = set()
    todo = [op.body for op in OPERATIONS if op.body is not None]
    seen: set[type] = set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
            todo.extend(t for t in _models_in(info.annotation) if t not in seen)
    for op in OPERATIONS:
        for name, kind in (op.params or {}).items():
            alias = next((getattr(m, "alias", None) for m in getattr(kind, "__metadata__", ())
                          if getattr(m, "alias", None)), None)  # fmt: skip
            names.add(alias or name)
    assert sorted(n for n in names if n not in reasons.FIELDS_ZH) == []


def _models_in(annotation: object) -> list[type]:
    from typing import get_args

    from pydantic import BaseModel

    found, todo = [], [annotation]
    while todo:
        kind = todo.pop()
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            found.append(kind)
        todo.extend(get_args(kind))
    return found
