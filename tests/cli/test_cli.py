"""The command-line contract: names, --json, exit codes 0/1/2/3, one-line errors."""

from __future__ import annotations

import json

import typer.main

from console.cli.main import app


def test_a_whole_ticket_life_from_the_shell(qc_hall):
    qc = qc_hall
    assert qc("counters", "open", "1", "--clerk", "1001", "--pin", "2468").exit_code == 0
    issued = qc("tickets", "issue", "ID", "--priority", "elderly", "--json")
    assert issued.exit_code == 0
    assert issued.json["ticket"]["number"] == "A001"
    assert issued.json["ticket"]["green_reason"] == "elderly"
    assert qc("tickets", "issue", "ID").stdout.startswith("A002  ID  1 ahead")
    assert qc("tickets", "call", "1").stdout.strip() == "A001 → counter 1"
    assert qc("tickets", "recall", "1").exit_code == 0
    assert qc("tickets", "serve", "1").exit_code == 0
    done = qc(
        "tickets",
        "done",
        "1",
        "--outcome",
        "incomplete",
        "--bring",
        "户口簿;照片",
        "--rating",
        "4",
        "--json",
    )
    assert done.json["materials"] == ["户口簿", "照片"]
    assert qc("tickets", "call", "1", "A002").exit_code == 0
    assert qc("tickets", "park", "1", "--reason", "photo retake").exit_code == 0
    assert qc("tickets", "show", "A002", "--json").json["park_reason"] == "photo retake"
    assert qc("tickets", "resume", "1", "A002").exit_code == 0
    assert qc("tickets", "transfer", "A002", "--to-counter", "1").exit_code == 1  # it is here
    assert qc("tickets", "park", "1").exit_code == 0
    assert qc("tickets", "transfer", "A002", "--to-counter", "1").exit_code == 0
    assert qc("tickets", "call", "1").exit_code == 0
    assert qc("tickets", "no-show", "1", "--requeue").exit_code == 0
    assert qc("tickets", "green", "A002", "pregnant").exit_code == 0
    assert qc("tickets", "cancel", "A002").exit_code == 0
    listed = qc("tickets", "list", "--json").json
    assert [(t["number"], t["status"]) for t in listed] == [("A001", "done"), ("A002", "cancelled")]
    assert "A001" in qc("tickets", "list").stdout
    shown = qc("tickets", "show", "A001", "--json").json
    assert shown["outcome"] == "incomplete"
    table = qc("tickets", "show", "A001").stdout
    from datetime import datetime

    issued = datetime.fromtimestamp(shown["issued_at"]).astimezone()  # the hall's local time
    assert issued.strftime("%Y-%m-%d %H:%M:%S") in table
    assert str(int(shown["issued_at"])) not in table  # never a raw epoch


def test_refusals_exit_1_with_one_line(qc_hall):
    qc = qc_hall
    r = qc("tickets", "call", "1")
    assert (r.exit_code, r.stderr) == (1, "qconsole: counter 1 is closed; open it first\n")
    qc("counters", "open", "1", "--clerk", "1001", "--pin", "2468")
    r = qc("tickets", "call", "1")
    assert (r.exit_code, r.stderr) == (1, "qconsole: nothing is waiting for counter 1\n")
    r = qc("tickets", "done", "1", "--json")
    assert r.exit_code == 1
    assert json.loads(r.stderr) == {
        "error": "refused",
        "message": "counter 1 has no current ticket",
        "reason": "counter.no_current",
        "params": {"counter": 1},
    }


def test_refusals_speak_the_language_qconsole_lang_names(qc_hall, monkeypatch):
    monkeypatch.setenv("QCONSOLE_LANG", "zh-CN")
    r = qc_hall("tickets", "call", "1")
    assert (r.exit_code, r.stderr) == (1, "qconsole: 1号窗口未开放，请先开窗\n")
    r = qc_hall("tickets", "call", "1", "--json")  # scripts read the code, in any language
    assert json.loads(r.stderr)["reason"] == "counter.not_open"


def test_bad_input_exits_2(qc_hall):
    qc = qc_hall
    cases = [
        (("tickets", "issue", "XX"), "no service 'XX'; services: ID"),
        (("tickets", "show", "A-1"), "is not a ticket number"),
        (("tickets", "list", "--day", "2026-13-01"), "a day is YYYY-MM-DD"),
        (("tickets", "list", "--status", "lost"), "status is one of"),
        (("services", "add", "PP", "--zh", "护照", "--en", "P", "--prefix", "1"), "prefix"),
        (("clerks", "add", "1002", "--name", "x", "--pin", "12"), "4 to 12 digits"),
        (("sessions", "add", "n", "--opens", "25:00", "--closes", "26:00"), "HH:MM"),
    ]
    for args, message in cases:
        r = qc(*args)
        assert r.exit_code == 2, (args, r.stderr)
        assert message in r.stderr and r.stderr.count("\n") == 1, r.stderr
        assert "Traceback" not in r.stderr


