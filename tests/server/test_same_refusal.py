"""A bad value is refused alike in-process and through the hall server.

The limits of what a person types are declared once (``console.domain.fields``); the
engine checks them, and the server's models only document them, so ``qconsole … --db``
and ``qconsole … --server`` give the same exit code, reason code, parameters and words
for the same bad input ("办事员姓名 不能为空", not "bad request: name: String should have
at least 1 character").
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from console.cli.main import app
from tests.server.conftest import Server, build_hall, free_port, register

LONG = "长" * 61
BAD_INPUTS = {
    "an empty clerk name": ["clerks", "add", "3001", "--name", "", "--pin", "2468"],
    "a clerk name too long": ["clerks", "add", "3002", "--name", LONG, "--pin", "2468"],
    "a staff number too long": ["clerks", "add", "3" * 21, "--name", "王芳", "--pin", "2468"],
    "a blank counter name": ["counters", "add", "7", "--name", "   ", "--services", "ID"],
    "a session name too long": ["sessions", "add", LONG, "--opens", "08:00", "--closes", "12:00"],
    "an empty service name": ["services", "add", "XX", "--zh", "", "--en", "x", "--prefix", "X"],
}


@pytest.fixture(scope="module")
def hall_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("hall") / "hall.db"
    build_hall(db, clerks=1, counters=1)
    srv = Server(db, free_port())
    srv.tokens["admin-pc"] = register(db, "admin-pc", admin=True)
    srv.start()
    yield srv
    srv.stop()


def refusal(args: list[str], env: dict[str, str]) -> tuple[int, dict, str]:
    """Exit code, the --json error and the zh-CN line of one command."""
    runner = CliRunner()
    env = {**env, "QCONSOLE_LANG": "zh-CN"}
    as_json = runner.invoke(app, [*args, "--json"], env=env)
    as_line = runner.invoke(app, args, env=env)
    assert as_json.exit_code == as_line.exit_code
    error = json.loads(as_json.stderr.strip().splitlines()[-1])
    return as_json.exit_code, error, as_line.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_in_process_and_over_the_server_refuse_alike(case, hall_server):
    args = BAD_INPUTS[case]
    local = refusal(args, {"QCONSOLE_DB": str(hall_server.db)})
    remote = refusal(args, {"QCONSOLE_SERVER": hall_server.url,
                            "QCONSOLE_TOKEN": hall_server.tokens["admin-pc"]})  # fmt: skip
    code, error, line = local
    assert code == 2 and error["reason"].startswith("field."), local
    assert not line.isascii(), line  # in Chinese, the field's name too
    assert (remote[0], remote[1]["reason"], remote[1]["params"], remote[2]) == (
        code,
        error["reason"],
        error["params"],
        line,
    )
