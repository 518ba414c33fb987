"""--db or --server: an option on the command line wins over the other's environment
variable; both given the same way is bad usage (exit 2)."""

from __future__ import annotations

import socket

from typer.testing import CliRunner

from console.cli.main import app

runner = CliRunner()


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_a_file_named_on_the_command_line_beats_a_station_s_server(qc_hall) -> None:
    listed = runner.invoke(app, ["tickets", "list", "--db", str(qc_hall.db), "--json"],
                           env={"QCONSOLE_SERVER": closed_port_url()})  # fmt: skip
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.strip().startswith("[")


def test_a_server_named_on_the_command_line_beats_an_admin_s_file(qc_hall) -> None:
    """QCONSOLE_DB names a good file, but --server was asked for: the server is tried (and
    here is not there: exit 3), not refused as bad usage."""
    listed = runner.invoke(app, ["tickets", "list", "--server", closed_port_url(), "--json"],
                           env={"QCONSOLE_DB": str(qc_hall.db),
                                "QCONSOLE_TOKEN": "a-station-token"})  # fmt: skip
    assert listed.exit_code == 3, listed.output


def test_both_on_the_command_line_or_both_from_the_environment_is_bad_usage(qc_hall) -> None:
    url = closed_port_url()
    both = runner.invoke(app, ["tickets", "list", "--db", str(qc_hall.db), "--server", url])
    assert both.exit_code == 2 and "not both" in both.output
    env = {"QCONSOLE_DB": str(qc_hall.db), "QCONSOLE_SERVER": url}
    from_env = runner.invoke(app, ["tickets", "list"], env=env)
    assert from_env.exit_code == 2 and "not both" in from_env.output
    export = runner.invoke(app, ["export", "--day", "today", "--what", "tickets", "--out", "-"],
                           env=env)  # fmt: skip
    assert export.exit_code == 2
