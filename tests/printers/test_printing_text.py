"""Text mode: golden bytes, the Chinese decodes back exactly, sizes and limits."""

from __future__ import annotations

import pytest
from golden_check import check_golden

from printers import Lang, RenderOptions, render, text_lines
from printers.render import commands as cmd
from printers.render.textfit import MISSING, normalise, width
from printers.samples import sample_receipt, sample_ticket
from printers.testing import parse_escpos

WIDTHS = [384, 576]


@pytest.mark.parametrize("width_dots", WIDTHS)
@pytest.mark.parametrize("kind", ["ticket", "receipt"])
def test_golden_text(kind, width_dots, ticket, receipt, tmp_path):
    slip = ticket if kind == "ticket" else receipt
    data = render(slip, RenderOptions(width_dots=width_dots))
    check_golden(f"{kind}-text-{width_dots}.bin", data, tmp_path)


def test_golden_text_gbk_english(ticket, tmp_path):
    data = render(ticket, RenderOptions(encoding="gbk", lang=Lang.EN))
    check_golden("ticket-text-384-gbk-en.bin", data, tmp_path)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
@pytest.mark.parametrize("width_dots", WIDTHS)
def test_chinese_decodes_back_exactly(encoding, width_dots, ticket):
    options = RenderOptions(width_dots=width_dots, encoding=encoding)
    job = parse_escpos(render(ticket, options), encoding)
    assert job.lines == text_lines(ticket, options)
    # every field of the ticket is on paper, character for character
    for field in (ticket.hall_name, ticket.number, ticket.service_zh, ticket.service_en):
        assert field in job.lines
    assert "前面 Ahead: 5 人" in job.lines
    assert "预计 Wait: 约15分钟/min" in job.lines
    assert "取号 Issued: 2026-11-25 09:30" in job.lines
    assert " 绿色通道 · 老年人 " in job.lines
    assert "请留意叫号，过号请重新取号" in job.lines
    assert job.qr == [ticket.qr_url]


def test_receipt_text_says_what_happened_and_what_to_bring(receipt):
    job = parse_escpos(render(receipt), "gb18030")
    text = "\n".join(job.lines)
    assert "号码 Ticket: B107" in job.lines
    assert "窗口 Counter: 5" in job.lines
    assert "工号 Staff no.: 0123" in job.lines
    assert "等候 Waited: 12分钟/min" in job.lines
    assert "办理 Handling: 8分钟/min" in job.lines
    assert "结果 Outcome: 材料不全" in job.lines
    for i, item in enumerate(receipt.materials, 1):
        assert f"{i}. {item}" in job.lines
    assert "请备齐材料后再来办理" in text
    assert job.qr == [receipt.feedback_url]


def test_ticket_chinese_mode_and_sizes(ticket):
    data = render(ticket)
    assert data.startswith(cmd.INIT + cmd.CHINESE_ON)
    job = parse_escpos(data)
    # the number in the largest size: 4 characters x 8 = the 32 columns of 58 mm
    assert (8, 8) in job.sizes
    assert job.sizes[-1] == (1, 1)  # back to normal before the cut
    assert "FS !" in job.commands  # Chinese characters sized too
    assert job.cuts == 1


def test_text_ticket_under_one_kilobyte():
    for width_dots in WIDTHS:
        for slip in (sample_ticket(), sample_receipt()):
            assert len(render(slip, RenderOptions(width_dots=width_dots))) < 1024


@pytest.mark.parametrize("width_dots", WIDTHS)
def test_no_line_wider_than_the_paper(width_dots):
    slip = sample_ticket(
        hall_name="中华人民共和国某某省某某市公安局出入境管理支队政务服务中心接待大厅",
        service_en="Exit-entry permit for travelling to and from Hong Kong and Macao",
        footer="Please keep this ticket; numbers passed must take a new ticket",
    )
    options = RenderOptions(width_dots=width_dots)
    columns = width_dots // 12
    job = parse_escpos(render(slip, options))
    assert len(job.lines) > 15
    for line, (w, _h) in zip(job.lines, job.line_sizes, strict=True):
        assert width(line) * w <= columns, line


def test_languages(ticket):
    zh = parse_escpos(render(ticket, RenderOptions(lang=Lang.ZH))).lines
    en = parse_escpos(render(ticket, RenderOptions(lang=Lang.EN))).lines
    assert "前面等候：5 人" in zh and not any("Ahead" in line for line in zh)
    assert "Ahead: 5" in en and "ID card" in en
    assert ticket.service_zh not in en  # the service in English only


def test_control_characters_never_reach_the_printer():
    slip = sample_ticket(hall_name="大厅\x1b@\x1d!\x77X", footer="a\x00b\x07c")
    data = render(slip)
    job = parse_escpos(data)
    assert "大厅@!wX" in job.lines
    assert "abc" in job.lines
    assert data.count(b"\x1b@") == 1  # only the reset we sent


def test_characters_outside_the_rom_are_normalised_or_marked():
    assert normalise("ＡＢＣ１２３") == "ＡＢＣ１２３"  # full-width is in GBK: kept as it is
    assert normalise("①") == "①"
    assert normalise("㊣") == "㊣"  # in GBK
    assert normalise("𠮷野家") == f"{MISSING}野家"  # Extension B: not in any printer ROM
    assert normalise("䶮") == "䶮"  # Extension A: in GB18030 ROMs
    assert normalise("䶮", "gbk") == MISSING
    assert normalise("ﬁ", "gbk") == "fi"  # NFKC when the compatibility form prints
    assert normalise("😀 ok") == f"{MISSING} ok"
    slip = sample_ticket(hall_name="𠮷祥大厅")
    job = parse_escpos(render(slip))
    assert f"{MISSING}祥大厅" in job.lines


def test_qr_as_image_for_printers_without_native_qr(ticket):
    job = parse_escpos(render(ticket, RenderOptions(qr="image")))
    assert job.qr == []
    image = job.image()
    assert image is not None and image.width == 384
    assert image.getbbox() is not None


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="384 or 576"):
        RenderOptions(width_dots=500)
    with pytest.raises(ValueError, match="text or raster"):
        RenderOptions(mode="pdf")
    with pytest.raises(ValueError, match="gb18030 or gbk"):
        RenderOptions(encoding="utf-8")