def test_usage_errors_exit_2(qc_hall):
    assert qc_hall("tickets", "call", "one").exit_code == 2
    assert qc_hall("tickets", "frobnicate").exit_code == 2


def test_wrong_pin_and_lockout(qc_hall):
    qc = qc_hall
    for _ in range(4):
        r = qc("counters", "open", "1", "--clerk", "1001", "--pin", "0000")
        assert (r.exit_code, r.stderr) == (1, "qconsole: unknown staff number or wrong PIN\n")
    r = qc("counters", "open", "1", "--clerk", "1001", "--pin", "0000")
    assert "locked" in r.stderr
    r = qc("counters", "open", "1", "--clerk", "1001", "--pin", "2468")
    assert r.exit_code == 1 and "locked" in r.stderr
    assert qc("clerks", "edit", "1001", "--unlock").exit_code == 0
    assert qc("counters", "open", "1", "--clerk", "1001", "--pin", "2468").exit_code == 0


def test_unreachable_database_exits_3(qc, tmp_path):
    r = qc("tickets", "list", "--db", str(tmp_path / "nowhere.db"))
    assert r.exit_code == 3 and "qconsole init" in r.stderr
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all" * 50)
    r = qc("tickets", "list", "--db", str(junk), "--json")
    assert r.exit_code == 3 and '"error": "unavailable"' in r.stderr
    assert junk.read_text().startswith("not a database")


def test_setup_commands_round_trip(qc_hall):
    qc = qc_hall
    assert qc("services", "edit", "ID", "--target", "15").exit_code == 0
    assert qc("services", "list", "--json").json[0]["target_wait_min"] == 15
    assert qc("counters", "add", "2", "--services", "ID", "--green", "--low").exit_code == 0
    counters = qc("counters", "list", "--json").json
    assert (counters[1]["green_channel"], counters[1]["low_position"]) == (True, True)
    assert qc("counters", "remove", "2").exit_code == 0
    assert qc("sessions", "add", "夜间专场", "--opens", "18:00", "--closes", "21:00").exit_code == 0
    assert qc("sessions", "list", "--json").json[0]["name"] == "夜间专场"
    assert qc("settings", "set", "green_streak_limit", "2").exit_code == 0
    assert qc("settings", "list", "--json").json["green_streak_limit"] == 2
    assert qc("clerks", "list", "--json").json[0]["staff_no"] == "1001"
    assert "pin" not in qc("clerks", "list", "--json").stdout.lower()
    assert qc("sessions", "remove", "夜间专场").stdout == "session 夜间专场 removed\n"
    assert qc("tickets", "issue", "ID").exit_code == 0  # no sessions: always open
    r = qc("services", "remove", "ID")
    assert (r.exit_code, r.stderr) == (
        1,
        "qconsole: service ID has 1 open tickets; finish them first\n",
    )


def test_idempotency_key_from_the_shell(qc_hall):
    qc = qc_hall
    a = qc("tickets", "issue", "ID", "--key", "reception-1-0001", "--json").json
    b = qc("tickets", "issue", "ID", "--key", "reception-1-0001", "--json").json
    assert a == b
    assert len(qc("tickets", "list", "--json").json) == 1


def test_appointments_import_reports_bad_lines_and_keeps_good_ones(qc_hall, tmp_path, clock):
    day = clock.day()
    csv_file = tmp_path / "bookings.csv"
    csv_file.write_text(
        "code,service,date,time,name,green_reason\n"
        f"YY001,ID,{day},09:00,张三,\n"
        f"YY002,XX,{day},09:10,李四,\n"
        "YY003,ID,tomorrow,09:20,王五,\n"
        f"YY004,ID,{day},,赵六,elderly\n",
        encoding="utf-8-sig",
    )
    r = qc_hall("appointments", "import", str(csv_file))
    assert r.exit_code == 2
    assert "imported 2 appointments" in r.stdout
    assert f"{csv_file}:3: no service 'XX'" in r.stderr
    assert f"{csv_file}:4: date 'tomorrow'" in r.stderr
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("id,what\n1,2\n")
    r = qc_hall("appointments", "import", str(bad_header))
    assert r.exit_code == 2 and "header needs code, service, date" in r.stderr


def test_every_command_has_help_with_an_example():
    root = typer.main.get_command(app)
    missing = []

    def walk(cmd, path: str) -> None:
        if hasattr(cmd, "commands"):  # a group
            for name, sub in cmd.commands.items():
                walk(sub, f"{path} {name}")
        elif "Example: qconsole" not in (cmd.help or ""):
            missing.append(path)

    walk(root, "qconsole")
    assert missing == []
