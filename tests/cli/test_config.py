"""``qconsole config apply``: a hall from a TOML file, all or nothing."""

from __future__ import annotations

import pytest

HALL = """
[settings]
hall_name = "示范区政务服务中心"
green_streak_limit = 2

[[services]]
code = "ID"
name_zh = "身份证"
name_en = "ID card"
prefix = "A"
materials = ["户口簿"]

[[services]]
code = "PP"
name_zh = "护照"
name_en = "Passport"
prefix = "B"

[[counters]]
number = 1
services = ["ID", "PP"]

[[counters]]
number = 6
services = ["ID+PP"]
green_channel = true

[[clerks]]
staff_no = "1001"
name = "王芳"
pin = "2468"

[[sessions]]
name = "夜间专场"
opens = "18:00"
closes = "21:00"
"""


def test_apply_builds_then_updates_a_hall(qc, tmp_path):
    qc("init")
    path = tmp_path / "hall.toml"
    path.write_text(HALL, encoding="utf-8")
    r = qc("config", "apply", str(path), "--json")
    assert (r.exit_code, r.json) == (0, {"added": 6, "edited": 0, "settings": 2})
    counters = qc("counters", "list", "--json").json
    assert [(c["number"], c["services"], c["green_channel"]) for c in counters] == [
        (1, ["ID", "PP"], False),
        (6, ["ID+PP"], True),
    ]
    assert qc("settings", "list", "--json").json["green_streak_limit"] == 2
    path.write_text(HALL.replace('prefix = "B"', 'prefix = "P"'), encoding="utf-8")
    assert qc("config", "apply", str(path), "--json").json == {
        "added": 0,
        "edited": 6,
        "settings": 0,
    }
    assert {s["code"]: s["prefix"] for s in qc("services", "list", "--json").json}["PP"] == "P"


def test_a_bad_entry_late_in_the_file_changes_nothing(qc, tmp_path):
    qc("init")
    path = tmp_path / "hall.toml"
    path.write_text(HALL.replace("number = 6", 'number = 6\nname = ""'), encoding="utf-8")
    r = qc("config", "apply", str(path))
    assert r.exit_code == 2 and "counter name must not be empty" in r.stderr
    assert qc("services", "list", "--json").json == []


def test_malformed_files_exit_2_with_one_line(qc, tmp_path):
    qc("init")
    cases = {
        "[[services]]\ncode = ": "not valid TOML",
        "[[rooms]]\nx = 1\n": "unknown section rooms",
        "[[services]]\ncode = 5\n": "code has the wrong type",
        '[[counters]]\nname = "x"\n': "needs number",
        '[[clerks]]\nstaff_no = "1"\nshoe = 3\n': "unknown field 'shoe'",
        '[[sessions]]\nname = "a"\n[[sessions]]\nname = "a"\n': "appears twice",
    }
    for text, message in cases.items():
        path = tmp_path / "bad.toml"
        path.write_text(text, encoding="utf-8")
        r = qc("config", "apply", str(path))
        assert r.exit_code == 2 and message in r.stderr, (text, r.stderr)
        assert r.stderr.count("\n") == 1
    r = qc("config", "apply", str(tmp_path / "missing.toml"))
    assert r.exit_code == 2 and "no file" in r.stderr


def test_apply_summary_counts_changed_settings(qc, tmp_path):
    qc("init")
    path = tmp_path / "hall.toml"
    path.write_text("[settings]\npin_max_failures = 3\nhall_name = 'Hall'\n", encoding="utf-8")
    r = qc("config", "apply", str(path))
    assert r.exit_code == 0 and "2 settings changed" in r.stdout


@pytest.mark.parametrize(
    ("name", "toml", "shell"),
    [
        ("estimate_sample", "true", "true"),
        ("pin_max_failures", "0", "0"),
        ("pin_max_failures", "21", "21"),
        ("pin_lockout_min", "99999999999999999999", "99999999999999999999"),
        ("pin_lockout_min", "1441", "1441"),
        ("green_designated_only", "3", "maybe"),
        ("print_lang", "'fr'", "fr"),
        ("hall_name", "12", None),
    ],
)
def test_settings_are_checked_alike_by_set_and_apply(qc, tmp_path, name, toml, shell):
    qc("init")
    before = qc("settings", "list", "--json").json
    path = tmp_path / "hall.toml"
    path.write_text(f"[settings]\n{name} = {toml}\n", encoding="utf-8")
    applied = qc("config", "apply", str(path))
    assert applied.exit_code == 2 and applied.stderr.count("\n") == 1, applied.stderr
    if shell is not None:
        r = qc("settings", "set", name, shell)
        assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
    assert qc("settings", "list", "--json").json == before
