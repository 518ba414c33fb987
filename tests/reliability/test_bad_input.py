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
    if result.exit_code:  # usage errors (2) included: one line, never a box
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


HUGE_INT = st.integers(min_value=2**63, max_value=10**40).map(str) | st.integers(
    max_value=-(2**63) - 1, min_value=-(10**40)
).map(str)
NON_ASCII_DIGITS = st.text(alphabet="²³¹０１２３٠١٢٣٤५६७๘๙߀", min_size=1, max_size=6)
SURROGATE_ESCAPED = st.binary(min_size=1, max_size=8).map(
    lambda b: (b"\xff" + b).decode("utf-8", "surrogateescape")
)
CONTROL = st.text(alphabet="".join(map(chr, [*range(0, 32), 127, 0x85, 0x2028])), min_size=1,
                  max_size=4).map(lambda c: f"A{c}1")  # fmt: skip
CLASSES = st.one_of(
    HUGE_INT,
    NON_ASCII_DIGITS,
    NON_ASCII_DIGITS.map(lambda d: f"#{d}"),
    HUGE_INT.map(lambda n: f"#{n}"),
    SURROGATE_ESCAPED,
    CONTROL,
)
OUTPUT_COMMANDS = [
    ["backup"],
    ["export", "--day", "today", "--out"],
    ["export", "--day", "today", "--what", "summary", "--format", "xlsx", "--out"],
    ["report", "--day", "today", "--format", "html", "--out"],
]


@pytest.fixture(scope="module")
def special_files(tmp_path_factory):
    """A FIFO, a socket and (as root) a private character device: never to be written over."""
    import os
    import socket
    import stat

    where = tmp_path_factory.mktemp("special")
    os.mkfifo(where / "fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(where / "sock"))
    sock.close()
    paths = [where / "fifo", where / "sock"]
    try:
        os.mknod(where / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        paths.append(where / "null")
    except PermissionError:
        pass
    return paths


def _one_clean_line(stderr: str) -> None:
    assert stderr.count("\n") == 1 and stderr.endswith("\n"), repr(stderr)
    body = stderr[:-1]
    assert not any(ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in body), repr(
        stderr
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=st.sampled_from(COMMANDS), args=st.lists(CLASSES, min_size=1, max_size=3),
       as_json=st.booleans())  # fmt: skip
def test_huge_numbers_odd_digits_bad_bytes_and_controls_are_clean_refusals(
    seeded_db, command, args, as_json
):
    argv = [*command, *args] + (["--json"] if as_json else [])
    result = CliRunner().invoke(app, argv, env={"QCONSOLE_DB": str(seeded_db)})
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2, 3), (argv, result.exit_code)
    if any("\udc80" <= c <= "\udcff" for a in args for c in a):
        assert result.exit_code == 2  # not UTF-8: refused before any command runs
    if result.exit_code:
        _one_clean_line(result.stderr)
        assert "internal error" not in result.stderr


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=st.sampled_from(OUTPUT_COMMANDS), pick=st.integers(0, 2), as_json=st.booleans())
def test_device_fifo_and_socket_targets_are_refused(
    seeded_db, special_files, command, pick, as_json
):
    import os

    target = special_files[pick % len(special_files)]
    before = os.stat(target)
    argv = [*command, str(target)] + (["--json"] if as_json else [])
    result = CliRunner().invoke(app, argv, env={"QCONSOLE_DB": str(seeded_db)})
    assert result.exit_code == 2, result.stderr
    _one_clean_line(result.stderr)
    after = os.stat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
