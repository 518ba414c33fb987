"""Fuzzing the command line and the import files: never a traceback, always a clear exit."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from console.cli.main import app

NASTY = st.sampled_from(
    [
        "",
        " ",
        "'",
        '"',
        "'; DROP TABLE tickets; --",
        "\x00",
        "\x1b[31m",
        "\u202egnp.exe",
        "A" * 5000,
        "-1",
        "0",
        "99999999999999999999",
        "1.5",
        "NaN",
        "#",
        "#0",
        "2026-02-30/A001",
        "身份证",
        "--json",
        "../../etc/passwd",
        "A001",
        "%s%n",
        "\r\n",
    ]
)
TEXT = st.one_of(NASTY, st.text(alphabet=string.printable + "中文ا\u202e", max_size=30))

COMMANDS = [
    ["tickets", "issue"],
    ["tickets", "call"],
    ["tickets", "recall"],
    ["tickets", "done"],
    ["tickets", "no-show"],
    ["tickets", "transfer"],
    ["tickets", "park"],
    ["tickets", "resume"],
    ["tickets", "cancel"],
    ["tickets", "green"],
    ["tickets", "list", "--day"],
    ["tickets", "list", "--status"],
    ["tickets", "show"],
    ["tickets", "reprint"],
    ["services", "add"],
    ["services", "edit"],
    ["services", "remove"],
    ["counters", "add"],
    ["counters", "edit"],
    ["counters", "open"],
    ["counters", "pause"],
    ["clerks", "add"],
    ["clerks", "edit"],
    ["sessions", "add"],
    ["sessions", "edit"],
    ["settings", "set"],
    ["appointments", "check-in"],
    ["config", "apply"],
    ["export", "--day"],
    ["report", "--day"],
    ["backup"],
]


@pytest.fixture(autouse=True)
def in_a_scratch_directory(tmp_path, monkeypatch):
    """Fuzzed paths (backup ', export --out 7>) land in a scratch directory, not the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("fuzz") / "hall.db"
    runner = CliRunner()
    env = {"QCONSOLE_DB": str(db)}
    assert runner.invoke(app, ["init", "--demo"], env=env).exit_code == 0
    return db


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=st.sampled_from(COMMANDS), args=st.lists(TEXT, max_size=4), as_json=st.booleans())
def test_no_argument_makes_a_traceback(seeded_db, command, args, as_json):
    argv = [*command, *args] + (["--json"] if as_json else [])
    result = CliRunner().invoke(app, argv, env={"QCONSOLE_DB": str(seeded_db)})
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2, 3), result.exit_code
    assert "Traceback" not in result.output + result.stderr
    if result.exit_code == 1 or result.exit_code == 3:
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.strip(), "a refusal says why"


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        st.lists(st.lists(TEXT, min_size=1, max_size=7), max_size=5).map(
            lambda rows: "\n".join(
                ["code,service,date,time,name,green_reason"] + [",".join(r) for r in rows]
            ).encode()
        ),
    ),
    kind=st.sampled_from(["appointments", "config"]),
)
def test_import_files_are_read_or_refused_cleanly(seeded_db, tmp_path_factory, body, kind):
    path = tmp_path_factory.mktemp("files") / ("in.csv" if kind == "appointments" else "in.toml")
    path.write_bytes(body)
    argv = (
        ["appointments", "import", str(path)]
        if kind == "appointments"
        else ["config", "apply", str(path)]
    )
    result = CliRunner().invoke(app, argv, env={"QCONSOLE_DB": str(seeded_db)})
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output + result.stderr
    if result.exit_code:
        assert result.stderr.strip()


def test_awkward_text_is_stored_and_shown_as_given(tmp_path):
    env = {"QCONSOLE_DB": str(tmp_path / "hall.db")}
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    names = ['O\'Brien "窗口"', "'; DROP TABLE services; --", "مكتب الجوازات", "x" * 200]
    for i, name in enumerate(names):
        r = runner.invoke(
            app,
            ["services", "add", f"S{i}", "--zh", name, "--en", name, "--prefix", "ABC"[i % 3]],
            env=env,
        )
        assert r.exit_code == 0, r.stderr
    listed = runner.invoke(app, ["services", "list", "--json"], env=env)
    import json

    assert [s["name_zh"] for s in json.loads(listed.stdout)] == names
    for bad, message in (("x" * 201, "longer than 200"), ("bell\x07", "control characters")):
        r = runner.invoke(
            app, ["services", "add", "Z", "--zh", bad, "--en", "z", "--prefix", "Z"], env=env
        )
        assert r.exit_code == 2 and message in r.stderr
