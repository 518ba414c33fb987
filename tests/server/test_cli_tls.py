"""The ``stations`` and ``serve`` commands, the tickets CLI over --server, and TLS."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from console.cli.main import app
from console.domain.errors import Unavailable
from console.remote import RemoteHall
from tests.server.conftest import PIN, Server, build_hall, free_port, register

runner = CliRunner()


def qconsole(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", *args],
        capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_stations_add_list_revoke_and_save_token(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "hall.db"
    build_hall(db, clerks=1, counters=1)
    added = runner.invoke(app, ["stations", "add", "desk-05", "--db", str(db), "--json"])
    assert added.exit_code == 0, added.output
    token = json.loads(added.stdout)["token"]
    assert json.loads(added.stdout)["role"] == "station"
    again = runner.invoke(app, ["stations", "add", "desk-05", "--db", str(db)])
    assert again.exit_code == 1 and "exists already" in again.output
    listed = runner.invoke(app, ["stations", "list", "--db", str(db), "--json"])
    assert [s["name"] for s in json.loads(listed.stdout)] == ["desk-05"]
    assert token not in listed.stdout
    assert runner.invoke(app, ["stations", "revoke", "desk-05", "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["stations", "revoke", "nope", "--db", str(db)]).exit_code == 2
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    saved = runner.invoke(app, ["stations", "save-token", token])
    assert saved.exit_code == 0
    path = tmp_path / "cfg" / "qconsole" / "station-token"
    assert path.read_text().strip() == token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert runner.invoke(app, ["stations", "add", "bad name!", "--db", str(db)]).exit_code == 2


def test_no_station_token_looks_like_an_option() -> None:
    """An admin pastes the token as an argument: one starting with '-' was refused as an
    unknown option (one token in 64)."""
    from console.server.auth import new_token

    assert not any(new_token().startswith("-") for _ in range(3000))


def test_serve_refuses_half_a_tls_setup(tmp_path: Path) -> None:
    db = tmp_path / "hall.db"
    build_hall(db, clerks=1, counters=1)
    result = runner.invoke(app, ["serve", "--db", str(db), "--tls-cert", str(db)])
    assert result.exit_code == 2 and "both" in result.output
    # a unit whose certificate was never made: bad setup (exit 2, which systemd does not
    # restart), saying where docs/admin.md makes one
    absent = runner.invoke(app, ["serve", "--db", str(db), "--tls-cert", str(tmp_path / "c.pem"),
                                 "--tls-key", str(tmp_path / "k.pem")])  # fmt: skip
    assert absent.exit_code == 2 and "docs/admin.md, TLS" in absent.output
    missing = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.db"), "--port", "1"])
    assert missing.exit_code == 3


def test_tickets_cli_over_the_server(server: Server) -> None:
    url = server.url
    admin = {"QCONSOLE_TOKEN": server.tokens["admin-pc"]}
    issued = qconsole("tickets", "issue", "PP", "--server", url, "--json", env=admin)
    assert issued.returncode == 0, issued.stderr
    number = json.loads(issued.stdout)["ticket"]["number"]
    plain = {"QCONSOLE_TOKEN": server.tokens["desk-1"]}
    refused = qconsole("tickets", "cancel", number, "--server", url, env=plain)
    assert refused.returncode == 1 and "log in first" in refused.stderr
    clerk = {**plain, "QCONSOLE_STAFF": "9001", "QCONSOLE_PIN": PIN}
    assert qconsole("tickets", "cancel", number, "--server", url, env=clerk).returncode == 0
    listed = qconsole("tickets", "list", "--server", url, "--json", env=plain)
    assert number in listed.stdout
    no_token = qconsole("tickets", "list", "--server", url, env={"QCONSOLE_TOKEN": ""})
    assert no_token.returncode in (1, 2) and no_token.stderr.startswith("qconsole: ")
    down = qconsole("tickets", "list", "--server", f"http://127.0.0.1:{free_port()}", env=plain)
    assert down.returncode == 3 and "unreachable" in down.stderr


def test_tls_with_a_certificate_and_key(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        capture_output=True, timeout=60,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip("openssl cannot make a test certificate here")
    db = tmp_path / "hall.db"
    build_hall(db, clerks=1, counters=1)
    token = register(db, "desk")
    server = Server(db, free_port(), {"desk": token}, scheme="https", verify=str(cert),
                    extra=["--tls-cert", str(cert), "--tls-key", str(key)])  # fmt: skip
    server.start()
    try:
        hall = RemoteHall(server.url, token, verify=str(cert))
        assert [s.code for s in hall.list_services()] == ["ID", "PP"]
        hall.close()
        with pytest.raises(Unavailable):  # an unknown certificate is not trusted
            RemoteHall(server.url, token)
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{server.port}/health", timeout=2)
        # doctor trusts the hall's own certificate authority as the stations do
        trusted = qconsole("doctor", "--server", server.url, "-v", env={"QCONSOLE_CA": str(cert)})
        assert trusted.returncode == 0 and "answered 200" in trusted.stdout, trusted.stdout
        untrusted = qconsole("doctor", "--server", server.url, env={"QCONSOLE_CA": ""})
        assert untrusted.returncode == 1 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stdout
    finally:
        server.stop()
