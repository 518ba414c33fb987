"""The command line's own usage errors come from reason codes: a shell set to Chinese reads
them in Chinese, and a script reads the same ``reason`` under ``--json`` in either language.

Each case is one the parser itself refuses (an unknown option or command, a missing
argument or option, a value of the wrong kind, words left over); none may fall through to
``usage.other``, which keeps the parser's English words."""

from __future__ import annotations

import json
import sys

import pytest

from console.cli.main import run
from tests.tui.english import SENTENCE

CASES = [
    (["tickets", "list", "--bogus"], "usage.no_such_option", "没有选项 --bogus"),
    (["tickets", "list", "--jsn"], "usage.no_such_option_like", "相近的有 --json"),
    (["tickets", "frobnicate"], "usage.no_such_command", "没有命令 'frobnicate'"),
    (["frobnicate"], "usage.no_such_command", "没有命令 'frobnicate'"),
    (["tickets", "call"], "usage.missing_argument", "缺少参数 counter"),
    (["city", "serve"], "usage.missing_option", "缺少选项 --halls"),  # takes no --json
    (["tickets", "call", "one"], "usage.not_whole_number", "counter 须是整数，不是 'one'"),
    (["services", "add", "X", "--handling", "x"], "usage.not_number", "--handling 须是数字"),
    (["export", "--what", "nope"], "usage.not_a_choice", "--what 须是 tickets|events|summary 之一"),
    (["tickets", "list", "extra", "more"], "usage.extra_arguments", "多余的参数 extra more"),
    (["tickets", "list", "--json=1"], "usage.flag_takes_no_value", "--json 是开关，不带值"),
    (["tickets", "issue", "ID", "--note"], "usage.option_needs_value", "--note 后面需要一个值"),
]  # fmt: skip


def qconsole(monkeypatch, capsys, lang: str, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("QCONSOLE_LANG", lang)
    monkeypatch.setattr(sys, "argv", ["qconsole", *args])
    with pytest.raises(SystemExit) as done:
        run()
    return done.value.code, capsys.readouterr().err


@pytest.mark.parametrize(("args", "reason", "zh"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_usage_error_is_said_from_its_code_in_the_shells_language(monkeypatch, capsys, tmp_path,
                                                                    args, reason, zh):  # fmt: skip
    monkeypatch.setenv("QCONSOLE_DB", str(tmp_path / "hall.db"))
    code, err = qconsole(monkeypatch, capsys, "zh-CN", *args)
    assert code == 2 and err.count("\n") == 1 and err.startswith("qconsole: "), err
    assert zh in err and "见 --help" in err
    said = err.split("：", 1)[1]  # after the command's own words ("qconsole tickets list")
    assert [s for s in SENTENCE.findall(said) if not s.isupper()] == [], err

    if args[:2] == ["city", "serve"] or "--note" in args or "--json=1" in args:
        return  # no --json there, or it would be taken for --note's value
    json_args = [*args, "--json"]
    code, err = qconsole(monkeypatch, capsys, "zh-CN", *json_args)
    chinese = json.loads(err)
    assert code == 2 and chinese["error"] == "bad_input" and chinese["reason"] == reason
    assert zh in chinese["message"]
    code, err = qconsole(monkeypatch, capsys, "en", *json_args)
    english = json.loads(err)
    assert code == 2
    assert {**english, "message": chinese["message"]} == chinese  # the same for a script
    assert "see --help)" in english["message"]


def test_an_argument_that_is_not_utf8_is_refused_in_chinese(monkeypatch, capsys):
    code, err = qconsole(monkeypatch, capsys, "zh-CN", "tickets", "issue", "\udcff", "--json")
    assert code == 2
    error = json.loads(err)
    assert error["reason"] == "usage.not_utf8"
    assert error["message"] == "参数 '\\xff' 不是有效的 UTF-8"
