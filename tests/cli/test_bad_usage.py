"""Through the real entry point: every bad input is one line and exit 2, never a traceback."""

from __future__ import annotations

import json
import sys

import pytest

from console.cli.main import run


def qconsole(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["qconsole", *args])
    with pytest.raises(SystemExit) as done:
        run()
    captured = capsys.readouterr()
    return done.value.code, captured.out, captured.err


@pytest.fixture
def hall_db(qc_hall, monkeypatch):
    monkeypatch.setenv("QCONSOLE_DB", str(qc_hall.db))
    return qc_hall.db


@pytest.mark.parametrize(
    "args",
    [
        ("tickets", "call", "99999999999999999999"),
        ("tickets", "park", "99999999999999999999"),
        ("tickets", "show", "#99999999999999999999"),
        ("tickets", "show", "#²"),
        ("tickets", "show", "#١٢"),
        ("tickets", "issue", "\udcff\udcfe"),
        ("tickets", "issue", "ID", "--key", "\udcff"),
        ("tickets", "issue", "ID", "--note", "bad \udcfe"),
        ("tickets", "call", "--no-such-option"),
        ("tickets", "call", "one"),
        ("tickets", "frobnicate"),
        ("backup", "a\x00b"),  # in-process only (argv cannot hold a NUL): no ValueError
    ],
)
def test_bad_input_is_one_line_and_exit_2(hall_db, monkeypatch, capsys, args):
    code, _, err = qconsole(monkeypatch, capsys, *args)
    assert code == 2, err
    assert err.startswith("qconsole: ") and err.count("\n") == 1, err
    assert "internal error" not in err and "Traceback" not in err
    assert "\udcff" not in err


def test_a_usage_error_is_a_json_object_under_json(hall_db, monkeypatch, capsys):
    code, _, err = qconsole(monkeypatch, capsys, "tickets", "list", "--json", "--bogus")
    assert code == 2
    assert json.loads(err) == {
        "error": "bad_input",
        "message": "qconsole tickets list: No such option: --bogus (see --help)",
        "reason": "usage.no_such_option",
        "params": {"command": "qconsole tickets list", "option": "--bogus"},
    }


def test_control_characters_in_a_path_are_shown_escaped(monkeypatch, capsys, tmp_path):
    code, _, err = qconsole(
        monkeypatch, capsys, "tickets", "list", "--db", f"{tmp_path}/a\nb\x1b[2Jc"
    )
    assert code == 3
    assert err.count("\n") == 1 and "\x1b" not in err
    assert "a\\nb\\x1b[2Jc" in err


def test_version_completion_and_help_without_bool(monkeypatch, capsys):
    code, out, _ = qconsole(monkeypatch, capsys, "--version")
    assert code == 0 and out.startswith("qconsole ") and out.count("\n") == 1
    code, out, _ = qconsole(monkeypatch, capsys, "--help")
    assert code == 0 and "--install-completion" in out
    code, out, _ = qconsole(monkeypatch, capsys, "tickets", "issue", "--help")
    assert code == 0 and "--low" in out and "<bool>" not in out
