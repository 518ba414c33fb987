"""A mistake in city.toml is one line and exit 2 from ``qconsole city serve``, said from its
reason code: in Chinese under ``QCONSOLE_LANG=zh-CN`` (no English sentence left in it), in
English otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from console.city.config import load
from console.cli.main import app
from console.domain.errors import BadInput
from tests.tui.english import SENTENCE

HALL = 'key = "central"\nname = "市民中心"\nurl = "http://10.8.0.11:8450"\n'

CASES = [
    (None, "city.halls_missing", "无法读取 --halls {file}：文件不存在",
     "cannot read --halls {file}: no such file"),
    ("directory", "city.halls_unreadable", "无法读取 --halls {file}（这是一个目录）",
     "cannot read --halls {file}: Is a directory"),
    ('[[hall]\nkey = "a"\n', "city.halls_not_toml_at", "{file}：第 1 行第 7 列不是有效的 TOML",
     "{file}: not TOML (at line 1, column 7)"),
    ('name = "某市"\n', "city.no_halls", "{file}：没有列出任何 [[hall]]",
     "{file}: no [[hall]] listed"),
    ("hall = [1]\n", "city.hall_not_table", "{file}：第 1 个 hall 不是表",
     "{file}: hall 1: not a table"),
    (f"[[hall]]\n{HALL}colour = 'red'\n", "city.hall_unknown_field",
     "{file}：第 1 个 hall：未知字段 'colour'（可用字段：address|ca|district|key|lat|lon|name"
     "|token|token_file|url）",
     "{file}: hall 1: unknown field 'colour' (fields: address|ca|district|key|lat|lon|name"
     "|token|token_file|url)"),
    ('[[hall]]\nkey = "Central Hall"\n', "city.hall_bad_key",
     "{file}：第 1 个 hall：key 须是 1-40 个 a-z 0-9 _ - 字符，不是 'Central Hall'",
     "{file}: hall 1: key must be 1-40 of a-z 0-9 _ - (got 'Central Hall')"),
    (f'[[hall]]\n{HALL}token = "t"\n[[hall]]\n{HALL}token = "t"\n', "city.hall_twice",
     "{file}：hall 'central' 列出了两次", "{file}: hall 'central': listed twice"),
    ('[[hall]]\nkey = "central"\nname = "市民中心"\n', "city.hall_needs",
     "{file}：hall 'central' 缺少 url", "{file}: hall 'central': url is required"),
    ('[[hall]]\nkey = "a"\nname = "A"\nurl = "ftp://x"\ntoken = "t"\n', "city.hall_bad_url",
     "{file}：hall 'a'：url 须以 http:// 或 https:// 开头，不是 'ftp://x'",
     "{file}: hall 'a': url must start with http:// or https:// (got 'ftp://x')"),
    (f"[[hall]]\n{HALL}", "city.hall_needs_token",
     "{file}：hall 'central' 缺少 token（或 token_file）",
     "{file}: hall 'central': token (or token_file) is required"),
    (f'[[hall]]\n{HALL}token_file = "none.token"\n', "city.token_file_missing",
     "{file}：hall 'central'：token_file {dir}/none.token 不存在",
     "{file}: hall 'central': cannot read token_file {dir}/none.token: no such file"),
    (f'[[hall]]\n{HALL}token = "t"\nlat = 91\nlon = 1\n', "city.hall_bad_coordinate",
     "{file}：hall 'central'：lat 须是 ±90 之内的数字",
     "{file}: hall 'central': lat must be a number within ±90"),
    (f'[[hall]]\n{HALL}token = "t"\nlat = 22.5\n', "city.hall_lat_lon",
     "{file}：hall 'central'：lat 和 lon 须一起给出",
     "{file}: hall 'central': give lat and lon together"),
    (f'[[hall]]\n{HALL}token = "t"\ndistrict = 5\n', "city.hall_not_text",
     "{file}：hall 'central'：district 必须是文本",
     "{file}: hall 'central': district must be text"),
    (f'name = 5\n[[hall]]\n{HALL}token = "t"\n', "city.name_not_text",
     "{file}：name 必须是文本", "{file}: name must be text"),
    (b"[[hall]]\nkey = '\xff'\n", "config.not_utf8", "{file} 不是 UTF-8 文本",
     "{file} is not UTF-8 text"),
]  # fmt: skip


def serve(halls: Path, lang: str, tmp: Path) -> tuple[int, str]:
    env = {"QCONSOLE_LANG": lang}
    ran = CliRunner().invoke(app, ["city", "serve", "--halls", str(halls), "--db",
                                   str(tmp / "city.db")], env=env)  # fmt: skip
    return ran.exit_code, ran.stderr


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[1] for c in CASES])
def test_a_mistake_in_city_toml_is_one_line_from_its_code(tmp_path: Path, index: int) -> None:
    text, reason, zh, en = CASES[index]
    halls = tmp_path / "city.toml"
    if text == "directory":  # the system's words for it are translated too
        halls.mkdir()
    elif isinstance(text, bytes):
        halls.write_bytes(text)
    elif text is not None:
        halls.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput) as refused:
        load(halls)
    assert refused.value.reason == reason
    fill = {"file": str(halls), "dir": str(tmp_path)}
    code, said = serve(halls, "zh-CN", tmp_path)
    assert (code, said) == (2, f"qconsole: {zh.format(**fill)}\n")
    words = said.replace(str(tmp_path), "")  # the path is the admin's, not a sentence
    assert [s for s in SENTENCE.findall(words) if not s.isupper()] == [], said
    code, said = serve(halls, "en", tmp_path)
    assert (code, said) == (2, f"qconsole: {en.format(**fill)}\n")
