"""``qconsole printers ...`` and ``tickets reprint`` through typer's CliRunner."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from console.cli import printers as printers_cli
from console.domain import Actor
from printers.testing import FakePrinter

DESK = Actor(staff_no="cli", role="admin", station="reception-1")

app = typer.Typer()
app.add_typer(printers_cli.app, name="printers")
app.command("reprint")(printers_cli.reprint)  # the lead attaches it as ``tickets reprint``


@pytest.fixture
def qc(small_hall):
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(app, [str(a) for a in args], env={"QCONSOLE_DB": small_hall.path})
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run


@pytest.fixture
def fake():
    with FakePrinter("online") as printer:
        yield printer


def test_add_list_test_remove(qc, fake):
    added = qc(
        "printers",
        "add",
        "desk",
        "--connection",
        "network",
        "--address",
        fake.address,
        "--station",
        "reception-1",
    )
    assert added.exit_code == 0, added.stderr
    listed = qc("printers", "list", "--status", "--json")
    assert listed.exit_code == 0
    [row] = json.loads(listed.stdout)
    assert row["name"] == "desk" and row["status"] == "online, paper ok"
    tested = qc("printers", "test", "desk")
    assert tested.exit_code == 0 and "online, paper ok" in tested.stdout
    assert "T000" in fake.parsed().lines
    assert qc("printers", "remove", "desk").exit_code == 0
    assert json.loads(qc("printers", "list", "--json").stdout) == []


def test_bad_address_is_bad_input(qc):
    result = qc("printers", "add", "p", "--connection", "usb", "--address", "not-an-id")
    assert result.exit_code == 2
    assert "VID:PID" in result.stderr


def test_test_page_exit_codes(qc):
    with FakePrinter("paper_out") as fake:
        qc("printers", "add", "p1", "--connection", "network", "--address", fake.address)
        out_of_paper = qc("printers", "test", "p1", "--json")
    assert out_of_paper.exit_code == 1
    assert json.loads(out_of_paper.stderr)["message"].startswith("printer p1 is out of paper")
    qc("printers", "add", "p2", "--connection", "network", "--address", "127.0.0.1:1")
    unreachable = qc("printers", "test", "p2")
    assert unreachable.exit_code == 3
    assert "refused the connection" in unreachable.stderr
    assert qc("printers", "test", "nope").exit_code == 2


def test_reprint_a_ticket(qc, small_hall, fake):
    qc("printers", "add", "desk", "--connection", "network", "--address", fake.address)
    number = small_hall.issue(DESK, "ID").ticket.number
    result = qc("reprint", number)
    assert result.exit_code == 0, result.stderr
    assert f"printed ticket {number} on desk" in result.stdout
    assert number in fake.parsed().lines
    jobs = json.loads(qc("printers", "jobs", "--json").stdout)
    assert [j["status"] for j in jobs] == ["done"]


def test_reprint_failure_keeps_the_job_and_says_why(qc, small_hall):
    with FakePrinter("cover_open") as fake:
        qc("printers", "add", "desk", "--connection", "network", "--address", fake.address)
        number = small_hall.issue(DESK, "ID").ticket.number
        result = qc("reprint", number)
    assert result.exit_code == 1
    assert "cover is open" in result.stderr
    [job] = json.loads(qc("printers", "jobs", "--status", "failed", "--json").stdout)
    assert "cover open" in job["error"]
    assert small_hall.get_ticket(number).status == "waiting"


def test_reprint_receipt_needs_a_finished_ticket(qc, small_hall, fake):
    qc("printers", "add", "desk", "--connection", "network", "--address", fake.address)
    number = small_hall.issue(DESK, "ID").ticket.number
    assert qc("reprint", number, "--receipt").exit_code == 1


@pytest.fixture
def shell(small_hall):
    """The whole ``qconsole`` command line, in-process, on this test's hall."""
    from console.cli.main import app as qconsole

    runner = CliRunner()

    def run(*args, env=None):
        result = runner.invoke(qconsole, [str(a) for a in args],
                               env={"QCONSOLE_DB": small_hall.path, **(env or {})})  # fmt: skip
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run


def test_issue_with_print_says_what_became_of_the_slip(shell, fake):
    shell("printers", "add", "entrance", "--connection", "network", "--address", fake.address,
          "--station", "reception-1")  # fmt: skip
    issued = shell("tickets", "issue", "ID", "--print", "--station", "reception-1", "--json")
    assert issued.exit_code == 0, issued.stderr
    body = json.loads(issued.stdout)
    job = body["print_job"]
    assert job["status"] == "done" and job["printer"] == "entrance"
    assert job["ticket"] == body["ticket"]["number"] in fake.parsed().lines
    # the same station by its environment variable, in words
    said = shell("tickets", "issue", "ID", "--print", env={"QCONSOLE_STATION": "reception-1"})
    assert said.exit_code == 0 and "printed ticket" in said.stdout and "on entrance" in said.stdout


def test_another_station_has_no_printer_and_is_told(shell, fake):
    shell("printers", "add", "entrance", "--connection", "network", "--address", fake.address,
          "--station", "reception-1")  # fmt: skip
    issued = shell("tickets", "issue", "ID", "--print", "--station", "reception-2")
    assert issued.exit_code == 0  # the ticket is issued whatever the printer does
    assert "failed: no printer is set up here" in issued.stdout
    assert fake.received == b""


def test_an_unconfirmed_slip_is_never_called_printed(shell):
    with FakePrinter("no_answer") as silent:
        shell("printers", "add", "entrance", "--connection", "network",
              "--address", silent.address)  # fmt: skip
        issued = shell("tickets", "issue", "ID", "--print", "--json")
    job = json.loads(issued.stdout)["print_job"]
    assert job["status"] == "unconfirmed" and "may not have printed" in job["message"]
    jobs = json.loads(shell("printers", "jobs", "--json").stdout)
    assert jobs[0]["status"] == "unconfirmed" and jobs[0]["ticket_number"] == job["ticket"]


def test_work_once_exits_1_when_a_job_failed(shell, small_hall, fake):
    shell("printers", "add", "entrance", "--connection", "network", "--address", fake.address,
          "--station", "reception-1")  # fmt: skip
    small_hall.issue(DESK, "ID", print_ticket=True)
    fake.mode = "paper_out"
    worked = shell("printers", "work", "--once")
    assert worked.exit_code == 1 and "out of paper" in worked.stdout
    assert shell("printers", "work", "--once").exit_code == 0  # nothing left: nothing failed
    table = shell("printers", "jobs").stdout
    assert "A001" in table and "#" not in table and "offline: offline" not in table
