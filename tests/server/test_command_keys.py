"""Idempotency keys over the server: replayed for a retry, refused for anything else."""

from __future__ import annotations

import uuid

import httpx

from tests.server.conftest import PIN, Server


def _login(server: Server, station: str, staff_no: str) -> dict[str, str]:
    auth = {"Authorization": f"Bearer {server.tokens[station]}"}
    r = httpx.post(server.url + "/api/v1/login", json={"staff_no": staff_no, "pin": PIN},
                   headers=auth, timeout=10)  # fmt: skip
    assert r.status_code == 200, r.text
    return {**auth, "X-QConsole-Session": r.json()["session"]}


def test_a_reused_key_with_another_body_is_422_bad_input(server: Server) -> None:
    headers = {**_login(server, "desk-1", "1001"), "Idempotency-Key": uuid.uuid4().hex}
    url = server.url + "/api/v1/tickets"
    first = httpx.post(url, json={"service": "ID"}, headers=headers, timeout=10)
    again = httpx.post(url, json={"service": "ID"}, headers=headers, timeout=10)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    other = httpx.post(url, json={"service": "PP"}, headers=headers, timeout=10)
    assert other.status_code == 422, other.text
    assert other.json()["error"] == "bad_input"


def test_another_clerk_replaying_a_key_does_not_get_its_result(server: Server) -> None:
    key = uuid.uuid4().hex
    url = server.url + "/api/v1/tickets"
    first = httpx.post(
        url,
        json={"service": "ID"},
        timeout=10,
        headers={**_login(server, "desk-3", "1001"), "Idempotency-Key": key},
    )
    other = httpx.post(
        url,
        json={"service": "ID"},
        timeout=10,
        headers={**_login(server, "desk-3", "1003"), "Idempotency-Key": key},
    )
    assert first.status_code == other.status_code == 200
    assert first.json()["ticket"]["id"] != other.json()["ticket"]["id"]


def test_the_server_checks_settings_as_the_shell_does(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.tokens['admin-pc']}"}
    for name, value in (("pin_max_failures", 0), ("pin_lockout_min", 10**20),
                        ("estimate_sample", True)):  # fmt: skip
        keyed = {**headers, "Idempotency-Key": uuid.uuid4().hex}
        r = httpx.put(f"{server.url}/api/v1/settings/{name}", json={"value": value},
                      headers=keyed, timeout=10)  # fmt: skip
        assert r.status_code == 422, (name, r.text)
        assert r.json()["error"] == "bad_input"
