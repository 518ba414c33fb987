"""Chinese typesetting on the slip: line breaking, hanging numbered items, look-alike
characters, QR codes that fit the paper, and no feedback caption without a feedback URL.

The golden files (``golden/typesetting-*.txt``) hold the lines as printed at 384 and
576 dots, in text mode (the printer's font ROM) and raster mode (a drawn font), one
line of paper per line of file: read them to review a change of the rules.
"""

from __future__ import annotations

import pytest
from golden_check import check_golden

from printers import RenderOptions, render, text_lines
from printers.render.qr import qr_matrix
from printers.render.textfit import CLOSING, OPENING, normalise, width, wrap
from printers.samples import sample_receipt
from printers.testing import parse_escpos

WIDTHS = [384, 576]
MATERIALS = (
    "近期白底免冠证件照2张（规格33mm×48mm），须为6个月内拍摄",
    "《居民户口簿》原件及复印件、身份证原件（正反面复印在同一张A4纸上）",
    "Proof of address (utility bill, within 3 months) 居住证明",
    "填写完整的申请表，并在“申请人签名”处签字。",
)
NEXT_STEP = (
    "请在15个工作日内备齐材料，携带本回执到3号窗口办理；"
    "预约电话：010-12345678（工作日9:00-17:00）。Please come back within 15 working days."
)


def typeset_receipt():
    return sample_receipt(materials=MATERIALS, next_step=NEXT_STEP)


@pytest.mark.parametrize("width_dots", WIDTHS)
def test_golden_typesetting_text_mode(width_dots, tmp_path):
    lines = text_lines(typeset_receipt(), RenderOptions(width_dots=width_dots))
    check_golden(f"typesetting-text-{width_dots}.txt", "\n".join(lines).encode(), tmp_path)


@pytest.mark.parametrize("width_dots", WIDTHS)
def test_golden_typesetting_raster_mode(width_dots, golden_font, tmp_path):
    options = RenderOptions(width_dots=width_dots, mode="raster", font=golden_font)
    lines = text_lines(typeset_receipt(), options)
    check_golden(f"typesetting-raster-{width_dots}.txt", "\n".join(lines).encode(), tmp_path)


@pytest.mark.parametrize("columns", [32, 48])
def test_the_rules_hold_on_every_line(columns):
    for item in (*MATERIALS, NEXT_STEP):
        lines = wrap(f"2. {item}", columns)
        for line in lines:
            assert width(line) <= columns
            assert line.strip()[:1] not in CLOSING, line
            assert line[-1:] not in OPENING, line
        assert lines[0] != "2." and len(lines[0]) > len("2. ")  # the number keeps its text
        assert all(line.startswith("   ") for line in lines[1:])  # hanging under the text
        assert "".join(line.strip() for line in lines).replace(" ", "") == (
            f"2.{item}".replace(" ", "")
        )


def test_latin_words_and_numbers_with_units_stay_whole():
    lines = wrap("近期白底免冠证件照2张（规格33mm×48mm）", 32)
    assert lines == ["近期白底免冠证件照2张（规格", "33mm×48mm）"]
    words = wrap("请在15个工作日内办理 Please come back within 15 working days", 24)
    for line in words:
        for word in line.split():
            assert word in "请在15个工作日内办理 Please come back within 15 working days"
    assert not any(line.endswith("1") for line in words)  # 15 never splits


def test_a_run_of_chinese_breaks_between_characters_not_as_one_word():
    lines = wrap("1. 户口簿原件及复印件、身份证原件及复印件、近期免冠照片", 20)
    assert lines[0].startswith("1. 户口簿")  # not "1." alone with the text on the next line
    assert all(width(line) <= 20 for line in lines)


def test_look_alikes_before_the_missing_mark():
    assert normalise("• 身份证 • 户口簿") == "· 身份证 · 户口簿"
    assert normalise("✓ 已审核", "gbk") == "√ 已审核"
    assert normalise("\U0001f600") == "□"  # no equivalent at all: the missing mark


@pytest.mark.parametrize("width_dots", WIDTHS)
def test_a_long_qr_address_is_drawn_smaller_not_clipped(width_dots):
    url = "https://hall.example.gov.cn/queue/ticket?id=123456&day=2026-11-26&" + "x" * 200
    data = render(sample_receipt(feedback_url=url), RenderOptions(width_dots=width_dots))
    modules = len(qr_matrix(url))
    module_size = data[data.index(b"\x1d(k\x03\x001C") + 7]
    assert modules * module_size <= width_dots
    assert parse_escpos(data).qr == [url]
    image = render(
        sample_receipt(feedback_url=url), RenderOptions(width_dots=width_dots, qr="image")
    )
    assert b"\x1dv0" in image


def test_no_rate_caption_without_a_feedback_url():
    lines = text_lines(sample_receipt(feedback_url=None))
    assert not any("评价" in line or "rate" in line.lower() for line in lines)
    assert parse_escpos(render(sample_receipt(feedback_url=None))).qr == []


@pytest.mark.parametrize("limit", range(8, 30))
def test_a_currency_sign_stays_with_its_amount(limit):
    lines = wrap("请缴纳工本费￥200元后再来办理", limit)
    assert not any(line.rstrip().endswith("￥") for line in lines), lines
    assert "".join(lines).replace(" ", "") == "请缴纳工本费￥200元后再来办理"
