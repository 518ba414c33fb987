"""Raster mode: golden bytes, and the GS v 0 image decodes to the expected, non-blank size."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest
from golden_check import GOLDEN, UPDATE, check_golden

from printers import RenderOptions, preview, render
from printers.render import commands as cmd
from printers.render import raster
from printers.render.layout import blocks_for
from printers.testing import parse_escpos

WIDTHS = [384, 576]


@pytest.mark.parametrize("width_dots", WIDTHS)
@pytest.mark.parametrize("kind", ["ticket", "receipt"])
def test_golden_raster(kind, width_dots, ticket, receipt, golden_font, tmp_path):
    slip = ticket if kind == "ticket" else receipt
    options = RenderOptions(width_dots=width_dots, mode="raster", font=golden_font)
    check_golden(f"{kind}-raster-{width_dots}.bin.gz", render(slip, options), tmp_path)
    if UPDATE:  # a picture beside the golden, to review before committing it
        preview(slip, options).save(GOLDEN / f"{kind}-raster-{width_dots}.png", optimize=True)


@pytest.mark.parametrize("width_dots", WIDTHS)
@pytest.mark.parametrize("kind", ["ticket", "receipt"])
def test_raster_image_decodes_to_expected_size_and_is_not_blank(
    kind, width_dots, ticket, receipt, cjk_font
):
    slip = ticket if kind == "ticket" else receipt
    options = RenderOptions(width_dots=width_dots, mode="raster", font=cjk_font)
    data = render(slip, options)
    assert data.startswith(cmd.INIT) and cmd.CHINESE_ON not in data[:4]
    job = parse_escpos(data)
    assert job.lines == [""] * job.lines.count("")  # no text: everything is in the image
    assert all(h <= raster.BAND_ROWS for _w, h, _d in job.images)
    image = job.image()
    drawn = raster.draw(blocks_for(slip), width_dots=width_dots, font=cjk_font)
    assert image is not None
    assert image.size == drawn.size
    assert image.width == width_dots
    assert 600 < image.height < 1400
    assert image.tobytes() == drawn.tobytes()
    ink = image.histogram()[255] / (image.width * image.height)
    assert 0.03 < ink < 0.5, f"{ink:.1%} black"
    # every band carries ink: nothing blank in the middle of the slip either
    assert all(any(d) for _w, _h, d in job.images)


def test_raster_number_fills_the_width(ticket, cjk_font):
    image = raster.draw(blocks_for(ticket), width_dots=384, font=cjk_font)
    # the number's row band: find the widest run of ink rows near the top
    box = image.crop((0, 90, 384, 260)).getbbox()
    assert box is not None and box[2] - box[0] > 300


def test_gs_v_0_matches_python_escpos(ticket, cjk_font):
    """Our GS v 0 bytes are the same as python-escpos's bitImageRaster for the same image."""
    from escpos.printer import Dummy

    image = raster.draw(blocks_for(ticket), width_dots=384, font=cjk_font).crop((0, 0, 384, 200))
    ours = cmd.raster(image.tobytes(), 48, image.height)
    printer = Dummy()
    # python-escpos takes black = dark pixels; ours is 1 = ink
    from PIL import ImageOps

    picture = ImageOps.invert(image.convert("L"))
    with redirect_stdout(io.StringIO()):
        printer.image(picture, impl="bitImageRaster")
    assert printer.output == ours


def test_raster_without_a_font_says_what_to_install(ticket, monkeypatch):
    from printers import PrinterUnavailable

    with pytest.raises(PrinterUnavailable, match="fonts-wqy-microhei"):
        render(ticket, RenderOptions(mode="raster", font="/nonexistent/font.ttc"))
