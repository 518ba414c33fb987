"""An admin's shell set to Chinese reads an import's bad rows in Chinese: each row's line
and column are named before a sentence from its reason code, and ``--json`` carries the
code, its params and the English sentence for scripts."""

from __future__ import annotations

import json
from pathlib import Path

from console.cli.main import app

ZH = {"QCONSOLE_LANG": "zh-CN"}


def test_bad_appointment_rows_are_said_in_chinese_by_line_and_column(
    small_hall, tmp_path: Path, runner
) -> None:
    bookings = tmp_path / "bookings.csv"
    bookings.write_text(
        "code,service,date,time,name,green_reason\n"
        "YY01,ID,2026-11-26,09:30,,\n"  # a good row: stored
        "YY02,NOPE,2026-11-26,,,\n"
        "YY03,ID,2026-11-26,9:99,,\n"
        ",ID,2026-11-26,,,\n",
        encoding="utf-8",
    )
    db = small_hall.path
    small_hall.close()
    said = runner.invoke(app, ["appointments", "import", str(bookings), "--db", db], env=ZH)
    assert said.exit_code == 2
    assert said.stderr.splitlines() == [
        f"{bookings}:3: service: 没有业务 'NOPE'；现有业务：ID, PP",
        f"{bookings}:4: time: 时间 必须是 HH:MM 时间（如 08:30），不是 '9:99'",
        f"{bookings}:5: code: 编码 不能为空",
    ]
    again = runner.invoke(app, ["appointments", "import", str(bookings), "--db", db, "--json"],
                          env=ZH)  # fmt: skip
    rows = json.loads(again.stdout)["errors"]
    first = rows[0]  # the good row was stored the first time: now it is a bad one
    assert (first["line"], first["column"], first["reason"]) == (2, "code", "appointment.imported")
    assert first["message"] == "预约 YY01 已导入过"
    assert first["error"] == "appointment YY01 was imported already"  # for scripts, as before
    assert [(r["line"], r["column"], r["reason"]) for r in rows[1:]] == [
        (3, "service", "service.not_found"), (4, "time", "session.bad_time"),
        (5, "code", "field.empty"),
    ]  # fmt: skip


def test_a_hall_file_entry_the_hall_refuses_is_named_in_chinese(
    small_hall, tmp_path: Path, runner
) -> None:
    toml = tmp_path / "hall.toml"
    toml.write_text(
        '[[services]]\ncode = "HH"\nname_zh = "户籍"\nname_en = "Household"\nprefix = "H"\n\n'
        '[[services]]\ncode = "VEH"\nname_zh = "车驾管"\nname_en = "Vehicles"\nprefix = "V"\n'
        "target_wait_min = -3\n",
        encoding="utf-8",
    )
    db = small_hall.path
    small_hall.close()
    said = runner.invoke(app, ["config", "apply", str(toml), "--db", db], env=ZH)
    assert said.exit_code == 2
    assert said.stderr.strip() == (
        f"qconsole: {toml}：services 第 2 项：目标等候时间（分钟） 必须在 0 到 10000 之间，不是 -3"
    )
    as_json = runner.invoke(app, ["config", "apply", str(toml), "--db", db, "--json"], env=ZH)
    error = json.loads(as_json.stderr)
    assert error["reason"] == "config.entry_refused"
    assert error["params"]["cause"] == "field.out_of_range" and error["params"]["index"] == 2
    english = runner.invoke(app, ["config", "apply", str(toml), "--db", db])
    assert english.stderr.strip() == (
        f"qconsole: {toml}: services entry 2: target wait (minutes) must be between 0 and 10000,"
        " not -3"
    )
