"""What an announcement says, word by word: numbers letter by letter and digit by digit,
counters as numbers, Chinese as tone-numbered pinyin, templates checked where they are set."""

from __future__ import annotations

import pytest

from console.announce.words import DEFAULT_TEMPLATES, numeral, sentence, spell_number
from console.domain.errors import BadInput
from console.engine.core import DEFAULT_SETTINGS
from console.engine.settings import checked_setting


def says(words) -> list[str]:
    return [w.say for w in words if not w.pause]


def test_a_call_in_chinese_is_pinyin_with_the_number_digit_by_digit():
    said = sentence(DEFAULT_TEMPLATES["zh-CN"], "zh-CN", "A023", 5).text
    assert said == "qing3 A ling2 er4 san1 hao4 dao4 wu3 hao4 chuang1 kou3 ban4 li3"


def test_a_call_in_english_names_each_letter_and_digit_alone():
    said = sentence(DEFAULT_TEMPLATES["en"], "en", "A023", 12).text
    assert said == "Number A, zero, two, three, please go to counter twelve"


@pytest.mark.parametrize(("n", "zh", "en"), [
    (5, ["wu3"], ["five"]),
    (10, ["shi2"], ["ten"]),
    (12, ["shi2", "er4"], ["twelve"]),
    (20, ["er4", "shi2"], ["twenty"]),
    (45, ["si4", "shi2", "wu3"], ["forty", "five"]),
    (100, ["yi1", "bai3"], ["one", "hundred"]),
    (105, ["yi1", "bai3", "ling2", "wu3"], ["one", "hundred", "and", "five"]),
    (110, ["yi1", "bai3", "yi1", "shi2"], ["one", "hundred", "and", "ten"]),
    (1005, ["yi1", "qian1", "ling2", "wu3"], ["one", "thousand", "and", "five"]),
])  # fmt: skip
def test_counters_are_said_as_numbers(n, zh, en):
    assert says(numeral(n, "zh-CN")) == zh
    assert says(numeral(n, "en")) == en


def test_zeros_and_ones_in_a_number_are_never_run_together():
    assert says(spell_number("B100", "zh-CN")) == ["B", "yi1", "ling2", "ling2"]
    assert says(spell_number("vip-007", "en")) == ["V", "I", "P", "zero", "zero", "seven"]


@pytest.mark.parametrize("number", ["", "A02#", "请", "A" * 13])
def test_a_number_that_cannot_be_said_is_bad_input(number):
    with pytest.raises(BadInput):
        spell_number(number, "zh-CN")


def test_any_short_sentence_can_be_said_in_either_language():
    zh = sentence("请在屏幕上选择办理事项，然后取号。", "zh-CN")
    assert (
        zh.text == "qing3 zai4 ping2 mu4 shang4 xuan3 ze2 ban4 li3 shi4 xiang4, ran2 hou4 qu3 hao4"
    )
    assert sentence("请到2楼B区", "zh").text == "qing3 dao4 er4 lou2 B qu1"
    assert sentence("Please take your ticket.", "en").text == "Please take your ticket"


def test_the_templates_are_settings_checked_where_they_are_set():
    assert DEFAULT_SETTINGS["announce_template_zh"] == "请 {number} 号到 {counter} 号窗口办理"
    assert DEFAULT_SETTINGS["announce_template_en"] == (
        "Number {number}, please go to counter {counter}"
    )
    stored = checked_setting(DEFAULT_SETTINGS, "announce_template_zh", "请{number}号到{counter}号")
    assert stored == "请{number}号到{counter}号"
    assert checked_setting(DEFAULT_SETTINGS, "announce_langs", "zh, EN") == "zh-CN,en"
    for name, value in [("announce_template_zh", "请{numbr}号"),
                        ("announce_template_en", "{number!r}"),
                        ("announce_template_en", "{"),
                        ("announce_langs", "fr"),
                        ("announce_repeat", "0")]:  # fmt: skip
        with pytest.raises(BadInput):
            checked_setting(DEFAULT_SETTINGS, name, value)
