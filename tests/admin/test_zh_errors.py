"""An admin's shell set to Chinese reads the tools' refusals in Chinese, `--json` included.

Exports, reports, backups, the standby's restore, the hall's TOML file and the command
line's own checks raise with a reason code; the one line (and the JSON object's
``message``) follows ``QCONSOLE_LANG``, while ``error``, ``reason`` and ``params`` stay
the same for scripts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.cli.main import app


def _cases(db: Path, tmp: Path) -> list[tuple[list[str], str, str, str]]:
    """(arguments, reason, the Chinese line, the English line) of refusals a shell meets."""
    toml = tmp / "hall.toml"
    toml.write_text('[[services]]\ncode = "ID"\ncolour = "red"\n', encoding="utf-8")
    return [
        (["report", "--db", str(db), "--from", "2026-11-26", "--to", "2026-11-25"],
         "days.backwards", "--from 2026-11-26 晚于 --to 2026-11-25",
         "--from 2026-11-26 is after --to 2026-11-25"),
        (["backup", str(tmp / "nowhere") + "/", "--db", str(db)],
         "backup.no_directory", f"备份目录 {tmp / 'nowhere'}/ 不存在",
         f"backup directory {tmp / 'nowhere'}/ does not exist"),
        (["export", "--db", str(db), "--day", "today", "--format", "xlsx", "--out", "-"],
         "export.xlsx_stdout", "XLSX 不能写到标准输出；请给出 --out FILE 或 DIR",
         "XLSX cannot go to standard output; give --out FILE or DIR"),
        (["restore", "--from", "ftp://x/y", "--db", str(tmp / "new.db")],
         "replica.bad_url", "副本须是目录、sftp:// 或 s3:// 地址，不是 'ftp://x/y'",
         "a replica is a directory, sftp:// or s3:// URL, not 'ftp://x/y'"),
        (["config", "apply", str(toml), "--db", str(db)],
         "config.unknown_field", f"{toml}：services 第 1 项：未知字段 'colour'",
         f"{toml}: services entry 1: unknown field 'colour'"),
        (["simulate", "--db", str(db), "--weekday", "9"],
         "simulate.bad_weekday", "--weekday 取 1（星期一）到 7（星期日），不是 9",
         "--weekday is 1 (Monday) to 7 (Sunday), not 9"),
    ]  # fmt: skip


@pytest.mark.parametrize("index", range(6))
def test_the_tools_refuse_in_the_shells_language(runner, day_db: Path, tmp_path: Path,
                                                 index: int) -> None:  # fmt: skip
    argv, reason, zh, en = _cases(day_db, tmp_path)[index]
    plain = runner.invoke(app, argv, env={"QCONSOLE_LANG": "zh-CN"})
    assert plain.exit_code in (1, 2, 3), plain.output
    assert plain.stderr.strip() == f"qconsole: {zh}"
    as_json = runner.invoke(app, [*argv, "--json"], env={"QCONSOLE_LANG": "zh-CN"})
    error = json.loads(as_json.stderr)
    assert as_json.exit_code == plain.exit_code
    assert error["message"] == zh and error["reason"] == reason
    english = runner.invoke(app, [*argv, "--json"], env={"QCONSOLE_LANG": "en"})
    assert json.loads(english.stderr) == {**error, "message": en}


def test_a_toml_syntax_error_names_where_in_chinese(runner, day_db: Path, tmp_path: Path) -> None:
    """tomllib says what it expected in English; the line says only where, from the catalog."""
    toml = tmp_path / "hall.toml"
    toml.write_text("[[services]]\ncode = \n", encoding="utf-8")
    argv = ["config", "apply", str(toml), "--db", str(day_db), "--json"]
    chinese = runner.invoke(app, argv, env={"QCONSOLE_LANG": "zh-CN"})
    error = json.loads(chinese.stderr)
    assert chinese.exit_code == 2 and error["reason"] == "config.bad_toml_at"
    assert error["message"] == f"{toml}：第 2 行第 8 列不是有效的 TOML"
    english = runner.invoke(app, argv, env={"QCONSOLE_LANG": "en"})
    assert json.loads(english.stderr)["message"] == f"{toml}: not valid TOML (at line 2, column 8)"
